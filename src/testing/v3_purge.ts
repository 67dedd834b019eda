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
import { firstNonAsciiUrl } from "./push_params.ts";
import { judgePushUrl } from "./push_url.ts";
import type { QuotaArea } from "./quota.ts";
import { isQueryProblem, parseTaskQuery } from "./task_query.ts";

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
  const urlsByHost = new Map<string, string[]>();
  for (const url of urls as string[]) {
    const verdict = judgePushUrl(url, context.domains);
    if (!verdict.ok) {
      switch (verdict.problem) {
        case "malformed":
          return cdnParamError(verdict.detail);
        case "wildcard":
          return v3Failure("InvalidParameter.CdnPurgeWildcardNotAllowed", verdict.detail);
        case "unknown-domain":
          return v3Failure("ResourceNotFound.CdnHostNotExists", verdict.detail);
        case "offline-domain":
          return v3Failure("ResourceUnavailable.CdnHostIsNotOnline", verdict.detail);
      }
    }
    urlsByHost.set(verdict.hostname, [...urlsByHost.get(verdict.hostname) ?? [], url]);
  }
  const nonAscii = urlEncode === true ? undefined : firstNonAsciiUrl(urls as string[]);
  if (nonAscii !== undefined) {
    return cdnParamError(
      `URL holds non-ASCII characters; send UrlEncode: true for it: ${nonAscii}`,
    );
  }
  const areas = area === undefined ? AREAS : [area as QuotaArea];
  if (!context.purgeQuota.trySpend(areas, urls.length, now)) {
    const left = areas.map((name) => `${name} ${context.purgeQuota.available(name, now)}`);
    return v3Failure(
      "LimitExceeded.CdnPurgeUrlExceedDayLimit",
      `Daily URL purge quota exceeded: ${urls.length} URLs submitted, left today: ${
        left.join(", ")
      }`,
    );
  }
  const taskId = context.purges.newTaskId(now);
  for (const [host, hostUrls] of urlsByHost) {
    context.purges.add({
      taskId,
      host,
      urls: hostUrls,
      at: now,
      ...(area === undefined ? {} : { area: area as QuotaArea }),
      ...(urlEncode === undefined ? {} : { urlEncode: urlEncode as boolean }),
    });
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
  return v3Success({
    PurgeLogs: logs.slice(query.offset, query.offset + query.limit),
    TotalCount: logs.length,
  });
}

/** Answers `DescribePurgeQuota`: per area, the URL purge batch size, daily total and what is left. */
export function describePurgeQuota(
  context: ApiContext,
  input: Record<string, unknown>,
  now: number,
): ApiAnswer {
  const unknown = unknownParameter(input, new Set());
  if (unknown) return unknown;
  const { purgeQuota, options } = context;
  return v3Success({
    UrlPurge: AREAS.map((area) => ({
      Area: area,
      Batch: options.purgeBatchLimit,
      Total: purgeQuota.limit,
      Available: purgeQuota.available(area, now),
    })),
    PathPurge: AREAS.map((area) => ({
      Area: area,
      Batch: PATH_PURGE_BATCH,
      Total: PATH_PURGE_TOTAL,
      Available: PATH_PURGE_TOTAL,
    })),
  });
}
