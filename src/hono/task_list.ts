/**
 * `GET /tasks?ids=a,b,c`: where every URL of several tasks stands, in one call: one round of
 * `pollTasks()` (API 3.0 `DescribePushTasks`, or EdgeOne's `DescribePrefetchTasks`, every page
 * of each task, through the account's request gate), never a wait inside the request. Callers poll it again until every URL is
 * final.
 * @module
 */
import type { Context, Env } from "hono";
import type { TencentCloudErrorJSON } from "../rules/errors.ts";
import { pollTasks, type UrlResult, type UrlStatus } from "../engine/wait.ts";
import { statusAdvice } from "../rules/advice.ts";
import { ROUTER_WORDS } from "./words.ts";
import { RouterError } from "./errors.ts";
import { callOptions, type ResolvedRouterOptions } from "./options.ts";
import { AnswerRedactor, checkTaskId, requireTaskApi } from "./routes.ts";

/** Most task ids one `GET /tasks?ids=` may name: each costs a read upstream. */
export const MAX_TASK_IDS = 100;

/** The body of `GET /tasks?ids=`. */
export interface RouterTaskList {
  /** Every URL of every task, tasks in the order asked; a task Tencent does not list stands
   * for itself with an empty `url` and status `unknown`. */
  urls: UrlResult[];
  /** URLs per status (every status present, 0 when none). */
  counts: Record<UrlStatus, number>;
  /** What to do, for each status some URL is in (the one advice table's, in the router's
   * words: `GET /tasks?ids=` is how to look again). */
  advice: Partial<Record<UrlStatus, string>>;
  /** The error that ended this round early (URLs not read are `pending`): ask again later. */
  error?: TencentCloudErrorJSON;
}

/** The `GET /tasks?ids=` handler. */
export function taskListHandler<E extends Env>(
  options: ResolvedRouterOptions<E>,
): (c: Context<E>) => Promise<Response> {
  return async (c) => {
    const config = await options.configure(c);
    requireTaskApi(config, "readTask");
    const ids = [
      ...new Set((c.req.query("ids") ?? "").split(",").map((id) => id.trim()).filter(Boolean)),
    ];
    if (ids.length === 0) {
      throw new RouterError(
        400,
        "invalid-query",
        "Expected ?ids= with one or more task ids, comma-separated (or GET /tasks/:id)",
      );
    }
    if (ids.length > MAX_TASK_IDS) {
      throw new RouterError(
        400,
        "invalid-query",
        `Expected at most ${MAX_TASK_IDS} task ids in ?ids=; got ${ids.length}: ask in parts`,
      );
    }
    ids.forEach(checkTaskId);
    const redact = new AnswerRedactor(config.credentials);
    // Tasks are read through the API the router prefetches through (EdgeOne's jobs from its own).
    const polled = await pollTasks(ids, { ...callOptions(config), api: config.api });
    // Masked as it enters: nothing below sees the unmasked strings.
    const urls = redact.data(polled.urls);
    const error = polled.error && redact.error(polled.error);
    const answer: RouterTaskList = { urls, counts: polled.counts, advice: {} };
    for (const [status, count] of Object.entries(polled.counts) as [UrlStatus, number][]) {
      if (count > 0) answer.advice[status] = statusAdvice(status, ROUTER_WORDS);
    }
    if (error) answer.error = error.toJSON();
    return c.json(answer, 200);
  };
}
