/**
 * Throughput: 1000 URLs as 50 API 2.0 batches through the in-process simulator with 40 ms of
 * latency per request, at several concurrencies, next to the ideal
 * `ceil(batches / concurrency) × latency`. The ratio to ideal is the figure of merit.
 */
import { MemoryCoordinator, prewarm } from "../../mod.ts";
import { SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "../../src/testing/mod.ts";

const LATENCY_MS = 40;
const BATCHES = 50;

/** One row: concurrency, pacing, measured and ideal ms. */
export interface ThroughputRow {
  concurrency: number;
  maxRequestsPerSecond: number;
  measuredMs: number;
  idealMs: number;
}

async function once(concurrency: number, maxRequestsPerSecond: number): Promise<ThroughputRow> {
  const sim = new TencentCdnSimulator({
    latencyMs: LATENCY_MS,
    dailyLimit: 100_000,
    requestsPerSecond: 100_000,
  });
  const urls = Array.from({ length: BATCHES * 20 }, (_, i) => `https://www.example.com/t/${i}.js`);
  const start = performance.now();
  const report = await prewarm(urls, {
    credentials: SIMULATOR_CREDENTIALS,
    fetch: sim.fetch,
    api: "v2",
    concurrency,
    maxRequestsPerSecond,
    coordinator: new MemoryCoordinator(),
  });
  const measuredMs = performance.now() - start;
  if (report.counts.submitted !== urls.length) throw new Error("Throughput run lost URLs");
  const byLatency = Math.ceil(BATCHES / concurrency) * LATENCY_MS;
  const byRate = Number.isFinite(maxRequestsPerSecond)
    ? ((BATCHES - 1) * 1000) / maxRequestsPerSecond + LATENCY_MS
    : 0;
  return { concurrency, maxRequestsPerSecond, measuredMs, idealMs: Math.max(byLatency, byRate) };
}

/** Runs each configuration; pacing off except for one row with the default 10 requests/s. */
export async function measureThroughput(): Promise<ThroughputRow[]> {
  await once(4, Infinity); // warm-up
  const rows: ThroughputRow[] = [];
  for (const concurrency of [1, 4, 8]) rows.push(await once(concurrency, Infinity));
  rows.push(await once(4, 10));
  return rows;
}
