/**
 * `prewarm()`: checks, batches and submits URLs, and accounts for every one of them.
 * @module
 */
import { type CallContext, callV3Once, pushV2Once } from "./client.ts";
import { localError, TencentCloudError } from "./errors.ts";
import { readPushQuota } from "./describe.ts";
import {
  type PrewarmOptions,
  type ResolvedPrewarmOptions,
  resolvePrewarmOptions,
} from "./options.ts";
import { RequestPacer } from "./pacer.ts";
import { beijingDay, quotaAreas, quotaKeys } from "./quota.ts";
import {
  countReport,
  type FailedBatch,
  type PrewarmReport,
  type PrewarmTask,
  type RejectedUrl,
  type RejectReason,
} from "./report.ts";
import { retrying } from "./retry.ts";
import { type Batch, type CheckedUrl, checkUrl, planBatches } from "./urls.ts";

/** A batch waiting to be sent, with the budget it holds. */
interface QueuedBatch extends Batch {
  /** Budget keys and units this batch holds; given back if it is surely not spent. */
  held?: { keys: string[]; count: number };
}

/** What a successful submission created. */
interface Submission {
  taskId: string;
  date?: string;
  requestId?: string;
}

/** Why the run stopped sending: the rest is rejected or failed without another request. */
type Stop =
  | { kind: "daily-limit"; detail: string }
  | { kind: "fatal"; error: TencentCloudError }
  | { kind: "aborted" };

const ABORTED_DETAIL = "The run was aborted before this URL was sent";

function isFatal(error: TencentCloudError): boolean {
  // Errors that every further request would repeat: stop instead of hammering the endpoint.
  return error.category === "credentials" || error.category === "account" ||
    error.code === "NetworkError.Unreachable" ||
    (error.code === "HttpError" && error.category === "invalid-request");
}

class PrewarmRun {
  readonly #o: ResolvedPrewarmOptions;
  readonly #context: CallContext;
  readonly #tasks: PrewarmTask[] = [];
  readonly #rejected: RejectedUrl[] = [];
  readonly #failed: FailedBatch[] = [];
  #queue: QueuedBatch[] = [];
  #stop: Stop | undefined;
  #requests = 0;
  #batchesDone = 0;
  #batchesTotal = 0;
  #remoteAvailable = Infinity;
  /** Input position of each accepted URL: reports list batches in input order. */
  readonly #position = new Map<string, number>();

