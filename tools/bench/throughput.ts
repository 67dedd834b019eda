/**
 * End to end at default options: 5000 URLs through `prewarm()` (only `dailyLimit: Infinity`,
 * the credentials and the endpoint set) to the simulator served over HTTP on 127.0.0.1, which
 * adds 100 ms to every request and admits 20 requests/s per action on the real clock. Measured
 * next to the ideal: the finish time of a perfect client with the same concurrency and request
 * rate (see {@linkcode idealMs}).
 */
import { prewarm } from "../../mod.ts";
import { buildV3Request } from "../../src/transport/v3.ts";
import { DEFAULT_REQUESTS_PER_SECOND } from "../../src/transport/call_options.ts";
import { SIMULATOR_CREDENTIALS } from "../../src/testing/mod.ts";
import { summarize, type Summary } from "./stats.mjs";

/** The simulator's latency per request, in ms. */
export const LATENCY_MS = 100;
/** The simulator's limit, requests per second per action (Tencent's published one). */
export const SERVER_RATE = 20;
/** `prewarm()`'s default concurrency (see `PrewarmOptions.concurrency`). */
export { DEFAULT_CONCURRENCY } from "../../src/engine/options.ts";
import { DEFAULT_CONCURRENCY } from "../../src/engine/options.ts";

/** One shape of run and what it measured. */
export interface ThroughputRow {
  /** Hosts × URLs per host: with the default batch size, one batch per host (or 500 URLs). */
  hosts: number;
  urlsPerHost: number;
  /** Requests one run made (retries included), and batches it planned. */
  requests: number;
  batches: number;
  /** Wall time of a run, ms. */
  measured: Summary;
  /** The perfect client at the default gate of 18 requests/s. */
  idealMs: number;
  /** The perfect client at the server's own 20 requests/s. */
  idealAtServerRateMs: number;
  /** The perfect client at the default gate, with the server's median time per request in
   * place of the 100 ms: what is left above it is the client's. */
  idealAtServerTimeMs: number;
  /** Most requests the simulator handled at once in any run. */
  maxInFlight: number;
  /** What the server took per request, arrival to answer (the 100 ms and its own work). */
  serverMs: Summary;
  /**
   * The floor, in the same passes (the 1-host row only): every batch's request signed
   * beforehand and all of them sent at once with the runtime's `fetch`, which the server's
   * 20 requests/s allows for 10 requests.
   */
  floor?: Summary;
}

/**
 * When a perfect client finishes `requests` requests of `latencyMs` each, starting each one as
 * soon as both limits allow: no more than `concurrency` in flight, and no more than `rate`
 * starts in any one-second window. Request k starts at
 * `max(start[k − concurrency] + latency, start[k − rate] + 1000)`; the last ends `latency`
 * later. Without the rate this is `ceil(requests / concurrency) × latency`.
 */
export function idealMs(
  requests: number,
  concurrency: number,
  rate: number,
  latencyMs: number,
): number {
  const starts: number[] = [];
  for (let k = 0; k < requests; k++) {
    const bySlot = k >= concurrency ? starts[k - concurrency]! + latencyMs : 0;
    const byRate = k >= rate ? starts[k - rate]! + 1000 : 0;
    starts.push(Math.max(bySlot, byRate));
  }
  return (starts.at(-1) ?? -latencyMs) + latencyMs;
}

/** tools/bench/e2e_server.ts in a process of its own: it starts a fresh simulator per run. */
async function startServerProcess() {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--config",
      new URL("../../deno.json", import.meta.url).pathname,
      new URL("e2e_server.ts", import.meta.url).pathname,
      String(LATENCY_MS),
      String(SERVER_RATE),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const { value } = await lines.read();
  const control = `http://127.0.0.1:${(JSON.parse(value ?? "{}") as { port: number }).port}/`;
  return {
    /** A fresh simulator on a new port: a new account in the default coordinator. */
    async start(): Promise<number> {
      return ((await (await fetch(control, { method: "POST" })).json()) as {
        port: number;
      }).port;
    },
    async stop(port: number): Promise<ServerStats> {
      return await (await fetch(`${control}${port}`, { method: "DELETE" }))
        .json();
    },
    async close(): Promise<void> {
      child.kill();
      await child.status;
      await lines.cancel();
    },
  };
}

type ServerProcess = Awaited<ReturnType<typeof startServerProcess>>;

interface ServerStats {
  maxInFlight: number;
  handlingMs: number[];
}

