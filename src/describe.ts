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
 * Asks Tencent (API 3.0 `DescribePushTasks`) for the status of each URL of a task.
 *
 * @param taskId A task id from a {@linkcode PrewarmReport}.
 * @throws {TencentCloudError} when Tencent refuses or cannot be reached.
 * @throws {TypeError} for an empty task id, missing credentials or malformed options.
 *
 * @example
 * ```ts
 * import { credentialsFromEnv, describePushTasks } from "@qcdn/prewarm";
 * const { logs } = await describePushTasks("task-id", { credentials: credentialsFromEnv()! });
 * for (const log of logs) console.log(log.url, log.status);
 * ```
 */
export async function describePushTasks(
  taskId: string,
  options: DescribePushTasksOptions,
): Promise<PushTasksResult> {
  if (typeof taskId !== "string" || taskId.trim() === "") {
    throw new TypeError(`Invalid taskId: expected a non-empty string, got ${String(taskId)}`);
  }
  const resolved = resolveCallOptions(options, V3_ENDPOINT);
  const payload: Record<string, unknown> = { TaskId: taskId.trim() };
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
