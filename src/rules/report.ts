/**
 * What `prewarm()` returns: every input URL accounted for exactly once.
 * @module
 */
import type { TencentCloudError } from "./errors.ts";

/**
 * The name of the API a run used (`TencentApi.name`): CDN API 3.0 (`"v3"`, `cdn()`), API 2.0
 * (`"v2"`, `cdnV2()`), CDN purge (`"purge"`, `cdnPurge()`), EdgeOne (`"teo"`, `edgeOne()`), or
 * the name of an API of one's own.
 */
export type ApiName = "v3" | "v2" | "purge" | "teo" | (string & Record<never, never>);

/** Where URLs are prefetched. `global` spends both the mainland and the overseas quota. */
export type Area = "overseas" | "mainland" | "global";

/** Every {@linkcode Area}, in the order messages list them. */
export const AREAS: readonly Area[] = ["overseas", "mainland", "global"];

/** A task Tencent created, and exactly the URLs it covers. */
export interface PrewarmTask {
  /** Tencent's task id (an opaque string; API 2.0 sends a number; EdgeOne's `JobId`). */
  taskId: string;
  /** The hostname every URL of the task shares. */
  host: string;
  /** The URLs the task covers, as sent. */
  urls: string[];
  /** API 2.0: the creation time as Tencent wrote it (Beijing time). */
  date?: string;
  /** API 3.0: the `RequestId` of the call that created the task. */
  requestId?: string;
  /**
   * The answer was lost (a timeout, a dropped connection) and the task was found afterwards by
   * `recoverLostTasks()`, which lists the host's tasks (`DescribePushTasks`): it was submitted,
   * though no answer said so.
   */
  recovered?: true;
}

/**
 * Why a URL was not sent:
 * - `invalid-url`: it failed the checks (see `detail`);
 * - `duplicate`: the same URL (scheme and host in any case) came earlier in the input and is
 *   sent there;
 * - `daily-limit`: the daily budget (local, or as Tencent reported it) is spent;
 * - `busy`: the rest of the day's budget is held by requests in flight that may still fail
 *   and give it back; try again shortly;
 * - `aborted`: the signal aborted before it was sent;
 * - `host-not-allowed`: the router's `allowedHosts` does not cover its host.
 */
export type RejectReason =
  | "invalid-url"
  | "duplicate"
  | "daily-limit"
  | "busy"
  | "aborted"
  | "host-not-allowed";

/** A URL that was not sent, and why. */
export interface RejectedUrl {
  /** The URL as the caller gave it. */
  url: string;
  /** The reason, as a stable code. */
  reason: RejectReason;
  /** The reason, in a sentence. */
  detail: string;
  /**
   * `daily-limit` only: who refused it. `"local"`: the local budget (`dailyLimit`), which may
   * be set lower than the account's quota; `"tencent"`: Tencent's own count (the quota read,
   * or its refusal).
   */
  by?: "local" | "tencent";
  /** `daily-limit` by the local budget: the option that sets it (`"dailyLimit"`, or
   * `"purgeDailyLimit"` for the purge before a prefetch). */
  option?: string;
}

/** A batch that was sent (at least once) without creating a task this client saw. */
export interface FailedBatch {
  /** The hostname every URL of the batch shares. */
  host: string;
  /** The URLs of the batch. */
  urls: string[];
  /** What went wrong. */
  error: TencentCloudError;
  /**
   * True when Tencent may have processed the batch anyway (a timeout, a dropped connection, a
   * server failure): `recoverLostTasks()` looks such batches up, and finds the task of those
   * that created one; check `describePushTasks` before sending the others again.
   */
  maybeSubmitted: boolean;
  /**
   * When the batch was first sent, in ms since the epoch on the run's clock (`now`): set only
   * when `maybeSubmitted` is true. `recoverLostTasks()` looks for its task from 5 minutes
   * before it (the clock skew a signature tolerates).
   */
  sentAt?: number;
}

/** Totals of a {@linkcode PrewarmReport}. */
export interface PrewarmCounts {
  /** Input strings read. Equals `submitted + rejected + failed`. */
  input: number;
  /** URLs covered by tasks. */
  submitted: number;
  /** URLs not sent. */
  rejected: number;
  /** URLs in failed batches. */
  failed: number;
  /** Of the failed URLs, those that may have been processed anyway. */
  maybeSubmitted: number;
  /** Tasks created. */
  tasks: number;
  /** HTTP requests sent, retries included. */
  requests: number;
}

/** The outcome of a `prewarm()` run. */
export interface PrewarmReport {
  /** The API used (its `name`). */
  api: ApiName;
  /** The area prefetched (EdgeOne: `"global"`, the zone's own acceleration area applies). */
  area: Area;
  /** EdgeOne: the zone (site) the URLs were prefetched in. */
  zoneId?: string;
  /** Tasks created, each with its URLs. */
  tasks: PrewarmTask[];
  /** URLs not sent, each with a reason. */
  rejected: RejectedUrl[];
  /** Batches that failed, each with its error. */
  failed: FailedBatch[];
  /** Totals. */
  counts: PrewarmCounts;
  /** True when the signal aborted the run; unsent URLs are then rejected as `aborted`. */
  aborted: boolean;
  /** What the run could not account for exactly, in sentences (e.g. `parseM3U8` segments). */
  warnings?: string[];
}

/** Progress after each batch settles. */
export interface PrewarmProgress {
  /** Batches settled (sent or skipped). */
  batchesDone: number;
  /** Batches planned so far (grows when a batch is split). */
  batchesTotal: number;
  /** URLs in tasks so far. */
  submitted: number;
  /** URLs in failed batches so far. */
  failed: number;
  /** URLs rejected so far (including those rejected before sending began). */
  rejected: number;
  /** HTTP requests sent so far. */
  requests: number;
}

/**
 * Where each entry of a report's `tasks` and `failed` began in the input (its batch's first
 * URL), for the entries of runs in this process: both lists are in input order, and a batch
 * that becomes a task afterwards (`recoverLostTasks()`) takes its place among the tasks by it.
 * Kept beside the report, not in it, so that the report's JSON stays what the types say.
 */
export const INPUT_PLACE: WeakMap<object, number> = new WeakMap();

/** Computes the totals of a report from its lists. */
export function countReport(
  report: Pick<PrewarmReport, "tasks" | "rejected" | "failed">,
  requests: number,
): PrewarmCounts {
  const sum = (lists: { urls: string[] }[]) => lists.reduce((n, x) => n + x.urls.length, 0);
  const submitted = sum(report.tasks);
  const failed = sum(report.failed);
  return {
    input: submitted + report.rejected.length + failed,
    submitted,
    rejected: report.rejected.length,
    failed,
    maybeSubmitted: sum(report.failed.filter((f) => f.maybeSubmitted)),
    tasks: report.tasks.length,
    requests,
  };
}
