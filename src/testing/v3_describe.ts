/**
 * API 3.0 `DescribePushTasks` and `DescribePushQuota`: what the account has pushed and what
 * it may still push today.
 *
 * @module
 */

import { type ApiAnswer, unknownParameter, v3Failure, v3Success } from "./answers.ts";
import { parseBeijingTime } from "./beijing_time.ts";
import type { ApiContext } from "./context.ts";
import type { PushLogFilter } from "./push_tasks.ts";

const TASK_PARAMETERS = new Set([
  "StartTime",
  "EndTime",
  "TaskId",
  "Keyword",
  "Offset",
  "Limit",
  "Area",
  "Status",
]);
const NO_PARAMETERS: ReadonlySet<string> = new Set();
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;

/** Answers `DescribePushTasks`: by `TaskId`, or by `StartTime`/`EndTime` (Beijing time). */
export function describePushTasks(
  context: ApiContext,
  input: Record<string, unknown>,
  now: number,
): ApiAnswer {
  const unknown = unknownParameter(input, TASK_PARAMETERS);
  if (unknown) return unknown;
  for (const name of ["StartTime", "EndTime", "TaskId", "Keyword", "Area", "Status"]) {
    if (input[name] !== undefined && typeof input[name] !== "string") {
      return paramError(`${name} must be a string`);
    }
  }
  const { TaskId, StartTime, EndTime, Keyword, Area, Status } = input as Record<
    string,
    string | undefined
  >;
  const filter: PushLogFilter = { taskId: TaskId, keyword: Keyword, area: Area, status: Status };
  if ((StartTime === undefined) !== (EndTime === undefined)) {
    return paramError("StartTime and EndTime must be given together");
  }
  if (StartTime !== undefined && EndTime !== undefined) {
    filter.createdFrom = parseBeijingTime(StartTime);
    filter.createdUntil = parseBeijingTime(EndTime);
    if (filter.createdFrom === undefined || filter.createdUntil === undefined) {
      return paramError("StartTime and EndTime must be YYYY-MM-DD hh:mm:ss");
    }
  } else if (TaskId === undefined) {
    return paramError("Give TaskId, or StartTime and EndTime");
  }
  const offset = input.Offset ?? 0;
  const limit = input.Limit ?? DEFAULT_LIMIT;
  if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0) {
    return paramError("Offset must be an integer of at least 0");
  }
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return paramError(`Limit must be an integer from 1 to ${MAX_LIMIT}`);
  }
  const logs = context.tasks.logs(filter, now);
  return v3Success({ PushLogs: logs.slice(offset, offset + limit), TotalCount: logs.length });
}

/** Answers `DescribePushQuota`: per area, the batch size, daily total and what is left today. */
export function describePushQuota(
  context: ApiContext,
  input: Record<string, unknown>,
  now: number,
): ApiAnswer {
  const unknown = unknownParameter(input, NO_PARAMETERS);
  if (unknown) return unknown;
  const { quota, options } = context;
  const UrlPush = (["mainland", "overseas"] as const).map((area) => ({
    Area: area,
    Batch: options.v3BatchLimit,
    Total: quota.limit,
    Available: quota.available(area, now),
  }));
  return v3Success({ UrlPush });
}

function paramError(message: string): ApiAnswer {
  return v3Failure("InvalidParameter.CdnParamError", message);
}
