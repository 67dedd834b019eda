/**
 * Issue 21's table: each hot path next to its floor, both measured in the same run (and, where
 * both are timed, in the same passes), and the goal for their ratio. `deno task bench` puts
 * the table first in docs/benchmarks.md, and each row's details in sections of their own.
 */
import type { PeerResults } from "./peers.ts";
import { DEFAULT_CONCURRENCY, LATENCY_MS, type ThroughputRow } from "./throughput.ts";
import type { Summary } from "./stats.mjs";
import { measureRouterPlan, type RouterPlanResult } from "./router_plan.ts";
import { measureMemory, type MemoryResult } from "./memory.ts";
import { type DirectoryRow, measureDirectory } from "./directory.ts";
import { COLD_START_COPIES, type ColdStartResult, measureColdStart } from "./cold_start.ts";
import { measureNoble, type NobleResult } from "./noble.ts";
import { bundle, lastLine } from "./run.ts";

const root = new URL("../../", import.meta.url);

/** The goals of issue 21: ours / floor at most this (the cold start: at most this many ms more). */
export const GOALS = {
  cpu: 1.25,
  e2e: 1.25,
  router: 3,
  memory: 1.2,
  directory: 1.5,
  coldStartMs: 50,
} as const;

/** Everything measured for the goals besides what `measurePeers()` and the throughput bring. */
export interface GoalMeasurements {
  routerPlan: Array<RouterPlanResult & { runtime: string }>;
  memory: MemoryResult;
  directory: DirectoryRow[];
  coldStart: ColdStartResult;
  noble: NobleResult;
}

async function routerPlanOnNode(): Promise<
  RouterPlanResult & { runtime: string }
> {
  const out = new URL("tools/out/bench-router-plan/", root);
  await Deno.mkdir(out, { recursive: true });
  const bundled = new URL("router_plan.node.js", out).pathname;
  await bundle(
    new URL("tools/bench/router_plan.ts", root).pathname,
    bundled,
    "--platform=node",
  );
  return JSON.parse(
    await lastLine("node", [
      new URL("tools/bench/router_plan_node.mjs", root).pathname,
      bundled,
    ]),
  );
}

/** Measures the rows `measurePeers()` and `measureThroughput()` do not. */
export async function measureGoals(
  coreForNode: string,
): Promise<GoalMeasurements> {
  const routerPlan = [
    { runtime: `Deno ${Deno.version.deno}`, ...await measureRouterPlan() },
    await routerPlanOnNode(),
  ];
  const memory = await measureMemory(coreForNode);
  const directory = await measureDirectory();
  const coldStart = await measureColdStart();
  const noble = await measureNoble();
  return { routerPlan, memory, directory, coldStart, noble };
}

