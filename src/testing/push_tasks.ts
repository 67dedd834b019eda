/**
 * The prefetch tasks the simulated account has accepted, and the `DescribePushTasks` view of
 * them: one log line per URL, `process` with a growing `Percent` until the URL's duration has
 * passed, then its final status (see `lifecycle.ts`).
 *
 * @module
 */

import { formatBeijingTime } from "./beijing_time.ts";
import { heldAs, type PrefetchOutcome, type TaskLifecycle, type UrlProgress } from "./lifecycle.ts";
import type { TaskQuery } from "./task_query.ts";

/** Where a prefetch warms the cache. */
export type PushArea = "mainland" | "overseas" | "global";

/** One custom header of a `PushUrlsCache` request, as sent. */
export interface PushHeader {
  /** Header name. */
  Name: string;
  /** Header value. */
  Value: string;
}

/**
 * The optional `PushUrlsCache` parameters exactly as they arrived on the wire (wire names;
 * only those the request carried).
 */
export interface PushUrlsCacheParameters {
  /** `User-Agent` the CDN sends to the origin (Tencent's default: `TencentCdn`). */
  UserAgent?: string;
  /** `"middle"`: warm the mid-tier only. */
  Layer?: string;
  /** Also prefetch the segments of an HLS playlist. */
  ParseM3U8?: boolean;
  /** Fetch from the origin without `Range` requests. */
  DisableRange?: boolean;
  /** Custom headers sent to the origin. */
  Headers?: PushHeader[];
  /** Whether the CDN percent-encodes the URLs (needed for non-ASCII paths). */
  UrlEncode?: boolean;
}

/** HLS segments prefetched with a task's playlists (`ParseM3U8`). */
export interface PrefetchedSegments {
  /** Segments that spent quota and were prefetched. */
  prefetched: number;
  /** Segments skipped because the daily quota ran out. */
  skipped: number;
}

/**
 * A prefetch task the simulator created. An API 2.0 request creates one task per hostname; an
 * API 3.0 request creates one task for the batch, recorded once per hostname it covers (all
 * records of the batch share the `taskId`).
 */
export interface AcceptedTask {
  /** The API that created it. */
  api: "v2" | "v3";
  /** The task id as the API returned it, as text (API 2.0 sends it as a number). */
  taskId: string;
  /** Area warmed; API 2.0 tasks are always `overseas`. */
  area: PushArea;
  /** The hostname (without port) of every URL in `urls`. */
  host: string;
  /** The URLs, exactly as received, in request order. */
  urls: string[];
  /** Simulated clock (ms) when the task was created. */
  at: number;
  /** API 3.0 only: the optional parameters the request carried (empty when none). */
  parameters?: PushUrlsCacheParameters;
  /** API 3.0 with `ParseM3U8: true` only: the HLS segments of this record's playlists. */
  segments?: PrefetchedSegments;
}

/** The prefetch status of a URL as the wire spells it in the lower-case form. */
export type PushStatus = "process" | PrefetchOutcome;

/** One `DescribePushTasks` log line. */
export interface PushLog {
  TaskId: string;
  Url: string;
  Status: string;
  Percent: number;
  CreateTime: string;
  UpdateTime: string;
  Area: PushArea;
}

/** Every accepted task, in order, and the task ids to hand out. */
export class PushTaskLog {
  /** Every task created, in order (exposed as `TencentCdnSimulator.accepted`). */
  readonly accepted: AcceptedTask[] = [];
  readonly #lifecycle: TaskLifecycle<PrefetchOutcome>;
  readonly #capitalize: boolean;
  // URLs the CDN will fail whatever the outcome rules say (non-ASCII without UrlEncode).
  readonly #failing = new WeakMap<AcceptedTask, ReadonlySet<string>>();
  // Not reset by clear(): ids stay unique for the simulator's life, as a real account's do.
  #lastV2TaskId = 0;

  /**
   * @param lifecycle decides each URL's status over time
   * @param statusCase how `Status` is spelt on the wire
   */
  constructor(lifecycle: TaskLifecycle<PrefetchOutcome>, statusCase: "lower" | "capitalized") {
    this.#lifecycle = lifecycle;
    this.#capitalize = statusCase === "capitalized";
  }

  /** A fresh API 2.0 task id (a number on the wire). */
  nextV2TaskId(): number {
    return ++this.#lastV2TaskId;
  }

  /** A fresh API 3.0 task id: creation second and a random part, opaque to clients. */
  newV3TaskId(now: number): string {
    return `${Math.floor(now / 1000)}-${crypto.randomUUID()}`;
  }

  /** Records a created task; `failing` URLs of it will end `fail`. */
  add(task: AcceptedTask, failing?: ReadonlySet<string>): void {
    this.accepted.push(task);
    if (failing !== undefined && failing.size > 0) this.#failing.set(task, failing);
  }

  /** Log lines matching the query as seen at `now`, newest task first, URLs in request order. */
  logs(query: TaskQuery<PushStatus, PushArea>, now: number): PushLog[] {
    const logs: PushLog[] = [];
    for (const task of [...this.accepted].reverse()) {
      if (!query.matchesTask(task.taskId, task.at, task.area)) continue;
      for (const url of task.urls) {
        if (!query.matchesUrl(url)) continue;
        const forced = this.#failing.get(task)?.has(url) ? "fail" : undefined;
        const progress = this.#lifecycle.progress(url, task.at, now, forced);
        if (!query.matchesStatus(progress.status)) continue;
        logs.push({
          TaskId: task.taskId,
          Url: url,
          Status: this.#capitalize ? capitalize(progress.status) : progress.status,
          Percent: progress.percent,
          CreateTime: formatBeijingTime(task.at),
          UpdateTime: formatBeijingTime(progress.updatedAt),
          Area: task.area,
        });
      }
    }
    return logs;
  }

  /**
   * Where the newest task that covers `url` (see {@linkcode heldAs}) stands at `now`, as
   * `DescribePushTasks` tells it of the URL as sent, and when it was created; `undefined` when
   * no task covers it.
   */
  newest(
    url: string,
    now: number,
  ): { at: number; progress: UrlProgress<PrefetchOutcome> } | undefined {
    for (let i = this.accepted.length - 1; i >= 0; i--) {
      const task = this.accepted[i]!;
      const sent = heldAs(task.urls, url);
      if (sent === undefined) continue;
      const forced = this.#failing.get(task)?.has(sent) ? "fail" : undefined;
      return { at: task.at, progress: this.#lifecycle.progress(sent, task.at, now, forced) };
    }
    return undefined;
  }

  /** Forgets every task. */
  clear(): void {
    this.accepted.length = 0;
  }
}

function capitalize(status: string): string {
  return status.charAt(0).toUpperCase() + status.slice(1);
}
