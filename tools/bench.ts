/**
 * `deno task bench`: measures what a user of this module pays, side by side in one run, and
 * writes the tables to docs/benchmarks.md (and stdout). Every timing has warm-up passes and is
 * reported as min and median over its passes (tools/bench/stats.mjs); sides that are compared
 * ran in the same passes. Timings are from this machine and this run: compare the ratios.
 *
 * `deno run -A --config deno.json tools/bench.ts --goals` measures only issue 21's goals (and
 * what they need) and prints them, leaving docs/benchmarks.md alone.
 */
import { CORE_BUDGET, measureExportSizes, measureSizes } from "./bench/sizes.ts";
import { goalDetails, goalSections, measureGoals } from "./bench/goals.ts";
import { measureClientCost } from "./bench/client_cost.ts";
import { measurePeers } from "./bench/peers.ts";
import { measureThroughput } from "./bench/throughput.ts";
import type { Summary } from "./bench/stats.mjs";
import { routerBenchSection } from "./router-bench.ts";
import { DEFAULT_REQUESTS_PER_SECOND } from "../src/transport/call_options.ts";

const BUDGET_KB = CORE_BUDGET / 1024;
const CPU_TARGET = 2;
const E2E_TARGET = 1.2;
import { coordinatorBenchSection } from "./bench/coordinators.ts";

