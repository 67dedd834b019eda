/**
 * `cdn()`: CDN API 3.0 prefetch, the default API of `prewarm()`. A batch is one
 * `PushUrlsCache` request (one task); `DescribePushQuota` reads the quota of each area;
 * `DescribePushTasks` reads the status of each URL of a task, and finds the tasks of a host.
 * @module
 */
import type { RunSummary, TaskLine, TaskSearch, TencentApi } from "../api.ts";
import type { CallContext } from "../transport/send.ts";
import {
  beijingTime,
  pageFields,
  type PushLog,
  readAllPushTasks,
  readPushTasks,
  readQuotaAnswer,
} from "./cdn_reads.ts";
import { oneOf } from "../rules/option_checks.ts";
import {
  PUSH_PARAMETERS,
  pushFields,
  type PushParameters,
  withUrlEncode,
} from "./push_parameters.ts";
import { budgetKeys, DAY_MS, quotaAreas } from "../rules/budget_day.ts";
import { type Area, AREAS } from "../rules/report.ts";
import { V3_ENDPOINT, v3TaskCall } from "../transport/v3.ts";

/** Options of {@linkcode cdn}: where to prefetch, and the optional `PushUrlsCache` parameters. */
export interface CdnOptions extends PushParameters {
  /** Where to prefetch. Always sent (the server would default to mainland); `global` spends
   * both the mainland and the overseas quota. @default {"overseas"} */
  area?: Area;
}

/** The value {@linkcode cdn} returns. */
export interface CdnApi extends TencentApi {
  /** The report's `api`. */
  readonly name: "v3";
  /** The area every batch is sent to. */
  readonly area: Area;
  /** The options it was made with (checked). */
  readonly options: Readonly<CdnOptions>;
  /** A variant with a caller's settings (`area` and the `PushUrlsCache` parameters). */
  configure(settings: Readonly<Record<string, unknown>>): CdnApi;
}

/** URLs per `PushUrlsCache` request (its runtime value is `DescribePushQuota` → `Batch`). */
const CDN_BATCH_SIZE = 500;
/** URLs per account, area and day, as documented for prefetch. */
const CDN_DAILY_LIMIT = 1000;

/** What `configure()` takes (a function: a spread list would stay in every bundle of the
 * module, `prewarm()`'s included). */
const settingNames = (): readonly string[] => ["area", ...PUSH_PARAMETERS];

/** A `DescribePushTasks` line in the terms of `waitForTasks()`. */
export function pushTaskLine(log: PushLog): TaskLine {
  return {
    taskId: log.taskId,
    url: log.url,
    status: log.status === "done"
      ? "done"
      : log.status === "fail"
      ? "failed"
      : log.status === "invalid"
      ? "invalid"
      : "pending",
    upstreamStatus: log.status,
    percent: log.percent,
    createTime: log.createTime,
    updateTime: log.updateTime,
  };
}

/** The `DescribePushTasks` (or `DescribePurgeTasks`) fields that select a host's tasks in a
 * window: `Keyword` is documented to take a domain, so the window is what narrows it. */
export function hostSearch(search: TaskSearch): Record<string, unknown> {
  return {
    StartTime: beijingTime(search.from, "floor"),
    EndTime: beijingTime(search.to, "ceil"),
    ...(search.host !== undefined && { Keyword: search.host }),
  };
}

/** Whether an API value is a {@linkcode cdn} one (purging first is CDN's). */
export function isCdn(api: TencentApi): api is CdnApi {
  return api.name === "v3" && typeof (api as CdnApi).area === "string" &&
    typeof (api as CdnApi).options === "object";
}

/**
 * CDN API 3.0 prefetch (`PushUrlsCache`), for `prewarm(urls, { api: cdn({ area: "global" }) })`.
 * `prewarm()` uses `cdn()` when no `api` is given. Its local budget is counted per area and
 * Beijing day (`push:<area>:<day>`; `global` spends both areas), its default `dailyLimit` is
 * 1000 and its batches hold up to 500 URLs.
 *
 * @param options The area and the optional `PushUrlsCache` parameters.
 * @throws {TypeError} for an unknown area or a parameter of the wrong kind.
 * @throws {RangeError} for too many headers, or a header name or value too long.
 *
 * @example
 * ```ts
 * import { cdn, prewarm } from "@qcdn/prewarm";
 *
 * const report = await prewarm(["https://www.example.com/live/index.m3u8"], {
 *   api: cdn({ area: "global", parseM3U8: true, userAgent: "prewarm/1.0" }),
 * });
 * console.log(report.area, report.tasks.length);
 * ```
 */
