/**
 * EdgeOne (`teo`, version `2022-09-01`) content actions: `CreatePrefetchTask` (one `JobId`
 * for the request), `DescribePrefetchTasks` (time window or `job-id`, `Filters`, paging) and
 * `DescribeContentQuota` (per zone). Targets must belong to the named zone (or, with
 * `ZoneId: "*"`, to any zone of the account).
 *
 * @module
 */

import { type ApiAnswer, unknownParameter, v3Failure, v3Success } from "./answers.ts";
import type { ApiContext } from "./context.ts";
import { readHeaders } from "./push_params.ts";
import { judgePushUrl } from "./push_url.ts";
import { pageOf, readPage } from "./task_query.ts";
import type { CreatePrefetchTaskParameters, TeoTaskFilter, TeoZone } from "./teo_jobs.ts";

const CREATE_PARAMETERS: ReadonlySet<string> = new Set([
  "ZoneId",
  "Targets",
  "Mode",
  "EncodeUrl",
  "Headers",
  "PrefetchMediaSegments",
]);
const DESCRIBE_PARAMETERS: ReadonlySet<string> = new Set([
  "ZoneId",
  "StartTime",
  "EndTime",
  "Offset",
  "Limit",
  "Filters",
]);
const QUOTA_PARAMETERS: ReadonlySet<string> = new Set(["ZoneId"]);
const FILTER_NAMES = ["job-id", "target", "domains", "statuses"] as const;
const SINGLE_VALUE_FILTERS: ReadonlySet<string> = new Set(["job-id", "target"]);
const MAX_FILTER_VALUES = 20;
const STATUSES = ["processing", "success", "failed", "timeout", "canceled", "invalid"];
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Answers `CreatePrefetchTask`. */
export function createPrefetchTask(
  context: ApiContext,
  input: Record<string, unknown>,
  now: number,
): ApiAnswer {
  const unknown = unknownParameter(input, CREATE_PARAMETERS);
  if (unknown) return unknown;
  const zoneId = readZoneId(input);
  if (typeof zoneId !== "string") return zoneId;
  const zones = zoneId === "*" ? [...context.teo.zones.values()] : [context.teo.zones.get(zoneId)];
  if (zones[0] === undefined) return zoneNotFound(zoneId);
  const targets = input.Targets;
  if (targets === undefined) return missing("Targets");
  if (
    !Array.isArray(targets) || targets.length === 0 || targets.some((t) => typeof t !== "string")
  ) {
    return parameterError("Targets must be a non-empty array of strings");
  }
  const parameters = readPrefetchParameters(input);
  if (typeof parameters === "string") return parameterError(parameters);

  const targetsByZone = new Map<TeoZone, string[]>();
  for (const target of targets as string[]) {
    const zone = zoneOf(target, zones as TeoZone[]);
    if (typeof zone === "string") return zone === "target" ? badTarget(target) : notInZone(target);
    targetsByZone.set(zone, [...targetsByZone.get(zone) ?? [], target]);
  }
  for (const [zone, zoneTargets] of targetsByZone) {
    const batch = zone.options.prefetchBatchLimit;
    if (zoneTargets.length > batch) {
      return v3Failure(
        "LimitExceeded.BatchQuota",
        `Too many targets for zone ${zone.options.zoneId}: ${zoneTargets.length} (at most ${batch})`,
      );
    }
  }
  // All zones must have room before any is spent: the request is accepted or refused whole.
  for (const [zone, zoneTargets] of targetsByZone) {
    const left = zone.quota.available("prefetch_url", now);
    if (left < zoneTargets.length) {
      return v3Failure(
        "LimitExceeded.DailyQuota",
        `Daily prefetch quota of zone ${zone.options.zoneId} exceeded: ${zoneTargets.length} ` +
          `targets submitted, ${left} left today`,
      );
    }
  }
  const jobId = context.teo.newJobId();
  for (const [zone, zoneTargets] of targetsByZone) {
    zone.quota.trySpend(["prefetch_url"], zoneTargets.length, now);
    context.teo.add({
      jobId,
      zoneId: zone.options.zoneId,
      requestedZoneId: zoneId,
      targets: zoneTargets,
      at: now,
      parameters,
    });
  }
  return v3Success({ JobId: jobId, FailedList: [] });
}

/** Answers `DescribePrefetchTasks`. */
export function describePrefetchTasks(
  context: ApiContext,
  input: Record<string, unknown>,
  now: number,
): ApiAnswer {
  const unknown = unknownParameter(input, DESCRIBE_PARAMETERS);
  if (unknown) return unknown;
  const zoneId = readZoneId(input);
  if (typeof zoneId !== "string") return zoneId;
  if (!context.teo.zones.has(zoneId)) return zoneNotFound(zoneId);
  const filter = readFilters(zoneId, input.Filters);
  if (typeof filter === "string") return parameterError(filter);
  const { StartTime: start, EndTime: end } = input;
  for (const [name, value] of [["StartTime", start], ["EndTime", end]] as const) {
    if (value === undefined) continue;
    if (typeof value !== "string" || !ISO_8601.test(value) || Number.isNaN(Date.parse(value))) {
      return parameterError(`${name} must be an ISO 8601 time; got ${JSON.stringify(value)}`);
    }
  }
  if (start !== undefined) filter.from = Date.parse(start as string);
  if (end !== undefined) filter.until = Date.parse(end as string);
  if (filter.jobId === undefined && (filter.from === undefined || filter.until === undefined)) {
    return parameterError("Give StartTime and EndTime, or a job-id filter");
  }
  if (filter.from !== undefined && filter.until !== undefined && filter.until < filter.from) {
    return parameterError("EndTime is before StartTime");
  }
  const page = readPage(input);
  if (typeof page === "string") return parameterError(page);
  const tasks = context.teo.tasks(filter, now);
  return v3Success({ TotalCount: tasks.length, Tasks: pageOf(tasks, page) });
}

