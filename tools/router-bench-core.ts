/**
 * What the prewarm router adds to each request, measured in one run: the same 20-URL
 * `PushUrlsCache` submission made by `prewarm()` straight to the simulator ("alone") and
 * through the router in front of it ("routed"), in process and over loopback HTTP. Runtime
 * neutral (only Web APIs): the Deno driver runs it in place, Bun runs a bundle of it.
 */
import { MemoryCoordinator, prewarm } from "../mod.ts";
import { prewarmRouter } from "../src/hono/mod.ts";
import { SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "../src/testing/mod.ts";
import { summarize } from "./bench/stats.mjs";

/** Serves a handler on 127.0.0.1 (port chosen by the system) until `close()`. */
export type Serve = (
  handler: (request: Request) => Response | Promise<Response>,
) => Promise<{ url: string; close(): Promise<void> }>;

/** One comparison: milliseconds per request, the median and the min over the rounds. */
export interface RouterBenchRow {
  /** `in-process` (`app.request()`, the simulator's in-process fetch) or `loopback` (HTTP). */
  mode: "in-process" | "loopback";
  /** `prewarm()` → simulator. */
  aloneMs: number;
  /** client → router (`prewarm()` inside) → simulator. */
  routedMs: number;
  /** The fastest round of each side. */
  aloneMinMs: number;
  routedMinMs: number;
  /** Requests timed per side and round. */
  requests: number;
  /** Rounds, sides alternated within each. */
  rounds: number;
}

const TOKEN = "bench-token-0123456789abcdef";
const URLS = Array.from(
  { length: 20 },
  (_, i) => `https://www.example.com/bench/${i}.js`,
);
const BODY = JSON.stringify({ urls: URLS });
const FAST = {
  dailyLimit: Infinity,
  maxRequestsPerSecond: Infinity,
  retries: 0,
} as const;

/** A simulator that never limits the benchmark. */
export function simulator(): TencentCdnSimulator {
  return new TencentCdnSimulator({
    requestsPerSecond: Infinity,
    dailyLimit: Number.MAX_SAFE_INTEGER,
  });
}

async function time(
  requests: number,
  once: () => Promise<void>,
): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < requests; i++) await once();
  return (performance.now() - start) / requests;
}

// Alternates the sides round by round (and which goes first), so drift and noise on a busy
// machine fall on both alike; a warm-up round of each is discarded.
async function compare(
  alone: () => Promise<void>,
  routed: () => Promise<void>,
  requests: number,
  rounds: number,
  reset: () => void,
): Promise<
  { aloneMs: number; routedMs: number; aloneMinMs: number; routedMinMs: number }
> {
  await time(Math.ceil(requests / 4), alone);
  await time(Math.ceil(requests / 4), routed);
  const a: number[] = [];
  const r: number[] = [];
  for (let round = 0; round < rounds; round++) {
    reset();
    if (round % 2 === 0) {
      a.push(await time(requests, alone));
      r.push(await time(requests, routed));
    } else {
      r.push(await time(requests, routed));
      a.push(await time(requests, alone));
    }
  }
  const aloneTimes = summarize(a);
  const routedTimes = summarize(r);
  return {
    aloneMs: aloneTimes.median,
    routedMs: routedTimes.median,
    aloneMinMs: aloneTimes.min,
    routedMinMs: routedTimes.min,
  };
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`Benchmark request failed: ${what}`);
}

/**
 * Over HTTP: `prewarm()` straight to the simulator at `simUrl`, against a client POSTing to
 * the router at `routerUrl` (served by any runtime, e.g. workerd) in front of that simulator.
 */
export async function measureLoopback(
  simUrl: string,
  routerUrl: string,
  reset: () => void,
  options: { requests?: number; rounds?: number } = {},
): Promise<RouterBenchRow> {
  const { requests = 150, rounds = 5 } = options;
  const credentials = { ...SIMULATOR_CREDENTIALS };
  const result = await compare(
    async () => {
      const report = await prewarm(URLS, {
        ...FAST,
        credentials,
        endpoint: simUrl,
      });
      check(report.counts.submitted === URLS.length, "loopback alone");
    },
    async () => {
      const response = await fetch(`${routerUrl}prewarm`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${TOKEN}`,
          "content-type": "application/json",
        },
        body: BODY,
      });
      check(response.status === 200, `loopback routed: ${response.status}`);
      await response.arrayBuffer();
    },
    requests,
    rounds,
    reset,
  );
  return { mode: "loopback", ...result, requests, rounds };
}

/** The bearer token the benchmark's routers accept. */
export const BENCH_TOKEN = TOKEN;
/** The simulator's account, for routers served elsewhere (workerd). */
export { SIMULATOR_CREDENTIALS };

/** Measures in process, and over loopback when `serve` is given. */
export async function measureRouterCost(
  options: { serve?: Serve; requests?: number; rounds?: number } = {},
): Promise<RouterBenchRow[]> {
  const { serve, rounds = 5 } = options;
  const rows: RouterBenchRow[] = [];
  const credentials = { ...SIMULATOR_CREDENTIALS };
  const auth = {
    authorization: `Bearer ${TOKEN}`,
    "content-type": "application/json",
  };

  {
    const sim = simulator();
    const requests = options.requests ?? 300;
    const router = prewarmRouter({
      credentials,
      tokens: [TOKEN],
      prewarm: {
        ...FAST,
        fetch: sim.fetch,
        coordinator: new MemoryCoordinator(),
      },
    });
    const result = await compare(
      async () => {
        const report = await prewarm(URLS, {
          ...FAST,
          credentials,
          fetch: sim.fetch,
        });
        check(report.counts.submitted === URLS.length, "in-process alone");
      },
      async () => {
        const response = await router.request("/prewarm", {
          method: "POST",
          headers: auth,
          body: BODY,
        });
        check(response.status === 200, `in-process routed: ${response.status}`);
        await response.arrayBuffer();
      },
      requests,
      rounds,
      () => sim.reset(),
    );
    rows.push({ mode: "in-process", ...result, requests, rounds });
  }

  if (serve) {
    const sim = simulator();
    const requests = options.requests ? Math.ceil(options.requests / 2) : 150;
    const simServer = await serve(sim.handle);
    const router = prewarmRouter({
      credentials,
      tokens: [TOKEN],
      prewarm: {
        ...FAST,
        endpoint: simServer.url,
        coordinator: new MemoryCoordinator(),
      },
    });
    const routerServer = await serve(router.fetch);
    try {
      rows.push(
        await measureLoopback(
          simServer.url,
          routerServer.url,
          () => sim.reset(),
          {
            requests,
            rounds,
          },
        ),
      );
    } finally {
      await routerServer.close();
      await simServer.close();
    }
  }
  return rows;
}