const urlsOf = (hosts: number, urlsPerHost: number) =>
  Array.from(
    { length: hosts * urlsPerHost },
    (_, i) => `https://h${i % hosts}.example.com/e2e/${i}.js`,
  );

/** The floor: the batches `prewarm()` would send, signed first, then all sent at once. */
async function floorOnce(server: ServerProcess, urlsPerHost: number) {
  const port = await server.start();
  const endpoint = `http://127.0.0.1:${port}/`;
  const urls = urlsOf(1, urlsPerHost);
  const timestamp = Math.floor(Date.now() / 1000);
  const signed = [];
  for (let i = 0; i < urls.length; i += 500) {
    signed.push(buildV3Request({
      credentials: SIMULATOR_CREDENTIALS,
      action: "PushUrlsCache",
      payload: { Urls: urls.slice(i, i + 500), Area: "overseas" },
      timestamp,
      endpoint,
    }));
  }
  const start = performance.now();
  const answers = await Promise.all(
    signed.map(async ({ url, method, headers, body }) =>
      await (await fetch(url, { method, headers, body })).json() as {
        Response: { TaskId?: string };
      }
    ),
  );
  const ms = performance.now() - start;
  await server.stop(port);
  if (!answers.every((a) => typeof a.Response.TaskId === "string")) {
    throw new Error(
      `The end-to-end floor was refused: ${JSON.stringify(answers[0])}`,
    );
  }
  return ms;
}

async function once(server: ServerProcess, hosts: number, urlsPerHost: number) {
  const port = await server.start();
  const urls = urlsOf(hosts, urlsPerHost);
  const start = performance.now();
  const report = await prewarm(urls, {
    credentials: SIMULATOR_CREDENTIALS,
    endpoint: `http://127.0.0.1:${port}/`,
    dailyLimit: Infinity,
  });
  const ms = performance.now() - start;
  const stats = await server.stop(port);
  if (report.counts.submitted !== urls.length) {
    throw new Error(
      `End-to-end run lost URLs: ${JSON.stringify(report.counts)}`,
    );
  }
  return {
    ms,
    requests: report.counts.requests,
    batches: report.tasks.length,
    ...stats,
  };
}

async function row(
  server: ServerProcess,
  hosts: number,
  urlsPerHost: number,
  plan: { warmup: number; passes: number },
  withFloor = false,
): Promise<ThroughputRow> {
  const runs = [];
  const floor: number[] = [];
  // Let every one-second window of the last run close before the next one starts.
  const pause = () => new Promise((resolve) => setTimeout(resolve, 1100));
  for (let pass = 0; pass < plan.warmup + plan.passes; pass++) {
    // Sides alternate which goes first.
    if (withFloor && pass % 2 === 1) {
      const ms = await floorOnce(server, urlsPerHost);
      if (pass >= plan.warmup) floor.push(ms);
      await pause();
    }
    const run = await once(server, hosts, urlsPerHost);
    if (pass >= plan.warmup) runs.push(run);
    await pause();
    if (withFloor && pass % 2 === 0) {
      const ms = await floorOnce(server, urlsPerHost);
      if (pass >= plan.warmup) floor.push(ms);
      await pause();
    }
  }
  const batches = runs[0]!.batches;
  const serverMs = summarize(runs.flatMap((r) => r.handlingMs));
  return {
    hosts,
    urlsPerHost,
    requests: Math.max(...runs.map((r) => r.requests)),
    batches,
    measured: summarize(runs.map((r) => r.ms)),
    idealMs: idealMs(
      batches,
      DEFAULT_CONCURRENCY,
      DEFAULT_REQUESTS_PER_SECOND,
      LATENCY_MS,
    ),
    idealAtServerRateMs: idealMs(
      batches,
      DEFAULT_CONCURRENCY,
      SERVER_RATE,
      LATENCY_MS,
    ),
    maxInFlight: Math.max(...runs.map((r) => r.maxInFlight)),
    serverMs,
    idealAtServerTimeMs: idealMs(
      batches,
      DEFAULT_CONCURRENCY,
      DEFAULT_REQUESTS_PER_SECOND,
      serverMs.median,
    ),
    ...(withFloor && { floor: summarize(floor) }),
  };
}

/** 5000 URLs as 10 batches of 500 (latency-bound), then as 100 batches of 50 (rate-bound). */
export async function measureThroughput(): Promise<ThroughputRow[]> {
  const server = await startServerProcess();
  try {
    return [
      await row(server, 1, 5000, { warmup: 2, passes: 9 }, true),
      await row(server, 100, 50, { warmup: 1, passes: 3 }),
    ];
  } finally {
    await server.close();
  }
}
