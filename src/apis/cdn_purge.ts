/**
 * `cdnPurge()`: CDN URL purge (`PurgeUrlsCache`) as a value of the one seam, the first step of
 * `purgeThenPrewarm()`. A node holding an unexpired copy does not reload it, so an unversioned
 * file is purged before it is prefetched. The purge has its own daily quota and per-request
 * limit (`DescribePurgeQuota`) and its own task status (`DescribePurgeTasks`).
 * @module
 */
import type { TaskLine, TaskSearch, TencentApi } from "../api.ts";
import { pushLogOf, readQuotaAnswer } from "./cdn_reads.ts";
import { readAllPages } from "../transport/v3.ts";
import { oneOf, optionalBoolean } from "../rules/option_checks.ts";
import type { ErrorRows } from "../rules/outcome.ts";
import { budgetKeys, quotaAreas } from "../rules/budget_day.ts";
import { type Area, AREAS } from "../rules/report.ts";
import { V3_ENDPOINT, v3TaskCall } from "../transport/v3.ts";
import { withUrlEncode } from "./push_parameters.ts";
import type { CallContext } from "../transport/send.ts";
import { hostSearch, pushTaskLine } from "./cdn.ts";

/** Options of {@linkcode cdnPurge}. */
export interface CdnPurgeOptions {
  /** Where to purge; `global` (sent as no `Area`) purges the domain's acceleration areas.
   * @default {"overseas"} */
  area?: Area;
  /** `UrlEncode`: let Tencent encode non-ASCII characters. @default {true} for a batch holding
   * a URL with non-ASCII characters, else unset */
  urlEncode?: boolean;
}

/** URLs per `PurgeUrlsCache` request when the quota read does not say. */
const PURGE_BATCH_SIZE = 1000;
/** URLs purged per account, area and day when the options do not say. */
const PURGE_DAILY_LIMIT = 10_000;

/**
 * Purge's own error rows: too many URLs in one purge halves the batch; a purge that failed or
 * did not finish before a prefetch (`purgeThenPrewarm()`'s `PurgeFailed`, `PurgeTimeout`) is
 * done again.
 */
export const PURGE_ERRORS: ErrorRows = {
  categories: {
    "LimitExceeded.CdnPurgeExceedBatchLimit": "batch-limit",
    "LimitExceeded.CdnPurgeUrlExceedBatchLimit": "batch-limit",
  },
  advice: {
    PurgeFailed: "Purge and prefetch these again ({purgeThenPrewarm}).",
    PurgeTimeout: "Purge and prefetch these again ({purgeThenPrewarm}).",
  },
};

/**
 * One `PurgeLogs` entry in the terms of `waitForTasks()`: read as a push log's line, but a purge
 * is `done`, `fail` or in process (anything else is pending) and has no `Percent`.
 */
function purgeTaskLine(entry: unknown): TaskLine {
  const line = pushTaskLine(pushLogOf(entry));
  const final = line.status === "done" || line.status === "failed";
  return { ...line, status: final ? line.status : "pending", percent: final ? 100 : 0 };
}

/**
 * CDN URL purge (`PurgeUrlsCache`) in one area, for `purgeThenPrewarm()` (or
 * `prewarm(urls, { api: cdnPurge() })` to purge alone). Its budget is counted apart from
 * prefetches (`purge:<area>:<day>`, 10 000 a day by default), in batches of up to 1000 URLs.
 *
 * @throws {TypeError} for an unknown area or a `urlEncode` that is not a boolean.
 */
export function cdnPurge(options: CdnPurgeOptions = {}): TencentApi {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Invalid options: expected an object, got ${String(options)}`);
  }
  const area = oneOf("area", options.area, AREAS, "overseas");
  const urlEncode = optionalBoolean("urlEncode", options.urlEncode);
  const areas = quotaAreas(area);
  const readTasks = async (context: CallContext, payload: Record<string, unknown>) =>
    (await readAllPages(context, "DescribePurgeTasks", "PurgeLogs", payload)).entries.map(
      purgeTaskLine,
    );
  return Object.freeze({
    name: "purge",
    title: `CDN API 3.0 PurgeUrlsCache, area ${area}`,
    quotaName: `the ${areas.join(" and ")} purge quota`,
    report: Object.freeze({ area }),
    endpoint: V3_ENDPOINT,
    action: "PurgeUrlsCache",
    errors: PURGE_ERRORS,
    batchSize: { default: PURGE_BATCH_SIZE, max: 10_000 },
    dailyLimit: PURGE_DAILY_LIMIT,
    reads: ["purge"],
    budgetKeys: (now: number) => budgetKeys(area, now, "purge"),
    // Without Area Tencent purges the domain's acceleration areas: what "global" means here.
    submit: (urls: readonly string[], context: CallContext) =>
      v3TaskCall(
        context,
        "PurgeUrlsCache",
        withUrlEncode({
          Urls: urls,
          ...(area !== "global" && { Area: area }),
          ...(urlEncode !== undefined && { UrlEncode: urlEncode }),
        }, urls),
        PURGE_ERRORS,
      ),
    quotaAction: "DescribePurgeQuota",
    readQuota: (context: CallContext) =>
      readQuotaAnswer(context, "DescribePurgeQuota", "UrlPurge", "purge"),
    tasksAction: "DescribePurgeTasks",
    readTask: (context: CallContext, taskId: string) => readTasks(context, { TaskId: taskId }),
    findTasks: (context: CallContext, search: TaskSearch) =>
      readTasks(context, { ...hostSearch(search), PurgeType: "url" }),
  });
}