const f = (digits: number) => (n: number) => n.toFixed(digits);
const table = (head: string[], rows: string[][]) =>
  [head, head.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`)
    .join("\n");

/** One row of the goals table. */
function row(
  what: string,
  ours: Summary,
  floorName: string,
  floor: Summary,
  goal: number,
  unit: string,
  digits: number,
): string[] {
  const fmt = f(digits);
  const ratio = {
    min: ours.min / floor.min,
    median: ours.median / floor.median,
  };
  return [
    what,
    `${fmt(ours.min)} (${fmt(ours.median)}) ${unit}`,
    floorName,
    `${fmt(floor.min)} (${fmt(floor.median)}) ${unit}`,
    `${ratio.min.toFixed(2)}× (${ratio.median.toFixed(2)}×)`,
    `≤ ${goal}×`,
    ratio.min <= goal ? "**met**" : "**not met**",
  ];
}

/** The goals table and the sections that detail its rows, as markdown. */
export function goalSections(
  peers: PeerResults,
  throughput: ThroughputRow[],
  goals: GoalMeasurements,
): string[] {
  const { cpu } = peers;
  const e2e = throughput.find((r) => r.floor)!;
  const [denoPlan, nodePlan] = goals.routerPlan;
  const [denoDir, nodeDir] = goals.directory;
  const { memory, coldStart } = goals;
  const cold = coldStart.added;
  const rows = [
    row(
      `CPU per ${cpu.batch}-URL batch, Node, bundled core (esbuild)`,
      cpu.ours,
      "@noble/hashes SHA-256 of the body, unbundled + the SDK without its body hash",
      cpu.floor,
      GOALS.cpu,
      "µs",
      0,
    ),
    row(
      `CPU per ${cpu.batch}-URL batch, Node, dependencies from their packages (as JSR's npm layer ships it)`,
      cpu.oursNpm,
      "the same floor",
      cpu.floor,
      GOALS.cpu,
      "µs",
      0,
    ),
    row(
      "5000 URLs at default options (Deno, loopback server: +100 ms, 20 requests/s)",
      e2e.measured,
      "all 10 requests pre-signed and sent at once with `fetch`",
      e2e.floor!,
      GOALS.e2e,
      "ms",
      0,
    ),
    ...[denoPlan!, nodePlan!].map((plan) =>
      row(
        `router \`POST /prewarm/plan\`, ${plan.urls} URLs, in process (${plan.runtime})`,
        plan.ours,
        "bare Hono app with `bearerAuth` that parses the body and echoes the URLs",
        plan.floor,
        GOALS.router,
        "µs",
        0,
      )
    ),
    row(
      `peak RSS per URL, ${memory.urls / 1000}k URLs in one call (Node)`,
      memory.ours,
      "tencentcloud-sdk-nodejs-cdn in a loop of 500-URL calls",
      memory.sdk,
      GOALS.memory,
      "B",
      0,
    ),
    ...[nodeDir!, denoDir!].map((dir) =>
      row(
        `\`directoryUrls()\`, 100 000 files (${dir.runtime})`,
        dir.ours,
        "tinyglobby listing the same tree",
        dir.floor,
        GOALS.directory,
        "ms",
        0,
      )
    ),
    [
      "router cold start under workerd",
      `${coldStart.router.min.toFixed(1)} (${coldStart.router.median.toFixed(1)}) ms`,
      "bare Hono (a `/health` route and a `bearerAuth` route)",
      `${coldStart.floor.min.toFixed(1)} (${coldStart.floor.median.toFixed(1)}) ms`,
      `+${cold.min.toFixed(1)} ms (+${cold.median.toFixed(1)} ms)`,
      `≤ +${GOALS.coldStartMs} ms`,
      cold.min <= GOALS.coldStartMs ? "**met**" : "**not met**",
    ],
  ];
  const LATENCY = `${LATENCY_MS} ms each`;
  const notMet = (i: number) => rows[i]!.at(-1) === "**not met**";
  const why: string[] = [];
  const p = cpu.parts;
  if (notMet(0) || notMet(1)) {
    why.push(
      `**CPU per batch**: the floor hashes the body with noble, unbundled ` +
        `(${cpu.nobleUnbundled.min.toFixed(0)} µs), and checks no URL. \`prewarm()\` hashes ` +
        "and signs with the platform's WebCrypto (`crypto.subtle`: 3–7 times faster than " +
        "noble on every runtime, and no hash code in the bundle; see *SHA-256 of the body* " +
        "below), which on Node is asynchronous: the body's digest alone took " +
        `${p.bodyHashWeb.min.toFixed(0)} µs here with its hop to Node's thread pool, the ` +
        `signed request ${p.requestWeb.min.toFixed(0)} µs (node:crypto, the SDK's, hashes ` +
        `the body in ${cpu.sdkBodyHash.min.toFixed(0)} µs, but src/ is runtime-neutral). ` +
        `On top: the ${cpu.batch} URL checks (${
          (p.urlFast.min * cpu.batch).toFixed(0)
        } µs), which the floor does not make, and the budget and the report, in ` +
        "src/engine/prewarm.ts and src/transport/send.ts.",
    );
  }
  if (notMet(2)) {
    why.push(
      `**5000 URLs**: ${e2e.requests} requests of ${LATENCY}; the floor sends all ` +
        `${e2e.batches} at once (${e2e.floor!.min.toFixed(0)} ms), while \`prewarm()\` sends ` +
        `${DEFAULT_CONCURRENCY} at a time by default: its own ideal is ` +
        `${e2e.idealMs.toFixed(0)} ms, ${(e2e.idealMs / e2e.floor!.min).toFixed(1)}× the floor ` +
        "before any of its work. The default concurrency (src/engine/options.ts, the send " +
        "path) decides this row.",
    );
  }
  if (notMet(3) || notMet(4)) {
    why.push(
      "**Router plan**: the floor checks nothing; the plan checks each URL as `prewarm()` " +
        `would (${cpu.batch} checks: ${(p.urlFast.min * cpu.batch).toFixed(0)} µs on Node), ` +
        "finds duplicates, reads the body under its size cap and deadline, and reads the " +
        "day's budget. `bearerAuth`'s two `crypto.subtle` digests, which the floor keeps, " +
        "cost more on Node than on Deno: the ratio differs by runtime.",
    );
  }
  if (notMet(5)) {
    why.push(
      "**Peak RSS**: `prewarm()` takes every URL before it sends any (to find duplicates " +
        "and batch by host): while the input is read it holds a duplicate key per URL, and to " +
        "the end its batches' URL lists (the report's tasks share them). With " +
        "`maxRequestsPerSecond` `Infinity` and an instant transport, up to `concurrency` (64) " +
        "requests are signed at once, each with its 22 KB body and the copies WebCrypto and " +
        "`fetch` make of it; behind the default request gate only the requests in flight hold " +
        "one. The SDK in a loop holds one 500-URL call at a time.",
    );
  }
  if (notMet(6) || notMet(7)) {
    why.push(
      "**`directoryUrls()`**: it lists each folder in name order, follows links only inside " +
        "the folder, checks names for U+FFFD and percent-encodes every path into a URL; " +
        "tinyglobby hands over unsorted relative paths. (Deno's row: tinyglobby runs bundled " +
        "on Deno's Node layer.)",
    );
  }
  if (notMet(8)) {
    why.push(
      `**Cold start**: the router's bundle is ${
        (goals.coldStart.bytes.router / 1024).toFixed(0)
      } KB against bare Hono's ${(goals.coldStart.bytes.floor / 1024).toFixed(0)} KB; ` +
        "compiling it is most of what it adds.",
    );
  }
  const summary = "## Goals (issue 21)\n\n" +
    "Each hot path next to its floor, measured in this run: min (median). The ratio is ours / " +
    "floor, of the mins (the best estimate of each cost) and, in brackets, of the medians; a " +
    "goal is met when the ratio of the mins is within it (the cold start: when what the router " +
    "adds to the floor's min is). Details of each row follow.\n\n" +
    table(
      ["what", "ours", "floor", "floor's time", "ours / floor", "goal", ""],
      rows,
    ) +
    (why.length > 0
      ? `\n\nWhere a goal is not met, the measured reason:\n\n- ${why.join("\n- ")}`
      : "");
  return [summary, nobleSection(goals.noble, cpu)];
}

