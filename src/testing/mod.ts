/**
 * A local simulator of the Tencent Cloud prefetch ("prewarm") and purge APIs, for tests and
 * demos: CDN API 2.0 `CdnOverseaPushser`; CDN API 3.0 `PushUrlsCache` (every parameter),
 * `DescribePushTasks`, `DescribePushQuota`, `PurgeUrlsCache`, `DescribePurgeTasks`,
 * `DescribePurgeQuota`; and EdgeOne (`teo`, `2022-09-01`) `CreatePrefetchTask`,
 * `DescribePrefetchTasks`, `DescribeContentQuota`. It checks real signatures (its own
 * implementation; TC3 with service `cdn` or `teo`), enforces batch, daily and per-second
 * limits, runs every task through a lifecycle on an injectable clock, and injects failures.
 * Only Web APIs are used, so it runs unchanged on Deno, Bun, Node and Cloudflare Workers.
 * What each action accepts and answers, and where the simulator had to guess, is in
 * `docs/tencent-api.md`.
 *
 * In-process, as a drop-in `fetch`:
 *
 * ```ts
 * import { SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "@qcdn/prewarm/testing";
 *
 * const simulator = new TencentCdnSimulator({ domains: ["www.example.com"], dailyLimit: 100 });
 * simulator.inject({ type: "html", status: 502 }, { type: "delay", ms: 20 });
 * // Give `simulator.fetch` and SIMULATOR_CREDENTIALS to the client under test, then:
 * console.log(simulator.accepted, simulator.requests, simulator.quotaUsed("overseas"));
 * ```
 *
 * Waiting for tasks without waiting: every task reports `process` (its `Percent` growing) for
 * `taskDurationMs` of the clock given as `now`, then its final status, which `taskOutcomes`
 * sets per URL:
 *
 * ```ts
 * import { TencentCdnSimulator } from "@qcdn/prewarm/testing";
 *
 * let now = Date.UTC(2024, 0, 15, 4);
 * const simulator = new TencentCdnSimulator({
 *   now: () => now,
 *   taskDurationMs: 30 * 60_000,
 *   taskOutcomes: [
 *     { match: /\/missing\//, status: "invalid" }, // the origin answers 404
 *     { match: "https://www.example.com/big.iso", status: "fail", durationMs: 45 * 60_000 },
 *   ],
 *   pushStatusCase: "capitalized", // "Done", as in Tencent's example answer
 * });
 * // … prewarm through simulator.fetch, then move the clock on and poll DescribePushTasks:
 * now += 30 * 60_000;
 * ```
 *
 * Purges (`purgeDailyLimit`, `purgeBatchLimit`, `purgeDurationMs`, `purgeOutcomes`) and
 * EdgeOne zones (`teoZones`) are set up the same way; see {@linkcode SimulatorOptions}. What
 * reached the simulator is in `accepted` (prefetch tasks, with the `PushUrlsCache` parameters
 * as sent), `purged`, `prefetchJobs` (EdgeOne), `requests`, and the quota getters
 * `quotaUsed`, `purgeQuotaUsed` and `teoQuotaUsed`.
 *
 * Is it warm? `SimulatedEdge` answers for the account's URLs as a CDN node would, with Tencent
 * CDN's `X-Cache-Lookup` (or EdgeOne's `EO-Cache-Status`): a miss until the URL's prefetch task
 * is done, a hit after. Give its `fetch` to `verifyWarm()` (`@qcdn/prewarm/verify`):
 *
 * ```ts
 * import { SimulatedEdge, TencentCdnSimulator } from "@qcdn/prewarm/testing";
 *
 * const simulator = new TencentCdnSimulator({ domains: ["www.example.com"] });
 * const edge = new SimulatedEdge(simulator, {
 *   rules: [{ match: /\.json$/, cache: "uncacheable" }, {
 *     match: "https://www.example.com/app.js",
 *     hit: ["Hit From MemCache", "Hit From Inner Cluster"],
 *   }],
 * });
 * const answer = await edge.fetch("https://www.example.com/app.js", { method: "HEAD" });
 * console.log(answer.headers.get("x-cache-lookup")); // "Cache Miss": not prefetched yet
 * ```
 *
 * Over real HTTP (sign for the host with its port, e.g. `127.0.0.1:8787`):
 *
 * ```ts
 * import { TencentCdnSimulator } from "@qcdn/prewarm/testing";
 *
 * const simulator = new TencentCdnSimulator();
 * const server = Deno.serve({ hostname: "127.0.0.1", port: 8787 }, simulator.handle);
 * // API 2.0 at http://127.0.0.1:8787/v2/index.php, API 3.0 (CDN and EdgeOne, told apart by
 * // X-TC-Version) at http://127.0.0.1:8787/
 * await server.shutdown();
 * ```
 *
 * @module
 */

export {
  type EdgeRequest,
  type EdgeRule,
  SimulatedEdge,
  type SimulatedEdgeOptions,
} from "./edge.ts";
export {
  type AcceptedPrefetchJob,
  type AcceptedPurge,
  type AcceptedTask,
  type CreatePrefetchTaskParameters,
  type EdgeState,
  type FaultPolicyInfo,
  type PrefetchedSegments,
  type PrefetchOutcome,
  type PurgeOutcome,
  type PushArea,
  type PushHeader,
  type PushUrlsCacheParameters,
  type QuotaArea,
  type ReceivedRequest,
  SIMULATOR_CREDENTIALS,
  type SimulatorCredential,
  type SimulatorFault,
  type SimulatorFaultType,
  type SimulatorOptions,
  type TaskOutcomeRule,
  TencentCdnSimulator,
  type TeoZoneOptions,
  type UnencodedNonAscii,
} from "./simulator.ts";
