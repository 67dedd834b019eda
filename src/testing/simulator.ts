/**
 * The simulator: one in-process stand-in for both Tencent Cloud CDN prefetch endpoints, with
 * the account state (quota, nonces, rate windows, tasks), the request log and fault injection.
 *
 * @module
 */

import { type ApiAnswer, plainAnswer, toResponse } from "./answers.ts";
import { answerV2 } from "./api_v2.ts";
import { answerV3 } from "./api_v3.ts";
import type { ApiContext } from "./context.ts";
import { DomainRegistry } from "./domains.ts";
import {
  breakingBody,
  checkFault,
  connectionRefused,
  faultAnswer,
  type FaultPolicyInfo,
  type SimulatorFault,
  type SimulatorFaultType,
} from "./faults.ts";
import { inProcessFetch } from "./in_process_fetch.ts";
import { heldAs, type PrefetchOutcome, TaskLifecycle } from "./lifecycle.ts";
import { NonceLedger } from "./nonce_ledger.ts";
import { describe } from "./options_check.ts";
import { resolveOptions, type SimulatorOptions } from "./options.ts";
import { type AcceptedPurge, PurgeTaskLog } from "./purge_tasks.ts";
import { type AcceptedTask, PushTaskLog } from "./push_tasks.ts";
import { DailyQuota, type QuotaArea } from "./quota.ts";
import { SlidingWindowLimiter } from "./rate_limiter.ts";
import { readCall, type RoutedCall, routeOf } from "./route.ts";
import { sleep } from "./sleep.ts";
import { type AcceptedPrefetchJob, TeoAccount } from "./teo_jobs.ts";

export { SIMULATOR_CREDENTIALS } from "./options.ts";
export type {
  SimulatorCredential,
  SimulatorOptions,
  TeoZoneOptions,
  UnencodedNonAscii,
} from "./options.ts";
export type { FaultPolicyInfo, SimulatorFault, SimulatorFaultType } from "./faults.ts";
export type { PrefetchOutcome, PurgeOutcome, TaskOutcomeRule } from "./lifecycle.ts";
export type { AcceptedPurge } from "./purge_tasks.ts";
export type {
  AcceptedTask,
  PrefetchedSegments,
  PushArea,
  PushHeader,
  PushUrlsCacheParameters,
} from "./push_tasks.ts";
export type { QuotaArea } from "./quota.ts";
export type { AcceptedPrefetchJob, CreatePrefetchTaskParameters } from "./teo_jobs.ts";

/** What {@linkcode TencentCdnSimulator.edgeStateOf} knows of one URL. */
export interface EdgeState {
  /** The simulated clock (ms) it was read at. */
  readAt: number;
  /** The service whose edge serves the URL's host; absent when the account serves it not. */
  service?: "cdn" | "teo";
  /** The newest prefetch of the URL: its status (`process` until done) and when it changed. */
  prefetch?: { status: "process" | PrefetchOutcome; updatedAt: number };
  /** When a purge of the URL was accepted, if one was once the prefetch had ended. */
  purgedAt?: number;
}

/** One request as the simulator received and answered it. */
export interface ReceivedRequest {
  /** The API it was routed to. */
  api: "v2" | "v3";
  /** `Action` (API 2.0) or `X-TC-Action` (API 3.0); `""` when an API 2.0 request has none. */
  action: string;
  /**
   * `"teo"` for an EdgeOne request (`X-TC-Version: 2022-09-01`); unset for CDN requests (both
   * API generations), so their records keep the shape they always had.
   */
  service?: "teo";
  /** HTTP method. */
  method: string;
  /** Simulated clock (ms) when it arrived. */
  at: number;
  /** Real `Date.now()` when it arrived. */
  receivedAt: number;
  /** Real `Date.now()` when its answer was ready (or it was refused); unset while in flight. */
  finishedAt?: number;
  /** How many URLs it carried. */
  urlCount: number;
  /**
   * `"pending"` while in flight, then `"Success"`, the error code (API 3.0 `Error.Code`; API
   * 2.0 `"4000"`, or `"4000(9105)"` with a module code), `"HTTP 501"` for an oversized API 2.0
   * request, or `"fault:<type>"` when a fault was applied.
   */
  outcome: string;
  /** The fault applied to it, if any. */
  fault?: SimulatorFaultType;
  /**
   * For faults that still process the request (`delay`, `reset`): the outcome the normal
   * handling produced, which the client may never have seen.
   */
  processedOutcome?: string;
}

