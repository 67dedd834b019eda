/**
 * The router's added cost per request, on Deno, Bun, Node and workerd, as a markdown table:
 *
 *   deno run --allow-all --config deno.json tools/router-bench.ts
 *
 * `routerBenchSection()` returns the same table for `deno task bench` to include. Compare the
 * ratios within a row; the absolute times belong to this machine and this run.
 */
import { measureRouterCost, type RouterBenchRow } from "./router-bench-core.ts";
import { bundle, lastLine, run } from "./bench/run.ts";

/** One runtime's measurements. */
export interface RouterBenchResult {
  /** Runtime and version. */
  runtime: string;
  /** The comparisons. */
  rows: RouterBenchRow[];
}

const ROOT = new URL("../", import.meta.url);

/** Measures on Deno, in this process (loopback through `Deno.serve`). */
export async function measureOnDeno(): Promise<RouterBenchResult> {
  const rows = await measureRouterCost({
    serve: (handler) => {
      const server = Deno.serve({
        hostname: "127.0.0.1",
        port: 0,
        onListen() {},
      }, handler);
      return Promise.resolve({
        url: `http://127.0.0.1:${server.addr.port}/`,
        close: () => server.shutdown(),
      });
    },
  });
  return { runtime: `Deno ${Deno.version.deno}`, rows };
}

/** Measures on Bun: bundles tools/router-bench-bun.ts and runs it with tools' `bun`. */
export async function measureOnBun(): Promise<RouterBenchResult> {
  const dir = await Deno.makeTempDir({ prefix: "router-bench-" });
  try {
    const bundled = `${dir}/router-bench-bun.mjs`;
    await bundle("tools/router-bench-bun.ts", bundled, "--platform=node");
    const bun = new URL("tools/node_modules/.bin/bun", ROOT).pathname;
    return JSON.parse(await lastLine(bun, [bundled]));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Measures on Node and on workerd (Miniflare), through tools/router-bench-node.mjs. */
export async function measureOnNodeAndWorkerd(): Promise<RouterBenchResult[]> {
  const dir = await Deno.makeTempDir({ prefix: "router-bench-" });
  try {
    await bundle("tools/router-bench-core.ts", `${dir}/core.mjs`, "--platform=node");
    await bundle("tools/router-bench-worker.ts", `${dir}/worker.mjs`, "--platform=browser");
    const { stdout } = await run("node", [
      "tools/router-bench-node.mjs",
      `${dir}/core.mjs`,
      `${dir}/worker.mjs`,
    ]);
    return stdout.trim().split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The markdown table of the results. */
export function routerBenchTable(results: RouterBenchResult[]): string {
  const lines = [
    "| runtime | path | `prewarm()` → simulator, ms/req: median (min) | client → router → simulator, ms/req: median (min) | ratio of medians | added per request (medians) |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const { runtime, rows } of results) {
    for (const row of rows) {
      const added = (row.routedMs - row.aloneMs) * 1000;
      lines.push(
        `| ${runtime} | ${row.mode} | ${row.aloneMs.toFixed(3)} (${row.aloneMinMs.toFixed(3)}) | ` +
          `${row.routedMs.toFixed(3)} (${row.routedMinMs.toFixed(3)}) | ` +
          `${(row.routedMs / row.aloneMs).toFixed(2)}× | ${added.toFixed(0)} µs |`,
      );
    }
  }
  return lines.join("\n");
}

/** Measures on Deno, Bun, Node and workerd and returns a markdown section with the table. */
export async function routerBenchSection(): Promise<string> {
  const results = [
    await measureOnDeno(),
    await measureOnBun(),
    ...await measureOnNodeAndWorkerd(),
  ];
  const { requests, rounds } = results[0]!.rows[0]!;
  return "## Router overhead\n\n" +
    "One 20-URL `PushUrlsCache` submission per request, sequential. Alone: `prewarm()` " +
    "calls the simulator. Routed: a client POSTs the URLs to the router, which authenticates " +
    "the bearer token, reads the body, runs the same `prewarm()` and answers the report. " +
    "In-process uses `app.request()` and the simulator's in-process fetch; loopback serves " +
    "both over HTTP on 127.0.0.1 (so routed pays a second HTTP hop). After a warm-up round, " +
    "median and min of " +
    `${rounds} alternating rounds of ${requests} requests (half that on loopback). workerd ` +
    "freezes its clocks while a request computes, so it is timed from outside only: a Node " +
    "client posting to the router served by Miniflare (40 requests a round; Miniflare's own " +
    "entry routing is included), in front of the simulator served by Node.\n\n" +
    routerBenchTable(results) + "\n";
}

if (import.meta.main) console.log(await routerBenchSection());
