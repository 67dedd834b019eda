/**
 * The URL purge tasks the simulated account has accepted, and the `DescribePurgeTasks` view of
 * them: one log line per URL, `process` until the URL's purge duration has passed, then `done`
 * or `fail` (see `lifecycle.ts`).
 *
 * @module
 */

import { formatBeijingTime } from "./beijing_time.ts";
import type { PurgeOutcome, TaskLifecycle } from "./lifecycle.ts";
import type { QuotaArea } from "./quota.ts";
import type { TaskQuery } from "./task_query.ts";

/** A `PurgeUrlsCache` task the simulator created, recorded once per hostname it covers. */
export interface AcceptedPurge {
  /** The task id returned (shared by every record of the request). */
  taskId: string;
  /**
   * The `Area` sent. Without one Tencent purges the domain's acceleration area; the simulator
   * takes every domain as accelerated in both, so such a purge spends both areas' quota.
   */
  area?: QuotaArea;
  /** The hostname (without port) of every URL in `urls`. */
  host: string;
  /** The URLs, exactly as received, in request order. */
  urls: string[];
  /** Simulated clock (ms) when the task was created. */
  at: number;
  /** `UrlEncode` as sent, when it was. */
  urlEncode?: boolean;
}

/** The purge status of a URL. */
export type PurgeStatus = "process" | PurgeOutcome;

/** The area a purge record is filed under for `DescribePurgeTasks`' `Area` filter. */
export type PurgeLogArea = QuotaArea | "global";

/** One `DescribePurgeTasks` log line. */
export interface PurgeLog {
  TaskId: string;
  Url: string;
  Status: PurgeStatus;
  PurgeType: "url";
  FlushType: "delete";
  CreateTime: string;
}

/** Every accepted purge, in order. */
export class PurgeTaskLog {
  /** Every purge created, in order (exposed as `TencentCdnSimulator.purged`). */
  readonly accepted: AcceptedPurge[] = [];
  readonly #lifecycle: TaskLifecycle<PurgeOutcome>;
  // URLs the CDN will fail whatever the outcome rules say (non-ASCII without UrlEncode).
  readonly #failing = new WeakMap<AcceptedPurge, ReadonlySet<string>>();

  /** @param lifecycle decides each URL's status over time */
  constructor(lifecycle: TaskLifecycle<PurgeOutcome>) {
    this.#lifecycle = lifecycle;
  }

  /** A fresh task id, shaped like Tencent's (`1533045796-i60rfmzm`): second and random part. */
  newTaskId(now: number): string {
    return `${Math.floor(now / 1000)}-${randomBase36(8)}`;
  }

  /** Records a created purge; `failing` URLs of it will end `fail`. */
  add(purge: AcceptedPurge, failing?: ReadonlySet<string>): void {
    this.accepted.push(purge);
    if (failing !== undefined && failing.size > 0) this.#failing.set(purge, failing);
  }

  /** Log lines matching the query at `now`, newest task first, URLs in request order. */
  logs(query: TaskQuery<PurgeStatus, PurgeLogArea>, now: number): PurgeLog[] {
    const logs: PurgeLog[] = [];
    for (const purge of [...this.accepted].reverse()) {
      if (!query.matchesTask(purge.taskId, purge.at, purge.area ?? "global")) continue;
      for (const url of purge.urls) {
        if (!query.matchesUrl(url)) continue;
        const forced = this.#failing.get(purge)?.has(url) ? "fail" : undefined;
        const { status } = this.#lifecycle.progress(url, purge.at, now, forced);
        if (!query.matchesStatus(status)) continue;
        logs.push({
          TaskId: purge.taskId,
          Url: url,
          Status: status,
          PurgeType: "url",
          // The field's documentation: "flush" only for directory purges, "delete" otherwise.
          FlushType: "delete",
          CreateTime: formatBeijingTime(purge.at),
        });
      }
    }
    return logs;
  }

  /** Forgets every purge. */
  clear(): void {
    this.accepted.length = 0;
  }
}

/** `length` random characters of `0-9a-z`. */
export function randomBase36(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => (byte % 36).toString(36)).join("");
}
