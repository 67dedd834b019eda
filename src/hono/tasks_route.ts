/**
 * `GET /tasks/:id`: the status of each URL of a task, from `DescribePushTasks` (API 3.0).
 * @module
 */
import type { Context, Env } from "hono";
import { describePushTasks, type PushLog } from "../describe.ts";
import { TencentCloudError } from "../errors.ts";
import { callOptions } from "./call_options.ts";
import type { ResolvedRouterOptions } from "./options.ts";
import { AnswerRedactor } from "./redact.ts";
import { RouterError } from "./problem.ts";

/** The body of `GET /tasks/:id`. */
export interface RouterTaskStatus {
  /** The task id asked about. */
  taskId: string;
  /** Its URLs with their status (`process`, `done`, `fail`, `invalid`). */
  logs: PushLog[];
  /** How many entries match in all (more than `logs` when paged with `offset`/`limit`). */
  totalCount: number;
  /** Tencent's `RequestId`. */
  requestId?: string;
}

const TASK_ID = /^[\x21-\x7e]{1,128}$/;

function pageParameter(value: string | undefined, name: string, min: number, max: number) {
  if (value === undefined) return undefined;
  const n = /^\d{1,7}$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) {
    throw new RouterError(
      400,
      "invalid-query",
      `Expected ?${name}= to be an integer from ${min} to ${max}; got "${value.slice(0, 20)}"`,
    );
  }
  return n;
}

/** The `GET /tasks/:id` handler. */
export function tasksHandler<E extends Env>(
  options: ResolvedRouterOptions<E>,
): (c: Context<E>) => Promise<Response> {
  return async (c) => {
    const credentials = await options.credentials(c);
    const defaults = await options.prewarm(c);
    if ((defaults.api ?? "v3") !== "v3") {
      throw new RouterError(
        501,
        "unsupported-api",
        "Task status needs API 3.0 (DescribePushTasks); this router uses API 2.0",
      );
    }
    const taskId = c.req.param("id") ?? "";
    if (!TASK_ID.test(taskId)) {
      throw new RouterError(
        400,
        "invalid-query",
        "Expected a task id of 1 to 128 printable characters",
      );
    }
    const offset = pageParameter(c.req.query("offset"), "offset", 0, 1_000_000);
    const limit = pageParameter(c.req.query("limit"), "limit", 1, 1000);
    const redact = new AnswerRedactor(credentials);
    let result;
    try {
      result = await describePushTasks(taskId, {
        ...callOptions(defaults, credentials),
        ...(offset !== undefined && { offset }),
        ...(limit !== undefined && { limit }),
      });
    } catch (error) {
      if (!(error instanceof TencentCloudError)) throw error;
      throw new RouterError(
        502,
        "upstream-failed",
        `DescribePushTasks failed (${error.code}); see upstream`,
        { extra: { upstream: redact.error(error).toJSON() } },
      );
    }
    if (result.totalCount === 0 && result.logs.length === 0) {
      throw new RouterError(404, "task-not-found", "Tencent Cloud knows no task with this id");
    }
    const status: RouterTaskStatus = { taskId, ...redact.data(result) };
    return c.json(status, 200);
  };
}
