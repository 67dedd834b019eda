/**
 * EdgeOne (`teo`, API `2022-09-01`): prefetch for sites that Tencent moved from CDN to
 * EdgeOne. `edgeOne({ zoneId })` is an `api` for `prewarm()` and `waitForTasks()`: the same
 * URL checks, batching, budget, retries and report as a CDN run, with EdgeOne's
 * `CreatePrefetchTask`, `DescribeContentQuota` and `DescribePrefetchTasks` (TC3 signed for
 * service `teo`). A CDN-only bundle carries none of it.
 *
 * @example
 * ```ts
 * import { prewarm, waitForTasks } from "@qcdn/prewarm";
 * import { edgeOne } from "@qcdn/prewarm/edgeone";
 *
 * // Credentials from TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY.
 * const api = edgeOne({ zoneId: "zone-2o0i2m9sk3li" });
 * const report = await prewarm(["https://www.example.com/app.js"], { api, checkQuota: true });
 * for (const task of report.tasks) console.log(task.taskId, task.urls.length); // JobIds
 * const done = await waitForTasks(report, { api });
 * console.log(done.counts);
 * ```
 *
 * @module
 */
export { edgeOne, type EdgeOneApi, type EdgeOneOptions } from "./apis/edgeone.ts";
export {
  type ContentQuota,
  type ContentQuotaResult,
  describeContentQuota,
  describePrefetchTasks,
  type DescribePrefetchTasksOptions,
  type EdgeOneCallOptions,
  type PrefetchLog,
  type PrefetchStatus,
  type PrefetchTasksQuery,
  type PrefetchTasksResult,
  urlStatusOfPrefetch,
} from "./apis/edgeone_reads.ts";
export { TEO_ENDPOINT, TEO_SERVICE } from "./apis/edgeone_zone.ts";
export type { V3Service } from "./transport/v3.ts";
