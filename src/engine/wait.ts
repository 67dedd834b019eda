/**
 * Waiting for prefetch tasks to finish: a final status for every URL of every task, read with
 * API 3.0 `DescribePushTasks` through the account's request gate, so that waiting never starves
 * or rate-limits prewarms of the same account running beside it. {@linkcode waitForTasks} polls
 * until every URL is final, the wait runs out, or the signal aborts; {@linkcode pollTasks} asks
 * once. What to do about each status is `statusAdvice()` of `../rules/advice.ts`, which the
 * command line and the router show in their own words.
 * @module
 */
import type { TaskLine, TencentApi, UrlStatus } from "../api.ts";
import { cdn } from "../apis/cdn.ts";
import { localError, TencentCloudError } from "../rules/errors.ts";
import { checkApi } from "./options.ts";
import { fail, MAX_TIMER_MS, optionalFunction } from "../rules/option_checks.ts";
import { type CallOptions, resolveCallOptions } from "../transport/call_options.ts";
import type { PrewarmReport, PrewarmTask } from "../rules/report.ts";
import { abortableDelay } from "../transport/retry.ts";
import { listedAs } from "../rules/urls.ts";
import type { CallContext } from "../transport/send.ts";

export type { UrlStatus } from "../api.ts";

/** Every {@linkcode UrlStatus}, in the order summaries show them. */
export const URL_STATUSES: readonly UrlStatus[] = [
  "done",
  "failed",
  "invalid",
  "pending",
  "unknown",
];

/** One URL of a task and where it stands. */
export interface UrlResult {
  /** The URL, as sent (or as Tencent lists it, for a task given by id only); empty for a task
   * given by id whose URLs are not known (Tencent does not list it, or it was not read). */
  url: string;
  /** The task it belongs to. */
  taskId: string;
  /** Where it stands. */
  status: UrlStatus;
  /** Tencent's progress, 0–100 (0 when Tencent did not list it). */
  percent: number;
  /** When Tencent last updated it, as Tencent wrote it (Beijing time), when it said. */
  updatedAt?: string;
}

/** What {@linkcode waitForTasks} (or one round of {@linkcode pollTasks}) found. */
export interface WaitResult {
  /** Every URL of every task, exactly once, tasks in the order given. */
  urls: UrlResult[];
  /** URLs per status (every status present, 0 when none). */
  counts: Record<UrlStatus, number>;
  /** True when the wait ran out (`maxWaitMs`) with URLs still `pending`. */
  timedOut: boolean;
  /** True when the signal aborted the wait; URLs not final then are `pending`. */
  aborted: boolean;
  /** The error that ended polling early (after retries); URLs not final then are `pending`. */
  error?: TencentCloudError;
}

/**
 * Options of the calls that read a run's tasks without waiting ({@linkcode pollTasks},
 * `recoverLostTasks()`): the call options, and the API the tasks are on, as
 * {@linkcode waitForTasks} takes them.
 */
export type TaskReadOptions = CallOptions & Pick<WaitOptions, "api">;

