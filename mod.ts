/**
 * Submit Tencent Cloud CDN overseas URL prefetch ("prewarm") tasks from any runtime with
 * `fetch`: Deno, Cloudflare Workers, Bun and Node.
 *
 * `prewarm()` checks the URLs, drops duplicates, groups them by host into batches, keeps to
 * the daily budget, retries only what certainly spent no quota, and returns a report that
 * accounts for every URL exactly once. It speaks API 3.0 (`PushUrlsCache`, the default) and
 * API 2.0 (`CdnOverseaPushser`). The signing steps are exported for inspection.
 *
 * @example
 * ```ts
 * import { credentialsFromEnv, prewarm } from "@qcdn/prewarm";
 *
 * const report = await prewarm(
 *   ["https://www.example.com/app.js", "https://www.example.com/app.css"],
 *   { credentials: credentialsFromEnv()! },
 * );
 * for (const task of report.tasks) console.log(task.taskId, task.urls.length);
 * for (const f of report.failed) console.error(f.error.message, f.maybeSubmitted);
 * ```
 *
 * @module
 */
export { prewarm } from "./src/prewarm.ts";
export type { CallOptions, PrewarmOptions } from "./src/options.ts";
export { DEFAULT_DAILY_LIMIT, V2_MAX_BATCH, V3_DEFAULT_BATCH } from "./src/options.ts";
export type {
  Api,
  Area,
  FailedBatch,
  PrewarmCounts,
  PrewarmProgress,
  PrewarmReport,
  PrewarmTask,
  RejectedUrl,
  RejectReason,
} from "./src/report.ts";
export { CREDENTIAL_ENV_VARS, credentialsFromEnv } from "./src/credentials.ts";
export type { Credentials } from "./src/credentials.ts";
export { type ErrorCategory, TencentCloudError, type TencentCloudErrorInit } from "./src/errors.ts";
export {
  describePushQuota,
  describePushTasks,
  type DescribePushTasksOptions,
  type PushLog,
  type PushQuota,
  type PushQuotaResult,
  type PushTasksQuery,
  type PushTasksResult,
} from "./src/describe.ts";
export {
  beijingDay,
  defaultQuotaStore,
  MemoryQuotaStore,
  msUntilBeijingMidnight,
  type QuotaStore,
} from "./src/quota.ts";
export { checkUrl, MAX_URL_LENGTH, planBatches } from "./src/urls.ts";
export type { Batch, CheckedUrl, UrlProblem } from "./src/urls.ts";
export {
  signV2,
  type V2HttpMethod,
  type V2SignatureMethod,
  v2SourceString,
} from "./src/sign_v2.ts";
export {
  sha256Hex,
  tc3Authorization,
  type Tc3CanonicalInput,
  tc3CanonicalRequest,
  tc3Date,
  tc3Signature,
  tc3StringToSign,
} from "./src/sign_tc3.ts";
export {
  buildV2PushRequest,
  V2_ENDPOINT,
  V2_PUSH_ACTION,
  type V2PushRequestInput,
} from "./src/request_v2.ts";
export {
  buildV3Request,
  V3_CONTENT_TYPE,
  V3_ENDPOINT,
  V3_VERSION,
  type V3RequestInput,
} from "./src/request_v3.ts";
export type { SignedRequest } from "./src/signed_request.ts";
export type { FetchLike } from "./src/transport.ts";
