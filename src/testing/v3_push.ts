/**
 * API 3.0 `PushUrlsCache`: one task for the whole batch, in one area (`mainland` when `Area`
 * is omitted, as on the real server; `global` spends both areas' quota). The optional
 * parameters are checked (see `push_params.ts`) and recorded on the task; with `ParseM3U8`
 * the playlists' segments spend what quota is left, and are skipped silently beyond it.
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
import { groupCdnUrls, spendDaily } from "./cdn_urls.ts";
import { readPushParameters } from "./push_params.ts";
import type { PrefetchedSegments, PushArea } from "./push_tasks.ts";
import type { QuotaArea } from "./quota.ts";

const PARAMETERS = new Set([
  "Urls",
  "Area",
  "UserAgent",
  "Layer",
  "ParseM3U8",
  "DisableRange",
  "Headers",
  "UrlEncode",
]);
const AREAS: readonly PushArea[] = ["mainland", "overseas", "global"];

/** Answers `PushUrlsCache` with the JSON body `input` at simulated time `now`. */
export function pushUrlsCache(
  context: ApiContext,
  input: Record<string, unknown>,
  now: number,
): ApiAnswer {
  const unknown = unknownParameter(input, PARAMETERS);
  if (unknown) return unknown;
  const { Urls: urls, Area: area = "mainland" } = input;
  if (!Array.isArray(urls) || urls.length === 0 || urls.some((url) => typeof url !== "string")) {
    return cdnParamError("Urls must be a non-empty array of strings");
  }
  const limit = context.options.v3BatchLimit;
  if (urls.length > limit) {
    return v3Failure(
      "LimitExceeded.CdnPushExceedBatchLimit",
      `Too many URLs in one request: ${urls.length} (at most ${limit})`,
    );
  }
  if (!AREAS.includes(area as PushArea)) {
    return cdnParamError(`Area must be one of ${AREAS.join(", ")}; got ${JSON.stringify(area)}`);
  }
  const parameters = readPushParameters(input);
  if (typeof parameters === "string") return cdnParamError(parameters);

  const groups = groupCdnUrls(
    urls as string[],
    context.domains,
    parameters.UrlEncode,
    context.options.unencodedNonAscii,
    "InvalidParameter.CdnPushWildcardNotAllowed",
  );
  if (!("byHost" in groups)) return groups;

  const pushArea = area as PushArea;
  const quotaAreas: QuotaArea[] = pushArea === "global" ? ["mainland", "overseas"] : [pushArea];
  const refused = spendDaily(
    context.quota,
    quotaAreas,
    urls.length,
    now,
    "LimitExceeded.CdnPushExceedDayLimit",
    "prefetch",
  );
  if (refused) return refused;

  const taskId = context.tasks.newV3TaskId(now);
  for (const [host, hostUrls] of groups.byHost) {
    context.tasks.add({
      api: "v3",
      taskId,
      area: pushArea,
      host,
      urls: hostUrls,
      at: now,
      parameters,
      ...(parameters.ParseM3U8
        ? { segments: spendOnSegments(context, hostUrls, quotaAreas, now) }
        : {}),
    }, groups.failing);
  }
  return v3Success({ TaskId: taskId });
}

// Segments come after the request's own URLs, which were paid for in full; they take what is
// left, in request order, and the rest are skipped without an error.
function spendOnSegments(
  context: ApiContext,
  urls: readonly string[],
  areas: readonly QuotaArea[],
  now: number,
): PrefetchedSegments {
  const segments: PrefetchedSegments = { prefetched: 0, skipped: 0 };
  for (const url of urls) {
    const count = context.options.playlistSegments.get(url) ?? 0;
    const spent = context.quota.spendUpTo(areas, count, now);
    segments.prefetched += spent;
    segments.skipped += count - spent;
  }
  return segments;
}
