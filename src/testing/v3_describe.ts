/**
 * API 3.0 `DescribePushTasks` and `DescribePushQuota`: what the account has pushed and what
 * it may still push today.
 *
 * @module
 */

import { type ApiAnswer, unknownParameter, v3Failure, v3Success } from "./answers.ts";
import type { ApiContext } from "./context.ts";
import type { PushArea, PushStatus } from "./push_tasks.ts";
import { areaQuotas } from "./quota.ts";
import { isQueryProblem, pageOf, parseTaskQuery } from "./task_query.ts";

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
const PUSH_STATUSES: readonly PushStatus[] = ["fail", "done", "process", "invalid"];
const PUSH_AREAS: readonly PushArea[] = ["mainland", "overseas", "global"];

/**
 * Answers `DescribePushTasks`: by `TaskId`, or by `StartTime` (and `EndTime`, Beijing time);
 * filtered by `Keyword`, `Status` and `Area`; a page of `Limit` lines from `Offset`, and the
 * `TotalCount` of all that match.
 */
export function describePushTasks(
  context: ApiContext,
  input: Record<string, unknown>,
  now: number,
): ApiAnswer {
  const unknown = unknownParameter(input, TASK_PARAMETERS);
  if (unknown) return unknown;
  const query = parseTaskQuery(input, { statuses: PUSH_STATUSES, areas: PUSH_AREAS });
  if (isQueryProblem(query)) return v3Failure(query.code, query.message);
  const logs = context.tasks.logs(query, now);
  return v3Success({ PushLogs: pageOf(logs, query), TotalCount: logs.length });
}

/** Answers `DescribePushQuota`: per area, the batch size, daily total and what is left today. */
export function describePushQuota(
  context: ApiContext,
  input: Record<string, unknown>,
  now: number,
): ApiAnswer {
  const unknown = unknownParameter(input, NO_PARAMETERS);
  if (unknown) return unknown;
  return v3Success({ UrlPush: areaQuotas(context.quota, context.options.v3BatchLimit, now) });
}
