/**
 * The latency a coordinator adds to each batch: its hold (with the first start booked) and its
 * settle, the two calls `prewarm()` makes per batch. In memory and on a local Deno KV file they
 * are timed in-process; the Durable Object runs in workerd (Miniflare), where clocks stand
 * still while code runs, so it is timed from outside: two calls through the test Worker minus
 * two calls of the same Worker that do nothing. Min and median over passes after a warm-up.
 *
 * `deno run -A --config deno.json tools/bench/coordinators.ts` prints the section.
 */
import type { BudgetHoldRequest, Coordinator } from "../../src/coordinator/memory.ts";
import { MemoryCoordinator } from "../../src/coordinator/memory.ts";
import { denoKvCoordinator } from "../../src/coordinator/deno_kv.ts";
import { startServer } from "../../tests/router/processes.ts";
import { bundle } from "./run.ts";

const ROOT = new URL("../../", import.meta.url);
const WARMUP = 20;
const PASSES = 200;

/** One coordinator's added latency per batch, in ms. */
export interface CoordinatorLatency {
  name: string;
  minMs: number;
  medianMs: number;
}

const hold = (now: number): BudgetHoldRequest => ({
  keys: ["push:overseas:2026-11-28"],
  count: 1,
  limit: Infinity,
  leaseMs: 60_000,
  now,
  slot: { action: "PushUrlsCache", maxPerSecond: Infinity },
});

function summary(name: string, samples: number[]): CoordinatorLatency {
  const sorted = samples.slice(WARMUP).sort((a, b) => a - b);
  return {
    name,
    minMs: sorted[0]!,
    medianMs: sorted[Math.floor(sorted.length / 2)]!,
  };
}

async function batches(coordinator: Coordinator): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + PASSES; i++) {
    const start = performance.now();
    const got = await coordinator.hold(
      "AKIDbench@cdn.example",
      hold(Date.now()),
    );
    await coordinator.settle("AKIDbench@cdn.example", got.id, 1, 0, Date.now());
    samples.push(performance.now() - start);
  }
  return samples;
}

async function durableObject(): Promise<CoordinatorLatency> {
  const dir = await Deno.makeTempDir({ prefix: "bench-do-" });
  const worker = `${dir}/do_worker.mjs`;
  await bundle("tests/coordinators/do_worker.ts", worker, "--platform=browser");
  const options = {
    durableObjects: {
      COORDINATOR: { className: "TestCoordinator", useSQLite: true },
    },
  };
  const server = await startServer({
    command: "node",
    args: [
      "tests/router/miniflare_host.mjs",
      worker,
      "{}",
      JSON.stringify(options),
    ],
    env: {},
    cwd: ROOT,
  });
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method: "POST",
      body: JSON.stringify(body),
    });
    return (await response.json()).result;
  };
  try {
    const samples: number[] = [];
    const hops: number[] = [];
    for (let i = 0; i < WARMUP + PASSES; i++) {
      let start = performance.now();
      await post("clock", { ms: null });
      await post("clock", { ms: null });
      hops.push(performance.now() - start);
      start = performance.now();
      const got = await post("call", {
        client: "bench",
        method: "hold",
        args: [
          "AKIDbench@cdn.example",
          {
            ...hold(Date.now()),
            limit: 1e9,
            slot: { action: "PushUrlsCache", maxPerSecond: 1e9 },
          },
        ],
      });
      await post("call", {
        client: "bench",
        method: "settle",
        args: ["AKIDbench@cdn.example", got.id, 1, 0, Date.now()],
      });
      samples.push(performance.now() - start);
    }
    const [calls, hop] = [summary("", samples), summary("", hops)];
    return {
      name: "durableObjectCoordinator (Miniflare/workerd, local)",
      minMs: calls.minMs - hop.minMs,
      medianMs: calls.medianMs - hop.medianMs,
    };
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Measures each coordinator's added latency per batch. */
export async function measureCoordinators(): Promise<CoordinatorLatency[]> {
  const rows = [
    summary(
      "MemoryCoordinator (in-process)",
      await batches(new MemoryCoordinator()),
    ),
  ];
  const dir = await Deno.makeTempDir({ prefix: "bench-kv-" });
  const kv = await Deno.openKv(`${dir}/bench.kv`);
  try {
    rows.push(
      summary(
        "denoKvCoordinator (local KV file)",
        await batches(denoKvCoordinator(kv)),
      ),
    );
  } finally {
    kv.close();
    await Deno.remove(dir, { recursive: true });
  }
  rows.push(await durableObject());
  return rows;
}

/** The section for docs/benchmarks.md. */
export async function coordinatorBenchSection(): Promise<string> {
  const rows = await measureCoordinators();
  const lines = rows.map((r) => `| ${r.name} | ${r.minMs.toFixed(3)} | ${r.medianMs.toFixed(3)} |`);
  return "## Coordinators\n\nAdded latency per batch: the hold (which also books the first " +
    "request's start) and the settle, the two coordinator calls `prewarm()` makes per batch " +
    `(gate observations ride on them). Min and median of ${PASSES} sequential batches after ` +
    `${WARMUP} warm-up ones. The Durable Object is timed from outside workerd (whose clocks ` +
    "stand still while code runs): two calls through a test Worker (min, median) minus two calls " +
    "of the same Worker that do nothing (min, median); deployed, add the network trip to the object's location.\n\n" +
    "| coordinator | min ms | median ms |\n| --- | --- | --- |\n" +
    lines.join("\n");
}

if (import.meta.main) console.log(await coordinatorBenchSection());
