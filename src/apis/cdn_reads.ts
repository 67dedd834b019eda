/**
 * API 3.0 reads: `DescribePushQuota` and `DescribePushTasks`. Reads are idempotent, so unlike
 * pushes they are retried after ambiguous failures too.
 * @module
 */
import type { QuotaAnswer, QuotaReading } from "../api.ts";
import type { Area } from "../rules/report.ts";
import { budgetKeys } from "../rules/budget_day.ts";
import { epochMs } from "../rules/option_checks.ts";
import { type CallOptions, resolveCallOptions } from "../transport/call_options.ts";
import {
  count,
  list,
  readAllPages,
  readV3,
  requestIdOf,
  text,
  V3_ENDPOINT,
} from "../transport/v3.ts";
import type { CallContext } from "../transport/send.ts";

/** One area's prefetch quota, from `DescribePushQuota`. */
export interface PushQuota {
  /** `mainland` or `overseas`. */
  area: "mainland" | "overseas";
  /** Most URLs per request. */
  batch: number;
  /** URLs per day. */
  total: number;
  /** URLs left today. */
  available: number;
}

/** The answer of {@linkcode describePushQuota}. */
export interface PushQuotaResult {
  /** One entry per area. */
  quotas: PushQuota[];
  /** Tencent's `RequestId`. */
  requestId?: string;
}

/** One URL of a task, from `DescribePushTasks`. */
export interface PushLog {
  /** The task id. */
  taskId: string;
  /** The URL. */
  url: string;
  /**
   * The status, lower-cased (Tencent's examples also show `Done`): `process` (in progress),
   * `done`, `fail`, or `invalid` (the origin answered 4xx/5xx). Anything else Tencent may send
   * comes through as written.
   */
  status: "done" | "fail" | "process" | "invalid" | (string & Record<never, never>);
  /** Progress, 0–100. */
  percent: number;
  /** Creation time as Tencent wrote it (Beijing time). */
  createTime: string;
  /** Last update time as Tencent wrote it (Beijing time). */
  updateTime: string;
  /** The area of the task. */
  area: string;
}

/** The answer of {@linkcode describePushTasks}. */
export interface PushTasksResult {
  /** The URLs of the task, with their status. */
  logs: PushLog[];
  /** How many match in all (more than `logs` when paged). */
  totalCount: number;
  /** Tencent's `RequestId`. */
  requestId?: string;
}

/**
 * Which push logs {@linkcode describePushTasks} lists when there is no task id, e.g. to find
 * out whether a batch reported `maybeSubmitted` was processed after all.
 */
export interface PushTasksQuery {
  /** Earliest creation time (a `Date` or ms since the epoch). */
  startTime: Date | number;
  /** Latest creation time (a `Date` or ms since the epoch). */
  endTime: Date | number;
  /** Only URLs matching this: a domain or a whole URL, as Tencent documents it. */
  keyword?: string;
  /** Only tasks of this area. */
  area?: Area;
}

/** Options of {@linkcode describePushTasks}. */
export interface DescribePushTasksOptions extends CallOptions {
  /** Entries to skip. @default {0} */
  offset?: number;
  /** Most entries to return. @default {20} */
  limit?: number;
}

/**
 * A time (ms since the epoch) as Tencent's CDN reads take it: "YYYY-MM-DD hh:mm:ss" in Beijing
 * time (UTC+8), whole seconds, widened outwards (`floor` for a start, `ceil` for an end) so that
 * a push in the last second is not left out.
 */
export function beijingTime(ms: number, round: "floor" | "ceil"): string {
  const seconds = Math[round](ms / 1000) * 1000;
  return new Date(seconds + 8 * 3600_000).toISOString().slice(0, 19).replace("T", " ");
}

function pushTasksPayload(
  task: string | PushTasksQuery,
): Record<string, unknown> {
  if (typeof task === "string") {
    if (task.trim() === "") {
      throw new TypeError("Invalid taskId: expected a non-empty string");
    }
    return { TaskId: task.trim() };
  }
  if (typeof task !== "object" || task === null) {
    throw new TypeError(
      `Invalid task: expected a task id or a { startTime, endTime } query, got ${String(task)}`,
    );
  }
  const payload: Record<string, unknown> = {
    StartTime: beijingTime(epochMs(task.startTime, "startTime"), "floor"),
    EndTime: beijingTime(epochMs(task.endTime, "endTime"), "ceil"),
  };
  if (task.keyword !== undefined) payload.Keyword = task.keyword;
  if (task.area !== undefined) payload.Area = task.area;
  return payload;
}

/**
 * Reads a quota with an already resolved context (used by `prewarm()` with `checkQuota`):
 * `DescribePushQuota`'s `UrlPush`, or another action's list of the same shape
 * (`DescribePurgeQuota`'s `UrlPurge`).
 */
export async function readPushQuota(
  context: CallContext,
  action = "DescribePushQuota",
  field = "UrlPush",
): Promise<PushQuotaResult> {
  const response = await readV3(context, action, {});
  const quotas = list(response, field, action).map((entry) => {
    const q = (entry ?? {}) as Record<string, unknown>;
    return {
      area: text(q.Area) as PushQuota["area"],
      batch: count(q.Batch),
      total: count(q.Total),
      available: count(q.Available),
    };
  });
  return { quotas, ...requestIdOf(response) };
}

