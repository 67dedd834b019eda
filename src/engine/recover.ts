/**
 * Finding the tasks of batches whose answer was lost: {@linkcode recoverLostTasks}, a step after
 * a run (not inside it, so that `prewarm()` alone stays small). A timeout, a dropped connection
 * or a server failure leaves a batch `maybeSubmitted`: Tencent may have created its task, and
 * only a listing of the host's tasks around the send can tell.
 * @module
 */
import type { TaskLine, TencentApi } from "../api.ts";
import {
  countReport,
  type FailedBatch,
  INPUT_PLACE,
  type PrewarmReport,
  type PrewarmTask,
} from "../rules/report.ts";
import { listedAs } from "../rules/urls.ts";
import { accountName } from "../coordinator/memory.ts";
import {
  type CallOptions,
  resolveCallOptions,
  resolveEndpoint,
} from "../transport/call_options.ts";
import type { CallContext, FetchLike } from "../transport/send.ts";
import type { ResolvedPrewarmOptions } from "./options.ts";
import { runBatches } from "./prewarm.ts";
import { checkReportApi, describeValue, taskReadApi, type WaitOptions } from "./wait.ts";

// How far before a batch was sent (and after now) its task is looked for: the clock skew a
// signature tolerates (Tencent refuses requests more than 5 minutes off).
const SKEW_MS = 300_000; // 5 minutes, as a literal: a bundler keeps a computed constant.
/** Hosts read at once. */
const READ_CONCURRENCY = 4;

/** Checks what the step reads of a report: its lists, and each failed batch's host and URLs. */
function checkReport(report: unknown): asserts report is PrewarmReport {
  const r = report as Partial<PrewarmReport> | null;
  if (
    typeof r !== "object" || r === null || !Array.isArray(r.tasks) ||
    !Array.isArray(r.rejected) || !Array.isArray(r.failed) ||
    typeof r.counts?.requests !== "number"
  ) {
    throw new TypeError(
      `Invalid report: expected a PrewarmReport (tasks, rejected, failed, counts), got ${
        describeValue(report)
      }`,
    );
  }
  r.failed.forEach((f: Partial<FailedBatch> | null, index) => {
    if (
      typeof f !== "object" || f === null || typeof f.host !== "string" ||
      !Array.isArray(f.urls) || f.urls.some((url) => typeof url !== "string")
    ) {
      throw new TypeError(
        `Invalid report.failed[${index}]: expected a failed batch with a host and its URLs, got ${
          describeValue(f)
        }`,
      );
    }
  });
}

/**
 * Which lost batches of one host a listing of its tasks settles: a batch whose URLs exactly one
 * task holds exactly (a URL listed percent-encoded counts as the one sent), that task holding no
 * other batch's. A task already in the report is some other batch's.
 */
function matchTasks(
  batches: readonly FailedBatch[],
  lines: readonly TaskLine[],
  known: ReadonlySet<string>,
): Map<FailedBatch, string> {
  const tasks = new Map<string, Set<string>>();
  for (const { taskId, url } of lines) {
    if (known.has(taskId)) continue;
    const urls = tasks.get(taskId) ?? tasks.set(taskId, new Set()).get(taskId)!;
    urls.add(listedAs(url));
  }
  const candidates = new Map<FailedBatch, string[]>();
  const claims = new Map<string, number>();
  for (const batch of batches) {
    const wanted = new Set(batch.urls.map(listedAs));
    const ids = [...tasks]
      .filter(([, urls]) => urls.size === wanted.size && [...wanted].every((u) => urls.has(u)))
      .map(([taskId]) => taskId);
    candidates.set(batch, ids);
    for (const taskId of ids) claims.set(taskId, (claims.get(taskId) ?? 0) + 1);
  }
  const found = new Map<FailedBatch, string>();
  for (const [batch, ids] of candidates) {
    // Two tasks for one batch, or one task for two batches: not knowing which is what
    // maybe-submitted already says.
    if (ids.length === 1 && claims.get(ids[0]!) === 1) found.set(batch, ids[0]!);
  }
  return found;
}

/**
 * The step with the API and a resolved call context: one `findTasks` read per host that has
 * lost batches, a few hosts at once; what it reads is counted into `counts.requests`.
 */
async function recoverWith<R extends PrewarmReport>(
  report: R,
  api: TencentApi,
  context: CallContext,
): Promise<R> {
  const lost = new Map<string, FailedBatch[]>();
  for (const batch of report.failed) {
    // Without the time it was sent there is no window to look in.
    if (batch.maybeSubmitted !== true || !Number.isFinite(batch.sentAt)) continue;
    const ofHost = lost.get(batch.host) ?? lost.set(batch.host, []).get(batch.host)!;
    ofHost.push(batch);
  }
  if (!api.findTasks || lost.size === 0) return report;
  let reads = 0;
  // Counted at fetch, not with onAttempt: an API of one's own may read without the send path.
  const base: FetchLike = context.fetch;
  const counted: CallContext = { ...context, fetch: (input, init) => (reads++, base(input, init)) };
  const known = new Set(report.tasks.map((task) => task.taskId));
  const found = new Map<FailedBatch, string>();
  const hosts = [...lost];
  const worker = async () => {
    for (let next = hosts.shift(); next && !context.signal?.aborted; next = hosts.shift()) {
      const [host, batches] = next;
      let lines: TaskLine[];
      try {
        lines = await api.findTasks!(counted, {
          host,
          from: Math.min(...batches.map((batch) => batch.sentAt!)) - SKEW_MS,
          to: context.now() + SKEW_MS,
        });
      } catch {
        continue; // Not knowing is what maybe-submitted already says.
      }
      for (const [batch, taskId] of matchTasks(batches, lines, known)) found.set(batch, taskId);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, hosts.length) }, worker));

  const tasks: PrewarmTask[] = [...report.tasks];
  const failed: FailedBatch[] = [];
  for (const batch of report.failed) {
    const taskId = found.get(batch);
    if (taskId === undefined) {
      failed.push(batch);
      continue;
    }
    const task: PrewarmTask = { host: batch.host, urls: [...batch.urls], taskId, recovered: true };
    // A run of this process knows where each entry began: the task goes before the first task
    // that began after its batch (the report's own order is kept, even of joined reports);
    // without a place, after the others.
    const place = INPUT_PLACE.get(batch);
    const at = place === undefined
      ? -1
      : tasks.findIndex((other) => (INPUT_PLACE.get(other) ?? -Infinity) > place);
    if (place !== undefined) INPUT_PLACE.set(task, place);
    if (at === -1) tasks.push(task);
    else tasks.splice(at, 0, task);
  }
  const lists = { tasks, rejected: report.rejected, failed };
  return { ...report, ...lists, counts: countReport(lists, report.counts.requests + reads) };
}

