/**
 * The options every call shares (who signs, where requests go, how they are sent, paced and
 * retried), their defaults, and the one rule for the endpoint: what `prewarm()`, the reads and
 * the waiting all resolve into a send context.
 * @module
 */
import { accountName, defaultCoordinator } from "../coordinator/memory.ts";
import {
  checkCredentials,
  type Credentials,
  credentialsFromEnv,
  ENDPOINT_ENV_VAR,
  endpointFromEnv,
} from "./credentials.ts";
import { fail, integer, MAX_TIMER_MS, optionalFunction, positive } from "../rules/option_checks.ts";
import type { Coordinator } from "../coordinator/memory.ts";
import { V3_ENDPOINT } from "./v3.ts";
import { type CallContext, type FetchLike, parseEndpoint } from "./send.ts";

/** The default request rate: Tencent's 20 requests/s per action, less a margin for jitter. */
export const DEFAULT_REQUESTS_PER_SECOND = 18;

/** Options shared by every call: who signs, where requests go, how they are sent. */
export interface CallOptions {
  /**
   * The key pair that signs requests. On runtimes with an environment (Deno, Node, Bun) it
   * defaults to `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and
   * `TENCENTCLOUD_SESSION_TOKEN`; on Workers pass `credentialsFromEnv(env)`.
   * @default {credentialsFromEnv()}
   */
  credentials?: Credentials;
  /**
   * The endpoint. Override it for the simulator, a proxy or the international site
   * (`https://cdn.intl.tencentcloudapi.com/`). For CDN API 3.0 calls on Deno, Node and Bun,
   * `TENCENTCLOUD_ENDPOINT` overrides the default when set (on Workers pass
   * `endpointFromEnv(env)`); API 2.0 and EdgeOne calls do not read it.
   * @default {"https://cdn.tencentcloudapi.com/"} for API 3.0 (or `TENCENTCLOUD_ENDPOINT`), `"https://cdn.api.qcloud.com/v2/index.php"` for API 2.0
   */
  endpoint?: string | URL;
  /** Milliseconds one attempt may take, answer included; `Infinity` for no limit. @default {15000} */
  timeoutMs?: number;
  /** Retries of an attempt that certainly spent no quota (rate limits, refusals, 429/503). @default {3} */
  retries?: number;
  /** The first backoff window in ms; each retry doubles it (full jitter). @default {1000} */
  retryDelayMs?: number;
  /** The largest backoff window in ms. @default {30000} */
  maxRetryDelayMs?: number;
  /** Aborts the work: checked before every attempt and during every backoff. */
  signal?: AbortSignal;
  /** The fetch to send with: a simulator's, a proxy's, or an instrumented one. @default {globalThis.fetch} */
  fetch?: FetchLike;
  /** The clock in ms: signs timestamps and picks the quota day. @default {Date.now} */
  now?: () => number;
  /**
   * Shares the account's request rate and daily budget between every call that uses it. Pass
   * one to share them across isolates or machines (`./cloudflare`, `./deno-kv`) or to keep a
   * test apart. @default {a coordinator per process or isolate, shared by every call}
   */
  coordinator?: Coordinator;
  /**
   * Most request starts per second for this account and action, shared by every call through
   * the coordinator; it also slows down by itself when Tencent answers with a rate limit.
   * `Infinity` leaves only that adaptation. @default {18}
   */
  maxRequestsPerSecond?: number;
  /** The most time one request spends waiting out rate-limit answers before it fails
   * (rate-limited attempts spent nothing and do not count against `retries`). @default {60000} */
  rateLimitWaitMs?: number;
}

/** Call options with every default applied and every value checked: a send context. */
export type ResolvedCallOptions = CallContext;

/**
 * The endpoint a call goes to: `given`, else for CDN API 3.0 calls (whose default is
 * {@linkcode V3_ENDPOINT}) `TENCENTCLOUD_ENDPOINT` when the runtime has it, else the default.
 * API 2.0 and EdgeOne keep their own defaults: one variable cannot name the endpoints of three
 * APIs, and a CDN stand-in's root is not EdgeOne's or API 2.0's. The one rule, for every call
 * and for the router's reading of its account's budget.
 */
export function resolveEndpoint(given: string | URL | undefined, defaultEndpoint: string): URL {
  const chosen = given ?? (defaultEndpoint === V3_ENDPOINT ? endpointFromEnv() : undefined);
  // Only a chosen endpoint can be malformed: the error names where it came from.
  return parseEndpoint(
    chosen ?? defaultEndpoint,
    given !== undefined ? "options.endpoint" : ENDPOINT_ENV_VAR,
  );
}

/** Checks the options every call shares and applies their defaults. */
export function resolveCallOptions(
  options: CallOptions = {},
  defaultEndpoint: string,
): ResolvedCallOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `Invalid options: expected an object, got ${String(options)}`,
    );
  }
  const { signal } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    fail("signal", "an AbortSignal", typeof signal);
  }
  const fetchFn = optionalFunction<FetchLike>("fetch", options.fetch) ??
    ((input, init) => fetch(input, init));
  const coordinator = options.coordinator ?? defaultCoordinator;
  if (
    typeof coordinator !== "object" || coordinator === null ||
    !(["schedule", "observe", "hold", "settle", "exhaust", "usage"] as const)
      .every((m) => typeof coordinator[m] === "function")
  ) {
    fail(
      "coordinator",
      "an object with schedule(), observe(), hold(), settle(), exhaust() and usage()",
      typeof coordinator,
    );
  }
  const credentials = checkCredentials(
    "credentials" in options ? options.credentials : credentialsFromEnv(),
  );
  const endpoint = resolveEndpoint(options.endpoint, defaultEndpoint);
  const resolved: ResolvedCallOptions = {
    credentials,
    endpoint,
    timeoutMs: positive("timeoutMs", options.timeoutMs, 15_000, MAX_TIMER_MS),
    backoff: {
      retries: integer("retries", options.retries, 3, 0, 100),
      baseDelayMs: integer(
        "retryDelayMs",
        options.retryDelayMs,
        1000,
        0,
        MAX_TIMER_MS,
      ),
      maxDelayMs: integer(
        "maxRetryDelayMs",
        options.maxRetryDelayMs,
        30_000,
        0,
        MAX_TIMER_MS,
      ),
    },
    fetch: fetchFn,
    now: optionalFunction<() => number>("now", options.now) ?? Date.now,
    coordinator,
    account: accountName(credentials.secretId, endpoint),
    maxRequestsPerSecond: positive(
      "maxRequestsPerSecond",
      options.maxRequestsPerSecond,
      DEFAULT_REQUESTS_PER_SECOND,
    ),
    rateLimitWaitMs: integer(
      "rateLimitWaitMs",
      options.rateLimitWaitMs,
      60_000,
      0,
    ),
  };
  if (signal) resolved.signal = signal;
  return resolved;
}