  constructor(options: ResolvedPrewarmOptions) {
    this.#o = options;
    const pacer = new RequestPacer(options.maxRequestsPerSecond);
    this.#context = {
      ...options,
      beforeSend: async (signal) => {
        await pacer.take(signal);
        this.#requests++;
      },
    };
  }

  #reject(url: string, reason: RejectReason, detail: string): void {
    this.#rejected.push({ url, reason, detail });
  }

  async collect(urls: Iterable<string> | AsyncIterable<string>): Promise<CheckedUrl[]> {
    if (typeof urls === "string" || urls === null || typeof urls !== "object") {
      throw new TypeError(
        `Invalid urls: expected an iterable of URL strings, got ${
          typeof urls === "string" ? "a single string" : String(urls)
        }`,
      );
    }
    if (!(Symbol.iterator in urls) && !(Symbol.asyncIterator in urls)) {
      throw new TypeError("Invalid urls: expected an iterable or async iterable of strings");
    }
    const accepted: CheckedUrl[] = [];
    let index = 0;
    for await (const item of urls) {
      if (typeof item !== "string") {
        throw new TypeError(`Invalid urls[${index}]: expected a string, got ${typeof item}`);
      }
      index++;
      const checked = checkUrl(item);
      if ("reason" in checked) {
        this.#reject(item, checked.reason, checked.detail);
      } else if (this.#position.has(checked.url)) {
        this.#reject(item, "duplicate", "The same URL appears earlier in the input");
      } else {
        this.#position.set(checked.url, accepted.length);
        accepted.push(checked);
      }
    }
    this.#o.signal?.throwIfAborted();
    return accepted;
  }

  async run(accepted: CheckedUrl[]): Promise<PrewarmReport> {
    let batchSize = this.#o.batchSize;
    if (accepted.length > 0 && this.#o.checkQuota) batchSize = await this.#askQuota(batchSize);
    this.#queue = planBatches(accepted, batchSize);
    this.#batchesTotal = this.#queue.length;
    const workers = Array.from(
      { length: Math.min(this.#o.concurrency, this.#queue.length) },
      () => this.#work(),
    );
    await Promise.all(workers);
    return this.report();
  }

  report(): PrewarmReport {
    // Batches settle in whatever order answers arrive; list them in input order instead.
    const first = (entry: { urls: string[] }) => this.#position.get(entry.urls[0]!) ?? 0;
    const inInputOrder = <T extends { urls: string[] }>(list: T[]) =>
      [...list].sort((a, b) => first(a) - first(b));
    const lists = {
      tasks: inInputOrder(this.#tasks),
      rejected: this.#rejected,
      failed: inInputOrder(this.#failed),
    };
    return {
      api: this.#o.api,
      area: this.#o.area,
      ...lists,
      counts: countReport(lists, this.#requests),
      aborted: this.#stop?.kind === "aborted",
    };
  }

  // Caps the run at Tencent's own count of what is left today. If asking fails, nothing is
  // sent and every batch fails with that error.
  async #askQuota(batchSize: number): Promise<number> {
    try {
      const { quotas } = await readPushQuota(this.#context, this.#o.backoff);
      const areas = quotaAreas(this.#o.area);
      const mine = quotas.filter((q) => areas.includes(q.area));
      if (mine.length === 0) return batchSize;
      this.#remoteAvailable = Math.min(...mine.map((q) => q.available));
      return Math.min(batchSize, ...mine.map((q) => q.batch).filter((b) => b > 0));
    } catch (error) {
      this.#o.signal?.throwIfAborted();
      this.#stop = { kind: "fatal", error: asCloudError(error) };
      return batchSize;
    }
  }

  async #work(): Promise<void> {
    for (let batch = this.#queue.shift(); batch; batch = this.#queue.shift()) {
      if (this.#o.signal?.aborted) this.#stop ??= { kind: "aborted" };
      if (this.#stop) await this.#skip(batch, this.#stop);
      else if (await this.#reserve(batch)) await this.#send(batch);
      this.#batchesDone++;
      this.#progress();
    }
  }

  async #skip(batch: QueuedBatch, stop: Stop): Promise<void> {
    await this.#release(batch);
    if (stop.kind === "fatal") {
      this.#failed.push({
        host: batch.host,
        urls: batch.urls,
        error: stop.error,
        maybeSubmitted: false,
      });
    } else {
      const detail = stop.kind === "aborted" ? ABORTED_DETAIL : stop.detail;
      for (const url of batch.urls) this.#reject(url, stop.kind, detail);
    }
  }

  // Takes budget for the batch; URLs beyond what is left are rejected. False when none is left.
  async #reserve(batch: QueuedBatch): Promise<boolean> {
    if (batch.held) return true;
    const { quotaStore: store, dailyLimit } = this.#o;
    const at = this.#o.now();
    const cap = Math.min(batch.urls.length, this.#remoteAvailable);
    let granted = cap;
    const taken: string[] = [];
    for (const key of this.#quotaKeys(at)) {
      if (granted === 0) break;
      const got = await store.reserve(key, granted, dailyLimit);
      // "global" holds two budgets: keep both at the smaller grant.
      if (got < granted) { for (const k of taken) await store.release(k, granted - got); }
      granted = got;
      if (got > 0) taken.push(key);
    }
    this.#remoteAvailable -= granted;
    const detail = granted < cap
      ? `The local daily budget (dailyLimit ${dailyLimit}) for ${
        beijingDay(at)
      } (Beijing time) is spent; not sent`
      : "DescribePushQuota reported no quota left for today; not sent";
    for (const url of batch.urls.splice(granted)) this.#reject(url, "daily-limit", detail);
    if (granted === 0) return false;
    batch.held = { keys: taken, count: granted };
    return true;
  }

  #quotaKeys(at: number): string[] {
    return quotaKeys(this.#o.credentials.secretId, this.#o.area, at);
  }

  async #release(batch: QueuedBatch): Promise<void> {
    const held = batch.held;
    if (!held) return;
    delete batch.held;
    for (const key of held.keys) await this.#o.quotaStore.release(key, held.count);
  }

  #submit(urls: readonly string[]): Promise<Submission> {
    if (this.#o.api === "v2") {
      return pushV2Once(this.#context, urls, this.#o.method, this.#o.signatureMethod)
        .then(([first]) => first!);
    }
    return callV3Once(this.#context, "PushUrlsCache", { Urls: urls, Area: this.#o.area })
      .then((response) => {
        const { TaskId, RequestId } = response;
        if (typeof TaskId !== "string" || TaskId === "") {
          throw localError("InvalidResponse", "server", "PushUrlsCache answered without a TaskId");
        }
        return typeof RequestId === "string"
          ? { taskId: TaskId, requestId: RequestId }
          : { taskId: TaskId };
      });
  }

  async #send(batch: QueuedBatch): Promise<void> {
    let ambiguous = false;
    let lastError: TencentCloudError | undefined;
    const { signal, retryAmbiguous } = this.#o;
    const shouldRetry = (error: unknown): boolean => {
      if (!(error instanceof TencentCloudError)) return false;
      lastError = error;
      if (error.maybeSubmitted) ambiguous = true;
      if (this.#stop) return false;
      return error.retryable || (retryAmbiguous && error.maybeSubmitted);
    };
    let submission: Submission;
    try {
      submission = await retrying(
        () => this.#submit(batch.urls),
        shouldRetry,
        this.#o.backoff,
        signal,
      );
    } catch (error) {
      return this.#settleFailure(batch, error, ambiguous ? lastError : undefined);
    }
    this.#tasks.push({ host: batch.host, urls: batch.urls, ...submission });
  }

  async #settleFailure(
    batch: QueuedBatch,
    thrown: unknown,
    ambiguousError: TencentCloudError | undefined,
  ): Promise<void> {
    const aborted = this.#o.signal?.aborted === true;
    const error = thrown instanceof TencentCloudError || !aborted
      ? asCloudError(thrown)
      : undefined;
    if (aborted) this.#stop ??= { kind: "aborted" };
    if (error?.category === "daily-limit") {
      this.#stop ??= { kind: "daily-limit", detail: `Tencent Cloud reported: ${error.message}` };
      await this.#exhaustBudget(batch);
    }
    if (error && isFatal(error)) this.#stop ??= { kind: "fatal", error };
    if (ambiguousError || error?.maybeSubmitted) {
      // It may have been processed: keep its budget, and say so.
      const reported = error?.maybeSubmitted ? error : ambiguousError!;
      this.#failed.push({
        host: batch.host,
        urls: batch.urls,
        error: reported,
        maybeSubmitted: true,
      });
      return;
    }
    if (error?.category === "batch-limit" && batch.urls.length > 1) {
      const half = Math.ceil(batch.urls.length / 2);
      const halves = [batch.urls.slice(0, half), batch.urls.slice(half)];
      // The halves inherit the batch's budget: nothing was spent, nothing needs taking again.
      const keys = batch.held?.keys ?? [];
      this.#queue.unshift(
        ...halves.map((urls) => ({ host: batch.host, urls, held: { keys, count: urls.length } })),
      );
      this.#batchesTotal += 2;
      return;
    }
    await this.#release(batch);
    if (!error) {
      for (const url of batch.urls) this.#reject(url, "aborted", ABORTED_DETAIL);
    } else if (error.category === "daily-limit") {
      for (const url of batch.urls) {
        this.#reject(url, "daily-limit", `Tencent Cloud reported: ${error.message}`);
      }
    } else {
      this.#failed.push({ host: batch.host, urls: batch.urls, error, maybeSubmitted: false });
    }
  }

  // Tencent says today's quota is gone: make the local budget say so too, for later runs.
  async #exhaustBudget(batch: QueuedBatch): Promise<void> {
    const { dailyLimit, quotaStore } = this.#o;
    await this.#release(batch);
    if (!Number.isFinite(dailyLimit)) return;
    for (const key of this.#quotaKeys(this.#o.now())) {
      await quotaStore.reserve(key, dailyLimit, dailyLimit);
    }
  }

  #progress(): void {
    // Counting walks every list: skip it when nobody listens.
    if (!this.#o.onProgress) return;
    const counts = countReport(
      { tasks: this.#tasks, rejected: this.#rejected, failed: this.#failed },
      this.#requests,
    );
    try {
      this.#o.onProgress({
        batchesDone: this.#batchesDone,
        batchesTotal: this.#batchesTotal,
        submitted: counts.submitted,
        failed: counts.failed,
        rejected: counts.rejected,
        requests: this.#requests,
      });
    } catch {
      // A failing progress callback must not cost the run its accounting.
    }
  }
}