const kb = (n: number) => (n / 1024).toFixed(1);
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const fixed = (digits: number) => (s: Summary) => [
  s.min.toFixed(digits),
  s.median.toFixed(digits),
];
const met = (ok: boolean) => (ok ? "**met**" : "**not met**");
const table = (head: string[], rows: string[][]) =>
  [head, head.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`)
    .join("\n");
const sections: string[] = [];
const goalsOnly = Deno.args.includes("--goals");

// --- issue 21's goals: each hot path against its floor -----------------------------------------
const peers = await measurePeers();
const throughput = await measureThroughput();
const goals = await measureGoals(
  new URL("./out/bench-peers/core.node.js", import.meta.url).pathname,
);
const [goalTable, nobleSection] = goalSections(peers, throughput, goals);
if (goalsOnly) {
  console.log([goalTable, goalDetails(goals), nobleSection].join("\n\n"));
  Deno.exit(0);
}
sections.push(goalTable!);

// --- bundle size -----------------------------------------------------------------------------
const sizes = await measureSizes();
const exportSizes = await measureExportSizes();
const ours = sizes[0]!;
sections.push(
  "## Bundle size\n\nesbuild `--bundle --minify`, then gzip -9; each entry holds what one " +
    "`PushUrlsCache` call needs. `deno task check` (tools/size_check.ts) fails when the core " +
    `grows past its budget, ${BUDGET_KB} KB gzip (${kb(CORE_BUDGET - ours.gzip)} KB left), or ` +
    "carries a declaration nothing in it reads. What left `prewarm()`'s path to fit is in " +
    "tools/bench/sizes.ts (`CORE_BUDGET`)." +
    "\n\n" +
    table(
      ["bundle", "minified KB", "gzip KB", "gzip vs our core"],
      sizes.map((
        r,
      ) => [r.name, kb(r.minified), kb(r.gzip), ratio(r.gzip, ours.gzip)]),
    ) +
    "\n\nEvery entry point of deno.json's `exports`, bundled whole (`export *` of it: what a " +
    "bundler keeps when all of it is used; `./cli` for Node, the rest as Workers bundle):\n\n" +
    table(
      ["entry point", "minified KB", "gzip KB", "gzip vs our core"],
      exportSizes.map((r) => [
        r.name.replace(" (the whole entry)", "") +
        (r.minified === 0 ? " (types only)" : ""),
        kb(r.minified),
        kb(r.gzip),
        ratio(r.gzip, ours.gzip),
      ]),
    ),
);

// --- Node: client CPU against the official SDK, start-up, loopback calls, workerd ------------
const { cpu } = peers;
const p = cpu.parts;
const us1 = fixed(1);
const us2 = fixed(2);
const cpuOk = Math.max(cpu.ratio.min, cpu.ratio.median) <= CPU_TARGET;
sections.push(
  `## Client CPU per ${cpu.batch}-URL batch (Node)\n\n` +
    `One API 3.0 \`PushUrlsCache\` of ${cpu.batch} URLs (a ${
      kb(cpu.bodyBytes)
    } KB body), with a transport that ` +
    "answers at once on both sides, so this is each client's own work. Ours: `prewarm()` from " +
    "the bundled core with a `fetch` option that returns a `Response` at once (URL checks, " +
    "batching, the coordinator's gate and budget, signing, parsing, the report; " +
    "`maxRequestsPerSecond: Infinity`, `dailyLimit: Infinity`). The SDK: " +
    "`tencentcloud-sdk-nodejs-cdn` `PushUrlsCache`, whose transport (`http/fetch.js` of " +
    "tencentcloud-sdk-nodejs-common, node-fetch underneath) is replaced by the same instant " +
    "function; the SDK has no fetch option, so the bench swaps that module's export and counts " +
    "calls to prove the stub answered. Neither side pays for HTTP. " +
    `${cpu.batchesPerPass} batches per pass and side, sides alternated in the same passes ` +
    `(${cpu.ours.passes} passes after 5 warm-up passes).\n\n` +
    table(["client", "µs per batch, min", "median"], [
      ["@qcdn/prewarm `prewarm()`", ...us1(cpu.ours)],
      [
        "@qcdn/prewarm `prewarm()`, dependencies from their packages (as JSR's npm layer ships it)",
        ...us1(cpu.oursNpm),
      ],
      ["tencentcloud-sdk-nodejs-cdn `PushUrlsCache`", ...us1(cpu.sdk)],
      ["… of which its body hash (node:crypto)", ...us1(cpu.sdkBodyHash)],
      [
        "@noble/hashes SHA-256 of the body, unbundled",
        ...us1(cpu.nobleUnbundled),
      ],
      [
        "floor: noble unbundled + the SDK without its body hash",
        ...us1(cpu.floor),
      ],
      [
        "ours / SDK (of the mins, of the medians)",
        ...fixed(2)(cpu.ratio).map((r) => `${r}×`),
      ],
    ]) +
    `\n\nTarget: ours ≤ ${CPU_TARGET}× the SDK's (both ratios): ${met(cpuOk)}.\n\n` +
    "The parts of ours, timed in the same passes (µs per operation):\n\n" +
    table(["part", "min µs", "median µs"], [
      [
        `The request as \`prewarm()\` signs it (\`signV3Request\`: WebCrypto, awaited) of ${cpu.batch} URLs, key cached`,
        ...us1(p.requestWeb),
      ],
      [
        "… of which SHA-256 of the body, WebCrypto (`crypto.subtle.digest`)",
        ...us1(p.bodyHashWeb),
      ],
      [
        "TC3 signing key (`tc3SigningKey`, noble, as `@qcdn/prewarm/sign`), cached",
        ...us2(p.keyCached),
      ],
      [
        "TC3 signing key, derived (three HMACs; a new secret each call)",
        ...us2(p.keyDerived),
      ],
      ["TC3 signature (`tc3Signature`), key cached", ...us2(p.signatureCached)],
      ["TC3 signature, key derived", ...us2(p.signatureDerived)],
      [
        `\`buildV3Request\` (noble, synchronous) of ${cpu.batch} URLs, key cached`,
        ...us1(p.requestCached),
      ],
      [
        `\`buildV3Request\` of ${cpu.batch} URLs, key derived`,
        ...us1(p.requestDerived),
      ],
      ["… of which `JSON.stringify` of the payload", ...us1(p.stringify)],
      [
        "… of which SHA-256 of the body, @noble/hashes (`sha256Hex`)",
        ...us1(p.bodyHashNoble),
      ],
      [
        "(SHA-256 of the same body with node:crypto, as the SDK hashes)",
        ...us1(p.bodyHashNative),
      ],
      [
        "`new Headers(…)` of the signed request (src/transport/send.ts's check before each attempt)",
        ...us1(p.requestCheck),
      ],
      ["URL check per URL, `checkUrl` (fast path)", ...fixed(3)(p.urlFast)],
      [
        "URL check per URL, `checkUrlFully` (URL parser, every rule)",
        ...fixed(3)(p.urlFull),
      ],
      [
        `URL checks for ${cpu.batch} URLs, fast path`,
        ...us1({
          min: p.urlFast.min * cpu.batch,
          median: p.urlFast.median * cpu.batch,
          passes: 0,
        }),
      ],
    ]),
);