/** Options of {@linkcode waitForTasks}: the call options, the API, and how to poll. */
export interface WaitOptions extends CallOptions {
  /**
   * The API the tasks were submitted through: the same `api` the `prewarm()` run had
   * (`edgeOne({ zoneId })`: its task ids are EdgeOne `JobId`s; `cdnPurge()`: purge tasks).
   * CDN API 3.0 reads the tasks of API 2.0 runs too. @default {cdn()} (`DescribePushTasks`)
   */
  api?: TencentApi;
  /** The first pause between two poll rounds, in ms; each pause grows by half, up to
   * `maxPollIntervalMs`. @default {10000} */
  pollIntervalMs?: number;
  /** The longest pause between two poll rounds, in ms (raised to `pollIntervalMs` when that
   * is longer). @default {60000} */
  maxPollIntervalMs?: number;
  /** The longest the whole wait may take, in ms (`timeoutMs` still limits each request); a
   * last round runs when it passes. `Infinity` waits until every URL is final. @default {1800000} */
  maxWaitMs?: number;
  /** Called after each poll round with the running counts and the ms waited so far. Errors it
   * throws are ignored. */
  onProgress?: (counts: Record<UrlStatus, number>, elapsedMs: number) => void;
  /** Pauses between rounds: resolves after `ms`, rejects when `signal` aborts. Replace it (with
   * `now`) to run a long wait on a simulated clock. @default {an abortable timer} */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const DEFAULT_POLL_INTERVAL_MS = 10_000;
const DEFAULT_MAX_POLL_INTERVAL_MS = 60_000;
// 30 minutes, as a literal: a bundler keeps a computed constant even in a bundle that never reads it.
const DEFAULT_MAX_WAIT_MS = 1_800_000;
/** Pauses grow by this factor each round. */
const POLL_GROWTH = 1.5;
/** Tasks read at once in a round. */
const POLL_CONCURRENCY = 4;

/** Whether a URL in this status will not change any more. */
function isFinal(status: UrlStatus): boolean {
  return status !== "pending";
}

/** One task being waited for: the URLs known so far, by URL, in order. */
interface TaskState {
  taskId: string;
  urls: Map<string, UrlResult>;
  /** Every URL is final: the task is not read again. */
  final: boolean;
  /** Tencent answered for it at least once. */
  read: boolean;
}

type TaskInput = PrewarmReport | readonly PrewarmTask[] | readonly string[];

/** A value as an error message shows it: a string quoted (its start), an object by its kind. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.slice(0, 100));
  if (Array.isArray(value)) return "an array";
  return value === null ? "null" : typeof value === "object" ? "an object" : String(value);
}

/** Checks the tasks given and merges those with the same id, keeping the order given. */
function taskStates(tasks: TaskInput): TaskState[] {
  const list: readonly unknown[] | undefined = Array.isArray(tasks)
    ? tasks
    : typeof tasks === "object" && tasks !== null && Array.isArray((tasks as PrewarmReport).tasks)
    ? (tasks as PrewarmReport).tasks
    : undefined;
  if (list === undefined) {
    throw new TypeError(
      `Invalid tasks: expected a PrewarmReport, an array of PrewarmTask or an array of task ids, got ${
        describeValue(tasks)
      }`,
    );
  }
  const states = new Map<string, TaskState>();
  list.forEach((item, index) => {
    const task = typeof item === "string" ? { taskId: item, urls: [] } : item as PrewarmTask;
    const taskId = typeof task === "object" && task !== null ? task.taskId : undefined;
    if (typeof taskId !== "string" || taskId.trim() === "") {
      throw new TypeError(
        `Invalid tasks[${index}]: expected a non-empty task id or a PrewarmTask, got ${
          describeValue(item)
        }`,
      );
    }
    if (!Array.isArray(task.urls) || task.urls.some((url) => typeof url !== "string")) {
      throw new TypeError(
        `Invalid tasks[${index}].urls: expected an array of URL strings, got ${
          describeValue(task.urls)
        }`,
      );
    }
    const id = taskId.trim();
    const state = states.get(id) ?? {
      taskId: id,
      urls: new Map(),
      final: false,
      read: false,
    };
    for (const url of task.urls) {
      if (!state.urls.has(url)) {
        state.urls.set(url, { url, taskId: id, status: "pending", percent: 0 });
      }
    }
    states.set(id, state);
  });
  return [...states.values()];
}

/** Takes in one task's lines: listed URLs get their status, the rest become `unknown`. */
function applyLogs(state: TaskState, logs: readonly TaskLine[]): void {
  const listed = new Set<string>();
  // A URL listed otherwise encoded than it was sent is the one sent.
  let sent: Map<string, string> | undefined;
  for (const log of logs) {
    if (log.taskId !== "" && log.taskId !== state.taskId) continue;
    let url = log.url;
    if (!state.urls.has(url)) {
      sent ??= new Map([...state.urls.keys()].map((known) => [listedAs(known), known]));
      url = sent.get(listedAs(url)) ?? url;
    }
    listed.add(url);
    const result: UrlResult = {
      url,
      taskId: state.taskId,
      status: log.status,
      percent: log.percent,
    };
    if (log.updateTime !== "") result.updatedAt = log.updateTime;
    state.urls.set(url, result);
  }
  for (const [url, result] of state.urls) {
    if (!listed.has(url)) state.urls.set(url, { ...result, status: "unknown", percent: 0 });
  }
  state.read = true;
  state.final = [...state.urls.values()].every((r) => isFinal(r.status));
}

/** Every URL of every task; a task with no known URL stands for itself with an empty URL. */
function resultsOf(states: readonly TaskState[]): UrlResult[] {
  return states.flatMap((s): UrlResult[] =>
    s.urls.size > 0 ? [...s.urls.values()].map((r) => ({ ...r })) : [{
      url: "",
      taskId: s.taskId,
      status: s.read ? "unknown" : "pending",
      percent: 0,
    }]
  );
}

function resultOf(
  states: readonly TaskState[],
  flags: { timedOut: boolean; aborted: boolean; error?: TencentCloudError },
): WaitResult {
  const urls = resultsOf(states);
  const result: WaitResult = {
    urls,
    counts: countStatuses(urls),
    timedOut: flags.timedOut,
    aborted: flags.aborted,
  };
  if (flags.error) result.error = flags.error;
  return result;
}

function countStatuses(urls: readonly UrlResult[]): Record<UrlStatus, number> {
  const counts = Object.fromEntries(URL_STATUSES.map((s) => [s, 0])) as Record<
    UrlStatus,
    number
  >;
  for (const { status } of urls) counts[status]++;
  return counts;
}

/** Why a round stopped early, if it did. */
type RoundEnd = { aborted: true } | { error: TencentCloudError } | undefined;

/** Reads every task not yet final once, a few at a time; stops at the first lasting error. */
async function pollRound(
  context: CallContext,
  states: readonly TaskState[],
  read: (context: CallContext, taskId: string) => Promise<TaskLine[]>,
): Promise<RoundEnd> {
  const queue = states.filter((s) => !s.final);
  let end: RoundEnd;
  const worker = async () => {
    for (let state = queue.shift(); state && !end; state = queue.shift()) {
      try {
        applyLogs(state, await read(context, state.taskId));
      } catch (error) {
        end ??= context.signal?.aborted ? { aborted: true } : { error: asTencentError(error) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(POLL_CONCURRENCY, queue.length) }, worker));
  return end;
}

function asTencentError(error: unknown): TencentCloudError {
  if (error instanceof TencentCloudError) return error;
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return localError(
    "ClientError.Unexpected",
    "unknown",
    `Waiting for the tasks failed unexpectedly (${what.slice(0, 200)})`,
    { read: true },
  );
}

/** A pause (finite, at most what a timer takes) or, with `unbounded`, any length or `Infinity`. */
function checkNumber(
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  unbounded = false,
): number {
  if (value === undefined) return fallback;
  const max = unbounded ? Infinity : MAX_TIMER_MS;
  if (typeof value !== "number" || Number.isNaN(value) || value < min || value > max) {
    const range = unbounded ? `of at least ${min}, or Infinity` : `from ${min} to ${MAX_TIMER_MS}`;
    fail(name, `a number of ms ${range}`, value);
  }
  return value;
}

/**
 * The API that reads a run's tasks, from {@linkcode TaskReadOptions}: the one resolution for
 * waiting, polling and `recoverLostTasks()` (their call context is `resolveCallOptions(options,
 * api.endpoint)`).
 * @throws {TypeError} for a malformed `api`.
 */
export function taskReadApi(options: TaskReadOptions | undefined): TencentApi {
  return checkApi(options?.api, cdn);
}

/**
 * Refuses a report `api` cannot read the tasks of. A report names its API: one from EdgeOne is
 * never looked up among CDN tasks (its ids mean nothing there), nor the other way round.
 * @throws {TypeError} naming both.
 */
export function checkReportApi(api: TencentApi, tasks: unknown): void {
  const made = (tasks as Partial<PrewarmReport> | null)?.api;
  if (made !== undefined && !Array.isArray(tasks) && !api.reads.includes(made)) {
    throw new TypeError(
      `Invalid option api: the report is from api "${made}", which ${api.title} cannot read; ` +
        `pass the api the run used`,
    );
  }
}

/** The call context and task reader of a poll. */
function resolvePoll(
  tasks: unknown,
  options: TaskReadOptions,
): { context: CallContext; read: (context: CallContext, taskId: string) => Promise<TaskLine[]> } {
  const api = taskReadApi(options);
  checkReportApi(api, tasks);
  if (!api.readTask) {
    throw new TypeError(
      `Invalid option api: ${api.title} cannot read task status; wait with cdn() (API 3.0 reads the same account's tasks)`,
    );
  }
  return { context: resolveCallOptions(options, api.endpoint), read: api.readTask };
}

/**
 * Asks Tencent once (API 3.0 `DescribePushTasks`, every page) where each URL of the tasks
 * stands, without waiting: what `GET /tasks?ids=` of the router answers. Errors do not throw:
 * they end the round with `error` set and the URLs not read `pending`.
 *
 * @param tasks A `PrewarmReport`, its tasks, or task ids (then the URLs are those Tencent lists).
 * @throws {TypeError} for malformed tasks or options, or missing credentials (before sending).
 */
export async function pollTasks(
  tasks: PrewarmReport | readonly PrewarmTask[] | readonly string[],
  options: TaskReadOptions = {},
): Promise<WaitResult> {
  const { context, read } = resolvePoll(tasks, options);
  const states = taskStates(tasks);
  const end = context.signal?.aborted
    ? { aborted: true as const }
    : await pollRound(context, states, read);
  return resultOf(states, {
    timedOut: false,
    aborted: end !== undefined && "aborted" in end,
    ...(end && "error" in end ? { error: end.error } : {}),
  });
}

/**
 * Waits for prefetch tasks to finish, and says for every URL of every task whether it was
 * prefetched (`done`), `failed`, `invalid` (the origin answered 4xx/5xx), still `pending`, or
 * `unknown` to Tencent. It polls API 3.0 `DescribePushTasks` (every page of each task) through
 * the account's request gate, first at once, then after `pollIntervalMs`, each pause half
 * as long again up to `maxPollIntervalMs`; a task whose URLs are all final is not read again.
 * Reads retry network failures and rate limits; an error that persists ends the wait with
 * `error` set. Once the options are checked it never throws: an aborted signal resolves with
 * `aborted: true`, and `maxWaitMs` passing with `timedOut: true`.
 *
 * @param tasks A `PrewarmReport`, its tasks, or task ids (then the URLs are those Tencent lists).
 * @throws {TypeError} for malformed tasks or options, or missing credentials (before sending).
 * @throws {RangeError} for an out-of-range interval or wait.
 *
 * @example
 * ```ts
 * import { prewarm, waitForTasks } from "@qcdn/prewarm";
 *
 * const report = await prewarm(["https://www.example.com/app.js"]);
 * const done = await waitForTasks(report, {
 *   maxWaitMs: 20 * 60_000,
 *   onProgress: (counts, ms) => console.log(Math.round(ms / 1000), counts),
 * });
 * for (const u of done.urls) if (u.status !== "done") console.log(u.status, u.url);
 * ```
 */
export async function waitForTasks(
  tasks: PrewarmReport | readonly PrewarmTask[] | readonly string[],
  options: WaitOptions = {},
): Promise<WaitResult> {
  const { context, read } = resolvePoll(tasks, options);
  const states = taskStates(tasks);
  let interval = checkNumber(
    "pollIntervalMs",
    options.pollIntervalMs,
    DEFAULT_POLL_INTERVAL_MS,
    1,
  );
  const maxInterval = Math.max(
    interval,
    checkNumber(
      "maxPollIntervalMs",
      options.maxPollIntervalMs,
      DEFAULT_MAX_POLL_INTERVAL_MS,
      1,
    ),
  );
  const maxWaitMs = checkNumber("maxWaitMs", options.maxWaitMs, DEFAULT_MAX_WAIT_MS, 0, true);
  const onProgress = optionalFunction<WaitOptions["onProgress"]>("onProgress", options.onProgress);
  const sleep = optionalFunction<NonNullable<WaitOptions["sleep"]>>("sleep", options.sleep) ??
    abortableDelay;
  const { now, signal } = context;

  const started = now();
  const deadline = started + maxWaitMs;
  for (;;) {
    if (signal?.aborted) return resultOf(states, { timedOut: false, aborted: true });
    const end = await pollRound(context, states, read);
    if (end && "aborted" in end) return resultOf(states, { timedOut: false, aborted: true });
    try {
      onProgress?.(countStatuses(resultsOf(states)), now() - started);
    } catch { /* Progress is advice; the wait goes on. */ }
    if (end) return resultOf(states, { timedOut: false, aborted: false, error: end.error });
    if (states.every((s) => s.final)) return resultOf(states, { timedOut: false, aborted: false });
    const left = deadline - now();
    if (left <= 0) return resultOf(states, { timedOut: true, aborted: false });
    try {
      await sleep(Math.min(interval, left), signal);
    } catch (error) {
      if (signal?.aborted) return resultOf(states, { timedOut: false, aborted: true });
      return resultOf(states, { timedOut: false, aborted: false, error: asTencentError(error) });
    }
    interval = Math.min(maxInterval, interval * POLL_GROWTH);
  }
}
