/**
 * API 3.0 `PurgeUrlsCache`, `DescribePurgeTasks` and `DescribePurgeQuota`: URL purges with
 * their own per-request limit, daily quota (per area, Beijing day) and task lifecycle.
 * Directory purges (`PurgePathCache`) are not simulated: `PathPurge` reports the documented
 * defaults, never spent, and `PurgeType: "path"` finds nothing.
 *
 * @module
 */

import {
  type ApiAnswer,
  cdnParamError,
  unknownParameter,
  v3Failure,
  v3Success,
} from "./answers.ts";
import type { ApiContext } from "./context.ts";
import type { PurgeLogArea, PurgeStatus } from "./purge_tasks.ts";
import { groupCdnUrls, spendDaily } from "./cdn_urls.ts";
import { areaQuotas, type QuotaArea } from "./quota.ts";
import { isQueryProblem, pageOf, parseTaskQuery } from "./task_query.ts";

const PURGE_PARAMETERS: ReadonlySet<string> = new Set(["Urls", "Area", "UrlEncode"]);
const TASK_PARAMETERS: ReadonlySet<string> = new Set([
  "PurgeType",
  "StartTime",
  "EndTime",
  "TaskId",
  "Offset",
  "Limit",
  "Keyword",
  "Status",
  "Area",
]);
const AREAS: readonly QuotaArea[] = ["mainland", "overseas"];
const PURGE_STATUSES: readonly PurgeStatus[] = ["fail", "done", "process"];
const LOG_AREAS: readonly PurgeLogArea[] = ["mainland", "overseas", "global"];
// Tencent's documented directory-purge defaults (100 a day, 20 a request); not simulated.
const PATH_PURGE_BATCH = 20;
const PATH_PURGE_TOTAL = 100;

/** Answers `PurgeUrlsCache`: one task id for the batch, recorded per hostname. */
export function purgeUrlsCache(
  context: ApiContext,
  input: Record<string, unknown>,
  now: number,
): ApiAnswer {
  const unknown = unknownParameter(input, PURGE_PARAMETERS);
  if (unknown) return unknown;
  const { Urls: urls, Area: area, UrlEncode: urlEncode } = input;
  if (!Array.isArray(urls) || urls.length === 0 || urls.some((url) => typeof url !== "string")) {
    return cdnParamError("Urls must be a non-empty array of strings");
  }
  const limit = context.options.purgeBatchLimit;
  if (urls.length > limit) {
    return v3Failure(
      "LimitExceeded.CdnPurgeUrlExceedBatchLimit",
      `Too many URLs in one purge: ${urls.length} (at most ${limit})`,
    );
  }
  if (area !== undefined && !AREAS.includes(area as QuotaArea)) {
    return cdnParamError(`Area must be mainland or overseas; got ${JSON.stringify(area)}`);
  }
  if (urlEncode !== undefined && typeof urlEncode !== "boolean") {
    return cdnParamError(`UrlEncode must be a boolean; got ${JSON.stringify(urlEncode)}`);
  }
  const groups = groupCdnUrls(
    urls as string[],
    context.domains,
    urlEncode as boolean | undefined,
    context.options.unencodedNonAscii,
    "InvalidParameter.CdnPurgeWildcardNotAllowed",
  );
  if (!("byHost" in groups)) return groups;
  const refused = spendDaily(
    context.purgeQuota,
    area === undefined ? AREAS : [area as QuotaArea],
    urls.length,
    now,
    "LimitExceeded.CdnPurgeUrlExceedDayLimit",
    "URL purge",
  );
  if (refused) return refused;
  const taskId = context.purges.newTaskId(now);
  for (const [host, hostUrls] of groups.byHost) {
    context.purges.add({
      taskId,
      host,
      urls: hostUrls,
      at: now,
      ...(area === undefined ? {} : { area: area as QuotaArea }),
      ...(urlEncode === undefined ? {} : { urlEncode: urlEncode as boolean }),
    }, groups.failing);
  }
  return v3Success({ TaskId: taskId });
}

/** Answers `DescribePurgeTasks`, with the query of `DescribePushTasks` plus `PurgeType`. */
export function describePurgeTasks(
  context: ApiContext,
  input: Record<string, unknown>,
  now: number,
): ApiAnswer {
  const unknown = unknownParameter(input, TASK_PARAMETERS);
  if (unknown) return unknown;
  const { PurgeType: purgeType } = input;
  if (purgeType !== undefined && purgeType !== "url" && purgeType !== "path") {
    return cdnParamError(`PurgeType must be url or path; got ${JSON.stringify(purgeType)}`);
  }
  const query = parseTaskQuery(input, { statuses: PURGE_STATUSES, areas: LOG_AREAS });
  if (isQueryProblem(query)) return v3Failure(query.code, query.message);
  const logs = purgeType === "path" ? [] : context.purges.logs(query, now);
  return v3Success({ PurgeLogs: pageOf(logs, query), TotalCount: logs.length });
}

/** Answers `DescribePurgeQuota`: per area, the URL purge batch size, daily total and what is left. */
export function describePurgeQuota(
  context: ApiContext,
  input: Record<string, unknown>,
  now: number,
): ApiAnswer {
  const unknown = unknownParameter(input, new Set());
  if (unknown) return unknown;
  return v3Success({
    UrlPurge: areaQuotas(context.purgeQuota, context.options.purgeBatchLimit, now),
    PathPurge: AREAS.map((area) => ({
      Area: area,
      Batch: PATH_PURGE_BATCH,
      Total: PATH_PURGE_TOTAL,
      Available: PATH_PURGE_TOTAL,
    })),
  });
}
