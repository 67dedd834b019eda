/**
 * `prewarm()`: checks, batches and submits URLs, and accounts for every one of them.
 * @module
 */
import type { QuotaReading, Submission } from "../api.ts";
import type { BudgetHold } from "../coordinator/memory.ts";
import { localError, TencentCloudError } from "../rules/errors.ts";
import {
  type PrewarmOptions,
  type ResolvedPrewarmOptions,
  resolvePrewarmOptions,
} from "./options.ts";
import { OUTCOME_POLICY } from "../rules/outcome.ts";
import { beijingDay, DAY_MS } from "../rules/budget_day.ts";
import {
  countReport,
  type FailedBatch,
  INPUT_PLACE,
  type PrewarmReport,
  type PrewarmTask,
  type RejectedUrl,
  type RejectReason,
} from "../rules/report.ts";
import {
  type Call,
  type CallContext,
  coordinatorError,
  fetchFailuresAreAmbiguous,
  sendWithRetries,
} from "../transport/send.ts";
import { abortableDelay } from "../transport/retry.ts";
import { type Batch, BatchPlan } from "../rules/urls.ts";

/** Budget a batch holds in the coordinator until it settles. */
interface Held {
  id: string;
  keys: string[];
  count: number;
  /** The first request's start, booked with the budget (`performance.now()` time). */
  startAt?: number;
}

/**
 * A batch waiting to be sent, with the budget it holds, and where it stands in the input: the
 * report lists batches by where they began. A batch cut from another (a split, the part past a
 * hold) takes its share of the parent's place, `[order, order + span)`, so every batch keeps
 * its place between the others without a position kept per URL.
 */
interface QueuedBatch extends Batch {
  held?: Held;
  order: number;
  span: number;
}

/** The part `[from, to)` of a batch's URLs, as a batch in its own place. */
function part(batch: QueuedBatch, from: number, to: number): QueuedBatch {
  const n = batch.urls.length;
  return {
    host: batch.host,
    urls: batch.urls.slice(from, to),
    order: batch.order + batch.span * from / n,
    span: batch.span * (to - from) / n,
  };
}

/** Why the run stopped sending: the rest is rejected or failed without another request. */
type Stop =
  | { kind: "daily-limit"; detail: string }
  | { kind: "fatal"; error: TencentCloudError }
  | { kind: "aborted" };

const ABORTED_DETAIL = "The run was aborted before this URL was sent";
/** A refusal by Tencent's own count: no local option raises it. */
const TENCENT = { by: "tencent" } as const;
// While budget is held by others, look again this often when the coordinator cannot say.
const BUDGET_POLL_MS = 250;

class PrewarmRun {
  readonly #o: ResolvedPrewarmOptions;
  readonly #context: CallContext;
  readonly #tasks: PrewarmTask[] = [];
  readonly #rejected: RejectedUrl[] = [];
  readonly #failed: FailedBatch[] = [];
  readonly #warnings: string[] = [];
  /** Hosts that answered with a domain error: their other batches fail unsent. */
  readonly #stoppedHosts = new Map<string, TencentCloudError>();
  #queue: QueuedBatch[] = [];
  #stop: Stop | undefined;
  #requests = 0;
  #batchesDone = 0;
  #batchesTotal = 0;
  #remoteAvailable = Infinity;
  /** The batches being planned as URLs are accepted, and where each began in the input. */
  #plan: BatchPlan;
  readonly #begun = new Map<Batch, number>();

  constructor(options: ResolvedPrewarmOptions) {
    this.#o = options;
    this.#context = { ...options, onAttempt: () => this.#requests++ };
    this.#plan = new BatchPlan(options.batchSize);
  }

