/**
 * Submit Tencent Cloud CDN overseas URL prefetch ("prewarm") tasks from any runtime with
 * `fetch`: Deno, Cloudflare Workers, Bun and Node.
 *
 * `prewarm()` checks the URLs, drops duplicates, groups them by host into batches, keeps to
 * the daily budget, retries only what certainly spent no quota, and returns a report that
 * accounts for every URL exactly once. It submits through an API value: `cdn()` (API 3.0
 * `PushUrlsCache`, the default), `cdnV2()` from `@qcdn/prewarm/v2` (API 2.0
 * `CdnOverseaPushser`), `edgeOne()` from `@qcdn/prewarm/edgeone`, or any `TencentApi`. Every
 * call of one account shares its request rate and daily budget through a coordinator. The
 * signing steps are in `@qcdn/prewarm/sign`.
 *
 * @example
 * ```ts
 * import { prewarm, waitForTasks } from "@qcdn/prewarm";
 *
 * // Credentials from TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY.
 * const report = await prewarm([
 *   "https://www.example.com/app.js",
 *   "https://www.example.com/app.css",
 * ]);
 * for (const task of report.tasks) console.log(task.taskId, task.urls.length);
 * for (const f of report.failed) console.error(f.error.message, f.maybeSubmitted);
 *
 * // A prefetch takes minutes: wait for a final status of every URL (at most 30 minutes).
 * const done = await waitForTasks(report);
 * console.log(done.counts); // { done: 2, failed: 0, invalid: 0, pending: 0, unknown: 0 }
 * ```
 *
 * @module
 */
export { prewarm } from "./src/engine/prewarm.ts";
export type { PrewarmOptions } from "./src/engine/options.ts";
export type { CallOptions } from "./src/transport/call_options.ts";
export { cdn, type CdnApi, type CdnOptions } from "./src/apis/cdn.ts";
export type { PushParameters } from "./src/apis/push_parameters.ts";
export type { TencentApi, UrlStatus } from "./src/api.ts";
export type {
  ApiName,
  Area,
  FailedBatch,
  PrewarmCounts,
  PrewarmProgress,
  PrewarmReport,
  PrewarmTask,
  RejectedUrl,
  RejectReason,
} from "./src/rules/report.ts";
export { credentialsFromEnv, endpointFromEnv } from "./src/transport/credentials.ts";
export type { Credentials } from "./src/transport/credentials.ts";
export {
  type ErrorCategory,
  TencentCloudError,
  type TencentCloudErrorInit,
  type TencentCloudErrorJSON,
} from "./src/rules/errors.ts";
export { errorAdvice } from "./src/rules/advice.ts";
export {
  describePushQuota,
  describePushTasks,
  type DescribePushTasksOptions,
  type PushLog,
  type PushQuota,
  type PushQuotaResult,
  type PushTasksQuery,
  type PushTasksResult,
} from "./src/apis/cdn_reads.ts";
export {
  type BudgetHold,
  type BudgetHoldRequest,
  type BudgetUsage,
  type Coordinator,
  type GateOutcome,
  MemoryCoordinator,
  type MemoryCoordinatorOptions,
} from "./src/coordinator/memory.ts";
export type { FetchLike } from "./src/transport/send.ts";
export {
  type UrlResult,
  waitForTasks,
  type WaitOptions,
  type WaitResult,
} from "./src/engine/wait.ts";
export { recoverLostTasks } from "./src/engine/recover.ts";
