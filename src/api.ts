/**
 * The one seam: {@linkcode TencentApi} is "a Tencent Cloud API the engine drives". CDN API 3.0
 * prefetch (`cdn()`), CDN API 2.0 prefetch (`cdnV2()`, `./v2`), CDN purge (`cdnPurge()`,
 * `./purge`) and EdgeOne prefetch (`edgeOne()`, `./edgeone`) are four values of it, each in its
 * own module. `prewarm()`, `waitForTasks()`, the dry-run planner, the router and the command
 * line take such a value and never ask which one it is: what differs between APIs is in the
 * value (its limits, its budget, how a batch is sent and read, how its quota and its tasks are
 * read), and nowhere else.
 *
 * This entry (`@qcdn/prewarm/api`) holds what writing one's own API takes: the interface, the
 * shapes its methods answer with, and the call a batch is sent as.
 *
 * @example An API of one's own (here an in-memory fake), driven by prewarm() like any other
 * ```ts
 * import { prewarm } from "@qcdn/prewarm";
 * import type { TencentApi } from "@qcdn/prewarm/api";
 *
 * let next = 0;
 * const fake: TencentApi = {
 *   name: "fake",
 *   title: "a fake API",
 *   quotaName: "the fake quota",
 *   report: { area: "global" },
 *   endpoint: "https://fake.invalid/",
 *   action: "Submit",
 *   batchSize: { default: 2, max: 2 },
 *   dailyLimit: 10,
 *   reads: ["fake"],
 *   budgetKeys: (now) => [`fake:${new Date(now).toISOString().slice(0, 10)}`],
 *   submit: () => ({
 *     action: "Submit",
 *     sign: () => ({ url: "https://fake.invalid/", method: "POST", headers: {}, signature: "" }),
 *     parse: () => ({ taskId: `t${next++}` }),
 *   }),
 * };
 * const report = await prewarm(["https://www.example.com/a.js"], {
 *   api: fake,
 *   credentials: { secretId: "id", secretKey: "key" },
 *   fetch: () => Promise.resolve(new Response("{}")),
 * });
 * console.log(report.api, report.tasks);
 * ```
 * @module
 */
import type { TencentCloudError } from "./rules/errors.ts";
import type { ErrorRows } from "./rules/outcome.ts";
import type { Area } from "./rules/report.ts";
import type { Call, CallContext } from "./transport/send.ts";

export type { Call, CallContext, FetchLike, RawAnswer, SignedRequest } from "./transport/send.ts";
export type { BackoffPolicy } from "./transport/retry.ts";
export type { ErrorCategory, ErrorRows } from "./rules/outcome.ts";
export type { Coordinator } from "./coordinator/memory.ts";
export type { Credentials } from "./transport/credentials.ts";

/**
 * Where a URL of a task stands:
 * - `done`: prefetched (or purged);
 * - `failed`: Tencent could not do it;
 * - `invalid`: the origin answered 4xx/5xx for it;
 * - `pending`: still in process (or not read yet: polling ended early);
 * - `unknown`: Tencent does not list it (an unknown or expired task id, or a URL the task's
 *   lines leave out).
 */
export type UrlStatus = "done" | "failed" | "invalid" | "pending" | "unknown";

/** What a call that creates a task answers: its id, and the `RequestId`. */
export interface Submission {
  /** Tencent's task id. */
  taskId: string;
  /** API 2.0: the creation time as Tencent wrote it. */
  date?: string;
  /** API 3.0: the `RequestId`. */
  requestId?: string;
  /**
   * URLs of the request the service refused although it created the task (EdgeOne's
   * `FailedList`), each group with the error that says why. They are reported as failed, not
   * submitted; every other URL of the request is in the task.
   */
  failed?: { urls: string[]; error: TencentCloudError }[];
}

/** One URL of a task as an API lists it. */
export interface TaskLine {
  /** The task it belongs to. */
  taskId: string;
  /** The URL as the service lists it. */
  url: string;
  /** Where it stands (never `unknown`: a URL the service lists is known). */
  status: UrlStatus;
  /** The status as the service wrote it (`process`, `done`, `success`, …), lower-cased. */
  upstreamStatus: string;
  /** Progress, 0–100. */
  percent: number;
  /** When the service created it, as the service wrote it; empty when it did not say. */
  createTime: string;
  /** When the service last updated it, as it wrote it; empty when it did not say. */
  updateTime: string;
  /** Why it failed, as the service names it (EdgeOne's `FailType`), when it said. */
  why?: string;
}

/** One quota as an API reports it: a per-request limit and what is left today. */
export interface QuotaReading {
  /** What it counts, for people: an area (`overseas`), or the service's type (`prefetch_url`). */
  name: string;
  /** Most URLs per request (0: the service did not say). */
  batch: number;
  /** URLs per day. */
  total: number;
  /** URLs left today. */
  available: number;
  /** The budget keys (see {@linkcode TencentApi.budgetKeys}) this quota is counted under
   * locally at the time it was read; empty when it is not one the API's runs spend. */
  keys: string[];
}

/** What {@linkcode TencentApi.readQuota} answers. */
export interface QuotaAnswer {
  /** Each quota, in the service's order. */
  readings: QuotaReading[];
  /** The answer as the public describe function returns it (the router's `GET /quota` JSON). */
  answer: Record<string, unknown>;
}

