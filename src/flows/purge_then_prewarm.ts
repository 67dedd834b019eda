/**
 * The purge-first flow behind `./purge`: run the purge API (`cdnPurge()`) through the engine,
 * wait for its tasks with the one waiting loop (`waitForTasks()`), then run the prefetch API
 * for what was purged, and join the two reports.
 * @module
 */
import type { UrlStatus } from "../api.ts";
import { cdn, type CdnApi, isCdn } from "../apis/cdn.ts";
import { cdnPurge } from "../apis/cdn_purge.ts";
import { localError, TencentCloudError } from "../rules/errors.ts";
import {
  checkApi,
  type PrewarmOptions,
  type ResolvedPrewarmOptions,
  resolvePrewarmOptions,
} from "../engine/options.ts";
import { integer, MAX_TIMER_MS, optionalFunction } from "../rules/option_checks.ts";
import { runAndRecover } from "../engine/recover.ts";
import {
  countReport,
  type FailedBatch,
  type PrewarmReport,
  type PrewarmTask,
  type RejectedUrl,
} from "../rules/report.ts";
import type { FetchLike } from "../transport/send.ts";
import { waitForTasks, type WaitOptions, type WaitResult } from "../engine/wait.ts";

/** A sleep that rejects with the signal's reason as soon as it aborts (`waitForTasks()`'s). */
export type Sleep = NonNullable<WaitOptions["sleep"]>;

/** Options of {@linkcode purgeThenPrewarm}: those of `prewarm()` and the purge's own. */
export interface PurgeThenPrewarmOptions extends Omit<PrewarmOptions, "api"> {
  /** The prefetch, which sets the purge's area and `urlEncode` too: purging first is CDN's
   * (`PurgeUrlsCache` then `PushUrlsCache`). @default {cdn()} */
  api?: CdnApi;
  /**
   * URLs this account may purge per Beijing-time day and area, counted in the coordinator
   * apart from prefetches (`DescribePurgeQuota` is always asked too); `Infinity` turns the
   * local purge budget off. @default {10000}
   */
  purgeDailyLimit?: number;
  /** URLs per `PurgeUrlsCache` request (`DescribePurgeQuota`'s `Batch` caps it). @default {1000} */
  purgeBatchSize?: number;
  /** Milliseconds between two `DescribePurgeTasks` rounds. @default {15000} */
  purgePollMs?: number;
  /**
   * How long to wait for the purges (Tencent: about 5 minutes); URLs whose purge is not done
   * by then are failed, not prefetched. @default {900000} (15 minutes)
   */
  purgeWaitMs?: number;
  /** The sleep between rounds, on the clock of `now`: tests pass one that moves a fake clock.
   * @default {an abortable setTimeout} */
  sleep?: Sleep;
}

/** What {@linkcode purgeThenPrewarm} returns: the prefetch report, and the purges before it. */
export interface PurgeThenPrewarmReport extends PrewarmReport {
  /**
   * The `PurgeUrlsCache` tasks, each with its URLs. A URL whose purge failed (or was not done
   * in time) is in `failed`, with that reason, and was not prefetched.
   */
  purgeTasks: PrewarmTask[];
}

const NOT_PREFETCHED = "so it was not prefetched (it would warm stale content)";

/** {@linkcode PurgeThenPrewarmOptions} checked, with their defaults applied. */
export interface ResolvedPurgeOptions {
  /** The options of the prefetch. */
  resolved: ResolvedPrewarmOptions;
  /** The options the purge batches run with. */
  purging: ResolvedPrewarmOptions;
  /** Milliseconds between status rounds. */
  pollMs: number;
  /** Milliseconds to wait for the purges. */
  waitMs: number;
}

/**
 * Checks {@linkcode PurgeThenPrewarmOptions} (the router checks its defaults with it).
 * @throws {TypeError} for malformed options, or an `api` that is not `cdn()` (only CDN purges).
 * @throws {RangeError} for numbers out of range.
 */
