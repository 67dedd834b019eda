/**
 * API 3.0 `PushUrlsCache`: one task for the whole batch, in one area (`mainland` when `Area`
 * is omitted, as on the real server; `global` spends both areas' quota).
 *
 * @module
 */

import { type ApiAnswer, unknownParameter, v3Failure, v3Success } from "./answers.ts";
import type { ApiContext } from "./context.ts";
import type { PushArea } from "./push_tasks.ts";
import { judgePushUrl } from "./push_url.ts";
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
const MAX_PUSH_HEADERS = 20;

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
    return paramError("Urls must be a non-empty array of strings");
  }
  const limit = context.options.v3BatchLimit;
  if (urls.length > limit) {
    return v3Failure(
      "LimitExceeded.CdnPushExceedBatchLimit",
      `Too many URLs in one request: ${urls.length} (at most ${limit})`,
    );
  }
  if (!AREAS.includes(area as PushArea)) {
    return paramError(`Area must be one of ${AREAS.join(", ")}; got ${JSON.stringify(area)}`);
  }
  const optionProblem = optionalParameterProblem(input);
  if (optionProblem !== undefined) return paramError(optionProblem);

  const urlsByHost = new Map<string, string[]>();
  for (const url of urls as string[]) {
    const verdict = judgePushUrl(url, context.domains);
    if (!verdict.ok) {
      switch (verdict.problem) {
        case "malformed":
          return paramError(verdict.detail);
        case "wildcard":
          return v3Failure("InvalidParameter.CdnPushWildcardNotAllowed", verdict.detail);
        case "unknown-domain":
          return v3Failure("ResourceNotFound.CdnHostNotExists", verdict.detail);
        case "offline-domain":
          return v3Failure("ResourceUnavailable.CdnHostIsNotOnline", verdict.detail);
      }
    }
    const hostUrls = urlsByHost.get(verdict.hostname) ?? [];
    hostUrls.push(url);
    urlsByHost.set(verdict.hostname, hostUrls);
  }

  const pushArea = area as PushArea;
  const quotaAreas: QuotaArea[] = pushArea === "global" ? ["mainland", "overseas"] : [pushArea];
  if (!context.quota.trySpend(quotaAreas, urls.length, now)) {
    const left = quotaAreas.map((name) => `${name} ${context.quota.available(name, now)}`);
    return v3Failure(
      "LimitExceeded.CdnPushExceedDayLimit",
      `Daily prefetch quota exceeded: ${urls.length} URLs submitted, left today: ${
        left.join(", ")
      }`,
    );
  }

  const taskId = context.tasks.newV3TaskId(now);
  for (const [host, hostUrls] of urlsByHost) {
    context.tasks.add({ api: "v3", taskId, area: pushArea, host, urls: hostUrls, at: now });
  }
  return v3Success({ TaskId: taskId });
}

function optionalParameterProblem(input: Record<string, unknown>): string | undefined {
  for (const name of ["UserAgent", "Layer"]) {
    if (input[name] !== undefined && typeof input[name] !== "string") {
      return `${name} must be a string`;
    }
  }
  for (const name of ["ParseM3U8", "DisableRange", "UrlEncode"]) {
    if (input[name] !== undefined && typeof input[name] !== "boolean") {
      return `${name} must be a boolean`;
    }
  }
  const headers = input.Headers;
  if (headers === undefined) return undefined;
  const wellFormed = Array.isArray(headers) && headers.length <= MAX_PUSH_HEADERS &&
    headers.every((header) =>
      typeof header === "object" && header !== null &&
      typeof (header as Record<string, unknown>).Name === "string" &&
      typeof (header as Record<string, unknown>).Value === "string"
    );
  return wellFormed
    ? undefined
    : `Headers must be at most ${MAX_PUSH_HEADERS} objects {Name, Value} of strings`;
}

function paramError(message: string): ApiAnswer {
  return v3Failure("InvalidParameter.CdnParamError", message);
}
