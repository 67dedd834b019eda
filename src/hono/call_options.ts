/**
 * The options of the read calls (`describePushQuota`, `describePushTasks`), taken from the
 * router's `prewarm()` options so that both talk to the same endpoint the same way.
 * @module
 */
import type { CallOptions } from "../options.ts";
import type { Credentials } from "../credentials.ts";
import type { RouterPrewarmDefaults } from "./options.ts";

/** The `CallOptions` part of the router's `prewarm()` options, with the credentials. */
export function callOptions(
  defaults: RouterPrewarmDefaults,
  credentials: Credentials,
): CallOptions {
  const options: CallOptions = { credentials };
  const { endpoint, timeoutMs, retries, retryDelayMs, maxRetryDelayMs, fetch, now } = defaults;
  if (endpoint !== undefined) options.endpoint = endpoint;
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
  if (retries !== undefined) options.retries = retries;
  if (retryDelayMs !== undefined) options.retryDelayMs = retryDelayMs;
  if (maxRetryDelayMs !== undefined) options.maxRetryDelayMs = maxRetryDelayMs;
  if (fetch !== undefined) options.fetch = fetch;
  if (now !== undefined) options.now = now;
  return options;
}