/** Why bundled noble is slower, from the measurements of tools/bench/noble.ts. */
function nobleSection(noble: NobleResult, cpu: PeerResults["cpu"]): string {
  const names = Object.keys(noble.runtimes[0]!.times);
  const rows = names.map((name) => [
    name,
    ...noble.runtimes.map(({ times }) => {
      const t = times[name];
      return t ? `${t.min.toFixed(1)} (${t.median.toFixed(1)})` : "";
    }),
  ]);
  return "## SHA-256 of the body: bundled, unbundled, native\n\n" +
    `µs per SHA-256 of a ${(noble.bodyBytes / 1024).toFixed(1)} KB body (500 URLs), min ` +
    "(median), each runtime's variants in the same passes (tools/bench/noble.ts). " +
    "*unbundled*: `@noble/hashes/sha2.js` as its package ships it; *bundled*: the same " +
    "through tools/bundle.mjs (esbuild, as Wrangler and `deno bundle` bundle), which declares " +
    "every top-level `const` of what it bundles as `var`; *tables const*: that bundle with " +
    "only `SHA256_K` and `SHA256_W` (the round constants and the message schedule the " +
    "compression loop reads 64 times a block) declared `const` again; *in the bundled core*: " +
    "`sha256Hex` (what `@qcdn/prewarm/sign` hashes with) of tools/bench/node_entry.ts " +
    "bundled; *webcrypto*: `crypto.subtle.digest` (through `@noble/hashes/webcrypto.js`; " +
    "asynchronous), awaited one after another, and ten at a time: what `prewarm()` hashes " +
    "and signs with. " +
    "workerd is timed from outside (its clocks stand still while a request computes): " +
    "requests hashing 200 times against requests hashing none.\n\n" +
    table(["variant", ...noble.runtimes.map((r) => r.runtime)], rows) +
    "\n\nIn the CPU benchmark's passes (Node): the body's hash with WebCrypto, as " +
    `\`prewarm()\` makes it, ${cpu.parts.bodyHashWeb.min.toFixed(0)} µs; with noble bundled ` +
    `${cpu.parts.bodyHashNoble.min.toFixed(0)} µs, noble unbundled ` +
    `${cpu.nobleUnbundled.min.toFixed(0)} µs, node:crypto (the SDK's) ` +
    `${cpu.sdkBodyHash.min.toFixed(0)} µs (mins).`;
}