export function resolvePurgeOptions(options: PurgeThenPrewarmOptions = {}): ResolvedPurgeOptions {
  const api = checkApi(options?.api, cdn);
  if (!isCdn(api)) {
    throw new TypeError(
      `Invalid option api: expected cdn() to purge first (PurgeUrlsCache is CDN API 3.0's), got ${api.title}`,
    );
  }
  const resolved = resolvePrewarmOptions({ ...options, api });
  const prefetch = resolved.api as CdnApi;
  const purge = cdnPurge({ area: prefetch.area, urlEncode: prefetch.options.urlEncode });
  const purging: ResolvedPrewarmOptions = {
    ...resolved,
    api: purge,
    batchSize: integer(
      "purgeBatchSize",
      options.purgeBatchSize,
      purge.batchSize.default,
      1,
      10_000,
    ),
    dailyLimit: integer("purgeDailyLimit", options.purgeDailyLimit, purge.dailyLimit, 0),
    dailyLimitOption: "purgeDailyLimit",
    checkQuota: true,
    onProgress: undefined,
  };
  const result: ResolvedPurgeOptions = {
    resolved,
    purging,
    pollMs: integer("purgePollMs", options.purgePollMs, 15_000, 1, MAX_TIMER_MS),
    waitMs: integer("purgeWaitMs", options.purgeWaitMs, 900_000, 0, 24 * 3600_000),
  };
  // Checked before anything is sent; waitForTasks() takes it from the options themselves.
  optionalFunction("sleep", options.sleep);
  return result;
}

/** The same error, saying the URL was not prefetched (the prefetch was certainly not sent). */
function notPrefetched(error: TencentCloudError, what: string): TencentCloudError {
  const why = `${what}, ${NOT_PREFETCHED}: `;
  return new TencentCloudError({
    ...error.toJSON(),
    retryable: false,
    maybeSubmitted: false,
    summary: why + (error.summary ?? error.message),
    message: why + error.message,
  });
}

/** Why a purged URL in `status` is not prefetched; `undefined` when it is (`done`). */
function purgeProblem(
  status: UrlStatus,
  taskId: string,
  wait: WaitResult,
  waitMs: number,
): TencentCloudError | undefined {
  // Its advice (purge and prefetch again) is in the purge's own rows (PURGE_ERRORS), by code.
  const error = (code: string, category: TencentCloudError["category"], summary: string) =>
    localError(code, category, summary, {
      retryable: false,
      maybeSubmitted: false,
    });
  switch (status) {
    case "done":
      return undefined;
    case "failed":
    case "invalid":
      return error(
        "PurgeFailed",
        "server",
        `Tencent Cloud reports the purge of these URLs failed (task ${taskId}), ${NOT_PREFETCHED}`,
      );
    case "unknown":
      return error(
        "PurgeFailed",
        "server",
        `Tencent Cloud does not list these URLs in purge task ${taskId}, ${NOT_PREFETCHED}`,
      );
    case "pending":
      return wait.error ? notPrefetched(wait.error, "The purge could not be confirmed") : error(
        "PurgeTimeout",
        "timeout",
        `The purge was not done within purgeWaitMs (${waitMs} ms), ${NOT_PREFETCHED}`,
      );
  }
}

/** Reads the input once, noting each string's first position (reports list it in order). */
function noteOrder(
  urls: Iterable<string> | AsyncIterable<string>,
  order: Map<string, number>,
): Iterable<string> | AsyncIterable<string> {
  const note = (url: string) => {
    if (!order.has(url)) order.set(url, order.size);
    return url;
  };
  if (typeof urls === "object" && urls !== null && Symbol.iterator in urls) {
    return (function* () {
      for (const url of urls) yield note(url);
    })();
  }
  if (typeof urls === "object" && urls !== null && Symbol.asyncIterator in urls) {
    return (async function* () {
      for await (const url of urls) yield note(url);
    })();
  }
  return urls; // The engine refuses it with its own message.
}

/**
 * Purges the URLs, waits until the purges are done, then prefetches the URLs whose purge
 * succeeded: `PurgeUrlsCache` for the same URLs and area (`global`: the domain's areas), in
 * batches through the same request gate, retries and outcome policy as `prewarm()`, within
 * the purge's own daily budget (its own coordinator keys, `purge:<area>:<day>`, capped by
 * `DescribePurgeQuota`); then `waitForTasks()` on the purge tasks (`DescribePurgeTasks`) every
 * `purgePollMs` until each URL is `done` or `fail` (or `purgeWaitMs` passes); then `prewarm()`
 * of the purged URLs. After each of the two runs, `recoverLostTasks()` looks up the batches whose
 * answer was lost: a purge found is waited for, a prefetch found is a task (`recovered: true`).
 *
 * Every input string comes back exactly once, as in `prewarm()`. A URL whose purge failed, was
 * refused or was not done in time is never prefetched: it is in `failed` with that reason
 * (`maybeSubmitted: false`: the prefetch was not sent). `purgeTasks` lists the purges;
 * `counts.requests` counts every request, purges and status reads included.
 *
 * @param urls The URLs: any iterable or async iterable of strings.
 * @param options `prewarm()`'s options and the purge's (see {@linkcode PurgeThenPrewarmOptions}).
 * @returns The report, with the purge tasks.
 * @throws {TypeError} for malformed options (only `cdn()` purges) or a non-string URL entry.
 * @throws {RangeError} for numeric options out of range.
 */
