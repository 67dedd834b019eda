/**
 * The router's `verify` option (`POST /verify`): its per-request bounds, checked once when the
 * router is made.
 * @module
 */
import { fail, integer, MAX_TIMER_MS, oneOf, optionalFunction } from "../rules/option_checks.ts";
import type { FetchLike } from "../transport/send.ts";
import type { ProbeMethod } from "../verify/probe.ts";

/**
 * How `POST /verify` probes, and its bounds per request. Every field is optional; the router
 * probes only hosts in its `allowedHosts` (docs/verify.md says why).
 */
export interface RouterVerifyOptions {
  /** Most URLs one `POST /verify` may list (more is answered with 413), 1 to 1000. @default {100} */
  maxUrls?: number;
  /** Probes in flight at once for one request, 1 to 16. @default {4} */
  concurrency?: number;
  /** The longest one probe may take, in ms; then it is `error`, code `timeout`. @default {5000} */
  timeoutMs?: number;
  /**
   * The longest one request's probes may take together, in ms: what is not answered by then
   * comes back `error`, code `aborted`, and the answer has `aborted: true`. @default {20000}
   */
  maxTimeMs?: number;
  /** The probe: a one-byte ranged `GET`, or `HEAD`. @default {"GET"} */
  method?: ProbeMethod;
  /**
   * Ports probed besides the default ones: a URL with any other explicit port is refused, so a
   * token cannot sweep an allowed host's ports. @default {[]} (only 80 for http:, 443 for https:)
   */
  ports?: readonly number[];
  /** The fetch probes go through (a simulated edge's, in tests). @default {globalThis.fetch} */
  fetch?: FetchLike;
}

/** {@linkcode RouterVerifyOptions} checked, with their defaults. */
export interface ResolvedVerifyOptions {
  maxUrls: number;
  concurrency: number;
  timeoutMs: number;
  maxTimeMs: number;
  method: ProbeMethod;
  ports: ReadonlySet<string>;
  fetch?: FetchLike;
}

/**
 * Checks the `verify` option, naming each field `verify.*`.
 * @throws {TypeError} for a value of the wrong type. @throws {RangeError} for one out of range.
 */
export function resolveVerifyOptions(value: unknown): ResolvedVerifyOptions {
  if (value === undefined) value = {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail("verify", "an object", Array.isArray(value) ? "an array" : value);
  }
  const options = value as RouterVerifyOptions;
  const ports = options.ports ?? [];
  if (!Array.isArray(ports)) fail("verify.ports", "an array of port numbers", ports);
  ports.forEach((port: unknown, i) => integer(`verify.ports[${i}]`, port, 0, 1, 65535));
  const resolved: ResolvedVerifyOptions = {
    maxUrls: integer("verify.maxUrls", options.maxUrls, 100, 1, 1000),
    concurrency: integer("verify.concurrency", options.concurrency, 4, 1, 16),
    timeoutMs: integer("verify.timeoutMs", options.timeoutMs, 5000, 1, MAX_TIMER_MS),
    maxTimeMs: integer("verify.maxTimeMs", options.maxTimeMs, 20_000, 1, MAX_TIMER_MS),
    method: oneOf<ProbeMethod>("verify.method", options.method, ["GET", "HEAD"], "GET"),
    ports: new Set(ports.map(String)),
  };
  const fetch = optionalFunction<FetchLike>("verify.fetch", options.fetch);
  if (fetch) resolved.fetch = fetch;
  return resolved;
}