/**
 * A faithful in-process stand-in for Tencent Cloud prefetch and purge: CDN API 2.0
 * `CdnOverseaPushser` (`/v2/index.php`); CDN API 3.0 `PushUrlsCache`, `DescribePushTasks`,
 * `DescribePushQuota`, `PurgeUrlsCache`, `DescribePurgeTasks`, `DescribePurgeQuota`; EdgeOne
 * `CreatePrefetchTask`, `DescribePrefetchTasks`, `DescribeContentQuota` (`POST /`, told apart
 * by `X-TC-Version`). It verifies both signature algorithms with its own code (TC3 with the
 * service of the version), enforces the batch, daily (Beijing day) and per-second limits, runs
 * tasks through a lifecycle on the simulated clock, and can inject failures.
 *
 * @example In-process, as a `fetch` replacement
 * ```ts
 * import { TencentCdnSimulator } from "@qcdn/prewarm/testing";
 *
 * const simulator = new TencentCdnSimulator({ dailyLimit: 10 });
 * // Faults come before authentication, like a gateway's: this unsigned request is rate-limited.
 * simulator.inject({ type: "rate-limit" });
 * const response = await simulator.fetch("https://cdn.tencentcloudapi.com/", {
 *   method: "POST",
 *   headers: { "X-TC-Action": "DescribePushQuota" },
 * });
 * console.log(await response.json()); // {"Response":{"Error":{"Code":"RequestLimitExceeded",…}}}
 * ```
 */
export class TencentCdnSimulator {
  /** Every prefetch task created by the two CDN APIs, in order. */
  readonly accepted: AcceptedTask[];
  /** Every `PurgeUrlsCache` task created, in order (one record per hostname). */
  readonly purged: AcceptedPurge[];
  /** Every EdgeOne `CreatePrefetchTask` job created, in order (one record per zone). */
  readonly prefetchJobs: AcceptedPrefetchJob[];
  /** Every API request received, in order of arrival (404s are not recorded). */
  readonly requests: ReceivedRequest[] = [];
  /**
   * Consulted for each API request that finds the injected-fault queue empty; return a fault
   * to apply, or `undefined` to handle the request normally. Use it for seeded random fault
   * schedules. Kept by {@linkcode TencentCdnSimulator.reset}.
   */
  faultPolicy?: (info: FaultPolicyInfo) => SimulatorFault | undefined;

  readonly #context: ApiContext;
  readonly #faults: SimulatorFault[] = [];
  #inFlight = 0;
  #maxInFlight = 0;
  #nextIndex = 0;