export async function purgeThenPrewarm(
  urls: Iterable<string> | AsyncIterable<string>,
  options: PurgeThenPrewarmOptions = {},
): Promise<PurgeThenPrewarmReport> {
  const { resolved, purging, pollMs, waitMs } = resolvePurgeOptions(options);
  resolved.signal?.throwIfAborted();

  const order = new Map<string, number>();
  // A purge whose answer was lost is looked up (the purge API lists its tasks): one found is
  // waited for and prefetched like any other.
  const purged = await runAndRecover(noteOrder(urls, order), purging);
  const rejected: RejectedUrl[] = purged.rejected.map((r) =>
    r.reason === "invalid-url" || r.reason === "duplicate"
      ? r
      : { ...r, detail: `Not purged, so not prefetched: ${r.detail}` }
  );
  // Whatever the purge did, the prefetch of these URLs was certainly not sent.
  const failed: FailedBatch[] = purged.failed.map(({ sentAt: _, ...f }) => ({
    ...f,
    error: notPrefetched(f.error, "PurgeUrlsCache failed"),
    maybeSubmitted: false,
  }));
  let reads = 0;
  let aborted = purged.aborted;
  let wait: WaitResult | undefined;
  if (!aborted && purged.tasks.length > 0) {
    // The status reads share the run's fetch, counted into the report's requests.
    const base: FetchLike = resolved.fetch;
    wait = await waitForTasks(purged.tasks, {
      ...options,
      api: purging.api,
      fetch: (input, init) => (reads++, base(input, init)),
      coordinator: resolved.coordinator,
      pollIntervalMs: pollMs,
      maxPollIntervalMs: pollMs,
      maxWaitMs: waitMs,
      onProgress: undefined,
    });
    aborted = wait.aborted;
  }
  const done: string[] = [];
  if (aborted || !wait) {
    for (const url of purged.tasks.flatMap((task) => task.urls)) {
      rejected.push({
        url,
        reason: "aborted",
        detail: "The run was aborted after the purge, before this URL was prefetched",
      });
    }
  } else {
    const statusOf = new Map(wait.urls.map((u) => [u.url, u.status]));
    for (const task of purged.tasks) {
      // One failed entry per task and status, its URLs in the task's order.
      const byStatus = new Map<UrlStatus, string[]>();
      for (const url of task.urls) {
        const status = statusOf.get(url) ?? "unknown";
        const urls = byStatus.get(status);
        if (urls) urls.push(url);
        else byStatus.set(status, [url]);
      }
      for (const [status, urls] of byStatus) {
        const error = purgeProblem(status, task.taskId, wait, waitMs);
        if (error === undefined) done.push(...urls);
        else failed.push({ host: task.host, urls, error, maybeSubmitted: false });
      }
    }
  }
  aborted ||= resolved.signal?.aborted === true;
  let prefetched: PrewarmReport | undefined;
  if (done.length > 0 && !aborted) {
    done.sort((a, b) => order.get(a)! - order.get(b)!);
    prefetched = await runAndRecover(done, resolved);
  }
  const position = (entry: { urls: string[] }) => order.get(entry.urls[0]!) ?? 0;
  failed.push(...prefetched?.failed ?? []);
  failed.sort((a, b) => position(a) - position(b));
  rejected.push(...prefetched?.rejected ?? []);
  const lists = { tasks: prefetched?.tasks ?? [], rejected, failed };
  const requests = purged.counts.requests + reads + (prefetched?.counts.requests ?? 0);
  return {
    api: resolved.api.name,
    ...resolved.api.report,
    ...lists,
    counts: countReport(lists, requests),
    aborted: aborted || prefetched?.aborted === true,
    ...(prefetched?.warnings && { warnings: prefetched.warnings }),
    purgeTasks: purged.tasks,
  };
}