/** The rows' details that are not in other sections: router plan, memory, folder, cold start. */
export function goalDetails(goals: GoalMeasurements): string {
  const { memory, coldStart } = goals;
  return "## Goals: how each row is measured\n\n" +
    "- **Router plan**: `app.request()` of `POST /prewarm/plan` with a JSON body of " +
    `${goals.routerPlan[0]!.urls} URLs (${
      (goals.routerPlan[0]!.bodyBytes / 1024).toFixed(1)
    } KB), ` +
    "20 requests per pass and side, sides in turn, 31 passes after 5 warm-up ones " +
    "(tools/bench/router_plan.ts); the router with its defaults and a `MemoryCoordinator`; " +
    "the floor answers `{ urls }`. Each side's answer is read and checked.\n" +
    `- **Peak RSS**: ${memory.urls} URLs on 10 hosts, each sample a fresh Node process ` +
    "(tools/bench/rss.mjs), sides in turn, " +
    `${memory.ours.passes} samples a side: (the process's peak resident set after the call − ` +
    "its resident set before it, after a full GC) / URLs. Both sides' transports answer at " +
    "once; ours is `prewarm()` of the bundled core (`dailyLimit` and " +
    "`maxRequestsPerSecond` `Infinity`), keeping its report; the SDK's answers are kept too.\n" +
    "- **`directoryUrls()`**: a tree of 100 000 empty files (1000 folders three levels deep, " +
    "each with an `index.html` and 99 others), every URL read; tinyglobby's `glob(['**/*'])` " +
    "lists the same files (unsorted, unencoded). Node: the sources bundled, tinyglobby from " +
    "its package; Deno: the sources in place, tinyglobby bundled by esbuild (Deno cannot " +
    "resolve its imports from tools/node_modules). 9 passes a side after 2 warm-up ones.\n" +
    "- **Cold start**: each pass starts one workerd (Miniflare) per side holding " +
    `${COLD_START_COPIES} copies of the side's Worker (each its own isolate, the module handed ` +
    "over as it is) and sends each copy its first `GET /health`: time from start to the " +
    `last answer / ${COLD_START_COPIES}, so that workerd's own start-up is shared out. ` +
    `${coldStart.router.passes} passes after a warm-up one, sides in turn. Bundles (not ` +
    `minified, as Wrangler bundles by default): bare Hono ${
      (coldStart.bytes.floor / 1024).toFixed(0)
    } KB, the router ${(coldStart.bytes.router / 1024).toFixed(0)} KB. The router with ` +
    `\`console: true\`: ${coldStart.routerConsole.min.toFixed(1)} (${
      coldStart.routerConsole.median.toFixed(1)
    }) ms, +${coldStart.addedConsole.min.toFixed(1)} (+${
      coldStart.addedConsole.median.toFixed(1)
    }) ms over bare Hono.`;
}