  #reject(
    url: string,
    reason: RejectReason,
    detail: string,
    source?: Pick<RejectedUrl, "by" | "option">,
  ): void {
    this.#rejected.push(source ? { url, reason, detail, ...source } : { url, reason, detail });
  }

  #rejectAll(
    urls: readonly string[],
    reason: RejectReason,
    detail: string,
    source?: Pick<RejectedUrl, "by" | "option">,
  ): void {
    for (const url of urls) this.#reject(url, reason, detail, source);
  }

  // Checks a URL and plans it into its batch at once: the run keeps no list of checked URLs.
  #accept(item: unknown, index: number): void {
    if (typeof item !== "string") {
      throw new TypeError(
        `Invalid urls[${index}]: expected a string, got ${typeof item}`,
      );
    }
    const batch = this.#plan.accept(item);
    if ("reason" in batch) this.#reject(item, batch.reason, batch.detail);
    else if (!this.#begun.has(batch)) this.#begun.set(batch, index);
  }

  /** Reads and checks the input, planning its batches; throws for a malformed input. */
  async collect(urls: Iterable<string> | AsyncIterable<string>): Promise<void> {
    const malformed = () =>
      new TypeError(
        `Invalid urls: expected an iterable or async iterable of URL strings, got ${
          typeof urls === "string" ? "a single string" : String(urls)
        }`,
      );
    if (typeof urls !== "object" || urls === null) throw malformed();
    let index = 0;
    if (Symbol.iterator in urls) {
      // A plain iterable is read without awaiting each item.
      for (const item of urls) this.#accept(item, index++);
    } else if (Symbol.asyncIterator in urls) {
      for await (const item of urls) this.#accept(item, index++);
    } else throw malformed();
    this.#plan.doneAccepting();
    this.#o.signal?.throwIfAborted();
  }

  async run(): Promise<PrewarmReport> {
    const planned = this.#plan.batches();
    let batchSize = this.#o.batchSize;
    // Where a failed connection cannot say whether the request left (workerd), a read goes
    // first: a dead endpoint then fails the run surely unsent, and later failures are truly
    // ambiguous (and looked up).
    const probe = !this.#o.checkQuota && this.#o.api.readQuota !== undefined &&
      fetchFailuresAreAmbiguous();
    if (planned.length > 0 && (this.#o.checkQuota || probe)) {
      batchSize = await this.#askQuota(batchSize, !probe);
    }
    for (const batch of planned) {
      const queued = { ...batch, order: this.#begun.get(batch)!, span: 1 };
      // The quota's per-request limit may be below the batch size planned with.
      for (let i = 0; i < batch.urls.length; i += batchSize) {
        this.#queue.push(
          batch.urls.length <= batchSize ? queued : part(queued, i, i + batchSize),
        );
      }
    }
    this.#begun.clear();
    this.#batchesTotal = this.#queue.length;
    const workers = Array.from(
      { length: Math.min(this.#o.concurrency, this.#queue.length) },
      () => this.#work(),
    );
    await Promise.all(workers);
    await this.#afterRun();
    return this.report();
  }

  // The API's own last step (cdn({ parseM3U8 }) books what its quota read says was spent beyond
  // the budget's count); what it says goes into the report's warnings.
  async #afterRun(): Promise<void> {
    const { api, checkQuota, now } = this.#o;
    let warning: string | undefined;
    try {
      warning = await api.afterRun?.(this.#context, {
        checkQuota,
        tasks: this.#tasks.length,
        quotas: () => this.#myQuotas(now()),
      });
    } catch (error) {
      warning = asCloudError(error).message;
    }
    if (warning) this.#warnings.push(warning);
  }

  /** The quotas this run's budget keys count against, as the API reads them now. */
  async #myQuotas(now: number): Promise<QuotaReading[]> {
    const { readings } = await this.#o.api.readQuota!(this.#context);
    const mine = new Set(this.#o.api.budgetKeys(now));
    return readings.filter((q) => q.keys.some((key) => mine.has(key)));
  }

  report(): PrewarmReport {
    // Batches settle in whatever order answers arrive; list them in input order instead.
    const order = (entry: object) => INPUT_PLACE.get(entry) ?? 0;
    const inInputOrder = <T extends object>(list: T[]) =>
      [...list].sort((a, b) => order(a) - order(b));
    const lists = {
      tasks: inInputOrder(this.#tasks),
      rejected: this.#rejected,
      failed: inInputOrder(this.#failed),
    };
    return {
      api: this.#o.api.name,
      ...this.#o.api.report,
      ...lists,
      counts: countReport(lists, this.#requests),
      aborted: this.#stop?.kind === "aborted",
      ...(this.#warnings.length > 0 && { warnings: this.#warnings }),
    };
  }

  // Caps the run at Tencent's own count of what is left today (with `cap`; without, it only
  // proves the endpoint answers). If asking fails, nothing is sent and every batch fails with
  // that error.
  async #askQuota(batchSize: number, cap: boolean): Promise<number> {
    try {
      const mine = await this.#myQuotas(this.#o.now());
      if (mine.length === 0 || !cap) return batchSize;
      this.#remoteAvailable = Math.min(...mine.map((q) => q.available));
      return Math.min(
        batchSize,
        ...mine.map((q) => q.batch).filter((b) => b > 0),
      );
    } catch (error) {
      this.#o.signal?.throwIfAborted();
      const cause = asCloudError(error);
      const what = `Could not read the quota (${this.#o.api.quotaAction}), so nothing was sent: `;
      const failure = new TencentCloudError({
        ...cause.toJSON(),
        retryable: false,
        maybeSubmitted: false,
        summary: what + (cause.summary ?? cause.message),
        message: what + cause.message,
      });
      this.#stop = { kind: "fatal", error: failure };
      return batchSize;
    }
  }

  async #work(): Promise<void> {
    for (let batch = this.#queue.shift(); batch; batch = this.#queue.shift()) {
      if (this.#o.signal?.aborted) this.#stop ??= { kind: "aborted" };
      const hostError = this.#stoppedHosts.get(batch.host);
      if (this.#stop) await this.#skip(batch, this.#stop);
      else if (hostError) await this.#failUnsent(batch, hostError);
      else if (await this.#hold(batch)) {
        // Another batch may have stopped the run while this one waited for budget.
        if (this.#stop) await this.#skip(batch, this.#stop);
        else await this.#send(batch);
      }
      this.#batchesDone++;
      this.#progress();
    }
  }

  async #skip(batch: QueuedBatch, stop: Stop): Promise<void> {
    if (stop.kind === "fatal") return await this.#failUnsent(batch, stop.error);
    await this.#settle(batch, "release");
    if (stop.kind === "aborted") this.#rejectAll(batch.urls, "aborted", ABORTED_DETAIL);
    else this.#rejectAll(batch.urls, stop.kind, stop.detail, TENCENT);
  }

  async #failUnsent(
    batch: QueuedBatch,
    error: TencentCloudError,
  ): Promise<void> {
    await this.#settle(batch, "release");
    const unsent = error.maybeSubmitted
      ? new TencentCloudError({ ...error.toJSON(), maybeSubmitted: false })
      : error;
    this.#fail(batch, { urls: batch.urls, error: unsent, maybeSubmitted: false });
  }

  #leaseMs(): number {
    const { timeoutMs, backoff, rateLimitWaitMs } = this.#o;
    const attempt = timeoutMs + backoff.maxDelayMs;
    return Math.min(
      DAY_MS, // The longest lease a hold is given, whatever the options.
      (backoff.retries + 1) * attempt + rateLimitWaitMs + 60_000,
    );
  }

  // Takes budget for the batch; URLs beyond it are rejected. False when none was granted.
  // Budget that other requests hold may come free (they may fail), so it is waited for.
  async #hold(batch: QueuedBatch): Promise<boolean> {
    if (batch.held) return true;
    const { coordinator, account, dailyLimit, budgetWaitMs, signal } = this.#o;
    // Taken from the remote count before any await, so concurrent batches never share it.
    let cap = Math.min(batch.urls.length, this.#remoteAvailable);
    this.#remoteAvailable -= cap;
    if (cap < batch.urls.length) {
      this.#rejectAll(
        batch.urls.splice(cap),
        "daily-limit",
        `${this.#o.api.quotaAction} reported no quota left for today; not sent`,
        TENCENT,
      );
    }
    if (cap === 0) return false;
    const deadline = performance.now() + budgetWaitMs;
    let got: BudgetHold;
    let keys: string[];
    try {
      for (;;) {
        const now = this.#o.now();
        keys = this.#o.api.budgetKeys(now);
        got = await coordinator.hold(account, {
          keys,
          count: cap,
          limit: dailyLimit,
          leaseMs: this.#leaseMs(),
          now,
          // The start is booked in the window of the action the batch is sent as.
          slot: { action: this.#o.api.action, maxPerSecond: this.#o.maxRequestsPerSecond },
        });
        const left = deadline - performance.now();
        if (
          got.granted === cap || got.heldByOthers === 0 || left <= 0 ||
          this.#stop
        ) break;
        if (got.granted > 0) {
          // Send what is free now; the rest waits in the queue as a batch of its own. A batch
          // that gave its part back to wait would hold budget for moments while it looks
          // again, and two such waiters could keep each other waiting until their deadline.
          const n = batch.urls.length;
          this.#queue.push(part(batch, got.granted, n));
          batch.urls.length = got.granted;
          batch.span = batch.span * got.granted / n;
          this.#batchesTotal++;
          this.#remoteAvailable += cap - got.granted;
          cap = got.granted;
          break;
        }
        const wait = Math.min(left, BUDGET_POLL_MS * 8);
        if (coordinator.budgetChanged) {
          await coordinator.budgetChanged(account, wait, signal);
        } else await abortableDelay(Math.min(left, BUDGET_POLL_MS), signal);
      }
    } catch (error) {
      this.#remoteAvailable += cap;
      if (signal?.aborted) {
        this.#stop ??= { kind: "aborted" };
        this.#rejectAll(batch.urls, "aborted", ABORTED_DETAIL);
        return false;
      }
      const failure = coordinatorError(error);
      this.#stop ??= { kind: "fatal", error: failure };
      await this.#failUnsent(batch, failure);
      return false;
    }
    this.#remoteAvailable += cap - got.granted;
    const option = this.#o.dailyLimitOption;
    const [reason, detail, source]: [RejectReason, string, RejectedUrl["by"]?] =
      got.heldByOthers > 0
        ? [
          "busy",
          `The rest of today's budget is held by requests in flight (waited ${budgetWaitMs} ms); not sent: try again shortly`,
        ]
        : [
          "daily-limit",
          `The daily budget (${option} ${dailyLimit}) for ${
            beijingDay(this.#o.now())
          } (Beijing time) is spent; not sent`,
          "local",
        ];
    this.#rejectAll(
      batch.urls.splice(got.granted),
      reason,
      detail,
      source && { by: source, option },
    );
    if (got.granted === 0) return false;
    batch.held = { id: got.id, keys, count: got.granted };
    if (got.wait !== undefined) batch.held.startAt = performance.now() + got.wait;
    return true;
  }

  // Spends or gives back the batch's budget. A coordinator that fails here stops the run.
  async #settle(batch: QueuedBatch, how: "spend" | "release"): Promise<void> {
    const held = batch.held;
    if (!held) return;
    delete batch.held;
    const { coordinator, account } = this.#o;
    const spent = how === "spend" ? held.count : 0;
    try {
      await coordinator.settle(
        account,
        held.id,
        spent,
        held.count - spent,
        this.#o.now(),
      );
    } catch (error) {
      this.#stop ??= { kind: "fatal", error: coordinatorError(error) };
    }
  }

  #call(urls: readonly string[]): Call<Submission> {
    return {
      ...this.#o.api.submit(urls, this.#o),
      retryAmbiguous: this.#o.retryAmbiguous,
      mayRetry: () => this.#stop === undefined,
    };
  }

  async #send(batch: QueuedBatch): Promise<void> {
    let submission: Submission;
    // The booked start serves one attempt: halves of a split batch schedule their own.
    const booked = batch.held?.startAt;
    delete batch.held?.startAt;
    const sentAt = this.#o.now();
    try {
      submission = await sendWithRetries(this.#context, {
        ...this.#call(batch.urls),
        booked,
      });
    } catch (error) {
      return await this.#settleFailure(batch, error, sentAt);
    }
    // Refused URLs of an accepted request may have spent quota: the whole hold is spent.
    await this.#settle(batch, "spend");
    const { failed = [], ...task } = submission;
    for (const f of failed) this.#fail(batch, { ...f, maybeSubmitted: false });
    // Only a service that refuses some URLs of a task (EdgeOne's FailedList) needs a new list.
    const urls = failed.length === 0
      ? batch.urls
      : batch.urls.filter((url) => !failed.some((f) => f.urls.includes(url)));
    if (urls[0]) this.#task(batch, { urls, ...task });
  }

  async #settleFailure(batch: QueuedBatch, thrown: unknown, sentAt: number): Promise<void> {
    if (!(thrown instanceof TencentCloudError) && this.#o.signal?.aborted) {
      // Aborted before the request left (in the gate or a backoff): nothing was sent.
      this.#stop ??= { kind: "aborted" };
      await this.#settle(batch, "release");
      return this.#rejectAll(batch.urls, "aborted", ABORTED_DETAIL);
    }
    const error = asCloudError(thrown);
    if (this.#o.signal?.aborted) this.#stop ??= { kind: "aborted" };
    const { retry, stop } = OUTCOME_POLICY[error.category];
    if (stop === "run" && error.category !== "daily-limit") {
      this.#stop ??= { kind: "fatal", error };
    }
    if (stop === "host") this.#stoppedHosts.set(batch.host, error);
    if (error.maybeSubmitted) {
      // It may have been processed: its budget stays spent, and the report says so, with when
      // it was sent (recoverLostTasks() looks for its task around then).
      await this.#settle(batch, "spend");
      return this.#fail(batch, { urls: batch.urls, error, maybeSubmitted: true, sentAt });
    }
    if (error.category === "daily-limit") {
      // Tencent says the day is gone: the day this batch held budget for, not today's `now`.
      const detail = `Tencent Cloud reported: ${error.message}`;
      this.#stop ??= { kind: "daily-limit", detail };
      const keys = batch.held?.keys;
      await this.#settle(batch, "release");
      if (keys && Number.isFinite(this.#o.dailyLimit)) {
        try {
          await this.#o.coordinator.exhaust(
            this.#o.account,
            keys,
            this.#o.now(),
          );
        } catch { /* The run stops anyway; the next run asks Tencent again. */ }
      }
      return this.#rejectAll(batch.urls, "daily-limit", detail, TENCENT);
    }
    if (retry === "split" && batch.urls.length > 1) {
      const half = Math.ceil(batch.urls.length / 2);
      // The halves share the batch's hold: nothing was spent, nothing needs taking again.
      const held = batch.held;
      this.#queue.unshift(...[part(batch, 0, half), part(batch, half, batch.urls.length)].map(
        (piece) => {
          if (held) piece.held = { ...held, count: piece.urls.length };
          return piece;
        },
      ));
      this.#batchesTotal += 2;
      return;
    }
    await this.#settle(batch, "release");
    this.#fail(batch, { urls: batch.urls, error, maybeSubmitted: false });
  }

  // A task or failed batch is listed under its batch's host, in its batch's place.
  #task(batch: QueuedBatch, task: Omit<PrewarmTask, "host">): void {
    const entry = { host: batch.host, ...task };
    INPUT_PLACE.set(entry, batch.order);
    this.#tasks.push(entry);
  }

  #fail(batch: QueuedBatch, failed: Omit<FailedBatch, "host">): void {
    const entry = { host: batch.host, ...failed };
    INPUT_PLACE.set(entry, batch.order);
    this.#failed.push(entry);
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
  return localError(
    "ClientError",
    "unknown",
    `Unexpected ${name} while sending`,
    {
      maybeSubmitted: true,
    },
  );
}

