/**
 * A local simulator of the Tencent Cloud CDN prefetch ("prewarm") APIs, for tests and demos:
 * API 2.0 `CdnOverseaPushser` and API 3.0 `PushUrlsCache` / `DescribePushTasks` /
 * `DescribePushQuota`, with real signature checks (its own implementation), batch, daily and
 * per-second limits, and injectable failures. Only Web APIs are used, so it runs unchanged on
 * Deno, Bun, Node and Cloudflare Workers.
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
 * Over real HTTP (sign for the host with its port, e.g. `127.0.0.1:8787`):
 *
 * ```ts
 * import { TencentCdnSimulator } from "@qcdn/prewarm/testing";
 *
 * const simulator = new TencentCdnSimulator();
 * const server = Deno.serve({ hostname: "127.0.0.1", port: 8787 }, simulator.handle);
 * // API 2.0 at http://127.0.0.1:8787/v2/index.php, API 3.0 at http://127.0.0.1:8787/
 * await server.shutdown();
 * ```
 *
 * @module
 */

export {
  type AcceptedTask,
  type FaultPolicyInfo,
  type PushArea,
  type QuotaArea,
  type ReceivedRequest,
  SIMULATOR_CREDENTIALS,
  type SimulatorCredential,
  type SimulatorFault,
  type SimulatorFaultType,
  type SimulatorOptions,
  TencentCdnSimulator,
} from "./simulator.ts";
