/**
 * Is it warm? `verifyWarm()` asks the CDN, from where the caller stands, whether it serves each
 * URL from its cache: after `prewarm()` and `waitForTasks()` say a prefetch is `done`, this says
 * whether the edge that answers you holds the file. One small request per URL (a one-byte ranged
 * `GET`, or `HEAD`), a few at a time, no body read, no redirect followed; each URL comes back
 * once, `hit`, `miss`, `bypass`, `unknown` or `error`, with the HTTP status, the cache headers
 * as seen (Tencent CDN's `X-Cache-Lookup`, EdgeOne's `EO-Cache-Status`) and `Age`.
 *
 * A hit proves that one edge node (the one your request reached) holds the file; other nodes
 * and regions may still be cold. docs/verify.md lists every header value with its source.
 *
 * This entry is not part of the core bundle: `prewarm()` alone carries none of it.
 *
 * @example Prewarm, wait, then verify what ended done
 * ```ts
 * import { prewarm, waitForTasks } from "@qcdn/prewarm";
 * import { verifyWarm } from "@qcdn/prewarm/verify";
 *
 * const report = await prewarm(["https://www.example.com/app.js"]);
 * const done = await waitForTasks(report);
 * const warm = await verifyWarm(done, { concurrency: 4, timeoutMs: 10_000 });
 * console.log(warm.counts); // { hit: 1, miss: 0, bypass: 0, unknown: 0, error: 0 }
 * ```
 *
 * @module
 */
export {
  type ProbeError,
  type ProbeErrorCode,
  type ProbeMethod,
  type SeenHeaderName,
  type SkippedUrl,
  type VerifyOptions,
  type VerifyProgress,
  type VerifyResult,
  verifyWarm,
  WARM_STATES,
  type WarmResult,
  type WarmState,
} from "./probe.ts";
export {
  CACHE_HEADER_VALUES,
  type CacheHeaderName,
  type CacheHeaderValue,
  type CacheReading,
  type CacheVerdict,
  classifyCacheHeaders,
  type SeenValue,
} from "./classify.ts";