  /** Creates a simulator; throws `TypeError`/`RangeError` naming any bad option value. */
  constructor(options?: SimulatorOptions) {
    const resolved = resolveOptions(options);
    const prefetches = new TaskLifecycle(resolved.taskOutcomes, resolved.taskDurationMs, "done");
    const tasks = new PushTaskLog(prefetches, resolved.pushStatusCase);
    const purges = new PurgeTaskLog(
      new TaskLifecycle(resolved.purgeOutcomes, resolved.purgeDurationMs, "done"),
    );
    const teo = new TeoAccount(resolved.teoZones, prefetches);
    this.#context = {
      options: resolved,
      domains: new DomainRegistry(resolved.domains, resolved.offlineDomains),
      nonces: new NonceLedger(),
      limiter: new SlidingWindowLimiter(resolved.requestsPerSecond),
      quota: new DailyQuota(resolved.dailyLimit),
      tasks,
      purgeQuota: new DailyQuota(resolved.purgeDailyLimit),
      purges,
      teo,
    };
    this.accepted = tasks.accepted;
    this.purged = purges.accepted;
    this.prefetchJobs = teo.accepted;
  }

  /** The highest number of requests handled at once (latency and delays included). */
  get maxInFlight(): number {
    return this.#maxInFlight;
  }

  /**
   * Serves one request: pass it to `Deno.serve`, `Bun.serve` or a Worker's `fetch` handler.
   * Bound, so it can be passed around as is.
   */
  readonly handle: (request: Request) => Promise<Response> = (request) => this.#serve(request);

  /**
   * A drop-in for `globalThis.fetch` that answers in-process. Bound. When the request's signal
   * aborts, the promise rejects with the signal's reason at once while handling continues in
   * the background, as on a real server: quota may still be spent.
   */
  readonly fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> =
    inProcessFetch((request, arrivedAt) => this.#serve(request, arrivedAt));

  /**
   * Prefetch quota spent today (the Beijing day of the simulated clock) in an area: URLs, plus
   * HLS segments of `ParseM3U8` requests.
   */
  quotaUsed(area: QuotaArea = "overseas"): number {
    return this.#context.quota.used(checkArea(area), this.#context.options.now());
  }

  /** URLs purged today (the Beijing day of the simulated clock) in an area. */
  purgeQuotaUsed(area: QuotaArea = "overseas"): number {
    return this.#context.purgeQuota.used(checkArea(area), this.#context.options.now());
  }

  /** EdgeOne targets prefetched today (Beijing day of the simulated clock) in a zone. */
  teoQuotaUsed(zoneId: string): number {
    const zone = this.#context.teo.zones.get(zoneId);
    if (zone === undefined) {
      const known = [...this.#context.teo.zones.keys()].map(describe).join(", ");
      throw new RangeError(`Zone ${describe(zoneId)} is not configured; known zones: ${known}`);
    }
    return zone.quota.used("prefetch_url", this.#context.options.now());
  }

  /**
   * What the account's edge knows of `url` at the simulated clock, for `SimulatedEdge`:
   * which service serves its host (`undefined`: neither the account's CDN domains nor an
   * EdgeOne zone); where its newest prefetch (either service; the URL as sent that a parser
   * reads as `url`) stands and when it ended; and whether a purge of it was accepted after that.
   */
  edgeStateOf(url: string): EdgeState {
    const now = this.#context.options.now();
    const host = new URL(url).hostname;
    const cdn = this.#context.tasks.newest(url, now);
    const teo = this.#context.teo.newest(url, now);
    const newest = cdn && teo ? (teo.at > cdn.at ? teo : cdn) : cdn ?? teo;
    const service = newest
      ? newest === teo ? "teo" : "cdn"
      : this.#context.teo.zoneOf(host) !== undefined
      ? "teo"
      : this.#context.domains.statusOf(host) === "online"
      ? "cdn"
      : undefined;
    const state: EdgeState = service === undefined ? { readAt: now } : { readAt: now, service };
    if (newest) {
      state.prefetch = { status: newest.progress.status, updatedAt: newest.progress.updatedAt };
      const purge = this.purged.findLast((p) => heldAs(p.urls, url) !== undefined);
      if (purge && purge.at >= newest.progress.updatedAt) state.purgedAt = purge.at;
    }
    return state;
  }

  /** Queues faults; each API request that arrives takes the next one, first in first out. */
  inject(...faults: SimulatorFault[]): void {
    this.#faults.push(...faults.map(checkFault));
  }

  /**
   * Forgets the request log, accepted tasks (prefetch, purge and EdgeOne), quotas spent,
   * nonces, rate windows and queued faults. Keeps the options and `faultPolicy`; task ids keep
   * counting up.
   */
  reset(): void {
    this.requests.length = 0;
    this.#context.tasks.clear();
    this.#context.quota.clear();
    this.#context.purges.clear();
    this.#context.purgeQuota.clear();
    this.#context.teo.clear();
    this.#context.nonces.clear();
    this.#context.limiter.clear();
    this.#faults.length = 0;
    this.#nextIndex = 0;
    this.#maxInFlight = this.#inFlight;
  }

  async #serve(request: Request, arrivedAt = Date.now()): Promise<Response> {
    const url = new URL(request.url);
    const route = routeOf(request, url);
    if (route === undefined) return toResponse(plainAnswer(404, "Not Found"));

    // Taken before any await, so that concurrent requests take faults in order of arrival.
    const queued = this.#faults.shift();
    const index = this.#nextIndex++;
    const { now, latencyMs } = this.#context.options;
    const record: ReceivedRequest = {
      api: route.api,
      action: route.api === "v3" ? route.action : "",
      method: request.method,
      at: now(),
      receivedAt: arrivedAt,
      urlCount: 0,
      outcome: "pending",
    };
    this.requests.push(record);
    this.#maxInFlight = Math.max(this.#maxInFlight, ++this.#inFlight);
    try {
      // Read the body first: a real server has it before the client can hang up on a delay.
      const routed = await readCall(route, request, url);
      record.action = routed.action;
      record.urlCount = routed.urlCount;
      if (routed.api === "v3" && routed.service === "teo") record.service = "teo";
      const fault = queued ?? this.#askPolicy(routed, index);
      if (fault !== undefined) {
        record.fault = fault.type;
        record.outcome = `fault:${fault.type}`;
      }
      if (fault?.type === "refuse") throw connectionRefused(request.url);
      if (latencyMs > 0) await sleep(latencyMs);
      switch (fault?.type) {
        case "status":
        case "html":
        case "rate-limit":
        case "error":
          return toResponse(faultAnswer(fault, route.api));
        case "delay":
          await sleep(fault.ms);
      }
      const answer = await this.#answer(routed);
      if (fault === undefined) record.outcome = answer.outcome;
      else record.processedOutcome = answer.outcome;
      return fault?.type === "reset" ? breakingResponse(answer) : toResponse(answer);
    } catch (error) {
      if (record.outcome === "pending") record.outcome = "exception";
      throw error;
    } finally {
      record.finishedAt = Date.now();
      this.#inFlight--;
    }
  }

  #askPolicy(routed: RoutedCall, index: number): SimulatorFault | undefined {
    const fault = this.faultPolicy?.({
      api: routed.api,
      action: routed.action,
      urlCount: routed.urlCount,
      index,
      ...(routed.api === "v3" && routed.service === "teo" ? { service: "teo" as const } : {}),
    });
    return fault === undefined ? undefined : checkFault(fault);
  }

  #answer(routed: RoutedCall): Promise<ApiAnswer> {
    // The clock is read when handling starts, after any latency or delay.
    const now = this.#context.options.now();
    return routed.api === "v2"
      ? answerV2(this.#context, routed.call, now)
      : answerV3(this.#context, routed.call, now);
  }
}

function checkArea(area: unknown): QuotaArea {
  if (area !== "mainland" && area !== "overseas") {
    throw new RangeError(`Area must be "mainland" or "overseas"; got ${describe(area)}`);
  }
  return area;
}

function breakingResponse(answer: ApiAnswer): Response {
  return new Response(breakingBody(answer.text), {
    status: answer.status,
    headers: { "content-type": answer.contentType },
  });
}