// --- end to end at default options -----------------------------------------------------------
const [latencyBound, rateBound] = throughput;
const e2eOk = latencyBound!.measured.median <= E2E_TARGET * latencyBound!.idealMs;
sections.push(
  "## End to end at default options\n\n" +
    "5000 URLs through `prewarm()` with only `credentials`, `endpoint` and `dailyLimit: " +
    "Infinity` set (so the default concurrency 4, the default request gate of " +
    `${DEFAULT_REQUESTS_PER_SECOND} requests/s and the default batch size 500), to the ` +
    "simulator served over HTTP on 127.0.0.1 by a separate Deno process " +
    "(tools/bench/e2e_server.ts), which waits 100 ms before handling each request and admits " +
    "20 requests/s per action (Tencent's published limit) on the real clock. Each run gets a " +
    "fresh simulator on a new port, hence a new account in the default coordinator.\n\n" +
    "Ideal = when a perfect client finishes: request k starts at " +
    "`max(start[k − 4] + 100 ms, start[k − rate] + 1 s)` and ends 100 ms later. For 10 " +
    "requests that is `ceil(10 / 4) × 100 ms = 300 ms` (the rate never binds). For 100 " +
    `requests at ${DEFAULT_REQUESTS_PER_SECOND}/s each second admits ` +
    `${DEFAULT_REQUESTS_PER_SECOND} starts in bursts of 4, so request k = ` +
    `${DEFAULT_REQUESTS_PER_SECOND}m + j starts at m s + start[j]: ` +
    `the last ends at ${(rateBound!.idealMs / 1000).toFixed(1)} s. (A steady ` +
    `${DEFAULT_REQUESTS_PER_SECOND}/s would give \`(n − ${DEFAULT_REQUESTS_PER_SECOND}) / ` +
    `${DEFAULT_REQUESTS_PER_SECOND} s\` = ${
      ((rateBound!.batches - DEFAULT_REQUESTS_PER_SECOND) /
        DEFAULT_REQUESTS_PER_SECOND).toFixed(2)
    } s plus 100 ms; a sliding window admits whole bursts per second, so the perfect client ` +
    "is slower than that approximation.) " +
    "The gate's ideal is " +
    "computed at its own default rate; the server's 20/s column shows what the margin costs. " +
    "The ideal counts 100 ms per request; the simulator's own handling comes on top (its " +
    "time per request, arrival to answer, is in the table, and the last columns put it in " +
    "place of the 100 ms: what remains above that ideal is the client's).\n\n" +
    table(
      [
        "URLs as",
        "requests (batches)",
        "measured ms, min",
        "median",
        "ideal ms",
        "measured / ideal, min",
        "median",
        "ideal at the server's 20/s",
        "server ms per request, median",
        "ideal with that server time",
        "measured / it, min",
        "median",
      ],
      throughput.map((r) => [
        `${r.batches} batches of ${r.hosts === 1 ? 500 : r.urlsPerHost}` +
        (r.hosts > 1 ? ` (${r.hosts} hosts)` : ""),
        `${r.requests} (${r.batches})`,
        r.measured.min.toFixed(0),
        r.measured.median.toFixed(0),
        r.idealMs.toFixed(0),
        (r.measured.min / r.idealMs).toFixed(2),
        (r.measured.median / r.idealMs).toFixed(2),
        r.idealAtServerRateMs.toFixed(0),
        r.serverMs.median.toFixed(1),
        r.idealAtServerTimeMs.toFixed(0),
        (r.measured.min / r.idealAtServerTimeMs).toFixed(2),
        (r.measured.median / r.idealAtServerTimeMs).toFixed(2),
      ]),
    ) +
    `\n\nPasses: ${throughput.map((r) => r.measured.passes).join(" and ")} after warm-up runs, ` +
    "1.1 s apart. Requests above batches are rate-limited answers that were sent again. " +
    "The floor of 10 batches of 500 (issue 21), in the same passes, sides in turn: the 10 " +
    "requests signed beforehand (`buildV3Request`) and sent at once with `fetch`, each " +
    "answer read: " +
    `${latencyBound!.floor!.min.toFixed(0)} ms (median ${
      latencyBound!.floor!.median.toFixed(0)
    } ms). ` +
    `Target: 10 batches of 500 within ${E2E_TARGET}× of the ideal (median): ${met(e2eOk)}.`,
);

