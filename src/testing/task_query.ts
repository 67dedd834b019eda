/**
 * The query of `DescribePushTasks` and `DescribePurgeTasks`: a `TaskId` or a time window
 * (`StartTime`/`EndTime`, Beijing time), `Keyword` (a domain, or a full `http(s)://` URL),
 * `Status`, `Area`, and paging with `Offset`/`Limit`. One parser for both actions.
 *
 * @module
 */

import { parseBeijingTime } from "./beijing_time.ts";
import { describe } from "./options_check.ts";

/** A parsed query; `matches*` say whether a task, URL or status is selected. */
export interface TaskQuery<Status extends string, Area extends string> {
  /** Log lines to skip. */
  readonly offset: number;
  /** Most log lines to return. */
  readonly limit: number;
  /** Whether a task with this id, creation time (ms) and area is selected. */
  matchesTask(taskId: string, at: number, area: Area | undefined): boolean;
  /** Whether a URL of a selected task is selected (`Keyword`). */
  matchesUrl(url: string): boolean;
  /** Whether a URL with this status is selected (`Status`, any case). */
  matchesStatus(status: Status): boolean;
}

/** Why a query was refused: the API 3.0 error code and message. */
export interface QueryProblem {
  /** `Error.Code`. */
  code: string;
  /** `Error.Message`. */
  message: string;
}

/** What one action accepts. */
export interface TaskQuerySpec<Status extends string, Area extends string> {
  /** Values `Status` may take. */
  statuses: readonly Status[];
  /** Values `Area` may take. */
  areas: readonly Area[];
}

/** Default and largest `Limit` (the largest is not documented for CDN; EdgeOne's is 1000). */
export const DEFAULT_PAGE_LIMIT = 20;
/** See {@linkcode DEFAULT_PAGE_LIMIT}. */
export const MAX_PAGE_LIMIT = 1000;

const PARAM_ERROR = "InvalidParameter.CdnParamError";
const DATE_ERROR = "InvalidParameter.CdnStatInvalidDate";
const HOSTNAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;

/** Reads the query fields of `input` (other fields are the caller's business). */
export function parseTaskQuery<Status extends string, Area extends string>(
  input: Record<string, unknown>,
  spec: TaskQuerySpec<Status, Area>,
): TaskQuery<Status, Area> | QueryProblem {
  for (const name of ["StartTime", "EndTime", "TaskId", "Keyword", "Area", "Status"]) {
    if (input[name] !== undefined && typeof input[name] !== "string") {
      return { code: PARAM_ERROR, message: `${name} must be a string` };
    }
  }
  const { TaskId, StartTime, EndTime, Keyword, Area, Status } = input as Record<
    string,
    string | undefined
  >;
  if (TaskId === undefined && StartTime === undefined) {
    return { code: PARAM_ERROR, message: "Give TaskId or StartTime" };
  }
  const from = StartTime === undefined ? undefined : parseBeijingTime(StartTime);
  const until = EndTime === undefined ? undefined : parseBeijingTime(EndTime);
  if ((StartTime !== undefined && from === undefined) || (EndTime !== undefined && !until)) {
    return { code: DATE_ERROR, message: "StartTime and EndTime must be YYYY-MM-DD hh:mm:ss" };
  }
  if (from !== undefined && until !== undefined && until < from) {
    return { code: DATE_ERROR, message: `EndTime ${EndTime} is before StartTime ${StartTime}` };
  }
  const matchesUrl = keywordMatcher(Keyword);
  const status = Status?.toLowerCase();
  if (status !== undefined && !spec.statuses.includes(status as Status)) {
    return {
      code: PARAM_ERROR,
      message: `Status must be one of ${spec.statuses.join(", ")}; got ${JSON.stringify(Status)}`,
    };
  }
  if (Area !== undefined && !spec.areas.includes(Area as Area)) {
    return {
      code: PARAM_ERROR,
      message: `Area must be one of ${spec.areas.join(", ")}; got ${JSON.stringify(Area)}`,
    };
  }
  const page = readPage(input);
  if (typeof page === "string") return { code: PARAM_ERROR, message: page };
  return {
    ...page,
    matchesTask(taskId, at, area) {
      // Tencent keeps whole seconds: a task of 12:00:00.500 is in a window ending 12:00:00.
      const second = Math.floor(at / 1000) * 1000;
      return (TaskId === undefined || taskId === TaskId) &&
        (from === undefined || second >= from) && (until === undefined || second <= until) &&
        (Area === undefined || area === Area);
    },
    matchesUrl,
    matchesStatus: (candidate) => status === undefined || candidate === status,
  };
}

/** `Offset` (default 0) and `Limit` (default 20, at most 1000), or what is wrong with them. */
export function readPage(
  input: Record<string, unknown>,
): { offset: number; limit: number } | string {
  const { Offset: offset = 0, Limit: limit = DEFAULT_PAGE_LIMIT } = input;
  if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0) {
    return `Offset must be an integer of at least 0; got ${describe(offset)}`;
  }
  if (
    typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT
  ) {
    return `Limit must be an integer from 1 to ${MAX_PAGE_LIMIT}; got ${describe(limit)}`;
  }
  return { offset, limit };
}

/** The page of `lines` that `Offset`/`Limit` select. */
export function pageOf<Line>(
  lines: readonly Line[],
  page: { offset: number; limit: number },
): Line[] {
  return lines.slice(page.offset, page.offset + page.limit);
}

/**
 * `Keyword` is documented as "a domain, or a full URL starting with http(s)://": a URL selects
 * exactly that URL, a domain every URL on that host. Other text is not documented; API 2.0's
 * `GetCdnOverseaPushLogs` matched part of a URL, and so does the simulator, so that a client
 * relying on it is not refused here but should not rely on it against Tencent.
 */
function keywordMatcher(keyword: string | undefined): (url: string) => boolean {
  if (keyword === undefined || keyword === "") return () => true;
  if (/^https?:\/\//i.test(keyword)) return (url) => url === keyword;
  if (!HOSTNAME.test(keyword)) return (url) => url.includes(keyword);
  const host = keyword.toLowerCase();
  return (url) => URL.canParse(url) && new URL(url).hostname === host;
}

/** Whether `value` is a problem rather than a query. */
export function isQueryProblem<Status extends string, Area extends string>(
  value: TaskQuery<Status, Area> | QueryProblem,
): value is QueryProblem {
  return "code" in value;
}
