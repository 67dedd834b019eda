/**
 * EdgeOne reads: `DescribePrefetchTasks` (the status of each target of a job) and
 * `DescribeContentQuota` (a zone's per-request and daily prefetch limits). Reads are
 * idempotent: they go through the account's gate and retry ambiguous failures.
 * @module
 */
import type { TaskLine, UrlStatus } from "../api.ts";
import { count, list, readAllPages, readV3, requestIdOf, text } from "../transport/v3.ts";
import { type CallOptions, resolveCallOptions } from "../transport/call_options.ts";
import type { CallContext } from "../transport/send.ts";
import { checkZoneId, TEO_ENDPOINT, TEO_SERVICE } from "./edgeone_zone.ts";
import { pageFields } from "./cdn_reads.ts";
import { epochMs } from "../rules/option_checks.ts";

/** Call options of the EdgeOne reads: the zone they are about, and how to call. */
export interface EdgeOneCallOptions extends CallOptions {
  /** The zone (site), e.g. `"zone-2o0i2m9sk3li"`. */
  zoneId: string;
}

/** EdgeOne's status of a target, as it writes it: `processing`, `success`, `failed`,
 * `timeout`, `canceled` or `invalid` (the origin answered non-2xx). */
export type PrefetchStatus =
  | "processing"
  | "success"
  | "failed"
  | "timeout"
  | "canceled"
  | "invalid"
  | (string & Record<never, never>);

/** One target of a job, from `DescribePrefetchTasks`. */
export interface PrefetchLog {
  /** The job (`JobId`): a `PrewarmTask.taskId` of an EdgeOne run. */
  jobId: string;
  /** The URL. */
  target: string;
  /** Its status, lower-cased. */
  status: PrefetchStatus;
  /** Creation time as EdgeOne wrote it (ISO 8601, UTC). */
  createTime: string;
  /** Last update as EdgeOne wrote it. */
  updateTime: string;
  /** Why it failed (`originPullFailed`, `quotaExceeded`, …), when it did. */
  failType?: string;
  /** EdgeOne's explanation of the failure, when it gave one. */
  failMessage?: string;
}

/** The answer of {@linkcode describePrefetchTasks}. */
export interface PrefetchTasksResult {
  /** The targets found, with their status. */
  logs: PrefetchLog[];
  /** How many match in all (more than `logs` when paged). */
  totalCount: number;
  /** Tencent's `RequestId`. */
  requestId?: string;
}

/** Which targets {@linkcode describePrefetchTasks} lists when there is no job id. */
export interface PrefetchTasksQuery {
  /** Earliest creation time (a `Date` or ms since the epoch). */
  startTime: Date | number;
  /** Latest creation time (a `Date` or ms since the epoch). */
  endTime: Date | number;
  /** Only this target (a whole URL). */
  target?: string;
  /** Only targets on this domain (EdgeOne's `domains` filter). */
  domain?: string;
}

/** Options of {@linkcode describePrefetchTasks}. */
export interface DescribePrefetchTasksOptions extends EdgeOneCallOptions {
  /** Entries to skip. @default {0} */
  offset?: number;
  /** Most entries to return (EdgeOne allows 1000). @default {20} */
  limit?: number;
}

/** One kind of a zone's content quota, from `DescribeContentQuota`. */
export interface ContentQuota {
  /** `prefetch_url`, or a purge kind (`purge_url`, `purge_prefix`, `purge_host`, …). */
  type: string;
  /** Most entries per request. */
  batch: number;
  /** Entries per day. */
  daily: number;
  /** Entries left today. */
  available: number;
}

/** The answer of {@linkcode describeContentQuota}. */
export interface ContentQuotaResult {
  /** The prefetch quota (`prefetch_url`), when EdgeOne reported one. */
  prefetch?: ContentQuota;
  /** Every quota EdgeOne reported, prefetch and purge. */
  quotas: ContentQuota[];
  /** Tencent's `RequestId`. */
  requestId?: string;
}

function isoTime(value: Date | number, name: string, round: "floor" | "ceil"): string {
  // Whole seconds, widened outwards, so that a job in the window's last second is found.
  return new Date(Math[round](epochMs(value, name) / 1000) * 1000).toISOString()
    .replace(".000Z", "Z");
}

function logOf(entry: unknown): PrefetchLog {
  const task = (entry ?? {}) as Record<string, unknown>;
  const log: PrefetchLog = {
    jobId: text(task.JobId),
    target: text(task.Target),
    status: text(task.Status).toLowerCase(),
    createTime: text(task.CreateTime),
    updateTime: text(task.UpdateTime),
  };
  if (text(task.FailType)) log.failType = text(task.FailType);
  if (text(task.FailMessage)) log.failMessage = text(task.FailMessage);
  return log;
}

/** One page of `DescribePrefetchTasks` with an already resolved context. */
export async function readPrefetchTasks(
  context: CallContext,
  zoneId: string,
  payload: Readonly<Record<string, unknown>>,
): Promise<PrefetchTasksResult> {
  const response = await readV3(
    context,
    "DescribePrefetchTasks",
    { ZoneId: zoneId, ...payload },
    TEO_SERVICE,
  );
  const logs = list(response, "Tasks", "DescribePrefetchTasks").map(logOf);
  return { logs, totalCount: count(response.TotalCount), ...requestIdOf(response) };
}

/**
 * What a target's EdgeOne status means for waiting: `success` is `done`; `failed`, `timeout`
 * and `canceled` are `failed`; `invalid` (the origin answered non-2xx) is `invalid`;
 * `processing`, and anything unknown, is `pending`.
 */