/** One page of a task's lines, as the public describe function returns it. */
export interface TaskPage {
  /** The lines, as the service lists them (the router's `GET /tasks/:id` JSON). */
  logs: readonly object[];
  /** How many lines match in all (more than `logs` when paged). */
  totalCount: number;
  /** Tencent's `RequestId`. */
  requestId?: string;
}

/** Which tasks {@linkcode TencentApi.findTasks} lists: those created in a window, of one host
 * or of every host. */
export interface TaskSearch {
  /** The hostname the URLs share (lower case); every host's when absent. */
  host?: string;
  /** Earliest creation time, in ms since the epoch. */
  from: number;
  /** Latest creation time, in ms since the epoch. */
  to: number;
}

/** The fields every report of an API carries besides its lists. */
export interface ApiReportFields {
  /** Where content is warmed (a service that decides by itself says `"global"`). */
  area: Area;
  /** EdgeOne: the zone (site). */
  zoneId?: string;
}

/** What {@linkcode TencentApi.afterRun} learns of a run. */
export interface RunSummary {
  /** Whether the caller asked for quota reads (`checkQuota`). */
  readonly checkQuota: boolean;
  /** How many tasks the run created. */
  readonly tasks: number;
  /** This run's quotas (those its budget keys count against), read now. */
  quotas(): Promise<QuotaReading[]>;
}

/**
 * A Tencent Cloud API the engine drives. Make one with `cdn()`, `cdnV2()`, `cdnPurge()` or
 * `edgeOne()`; a test may write its own (an in-memory fake with its own limits and statuses).
 * Every method may be called concurrently; a value holds no state of a run.
 */
export interface TencentApi {
  /** The report's `api`: `"v3"`, `"v2"`, `"purge"`, `"teo"`, or a test's own name. */
  readonly name: string;
  /** What it is, for people: `"CDN API 3.0 PushUrlsCache, area overseas"`. */
  readonly title: string;
  /** Where its quota is counted, for people: `"the overseas area"`, `"EdgeOne zone z-1"`. */
  readonly quotaName: string;
  /** The fields every report of it carries. */
  readonly report: Readonly<ApiReportFields>;
  /** The endpoint when the options name none. */
  readonly endpoint: string;
  /** The action a batch is sent as: the request gate counts each action apart. */
  readonly action: string;
  /**
   * Its own error rows, on top of the shared ones: what its codes mean and what to do about
   * them. Its calls classify with them; readers that say the advice in their own words (the
   * command line, the router) read them too.
   */
  readonly errors?: ErrorRows;
  /** URLs per request: the default, and the most the options may set. */
  readonly batchSize: { readonly default: number; readonly max: number };
  /** URLs per Beijing-time day when the options set no `dailyLimit`. */
  readonly dailyLimit: number;
  /** The names of reports whose tasks {@linkcode TencentApi.readTask} can read (its own name
   * first: API 3.0 reads the tasks of API 2.0 runs too). */
  readonly reads: readonly string[];
  /**
   * Runs once every batch has settled, for what the local budget cannot count in advance
   * (`cdn({ parseM3U8 })`: playlist segments spend quota too). Returns a warning for the
   * report, if any; a failure becomes the warning.
   */
  afterRun?(context: CallContext, run: RunSummary): Promise<string | undefined>;
  /** The budget keys (one per quota it counts against) a URL submitted at `now` (ms) spends. */
  budgetKeys(now: number): string[];
  /** The call that submits one batch, signed at send time for `context`. */
  submit(urls: readonly string[], context: CallContext): Call<Submission>;
  /** The action {@linkcode TencentApi.readQuota} calls (messages name it). */
  readonly quotaAction?: string;
  /** Reads today's quota: the per-request limit and what is left, for each quota. */
  readQuota?(context: CallContext): Promise<QuotaAnswer>;
  /** The action {@linkcode TencentApi.readTask} calls (messages name it). */
  readonly tasksAction?: string;
  /** Every line of one task, all pages read, statuses mapped. */
  readTask?(context: CallContext, taskId: string): Promise<TaskLine[]>;
  /** One page of a task's lines as the public describe function returns it. */
  describeTask?(
    context: CallContext,
    taskId: string,
    page: { offset?: number; limit?: number },
  ): Promise<TaskPage>;
  /** Every line of the tasks a search selects, all pages read: how a batch whose answer was
   * lost is found, and how the command line's `status --url` looks a URL up. */
  findTasks?(context: CallContext, search: TaskSearch): Promise<TaskLine[]>;
  /**
   * A variant with settings from a caller (the router's JSON body: `area`, `PushUrlsCache`
   * parameters), checked as its factory checks them.
   * @throws {TypeError} naming a setting the API does not take. @throws {RangeError}
   */
  configure?(settings: Readonly<Record<string, unknown>>): TencentApi;
  /** The names {@linkcode TencentApi.configure} takes. */
  readonly settings?: readonly string[];
  /** The settings it was made with, which {@linkcode TencentApi.configure} starts from (the
   * router keeps the operator's `headers` when a caller adds its own). */
  readonly options?: Readonly<Record<string, unknown>>;
}
