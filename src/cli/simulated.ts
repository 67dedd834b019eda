/**
 * The account `--simulate` (and a run without credentials) talks to: the package's own
 * simulator, in-process, set up so a run looks like one against Tencent Cloud would.
 * @module
 */
import { SimulatedEdge, SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "../testing/mod.ts";
import type { Credentials } from "../transport/credentials.ts";
import type { FetchLike } from "../transport/send.ts";
import { checkUrl } from "../rules/urls.ts";

/** Added to every simulated request, so progress can be watched as it would be for real. */
export const SIMULATED_LATENCY_MS = 50;

/** Tencent's documented limit for `PushUrlsCache`, which the simulator enforces by default. */
const TENCENT_REQUESTS_PER_SECOND = 20;

// What the simulator accepts as a domain; other hosts fail as unknown domains would.
const DOMAIN_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** How the simulated account is set up. */
export interface SimulatedAccountOptions {
  /** The run's daily limit; the simulated account allows as much (`Infinity`: no limit). */
  dailyLimit: number;
  /** The run's request rate; the simulated account admits at least as many per second. */
  requestsPerSecond: number;
  /** `--api teo --zone`: the EdgeOne zone, serving every host of the input. */
  zoneId?: string;
}

/** A simulated account: give `fetch` and `credentials` to `prewarm()` or the describe calls. */
export interface SimulatedAccount {
  /** Answers requests in-process. */
  fetch: FetchLike;
  /** The simulator's own (fake) key pair. */
  credentials: Credentials;
  /**
   * Answers probes (`--verify`, `verify --simulate`) as the account's edge would, with
   * Tencent's cache headers: a miss until a URL's prefetch is done, a hit after.
   */
  probeFetch: FetchLike;
  /** Passes the input through, noting each URL's host as a domain of the account. */
  noteHosts(urls: AsyncIterable<string>): AsyncGenerator<string>;
}

/**
 * Creates the account. The simulator itself is built on the first request, by when
 * `prewarm()` has read all of the input: every host in it is then one of the account's domains,
 * so the run shows what would happen to URLs on domains that are set up.
 */
export function simulatedAccount(options: SimulatedAccountOptions): SimulatedAccount {
  const hosts = new Set<string>();
  const domains = () => [...hosts].filter((host) => DOMAIN_PATTERN.test(host));
  const daily = Number.isFinite(options.dailyLimit) ? options.dailyLimit : Number.MAX_SAFE_INTEGER;
  let simulator: TencentCdnSimulator | undefined;
  const open = (): TencentCdnSimulator =>
    simulator ??= new TencentCdnSimulator({
      domains: domains(),
      ...(options.zoneId !== undefined && {
        teoZones: [{ zoneId: options.zoneId, domains: domains(), prefetchDailyLimit: daily }],
      }),
      latencyMs: SIMULATED_LATENCY_MS,
      dailyLimit: daily,
      // A --rate above Tencent's limit would only show rate-limit retries; admit it instead.
      requestsPerSecond: Math.max(
        TENCENT_REQUESTS_PER_SECOND,
        Math.ceil(options.requestsPerSecond),
      ),
    });
  let edge: SimulatedEdge | undefined;
  return {
    fetch: (input, init) => open().fetch(input, init),
    probeFetch: (input, init) => (edge ??= new SimulatedEdge(open())).fetch(input, init),
    credentials: { ...SIMULATOR_CREDENTIALS },
    async *noteHosts(urls) {
      for await (const url of urls) {
        const checked = checkUrl(url);
        if (!("reason" in checked)) hosts.add(checked.host);
        yield url;
      }
    },
  };
}