/**
 * Finds the tasks of the batches whose answer was lost, and returns the report with each found
 * one as a task. A batch failed with `maybeSubmitted: true` (a timeout, a dropped connection, a
 * server failure) may have created a task that no answer named: this lists the tasks of its host
 * created from 5 minutes before it was sent (`sentAt`, less the clock skew a signature
 * tolerates) to 5 minutes after now, with the API's `findTasks` (`DescribePushTasks` for
 * `cdn()`, `DescribePurgeTasks` for `cdnPurge()`, `DescribePrefetchTasks` for `edgeOne()`):
 * one read per host, however many of its batches were lost. A batch whose URLs exactly one task
 * holds exactly (a URL listed percent-encoded counts as the one sent) becomes that task, with
 * `recovered: true`, its host and its URLs, in its batch's place among the tasks (for a report of
 * a run in this process; a report read back from JSON has no places, and its recovered tasks
 * follow the others). Everything else stays as it was: a batch no task holds (a request that
 * timed out may still be in Tencent's hands), one that two tasks hold, two batches one task
 * holds, a task already in the report, a batch without `sentAt`.
 *
 * The command line, the router and `purgeThenPrewarm()` run it after every run; call it after
 * `prewarm()` for the same. The reads spend no quota, go through the account's request gate,
 * and are added to `counts.requests`; every other count is computed again from the lists. It
 * never throws once the arguments are checked: a read that fails leaves its host's batches
 * failed, and when `signal` aborts no further read starts (one in flight fails): the batches not
 * yet looked up stay failed, and the promise resolves with what was found.
 *
 * @param report A `prewarm()` report (or one of `purgeThenPrewarm()`: its other fields are
 * kept); it is not changed.
 * @param options The API the run used (default `cdn()`; an API without `findTasks`, like
 * `cdnV2()`, returns the report unchanged) and the call options, as `waitForTasks()` takes them.
 * @returns A new report: found batches moved from `failed` to `tasks`, `counts` recomputed.
 * @throws {TypeError} for a malformed report or options, missing credentials, or an `api` that
 * cannot read the report's tasks (an EdgeOne report with `cdn()`).
 *
 * @example
 * ```ts
 * import { prewarm, recoverLostTasks } from "@qcdn/prewarm";
 *
 * // Credentials from TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY.
 * const report = await recoverLostTasks(await prewarm(["https://www.example.com/app.js"]));
 * for (const task of report.tasks) if (task.recovered) console.log("found", task.taskId);
 * // What is still failed with maybeSubmitted may have been processed: look before resending.
 * console.log(report.counts.maybeSubmitted);
 * ```
 */
export async function recoverLostTasks<R extends PrewarmReport>(
  report: R,
  // The options of the reads of a run's tasks (wait.ts's TaskReadOptions), written out: the root
  // entry exports the names they are made of.
  options: CallOptions & Pick<WaitOptions, "api"> = {},
): Promise<R> {
  checkReport(report);
  const api = taskReadApi(options);
  const context = resolveCallOptions(options, api.endpoint);
  if (!api.findTasks) return report;
  checkReportApi(api, report);
  return await recoverWith(report, api, context);
}

/**
 * A run, then {@linkcode recoverLostTasks}: what the command line, the router and each step of
 * `purgeThenPrewarm()` run. The run's own API looks its lost batches up, unless `reader` names
 * another (and where it answers): the API that reads this API's tasks, as `waitForTasks()` reads
 * them (API 3.0 for an API 2.0 run: `DescribePushTasks` lists the same account's pushes). Like
 * `prewarm()`, it throws the signal's reason when it aborts before anything is sent.
 */
export async function runAndRecover(
  urls: Iterable<string> | AsyncIterable<string>,
  options: ResolvedPrewarmOptions,
  reader?: { api: TencentApi; endpoint?: string | URL },
): Promise<PrewarmReport> {
  options.signal?.throwIfAborted();
  if (!reader || reader.api === options.api) {
    return await recoverWith(await runBatches(urls, options), options.api, options);
  }
  // Checked before the run: nothing may throw once it has sent.
  checkReportApi(reader.api, { api: options.api.name });
  const endpoint = resolveEndpoint(reader.endpoint, reader.api.endpoint);
  // The reader's own endpoint is its own account in the coordinator (its own request gate).
  const account = accountName(options.credentials.secretId, endpoint);
  const report = await runBatches(urls, options);
  return await recoverWith(report, reader.api, { ...options, endpoint, account });
}