export function cdn(options: CdnOptions = {}): CdnApi {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Invalid options: expected an object, got ${String(options)}`);
  }
  const area = oneOf("area", options.area, AREAS, "overseas");
  const push = pushFields(options);
  const names = settingNames();
  return Object.freeze({
    ...prefetch(area, push),
    ...TASK_READS,
    ...(push.ParseM3U8 === true && { afterRun: bookPlaylistSegments }),
    name: "v3" as const,
    area,
    options: Object.freeze({ ...options }),
    settings: names,
    configure: (settings: Readonly<Record<string, unknown>>) => {
      const unknown = Object.keys(settings).find((name) => !names.includes(name));
      if (unknown !== undefined) {
        throw new TypeError(
          `Invalid setting ${unknown}: expected one of ${names.join(", ")}`,
        );
      }
      return cdn({ ...options, ...settings } as CdnOptions);
    },
  });
}

/**
 * How `cdn()` reads tasks: what `waitForTasks()`, `recoverLostTasks()` and the command line
 * call, not `prewarm()`.
 */
const TASK_READS: Pick<TencentApi, "readTask" | "describeTask" | "findTasks"> = {
  readTask: async (context: CallContext, taskId: string) =>
    (await readAllPushTasks(context, { TaskId: taskId })).logs.map(pushTaskLine),
  describeTask: (
    context: CallContext,
    taskId: string,
    page: { offset?: number; limit?: number },
  ) => readPushTasks(context, { TaskId: taskId, ...pageFields(page) }),
  findTasks: async (context: CallContext, search: TaskSearch) =>
    (await readAllPushTasks(context, hostSearch(search))).logs.map(pushTaskLine),
};

/**
 * Playlist segments (`ParseM3U8`) spend quota the local budget cannot count in advance: the
 * report warns. With `checkQuota`, what Tencent counts as used beyond what the budget counts
 * (spent or held) is booked as spent, so nothing is counted twice; a quota with nothing left
 * is exhausted.
 */
async function bookPlaylistSegments(
  { coordinator, account, now: clock }: CallContext,
  run: RunSummary,
): Promise<string | undefined> {
  const warning =
    "parseM3U8: playlist segments spent quota too, how much is unknown in advance; the local budget";
  if (run.tasks === 0) return undefined;
  if (!run.checkQuota) return `${warning} counts listed URLs only: set checkQuota`;
  try {
    const now = clock();
    for (const q of await run.quotas()) {
      const { spent, held } = await coordinator.usage(account, q.keys[0]!, now);
      const extra = q.total - q.available - spent - held;
      if (q.available <= 0) await coordinator.exhaust(account, q.keys, now);
      else if (extra > 0) {
        const { id, granted } = await coordinator.hold(account, {
          keys: q.keys,
          count: extra,
          limit: Infinity,
          leaseMs: DAY_MS, // Settled at once: any length would do.
          now,
        });
        await coordinator.settle(account, id, granted, 0, now);
      }
    }
    return `${warning} was reconciled with DescribePushQuota`;
  } catch (error) {
    return `${warning} could not be reconciled: ${(error as Error)?.message ?? error}`;
  }
}

/**
 * `prewarm()`'s API when none is given: `cdn()`'s, area overseas and no `PushUrlsCache`
 * parameter, without what only a caller's settings need (their checks, `configure()`) nor what
 * only `waitForTasks()` and `recoverLostTasks()` read (a task's status, a host's tasks), so that
 * a bundle of `prewarm()` alone carries none of them.
 */
export function defaultCdn(): TencentApi {
  return Object.freeze(prefetch("overseas", {}));
}

/** CDN API 3.0 prefetch to `area`, with `PushUrlsCache` fields already checked. */
function prefetch(area: Area, push: Readonly<Record<string, unknown>>): TencentApi {
  const areas = quotaAreas(area);
  return {
    name: "v3",
    title: `CDN API 3.0 PushUrlsCache, area ${area}`,
    quotaName: `the ${areas.join(" and ")} area${areas.length > 1 ? "s" : ""}`,
    report: Object.freeze({ area }),
    endpoint: V3_ENDPOINT,
    action: "PushUrlsCache",
    batchSize: { default: CDN_BATCH_SIZE, max: 10_000 },
    dailyLimit: CDN_DAILY_LIMIT,
    reads: ["v3", "v2"],
    budgetKeys: (now: number) => budgetKeys(area, now),
    submit: (urls: readonly string[], context: CallContext) =>
      v3TaskCall(
        context,
        "PushUrlsCache",
        withUrlEncode({ Urls: urls, Area: area, ...push }, urls),
      ),
    quotaAction: "DescribePushQuota",
    readQuota: (context: CallContext) => readQuotaAnswer(context),
    tasksAction: "DescribePushTasks",
  };
}