/**
 * A quota read as the engine takes it (`TencentApi.readQuota`): `readPushQuota(context, action,
 * field)` (`DescribePushQuota`'s by default), each area counted against its budget keys of
 * `kind` (`push:<area>:<day>` unless `purge`) on the day the answer came.
 */
export async function readQuotaAnswer(
  context: CallContext,
  action?: string,
  field?: string,
  kind?: "purge",
): Promise<QuotaAnswer> {
  const answer = await readPushQuota(context, action, field);
  const now = context.now();
  const readings = answer.quotas.map((q): QuotaReading => ({
    name: q.area,
    batch: q.batch,
    total: q.total,
    available: q.available,
    keys: budgetKeys(q.area, now, kind),
  }));
  return { readings, answer: { ...answer } };
}

/**
 * Asks Tencent (API 3.0 `DescribePushQuota`) how many URLs each area may still prefetch today.
 *
 * @throws {TencentCloudError} when Tencent refuses or cannot be reached.
 * @throws {TypeError} for missing credentials or malformed options.
 *
 * @example
 * ```ts
 * import { credentialsFromEnv, describePushQuota } from "@qcdn/prewarm";
 * const { quotas } = await describePushQuota({ credentials: credentialsFromEnv()! });
 * ```
 */
export async function describePushQuota(
  options?: CallOptions,
): Promise<PushQuotaResult> {
  return await readPushQuota(resolveCallOptions(options, V3_ENDPOINT));
}

/**
 * Asks Tencent (API 3.0 `DescribePushTasks`) for the status of each URL of a task, or of
 * every URL pushed in a time window (optionally only those containing a keyword): the way to
 * check a batch reported `maybeSubmitted` before sending it again.
 *
 * @param task A task id from a `PrewarmReport`, or a {@linkcode PushTasksQuery}.
 * @throws {TencentCloudError} when Tencent refuses or cannot be reached.
 * @throws {TypeError} for an empty task id, a malformed query or options, missing credentials.
 *
 * @example
 * ```ts
 * import { credentialsFromEnv, describePushTasks } from "@qcdn/prewarm";
 * const { logs } = await describePushTasks("task-id", { credentials: credentialsFromEnv()! });
 * for (const log of logs) console.log(log.url, log.status);
 *
 * // Was https://www.example.com/app.js pushed in the last hour?
 * const recent = await describePushTasks(
 *   { startTime: Date.now() - 3600_000, endTime: Date.now(), keyword: "/app.js" },
 *   { credentials: credentialsFromEnv()! },
 * );
 * ```
 */
export async function describePushTasks(
  task: string | PushTasksQuery,
  options: DescribePushTasksOptions = {},
): Promise<PushTasksResult> {
  const resolved = resolveCallOptions(options, V3_ENDPOINT);
  return await readPushTasks(resolved, { ...pushTasksPayload(task), ...pageFields(options) });
}

/**
 * The `Offset` and `Limit` fields of one page of a read (`DescribePushTasks`,
 * `DescribePrefetchTasks`), each only when given.
 * @throws {RangeError} for an offset or limit that is not an integer >= 0.
 */
export function pageFields(page: { offset?: number; limit?: number }): Record<string, number> {
  const fields: Record<string, number> = {};
  for (const field of ["offset", "limit"] as const) {
    const value = page[field];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`Invalid option ${field}: expected an integer >= 0, got ${value}`);
    }
    fields[field === "offset" ? "Offset" : "Limit"] = value;
  }
  return fields;
}

/** One `DescribePushTasks` call with an already resolved context, its answer parsed. */
export async function readPushTasks(
  context: CallContext,
  payload: Readonly<Record<string, unknown>>,
): Promise<PushTasksResult> {
  const response = await readV3(context, "DescribePushTasks", payload);
  const logs = list(response, "PushLogs", "DescribePushTasks").map(pushLogOf);
  return { logs, totalCount: count(response.TotalCount), ...requestIdOf(response) };
}

/** One `PushLogs` entry (or a `PurgeLogs` one: the same fields), read leniently (a missing
 * field is empty). */
export function pushLogOf(entry: unknown): PushLog {
  const log = (entry ?? {}) as Record<string, unknown>;
  return {
    taskId: text(log.TaskId),
    url: text(log.Url),
    status: text(log.Status).toLowerCase(),
    percent: count(log.Percent),
    createTime: text(log.CreateTime),
    updateTime: text(log.UpdateTime),
    area: text(log.Area),
  };
}

/** Every `DescribePushTasks` line of a query, all pages read. */
export async function readAllPushTasks(
  context: CallContext,
  payload: Readonly<Record<string, unknown>>,
): Promise<PushTasksResult> {
  const { entries, ...rest } = await readAllPages(
    context,
    "DescribePushTasks",
    "PushLogs",
    payload,
  );
  return { logs: entries.map(pushLogOf), ...rest };
}

/**
 * Every line of a task, or of a {@linkcode PushTasksQuery}, all pages read (the command line's
 * `status`).
 *
 * @throws {TencentCloudError} when Tencent refuses or cannot be reached.
 * @throws {TypeError} for an empty task id, a malformed query or options, missing credentials.
 */
export async function describeAllPushTasks(
  task: string | PushTasksQuery,
  options: CallOptions = {},
): Promise<PushTasksResult> {
  const resolved = resolveCallOptions(options, V3_ENDPOINT);
  return await readAllPushTasks(resolved, pushTasksPayload(task));
}