/** Answers `DescribeContentQuota` for one zone. EdgeOne purges are not simulated. */
export function describeContentQuota(
  context: ApiContext,
  input: Record<string, unknown>,
  now: number,
): ApiAnswer {
  const unknown = unknownParameter(input, QUOTA_PARAMETERS);
  if (unknown) return unknown;
  const zoneId = readZoneId(input);
  if (typeof zoneId !== "string") return zoneId;
  const zone = context.teo.zones.get(zoneId);
  if (zone === undefined) return zoneNotFound(zoneId);
  return v3Success({
    // Documented as possibly null; the simulator serves no EdgeOne purge to count.
    PurgeQuota: null,
    PrefetchQuota: [{
      Type: "prefetch_url",
      Batch: zone.options.prefetchBatchLimit,
      Daily: zone.quota.limit,
      DailyAvailable: zone.quota.available("prefetch_url", now),
    }],
  });
}

function readPrefetchParameters(
  input: Record<string, unknown>,
): CreatePrefetchTaskParameters | string {
  const parameters: CreatePrefetchTaskParameters = {};
  const { Mode, EncodeUrl, Headers, PrefetchMediaSegments } = input;
  if (Mode !== undefined) {
    if (Mode !== "default" && Mode !== "edge") {
      return `Mode must be default or edge; got ${JSON.stringify(Mode)}`;
    }
    parameters.Mode = Mode;
  }
  if (EncodeUrl !== undefined) {
    if (typeof EncodeUrl !== "boolean") return "EncodeUrl must be a boolean";
    parameters.EncodeUrl = EncodeUrl;
  }
  if (PrefetchMediaSegments !== undefined) {
    if (PrefetchMediaSegments !== "on" && PrefetchMediaSegments !== "off") {
      return `PrefetchMediaSegments must be on or off; got ${
        JSON.stringify(PrefetchMediaSegments)
      }`;
    }
    parameters.PrefetchMediaSegments = PrefetchMediaSegments;
  }
  if (Headers !== undefined) {
    const headers = readHeaders(Headers);
    if (typeof headers === "string") return headers;
    parameters.Headers = headers;
  }
  return parameters;
}

/** The zone serving the target, or `"target"` (malformed) / `"domain"` (in no given zone). */
function zoneOf(target: string, zones: readonly TeoZone[]): TeoZone | "target" | "domain" {
  for (const zone of zones) {
    const verdict = judgePushUrl(target, zone.domains);
    if (verdict.ok) return zone;
    if (verdict.problem === "malformed" || verdict.problem === "wildcard") return "target";
  }
  return "domain";
}

function readFilters(zoneId: string, value: unknown): TeoTaskFilter | string {
  const filter: TeoTaskFilter = { zoneId };
  if (value === undefined) return filter;
  if (!Array.isArray(value)) return "Filters must be an array";
  for (const [index, entry] of value.entries()) {
    const where = `Filters.${index}`;
    if (typeof entry !== "object" || entry === null) return `${where} must be an object`;
    const { Name: name, Values: values, Fuzzy: fuzzy } = entry as Record<string, unknown>;
    if (!FILTER_NAMES.includes(name as typeof FILTER_NAMES[number])) {
      return `${where}.Name must be one of ${FILTER_NAMES.join(", ")}; got ${JSON.stringify(name)}`;
    }
    if (
      !Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== "string")
    ) {
      return `${where}.Values must be a non-empty array of strings`;
    }
    if (values.length > MAX_FILTER_VALUES) {
      return `${where}.Values may hold at most ${MAX_FILTER_VALUES} values`;
    }
    if (SINGLE_VALUE_FILTERS.has(name as string) && values.length > 1) {
      return `${where}: ${name} takes one value`;
    }
    if (fuzzy !== undefined && fuzzy !== false) return `${where}: fuzzy queries are not supported`;
    const strings = values as string[];
    switch (name as typeof FILTER_NAMES[number]) {
      case "job-id":
        filter.jobId = strings[0];
        break;
      case "target":
        filter.target = strings[0];
        break;
      case "domains":
        filter.domains = strings.map((domain) => domain.toLowerCase());
        break;
      case "statuses": {
        const unknownStatus = strings.find((status) => !STATUSES.includes(status));
        if (unknownStatus !== undefined) {
          return `${where}: unknown status ${JSON.stringify(unknownStatus)}`;
        }
        filter.statuses = strings;
      }
    }
  }
  return filter;
}

/** `ZoneId`, required by every EdgeOne action here, or the answer refusing its absence. */
function readZoneId(input: Record<string, unknown>): string | ApiAnswer {
  const zoneId = input.ZoneId;
  if (zoneId === undefined) return missing("ZoneId");
  return typeof zoneId === "string" ? zoneId : parameterError("ZoneId must be a string");
}

function parameterError(message: string): ApiAnswer {
  return v3Failure("InvalidParameter.ParameterError", message);
}

function missing(name: string): ApiAnswer {
  return v3Failure("MissingParameter", `The parameter ${name} is required`);
}

function zoneNotFound(zoneId: string): ApiAnswer {
  return v3Failure("InvalidParameter.ZoneNotFound", `Zone ${zoneId} does not exist`);
}

function badTarget(target: string): ApiAnswer {
  return v3Failure("InvalidParameter.Target", `Target is not an http(s) URL: ${target}`);
}

function notInZone(target: string): ApiAnswer {
  return v3Failure(
    "InvalidParameter.DomainNotFound",
    `The domain of ${target} is not in the zone, or not in this account`,
  );
}
