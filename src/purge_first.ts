/**
 * The purge-first flow behind `./purge`: the purge batches (the prefetch engine with
 * `PurgeUrlsCache`), the wait for `DescribePurgeTasks`, the prefetch of what was purged, and
 * the report that joins them.
 * @module
 */
import { readV3 } from "./describe.ts";
import { TencentCloudError } from "./errors.ts";
import {
  integer,
  optionalFunction,
  type PrewarmOptions,
  type ResolvedPrewarmOptions,
  resolvePrewarmOptions,
} from "./options.ts";
import { pollUntil, type Sleep } from "./poll.ts";
import { type BatchOperation, runBatches } from "./prewarm.ts";
import { withUrlEncode } from "./push_parameters.ts";
import {
  countReport,
  type FailedBatch,
  type PrewarmReport,
  type PrewarmTask,
  type RejectedUrl,
} from "./report.ts";
import type { CallContext } from "./send.ts";

export type { Sleep } from "./poll.ts";

/** Options of {@linkcode purgeThenPrewarm}: those of `prewarm()` and the purge's own. */
export interface PurgeThenPrewarmOptions extends PrewarmOptions {
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

const PURGE_DAILY_LIMIT = 10_000;
const PURGE_BATCH = 1000;
// DescribePurgeTasks pages; a purge task of ours holds at most purgeBatchSize URLs.
const PAGE = 1000;
const NOT_PREFETCHED = "so it was not prefetched (it would warm stale content)";

function purgeOperation(urlEncode: unknown): BatchOperation {
  return {
    kind: "purge",
    quota: ["DescribePurgeQuota", "UrlPurge"],
    // Without Area Tencent purges the domain's acceleration areas: what "global" means here.
    batch: (urls, o) => [
      "PurgeUrlsCache",
      withUrlEncode({
        Urls: urls,
        ...(o.area !== "global" && { Area: o.area }),
        ...(urlEncode !== undefined && { UrlEncode: urlEncode }),
      }, urls),
    ],
  };
}

/** The final state of a purged URL: done, or the error that keeps it from being prefetched. */
type PurgeState = "done" | TencentCloudError;

function purgeError(code: string, category: TencentCloudError["category"], message: string) {
  return new TencentCloudError({
    code,
    category,
    retryable: false,
    maybeSubmitted: false,
    message,
  });
}

/** The same error, saying the URL was not prefetched (the prefetch was certainly not sent). */
function notPrefetched(error: TencentCloudError, what: string): TencentCloudError {
  return new TencentCloudError({
    ...error.toJSON(),
    retryable: false,
    maybeSubmitted: false,
    message: `${what}, ${NOT_PREFETCHED}: ${error.message}`,
  });
}

/** Every log line of a purge task: `DescribePurgeTasks` by task id, page by page. */
async function purgeLogs(context: CallContext, taskId: string) {
  const logs: { url: string; status: string }[] = [];
  for (;;) {
    const answer = await readV3(context, "DescribePurgeTasks", {
      TaskId: taskId,
      Offset: logs.length,
      Limit: PAGE,
    });
    const page = Array.isArray(answer.PurgeLogs) ? answer.PurgeLogs : [];
    for (const line of page as Record<string, unknown>[]) {
      logs.push({ url: String(line?.Url ?? ""), status: String(line?.Status ?? "").toLowerCase() });
    }
    if (page.length === 0 || logs.length >= Number(answer.TotalCount)) return logs;
  }
}

/**
 * Waits until every URL of the purge tasks is `done` or `fail`, or the time is up. A URL
 * Tencent lists percent-encoded (it was sent with non-ASCII characters) is matched too.
 */
async function waitForPurges(
  context: CallContext,
  tasks: readonly PrewarmTask[],
  options: { pollMs: number; waitMs: number; sleep?: Sleep },
): Promise<Map<string, PurgeState>> {
  const states = new Map<string, PurgeState>();
  let pending = [...tasks];
  const finished = await pollUntil(async () => {
    const still: PrewarmTask[] = [];
    for (const task of pending) {
      let logs;
      try {
        logs = await purgeLogs(context, task.taskId);
      } catch (error) {
        if (!(error instanceof TencentCloudError)) throw error;
        const failure = notPrefetched(error, "The purge could not be confirmed");
        for (const url of task.urls) states.set(url, failure);
        continue;
      }
      const status = new Map(logs.map((log) => [log.url, log.status]));
      const failure = purgeError(
        "PurgeFailed",
        "server",
        `Tencent Cloud reports the purge of these URLs failed (task ${task.taskId}), ${NOT_PREFETCHED}. Purge and prefetch them again`,
      );
      let open = false;
      for (const url of task.urls) {
        const seen = status.get(url) ?? status.get(encoded(url));
        if (seen === "done") states.set(url, "done");
        else if (seen === "fail") states.set(url, failure);
        else open = true;
      }
      if (open) still.push(task);
    }
    pending = still;
    return pending.length === 0;
  }, {
    intervalMs: options.pollMs,
    timeoutMs: options.waitMs,
    now: context.now,
    ...(options.sleep && { sleep: options.sleep }),
    ...(context.signal && { signal: context.signal }),
  });
  if (!finished) {
    const late = purgeError(
      "PurgeTimeout",
      "timeout",
      `The purge was not done within purgeWaitMs (${options.waitMs} ms), ${NOT_PREFETCHED}. Check it with DescribePurgeTasks, then prefetch it`,
    );
    for (const task of pending) {
      for (const url of task.urls) if (!states.has(url)) states.set(url, late);
    }
  }
  return states;
}

function encoded(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
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
  /** The sleep between rounds. */
  sleep?: Sleep;
}

/**
 * Checks {@linkcode PurgeThenPrewarmOptions} (the router checks its defaults with it).
 * @throws {TypeError} for malformed options, or api `"v2"` (API 2.0 cannot purge).
 * @throws {RangeError} for numbers out of range.
 */
export function resolvePurgeOptions(options: PurgeThenPrewarmOptions = {}): ResolvedPurgeOptions {
  const resolved = resolvePrewarmOptions(options);
  if (resolved.api !== "v3") {
    throw new TypeError(
      `Invalid option api: expected "v3" to purge first (PurgeUrlsCache is an API 3.0 action), got "${resolved.api}"`,
    );
  }
  const purging: ResolvedPrewarmOptions = {
    ...resolved,
    batchSize: integer("purgeBatchSize", options.purgeBatchSize, PURGE_BATCH, 1, 10_000),
    dailyLimit: integer("purgeDailyLimit", options.purgeDailyLimit, PURGE_DAILY_LIMIT, 0),
    checkQuota: true,
    push: {},
    onProgress: undefined,
  };
  const result: ResolvedPurgeOptions = {
    resolved,
    purging,
    pollMs: integer("purgePollMs", options.purgePollMs, 15_000, 1, 2 ** 31 - 1),
    waitMs: integer("purgeWaitMs", options.purgeWaitMs, 900_000, 0, 24 * 3600_000),
  };
  const sleep = optionalFunction<Sleep>("sleep", options.sleep);
  if (sleep) result.sleep = sleep;
  return result;
}

/**
 * Purges the URLs, waits until the purges are done, then prefetches the URLs whose purge
 * succeeded: `PurgeUrlsCache` for the same URLs and area (`global`: the domain's areas), in
 * batches through the same request gate, retries and outcome policy as `prewarm()`, within
 * the purge's own daily budget (its own coordinator keys, `purge:<area>:<day>`, capped by
 * `DescribePurgeQuota`); then `DescribePurgeTasks` every `purgePollMs` until each URL is
 * `done` or `fail` (or `purgeWaitMs` passes); then `prewarm()` of the purged URLs.
 *
 * Every input string comes back exactly once, as in `prewarm()`. A URL whose purge failed, was
 * refused or was not done in time is never prefetched: it is in `failed` with that reason
 * (`maybeSubmitted: false`: the prefetch was not sent). `purgeTasks` lists the purges;
 * `counts.requests` counts every request, purges and status reads included.
 *
 * @param urls The URLs: any iterable or async iterable of strings.
 * @param options `prewarm()`'s options and the purge's (see {@linkcode PurgeThenPrewarmOptions}).
 * @returns The report, with the purge tasks.
 * @throws {TypeError} for malformed options (API 2.0 cannot purge) or a non-string URL entry.
 * @throws {RangeError} for numeric options out of range.
 */
export async function purgeThenPrewarm(
  urls: Iterable<string> | AsyncIterable<string>,
  options: PurgeThenPrewarmOptions = {},
): Promise<PurgeThenPrewarmReport> {
  const { resolved, purging, pollMs, waitMs, sleep } = resolvePurgeOptions(options);
  resolved.signal?.throwIfAborted();

  const order = new Map<string, number>();
  const purged = await runBatches(
    noteOrder(urls, order),
    purging,
    purgeOperation(resolved.push.UrlEncode),
  );
  let reads = 0;
  const context: CallContext = { ...resolved, onAttempt: () => reads++ };
  const rejected: RejectedUrl[] = purged.rejected.map((r) =>
    r.reason === "invalid-url" || r.reason === "duplicate" ? r : {
      ...r,
      // The engine names the budget it ran with: here, the purge's.
      detail: `Not purged, so not prefetched: ${
        r.detail.replace("(dailyLimit", "(purgeDailyLimit")
      }`,
    }
  );
  const failed: FailedBatch[] = purged.failed.map((f) => ({
    ...f,
    error: notPrefetched(f.error, "PurgeUrlsCache failed"),
    maybeSubmitted: false,
  }));
  let states = new Map<string, PurgeState>();
  let aborted = purged.aborted;
  if (!aborted && purged.tasks.length > 0) {
    try {
      states = await waitForPurges(context, purged.tasks, { pollMs, waitMs, sleep });
    } catch (error) {
      if (!resolved.signal?.aborted) throw error;
      aborted = true;
    }
  }
  aborted ||= resolved.signal?.aborted === true;
  const done: string[] = [];
  for (const task of purged.tasks) {
    const failures = new Map<TencentCloudError, string[]>();
    for (const url of task.urls) {
      const state = states.get(url);
      if (aborted) {
        rejected.push({
          url,
          reason: "aborted",
          detail: "The run was aborted after the purge, before this URL was prefetched",
        });
      } else if (state === "done") done.push(url);
      else if (state) failures.set(state, [...failures.get(state) ?? [], url]);
    }
    for (const [error, urls] of failures) {
      failed.push({ host: task.host, urls, error, maybeSubmitted: false });
    }
  }
  let prefetched: PrewarmReport | undefined;
  if (done.length > 0) {
    done.sort((a, b) => order.get(a)! - order.get(b)!);
    prefetched = await runBatches(done, resolved);
  }
  const position = (entry: { urls: string[] }) => order.get(entry.urls[0]!) ?? 0;
  failed.push(...prefetched?.failed ?? []);
  failed.sort((a, b) => position(a) - position(b));
  rejected.push(...prefetched?.rejected ?? []);
  const lists = { tasks: prefetched?.tasks ?? [], rejected, failed };
  const requests = purged.counts.requests + reads + (prefetched?.counts.requests ?? 0);
  return {
    api: resolved.api,
    area: resolved.area,
    ...lists,
    counts: countReport(lists, requests),
    aborted: aborted || prefetched?.aborted === true,
    ...(prefetched?.warnings && { warnings: prefetched.warnings }),
    purgeTasks: purged.tasks,
  };
}
