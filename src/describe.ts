/**
 * API 3.0 reads: `DescribePushQuota` and `DescribePushTasks`. Reads are idempotent, so unlike
 * pushes they are retried after ambiguous failures too.
 * @module
 */
import { type CallContext, callV3Once } from "./client.ts";
import { localError, TencentCloudError } from "./errors.ts";
import { type CallOptions, resolveCallOptions } from "./options.ts";
import { V3_ENDPOINT } from "./request_v3.ts";
import { type BackoffPolicy, retrying } from "./retry.ts";

/** One area's prefetch quota, from `DescribePushQuota`. */
export interface PushQuota {
  /** `mainland` or `overseas`. */
  area: string;
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
  /** `fail`, `done`, `process` or `invalid`, lower-cased (Tencent's examples also show `Done`). */
  status: string;
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
  /** Only URLs containing this text, e.g. one URL of the batch. */
  keyword?: string;
  /** Only tasks of this area. */
  area?: "overseas" | "mainland" | "global";
}

/** Options of {@linkcode describePushTasks}. */
export interface DescribePushTasksOptions extends CallOptions {
  /** Entries to skip. @default {0} */
  offset?: number;
  /** Most entries to return. @default {20} */
  limit?: number;
}

function shouldRetryRead(error: unknown): boolean {
  return error instanceof TencentCloudError && (error.retryable || error.maybeSubmitted);
}

// Reads are idempotent: retry whatever may succeed on a second try, ambiguous failures included.
function read(
  context: CallContext,
  backoff: BackoffPolicy,
  action: string,
  payload: Readonly<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  return retrying(
    () => callV3Once(context, action, payload),
    shouldRetryRead,
    backoff,
    context.signal,
  );
}

function text(value: unknown): string {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
}

function count(value: unknown): number {
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
}

function list(response: Record<string, unknown>, field: string, action: string): unknown[] {
  const value = response[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw localError("InvalidResponse", "unknown", `${action} answered with a malformed ${field}`);
  }
  return value;
}

function requestIdOf(response: Record<string, unknown>): { requestId?: string } {
  return typeof response.RequestId === "string" ? { requestId: response.RequestId } : {};
}

// Tencent takes times as "YYYY-MM-DD hh:mm:ss" in Beijing time (UTC+8), whole seconds: the
// window is widened outwards to them so that a push in the last second is not left out.
function beijingTime(value: Date | number, name: string, round: "floor" | "ceil"): string {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== "number" || !Number.isFinite(ms)) {
    throw new TypeError(`Invalid ${name}: expected a Date or ms since the epoch, got ${value}`);
  }
  const seconds = Math[round](ms / 1000) * 1000;
  return new Date(seconds + 8 * 3600_000).toISOString().slice(0, 19).replace("T", " ");
}

function pushTasksPayload(task: string | PushTasksQuery): Record<string, unknown> {
  if (typeof task === "string") {
    if (task.trim() === "") throw new TypeError("Invalid taskId: expected a non-empty string");
    return { TaskId: task.trim() };
  }
  if (typeof task !== "object" || task === null) {
    throw new TypeError(
      `Invalid task: expected a task id or a { startTime, endTime } query, got ${String(task)}`,
    );
  }
  const payload: Record<string, unknown> = {
    StartTime: beijingTime(task.startTime, "startTime", "floor"),
    EndTime: beijingTime(task.endTime, "endTime", "ceil"),
  };
  if (task.keyword !== undefined) payload.Keyword = task.keyword;
  if (task.area !== undefined) payload.Area = task.area;
  return payload;
}

/** Reads the quota with an already resolved context (used by `prewarm()` with `checkQuota`). */
export async function readPushQuota(
  context: CallContext,
  backoff: BackoffPolicy,
): Promise<PushQuotaResult> {
  const response = await read(context, backoff, "DescribePushQuota", {});
  const quotas = list(response, "UrlPush", "DescribePushQuota").map((entry) => {
    const q = (entry ?? {}) as Record<string, unknown>;
    return {
      area: text(q.Area),
      batch: count(q.Batch),
      total: count(q.Total),
      available: count(q.Available),
    };
  });
  return { quotas, ...requestIdOf(response) };
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
export async function describePushQuota(options: CallOptions): Promise<PushQuotaResult> {
  const resolved = resolveCallOptions(options, V3_ENDPOINT);
  return await readPushQuota(resolved, resolved.backoff);
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
  options: DescribePushTasksOptions,
): Promise<PushTasksResult> {
  const resolved = resolveCallOptions(options, V3_ENDPOINT);
  const payload = pushTasksPayload(task);
  for (const field of ["offset", "limit"] as const) {
    const value = options[field];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`Invalid option ${field}: expected an integer >= 0, got ${value}`);
    }
    payload[field === "offset" ? "Offset" : "Limit"] = value;
  }
  const response = await read(resolved, resolved.backoff, "DescribePushTasks", payload);
  const logs = list(response, "PushLogs", "DescribePushTasks").map((entry) => {
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
  });
  return { logs, totalCount: count(response.TotalCount), ...requestIdOf(response) };
}
