/**
 * EdgeOne (`teo`) state: the zones with their hostnames and daily prefetch quota, the prefetch
 * jobs accepted, and the `DescribePrefetchTasks` view of them (one task line per target).
 *
 * @module
 */

import { DomainRegistry } from "./domains.ts";
import { heldAs, type PrefetchOutcome, type TaskLifecycle, type UrlProgress } from "./lifecycle.ts";
import type { ResolvedTeoZone } from "./options.ts";
import { randomBase36 } from "./purge_tasks.ts";
import type { PushHeader } from "./push_tasks.ts";
import { DailyQuota } from "./quota.ts";

/** The optional `CreatePrefetchTask` parameters exactly as they arrived (wire names). */
export interface CreatePrefetchTaskParameters {
  /** `default` (mid-tier) or `edge` (a whitelist feature). */
  Mode?: string;
  /** Percent-encode the targets (deprecated by Tencent). */
  EncodeUrl?: boolean;
  /** Custom headers sent to the origin. */
  Headers?: PushHeader[];
  /** `on`: also prefetch the segments of HLS playlists (a whitelist feature). */
  PrefetchMediaSegments?: string;
}

/**
 * An EdgeOne prefetch job the simulator created, recorded once per zone its targets belong to
 * (a request with `ZoneId: "*"` may cover several; all records share the `jobId`).
 */
export interface AcceptedPrefetchJob {
  /** The `JobId` returned. */
  jobId: string;
  /** The zone every target of this record belongs to. */
  zoneId: string;
  /** The `ZoneId` the request named (`"*"` or `zoneId`). */
  requestedZoneId: string;
  /** The targets, exactly as received, in request order. */
  targets: string[];
  /** Simulated clock (ms) when the job was created. */
  at: number;
  /** The optional parameters the request carried. */
  parameters: CreatePrefetchTaskParameters;
}

/** How EdgeOne names a task's status. */
export type TeoTaskStatus = "processing" | "success" | "failed" | "invalid";

/** One `DescribePrefetchTasks` task line. */
export interface TeoTask {
  JobId: string;
  Target: string;
  Type: "prefetch_url";
  Status: TeoTaskStatus;
  CreateTime: string;
  UpdateTime: string;
  FailType?: string;
  FailMessage?: string;
}

/** What `DescribePrefetchTasks` selects; every given field must match. */
export interface TeoTaskFilter {
  zoneId: string;
  /** Inclusive bounds on the creation time (ms). */
  from?: number;
  until?: number;
  jobId?: string;
  target?: string;
  /** Lower-case hostnames. */
  domains?: readonly string[];
  statuses?: readonly string[];
}

/** A zone with its hostnames and quota. */
export interface TeoZone {
  readonly options: ResolvedTeoZone;
  readonly domains: DomainRegistry;
  readonly quota: DailyQuota<"prefetch_url">;
}

// How the simulator's outcomes read in EdgeOne's vocabulary. The `statuses` filter documents
// `invalid` (the origin answered non-2xx) as a status of its own.
const TEO_STATUS: Readonly<Record<"process" | PrefetchOutcome, TeoTaskStatus>> = {
  process: "processing",
  done: "success",
  fail: "failed",
  invalid: "invalid",
};
const FAILURES: Readonly<Partial<Record<PrefetchOutcome, [string, string]>>> = {
  fail: ["taskFailed", "The prefetch task failed; retry later."],
  invalid: ["originPullFailed", "The origin answered with a non-2xx status."],
};

/** The account's zones and prefetch jobs. */
export class TeoAccount {
  /** Every job record, in order (exposed as `TencentCdnSimulator.prefetchJobs`). */
  readonly accepted: AcceptedPrefetchJob[] = [];
  /** The zones by `ZoneId`. */
  readonly zones: ReadonlyMap<string, TeoZone>;
  readonly #lifecycle: TaskLifecycle<PrefetchOutcome>;

  /**
   * @param zones the configured zones
   * @param lifecycle decides each target's status over time (shared with CDN prefetches)
   */
  constructor(
    zones: ReadonlyMap<string, ResolvedTeoZone>,
    lifecycle: TaskLifecycle<PrefetchOutcome>,
  ) {
    this.zones = new Map(
      [...zones].map(([id, zone]) => [id, {
        options: zone,
        domains: new DomainRegistry(zone.domains, []),
        quota: new DailyQuota<"prefetch_url">(zone.prefetchDailyLimit),
      }]),
    );
    this.#lifecycle = lifecycle;
  }

  /** A fresh `JobId`, shaped like EdgeOne's (`20ga521cpwch`). */
  newJobId(): string {
    return randomBase36(12);
  }

  /** Records a created job. */
  add(job: AcceptedPrefetchJob): void {
    this.accepted.push(job);
  }

  /** Task lines matching the filter at `now`, newest job first, targets in request order. */
  tasks(filter: TeoTaskFilter, now: number): TeoTask[] {
    const tasks: TeoTask[] = [];
    for (const job of [...this.accepted].reverse()) {
      if (job.zoneId !== filter.zoneId) continue;
      if (filter.jobId !== undefined && job.jobId !== filter.jobId) continue;
      const second = Math.floor(job.at / 1000) * 1000;
      if (filter.from !== undefined && second < filter.from) continue;
      if (filter.until !== undefined && second > filter.until) continue;
      for (const target of job.targets) {
        if (filter.target !== undefined && target !== filter.target) continue;
        if (filter.domains !== undefined && !filter.domains.includes(new URL(target).hostname)) {
          continue;
        }
        const progress = this.#lifecycle.progress(target, job.at, now);
        const status = TEO_STATUS[progress.status];
        if (filter.statuses !== undefined && !filter.statuses.includes(status)) continue;
        const failure = progress.status === "process" ? undefined : FAILURES[progress.status];
        tasks.push({
          JobId: job.jobId,
          Target: target,
          Type: "prefetch_url",
          Status: status,
          CreateTime: isoSecond(job.at),
          UpdateTime: isoSecond(progress.updatedAt),
          ...(failure ? { FailType: failure[0], FailMessage: failure[1] } : {}),
        });
      }
    }
    return tasks;
  }

  /**
   * Where the newest job that covers `target` (see {@linkcode heldAs}) stands at `now`, as
   * `DescribePrefetchTasks` tells it of the target as sent, and when it was created;
   * `undefined` when no job covers it.
   */
  newest(
    target: string,
    now: number,
  ): { at: number; progress: UrlProgress<PrefetchOutcome> } | undefined {
    for (let i = this.accepted.length - 1; i >= 0; i--) {
      const job = this.accepted[i]!;
      const sent = heldAs(job.targets, target);
      if (sent !== undefined) {
        return { at: job.at, progress: this.#lifecycle.progress(sent, job.at, now) };
      }
    }
    return undefined;
  }

  /** Which zone serves `hostname`, if one does. */
  zoneOf(hostname: string): string | undefined {
    for (const [id, zone] of this.zones) {
      if (zone.domains.statusOf(hostname) !== "unknown") return id;
    }
    return undefined;
  }

  /** Forgets every job and all quota spent. */
  clear(): void {
    this.accepted.length = 0;
    for (const zone of this.zones.values()) zone.quota.clear();
  }
}

/** EdgeOne's time format: UTC to the second, `2022-02-09T02:28:43Z`. */
export function isoSecond(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}