// --- start-up, the Deno client cost, a call over loopback -------------------------------------
const [ourStart] = peers.startup;
sections.push(
  "## Start-up (Node)\n\nTime to `import()` the module in a fresh Node process (9 rounds, " +
    "sides alternated). Ours is the bundled core, as JSR's npm layer would ship compiled JS; " +
    "the SDKs are imported from node_modules as their users do.\n\n" +
    table(
      ["module", "import ms, min", "median", "vs ours (medians)"],
      peers.startup.map((r) => [
        r.name,
        r.min.toFixed(1),
        r.median.toFixed(1),
        ratio(r.median, ourStart!.median),
      ]),
    ),
);

const cost = await measureClientCost();
const full = cost.find(([name]) => name.startsWith("API 3.0: prewarm(), per 20"))![1];
const { ours: oursCall, sdk: sdkCall } = peers.clientCost;
sections.push(
  "## Client cost per batch (Deno)\n\nIn-process fetch that answers at once, so this is the " +
    "client's own work: signing, encoding, parsing, bookkeeping. All rows timed in the same " +
    "passes (11, after 2 warm-up passes).\n\n" +
    table(
      ["operation", "µs, min", "median", "vs API 3.0 20-URL batch (medians)"],
      cost.map((
        [name, us],
      ) => [name, ...us1(us), (us.median / full.median).toFixed(2)]),
    ) +
    `\n\nOne 20-URL \`PushUrlsCache\` call against the simulator served on 127.0.0.1 (Node, ` +
    `${peers.calls} sequential calls per pass and side, ${oursCall.passes} alternating passes ` +
    "after a warm-up pass; the simulator's own signature check is in both):\n\n" +
    table(
      ["client", "ms per call, min", "median", "vs official SDK (medians)"],
      [
        [
          "@qcdn/prewarm `prewarm()` (global fetch)",
          ...us2(oursCall),
          ratio(oursCall.median, sdkCall.median),
        ],
        [
          "tencentcloud-sdk-nodejs-cdn `PushUrlsCache`",
          ...us2(sdkCall),
          "1.00×",
        ],
      ],
    ) +
    "\n\nOn Node much of the difference is the transport: the SDK uses node-fetch on a " +
    "keep-alive `http.Agent`, this module the built-in `fetch` (undici). Against Tencent's real " +
    `latency and the default gate of ${DEFAULT_REQUESTS_PER_SECOND} requests/s a millisecond ` +
    "per request is not visible.",
);

sections.push((await routerBenchSection()).trim());

sections.push(await coordinatorBenchSection());

sections.push(goalDetails(goals), nobleSection!);

sections.push(
  "## Does it start in workerd?\n\nEach side bundled the usual way for Workers (esbuild, " +
    "browser conditions, Node built-ins left to `nodejs_compat`), run by Miniflare, making one " +
    "`PushUrlsCache` call against the simulator on 127.0.0.1.\n\n" +
    table(
      ["module", "call", "starts", "call succeeds", "note"],
      peers.workerd.map((w) => [
        w.name,
        `\`${w.call}\``,
        w.starts ? "yes" : "no",
        w.works ? "yes" : "no",
        w.note.replaceAll("|", "\\|"),
      ]),
    ),
);

const node = await new Deno.Command("node", { args: ["--version"] }).output();
const runtimes = `Deno ${Deno.version.deno}, Node ${new TextDecoder().decode(node.stdout).trim()}`;
const date = new Date().toISOString().slice(0, 10);
const machine = `${Deno.build.os}/${Deno.build.arch}, ${navigator.hardwareConcurrency} cores`;
const doc =
  `# Benchmarks\n\nProduced by \`deno task bench\` on ${date} (${runtimes}, ${machine}). ` +
  "Times are from one run on a shared machine: read the ratios. Every timing is taken after " +
  "warm-up passes and given as min (the best estimate of the cost itself) and median (what " +
  "the noise allowed) over its passes.\n\n" +
  `${sections.join("\n\n")}\n`;
await Deno.mkdir(new URL("../docs/", import.meta.url), { recursive: true });
await Deno.writeTextFile(
  new URL("../docs/benchmarks.md", import.meta.url),
  doc,
);
console.log(doc);