/**
 * Prefetches URLs to the CDN's overseas nodes: checks them, drops duplicates, groups them by
 * host into batches, and submits the batches within the daily budget, retrying only what
 * certainly spent no quota. Every call of one account shares its request rate and budget
 * through the coordinator (one per process or isolate unless `coordinator` is given).
 *
 * Every input string comes back exactly once, as given: in a task (`tasks[].urls`), rejected
 * before sending (`rejected[]`, with a reason) or failed (`failed[].urls`, with the error and
 * whether it may have been submitted). Upstream failures are data in the report, not
 * exceptions; so is a coordinator that fails (the run stops sending, and says why).
 *
 * When `signal` aborts mid-run the promise still resolves: `aborted` is true, URLs not yet sent
 * are rejected with reason `"aborted"`, and batches in flight are failed with
 * `maybeSubmitted: true`.
 *
 * A batch whose answer was lost (a timeout, a dropped connection, a server failure) is failed
 * with `maybeSubmitted: true` and the time it was sent (`sentAt`): it may have created a task.
 * `recoverLostTasks(report)` looks such batches up afterwards and turns those whose task it
 * finds into tasks; the command line, the router and `purgeThenPrewarm()` do so after every run.
 *
 * @param urls The URLs: any iterable or async iterable of strings (one URL each).
 * @param options Credentials and tuning; see {@linkcode PrewarmOptions}. Credentials default
 * to the environment (`TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`).
 * @returns The report of the run.
 * @throws {TypeError} for missing credentials, malformed options or a non-string URL entry.
 * @throws {RangeError} for numeric options out of range.
 * @throws the signal's reason when it aborts before anything is sent (while `urls` is read or
 * the quota is asked for).
 *
 * @example
 * ```ts
 * import { prewarm } from "@qcdn/prewarm";
 *
 * // Credentials from TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY.
 * const report = await prewarm(["https://www.example.com/app.js"]);
 * console.log(report.counts);
 * ```
 */
export async function prewarm(
  urls: Iterable<string> | AsyncIterable<string>,
  options?: PrewarmOptions,
): Promise<PrewarmReport> {
  const resolved = resolvePrewarmOptions(options);
  resolved.signal?.throwIfAborted();
  return await runBatches(urls, resolved);
}

/** Runs the engine with resolved options (`prewarm()`, and each step of a flow). */
export async function runBatches(
  urls: Iterable<string> | AsyncIterable<string>,
  options: ResolvedPrewarmOptions,
): Promise<PrewarmReport> {
  const run = new PrewarmRun(options);
  await run.collect(urls);
  return await run.run();
}