function asCloudError(error: unknown): TencentCloudError {
  if (error instanceof TencentCloudError) return error;
  const name = error instanceof Error ? error.name : typeof error;
  return localError("ClientError", "unknown", `Unexpected ${name} while sending`, {
    maybeSubmitted: true,
  });
}

/**
 * Prefetches URLs to the CDN's overseas nodes: checks them, drops duplicates, groups them by
 * host into batches, and submits the batches within the daily budget, retrying only what
 * certainly spent no quota.
 *
 * Every input string comes back exactly once: in a task (`tasks[].urls`), rejected before
 * sending (`rejected[]`, with a reason) or failed (`failed[].urls`, with the error and whether
 * it may have been submitted). Upstream failures are data in the report, not exceptions.
 *
 * When `signal` aborts mid-run the promise still resolves: `aborted` is true, URLs not yet sent
 * are rejected with reason `"aborted"`, and batches in flight are failed with
 * `maybeSubmitted: true`.
 *
 * @param urls The URLs: any iterable or async iterable of strings (one URL each).
 * @param options Credentials and tuning; see {@linkcode PrewarmOptions}.
 * @returns The report of the run.
 * @throws {TypeError} for missing credentials, malformed options or a non-string URL entry.
 * @throws {RangeError} for numeric options out of range.
 * @throws the signal's reason when it aborts before anything is sent (while `urls` is read or
 * the quota is asked for).
 *
 * @example
 * ```ts
 * import { credentialsFromEnv, prewarm } from "@qcdn/prewarm";
 *
 * const report = await prewarm(["https://www.example.com/app.js"], {
 *   credentials: credentialsFromEnv()!,
 * });
 * console.log(report.counts);
 * ```
 */
export async function prewarm(
  urls: Iterable<string> | AsyncIterable<string>,
  options: PrewarmOptions,
): Promise<PrewarmReport> {
  const resolved = resolvePrewarmOptions(options);
  resolved.signal?.throwIfAborted();
  const run = new PrewarmRun(resolved);
  return await run.run(await run.collect(urls));
}