export function urlStatusOfPrefetch(status: string): UrlStatus {
  switch (status.toLowerCase()) {
    case "success":
      return "done";
    case "failed":
    case "timeout":
    case "canceled":
      return "failed";
    case "invalid":
      return "invalid";
    default:
      return "pending";
  }
}

/** Every page of `DescribePrefetchTasks` for a job or a query. */
export async function readAllPrefetchTasks(
  context: CallContext,
  zoneId: string,
  job: string | PrefetchTasksQuery,
): Promise<PrefetchTasksResult> {
  const { entries, ...rest } = await readAllPages(
    context,
    "DescribePrefetchTasks",
    "Tasks",
    { ZoneId: zoneId, ...prefetchTasksPayload(job) },
    TEO_SERVICE,
  );
  return { logs: entries.map(logOf), ...rest };
}

/** A target of a job in the terms of `waitForTasks()`. */
export function prefetchTaskLine(log: PrefetchLog): TaskLine {
  const status = urlStatusOfPrefetch(log.status);
  const line: TaskLine = {
    taskId: log.jobId,
    url: log.target,
    status,
    upstreamStatus: log.status,
    // EdgeOne reports no progress: a final target is complete, any other not yet.
    percent: status === "pending" ? 0 : 100,
    createTime: log.createTime,
    updateTime: log.updateTime,
  };
  if (log.failType) line.why = log.failType;
  return line;
}

/** `DescribeContentQuota` of one zone with an already resolved context. */
export async function readContentQuota(
  context: CallContext,
  zoneId: string,
): Promise<ContentQuotaResult> {
  const response = await readV3(context, "DescribeContentQuota", { ZoneId: zoneId }, TEO_SERVICE);
  const quotas = ["PrefetchQuota", "PurgeQuota"].flatMap((field) =>
    list(response, field, "DescribeContentQuota").map((entry): ContentQuota => {
      const q = (entry ?? {}) as Record<string, unknown>;
      return {
        type: text(q.Type),
        batch: count(q.Batch),
        daily: count(q.Daily),
        available: count(q.DailyAvailable),
      };
    })
  );
  const prefetch = quotas.find((q) => q.type === "prefetch_url");
  return { ...(prefetch ? { prefetch } : {}), quotas, ...requestIdOf(response) };
}

/** The request fields that select a job's targets, or those of a time window. */
function prefetchTasksPayload(job: string | PrefetchTasksQuery): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  if (typeof job === "string") {
    if (job.trim() === "") throw new TypeError("Invalid job id: expected a non-empty string");
    payload.Filters = [{ Name: "job-id", Values: [job.trim()] }];
  } else if (typeof job === "object" && job !== null) {
    payload.StartTime = isoTime(job.startTime, "startTime", "floor");
    payload.EndTime = isoTime(job.endTime, "endTime", "ceil");
    const filters = [];
    if (job.target !== undefined) filters.push({ Name: "target", Values: [job.target] });
    if (job.domain !== undefined) filters.push({ Name: "domains", Values: [job.domain] });
    if (filters.length > 0) payload.Filters = filters;
  } else {
    throw new TypeError(
      `Invalid job: expected a job id or a { startTime, endTime } query, got ${String(job)}`,
    );
  }
  return payload;
}

/** Checks the options of an EdgeOne read: its context and zone. */
export function resolveEdgeOne(
  options: EdgeOneCallOptions,
): { context: CallContext; zoneId: string } {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Invalid options: expected an object with a zoneId, got ${options}`);
  }
  const zoneId = checkZoneId(options.zoneId);
  return { context: resolveCallOptions(options, TEO_ENDPOINT), zoneId };
}

/**
 * Asks EdgeOne (`DescribeContentQuota`) how many URLs the zone may prefetch per request and
 * per day, and how many are left today.
 *
 * @throws {TencentCloudError} when Tencent refuses or cannot be reached.
 * @throws {TypeError} for a malformed zone id or options, or missing credentials.
 *
 * @example
 * ```ts
 * import { describeContentQuota } from "@qcdn/prewarm/edgeone";
 * const { prefetch } = await describeContentQuota({ zoneId: "zone-2o0i2m9sk3li" });
 * console.log(prefetch?.available, "of", prefetch?.daily, "left today");
 * ```
 */
export async function describeContentQuota(
  options: EdgeOneCallOptions,
): Promise<ContentQuotaResult> {
  const { context, zoneId } = resolveEdgeOne(options);
  return await readContentQuota(context, zoneId);
}

/**
 * Asks EdgeOne (`DescribePrefetchTasks`) for the status of each target of a job, or of every
 * target prefetched in a time window (optionally one target only): the way to check a batch
 * reported `maybeSubmitted` before sending it again.
 *
 * @param job A job id (`PrewarmTask.taskId` of an EdgeOne run) or a {@linkcode PrefetchTasksQuery}.
 * @throws {TencentCloudError} when Tencent refuses or cannot be reached.
 * @throws {TypeError} for an empty job id, a malformed query, zone id or options.
 * @throws {RangeError} for a negative or fractional `offset`/`limit`.
 *
 * @example
 * ```ts
 * import { describePrefetchTasks } from "@qcdn/prewarm/edgeone";
 * const { logs } = await describePrefetchTasks("20ga521cpwch", { zoneId: "zone-2o0i2m9sk3li" });
 * for (const log of logs) console.log(log.target, log.status, log.failType ?? "");
 * ```
 */
export async function describePrefetchTasks(
  job: string | PrefetchTasksQuery,
  options: DescribePrefetchTasksOptions,
): Promise<PrefetchTasksResult> {
  const { context, zoneId } = resolveEdgeOne(options);
  return await readPrefetchTasks(context, zoneId, {
    ...prefetchTasksPayload(job),
    ...pageFields(options),
  });
}
