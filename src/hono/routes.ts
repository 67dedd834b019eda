/**
 * The authenticated routes: `POST /prewarm` (read and check the body, screen hosts, run
 * `prewarm()`, answer with the report under the status the outcome deserves), `GET /quota`
 * and `GET /tasks/:id`; and the masking of the account's secrets in everything they answer.
 * @module
 */
import { KNOWN_ERROR_ROWS } from "../apis/spec.ts";
import type { Context, Env } from "hono";
import type { Credentials } from "../transport/credentials.ts";
import { resolveCallOptions } from "../transport/call_options.ts";
import type { TaskPage } from "../api.ts";
import { scrubSecrets, TencentCloudError, type TencentCloudErrorInit } from "../rules/errors.ts";
import { resolvePrewarmOptions } from "../engine/options.ts";
import { runAndRecover } from "../engine/recover.ts";
import { purgeThenPrewarm } from "../flows/purge_then_prewarm.ts";
import type { CdnApi } from "../apis/cdn.ts";
import { msUntilBeijingMidnight } from "../rules/budget_day.ts";
import { secretRedactor } from "../rules/redact.ts";
import type { PrewarmReport } from "../rules/report.ts";
import { errorText } from "../rules/advice.ts";
import { ROUTER_WORDS } from "./words.ts";
import { checkArea, configureApi, readUrlRequest } from "./body.ts";
import { type RouterBudget, todayBudget } from "./budget.ts";
import { RouterError } from "./errors.ts";
import { withRejected } from "./hosts.ts";
import { callOptions, type RequestConfig, type ResolvedRouterOptions } from "./options.ts";

/** The `POST /prewarm` handler. */
export function prewarmHandler<E extends Env>(
  options: ResolvedRouterOptions<E>,
): (c: Context<E>) => Promise<Response> {
  return async (c) => {
    const { config, body, api, screened } = await readUrlRequest(c, options);
    const { credentials } = config;
    const { purgeFirst, ...settings } = config.prewarm;
    const send = { ...settings, credentials, api };
    // Purging first is CDN's: purgeThenPrewarm() refuses another API (the router checked it).
    // Either looks up the batches whose answer was lost before answering.
    const run = body.options?.purgeFirst ?? purgeFirst
      ? await purgeThenPrewarm(screened.send, { ...send, api: api as CdnApi })
      : await runAndRecover(screened.send, resolvePrewarmOptions(send));
    const report = new AnswerRedactor(credentials).report(withRejected(run, screened.rejected));
    const outcome = runOutcome(report, config.now());
    if ("error" in outcome) throw outcome.error;
    return c.json(report, outcome.status);
  };
}

/** The body of `GET /quota`. */
export interface RouterQuota extends RouterBudget {
  /** EdgeOne: the zone counted (its budget is the zone's own). */
  zoneId?: string;
  /**
   * Tencent's answer to the API's quota read (`DescribePushQuota`, EdgeOne's
   * `DescribeContentQuota`), or the error asking it failed with (the local figures are still
   * given); absent for an API without one (API 2.0).
   */
  upstream?: Record<string, unknown> | { error: TencentCloudErrorInit & { name: string } };
}

/** The `GET /quota` handler. */
export function quotaHandler<E extends Env>(
  options: ResolvedRouterOptions<E>,
): (c: Context<E>) => Promise<Response> {
  return async (c) => {
    const config = await options.configure(c);
    const queried = c.req.query("area");
    const api = queried === undefined
      ? config.api
      : configureApi(config.api, { area: checkArea(queried, "query") }, "query");
    const quota: RouterQuota = await todayBudget(config, api);
    if (api.readQuota) {
      const redact = new AnswerRedactor(config.credentials);
      try {
        quota.upstream = (await redact.read(api.readQuota(readContext(config, api)))).answer;
      } catch (error) {
        if (!(error instanceof TencentCloudError)) throw error;
        quota.upstream = { error: error.toJSON() };
      }
    }
    return c.json(quota, 200);
  };
}

/** The call context of a read through `api`, from the router's options. */
function readContext(config: RequestConfig, api: { endpoint: string }) {
  return resolveCallOptions(callOptions(config), api.endpoint);
}

/** The body of `GET /tasks/:id`: one page of the task's lines, as the API's read lists them
 * (CDN's `PushLogs`, EdgeOne's job targets). */
export interface RouterTaskStatus extends TaskPage {
  /** The task id asked about. */
  taskId: string;
}

const TASK_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * Checks a task id from a path or query string.
 * @throws {RouterError} 400 for anything but 1 to 128 printable ASCII characters.
 */
export function checkTaskId(taskId: string): string {
  if (!TASK_ID.test(taskId)) {
    throw new RouterError(
      400,
      "invalid-query",
      "Expected a task id of 1 to 128 printable characters",
    );
  }
  return taskId;
}

/**
 * Task status is read through the router's API: every line of a task (`readTask`, for
 * `GET /tasks?ids=`) or one page as the API lists it (`describeTask`, for `GET /tasks/:id`).
 * @throws {RouterError} 501 on a router whose API cannot read it (API 2.0).
 */
export function requireTaskApi(config: RequestConfig, read: "readTask" | "describeTask"): void {
  if (!config.api[read]) {
    throw new RouterError(
      501,
      "unsupported-api",
      `This router prefetches through ${config.api.title}, which cannot read task status`,
    );
  }
}

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
    const config = await options.configure(c);
    requireTaskApi(config, "describeTask");
    const taskId = checkTaskId(c.req.param("id") ?? "");
    const offset = pageParameter(c.req.query("offset"), "offset", 0, 1_000_000);
    const limit = pageParameter(c.req.query("limit"), "limit", 1, 1000);
    const redact = new AnswerRedactor(config.credentials);
    const { api } = config;
    let result: TaskPage;
    try {
      result = await redact.read(
        api.describeTask!(readContext(config, api), taskId, {
          ...(offset !== undefined && { offset }),
          ...(limit !== undefined && { limit }),
        }),
      );
    } catch (error) {
      if (!(error instanceof TencentCloudError)) throw error;
      // Masked by read(): every string of the answer below is built from masked text only.
      throw new RouterError(
        502,
        "upstream-failed",
        `${api.tasksAction} failed (${error.code}); see upstream`,
        { extra: { upstream: error.toJSON() } },
      );
    }
    if (result.totalCount === 0 && result.logs.length === 0) {
      throw new RouterError(404, "task-not-found", "Tencent Cloud knows no task with this id");
    }
    const status: RouterTaskStatus = { taskId, ...result };
    return c.json(status, 200);
  };
}

/** How soon a caller turned away as `busy` may try again: held budget settles within seconds. */
const BUSY_RETRY_SECONDS = 5;

/** The status of a finished run and, unless it is a success, the refusal to answer with. */
type RunOutcome = { status: 200 | 207 } | { status: number; error: RouterError };

/**
 * Decides the answer to a run:
 * - 200 when every URL is in a task (a duplicate counts: its first copy was sent);
 * - 207 when some URLs are in tasks and some are not;
 * - when none is in a task: 503 `busy` if budget held by requests in flight turned any away
 *   (`Retry-After` of a few seconds: it may come free), else 429 if the spent daily budget did
 *   (with `Retry-After` until 00:00 Beijing time), else 502 if any batch failed upstream,
 *   else 400 `no-valid-urls`.
 */
function runOutcome(report: PrewarmReport, now: number): RunOutcome {
  const { tasks, rejected, failed } = report;
  if (tasks.length > 0) {
    const complete = failed.length === 0 && rejected.every((r) => r.reason === "duplicate");
    return { status: complete ? 200 : 207 };
  }
  if (rejected.some((r) => r.reason === "busy")) {
    const error = new RouterError(
      503,
      "busy",
      `The rest of today's budget is held by prefetches in flight; retry in ${BUSY_RETRY_SECONDS} s`,
      { headers: { "Retry-After": String(BUSY_RETRY_SECONDS) }, extra: { report } },
    );
    return { status: 503, error };
  }
  if (rejected.some((r) => r.reason === "daily-limit")) {
    const seconds = Math.ceil(msUntilBeijingMidnight(now) / 1000);
    const error = new RouterError(
      429,
      "daily-limit",
      `The daily prefetch budget is spent; it resets at 00:00 Beijing time (UTC+8), in ${seconds} s`,
      { headers: { "Retry-After": String(seconds) }, extra: { report } },
    );
    return { status: 429, error };
  }
  if (failed.length > 0) {
    const codes = [...new Set(failed.map((f) => f.error.code))].slice(0, 3).join(", ");
    const error = new RouterError(
      502,
      "upstream-failed",
      `Every batch failed upstream (${codes}); see report.failed for each error and whether it ` +
        "may have been submitted anyway",
      { extra: { report } },
    );
    return { status: 502, error };
  }
  const reasons = new Map<string, number>();
  for (const r of rejected) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
  const summary = [...reasons].map(([reason, n]) => `${n} ${reason}`).join(", ");
  const error = new RouterError(
    400,
    "no-valid-urls",
    `None of the URLs can be sent (${summary}); see report.rejected for each reason`,
    { extra: { report } },
  );
  return { status: 400, error };
}

/**
 * Masks the credentials' id, key and token (and any `Signature=`) in answers. Upstream text is
 * masked as it enters (a read through {@linkcode AnswerRedactor.read}, a run's report through
 * {@linkcode AnswerRedactor.report}), before any message is built from it: a message composed
 * from an unmasked code and masked afterwards is how a secret leaks.
 */
export class AnswerRedactor {
  readonly #secrets: ReadonlyArray<string | undefined>;
  readonly #text: (text: string) => string;

  /** Prepares the masks for one set of credentials. */
  constructor(credentials: Credentials) {
    this.#secrets = [credentials.secretId, credentials.secretKey, credentials.token];
    this.#text = secretRedactor(this.#secrets);
  }

  /** The error with every upstream string field masked, its advice in the router's words
   * (the options the operator sets, the routes to call). */
  error(error: TencentCloudError): TencentCloudError {
    const masked = scrubSecrets(error, this.#secrets);
    return new TencentCloudError({
      ...masked.toJSON(),
      message: errorText(masked, ROUTER_WORDS, KNOWN_ERROR_ROWS),
    });
  }

  /**
   * Awaits an upstream read and masks it at once: its result through `data()`, or the
   * `TencentCloudError` it fails with through `error()` (thrown masked).
   */
  async read<P extends Promise<unknown>>(call: P): Promise<Awaited<P>> {
    try {
      return this.data(await call) as Awaited<P>;
    } catch (error) {
      throw error instanceof TencentCloudError ? this.error(error) : error;
    }
  }

  /** Plain upstream data (a read's result) with every string in it masked. */
  data<T>(value: T): T {
    if (typeof value === "string") return this.#text(value) as T;
    if (Array.isArray(value)) return value.map((item) => this.data(item)) as T;
    if (typeof value !== "object" || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) out[key] = this.data(field);
    return out as T;
  }

  /** The report with every upstream string masked; the URLs stay as the caller sent them. */
  report(report: PrewarmReport): PrewarmReport {
    const text = this.#text;
    const tasks = (list: PrewarmReport["tasks"]) =>
      list.map(({ urls, ...task }) => ({ ...this.data(task), urls }));
    const { purgeTasks } = report as { purgeTasks?: PrewarmReport["tasks"] };
    return {
      ...report,
      tasks: tasks(report.tasks),
      rejected: report.rejected.map((r) => ({ ...r, detail: text(r.detail) })),
      failed: report.failed.map((f) => ({ ...f, error: this.error(f.error) })),
      ...(report.warnings && { warnings: report.warnings.map(text) }),
      ...(purgeTasks && { purgeTasks: tasks(purgeTasks) }),
    };
  }
}
