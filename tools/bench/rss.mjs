// Peak memory per URL of one process that submits N URLs (issue 21), run by
// tools/bench/memory.ts in a fresh Node process per sample:
//   node --expose-gc tools/bench/rss.mjs SIDE CORE_BUNDLE N
// SIDE is `ours` (`prewarm()` from CORE_BUNDLE, all N URLs in one call) or `sdk`
// (tencentcloud-sdk-nodejs-cdn's PushUrlsCache in a loop of 500-URL calls, each answer kept).
// Both sides send through a transport that answers at once, so only the client's own memory
// counts. Prints one JSON line: the resident set before the call (after a full GC), the
// process's peak resident set after it, and the V8 heap's size at its end.
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { sdkWithInstantTransport } from "./node_cpu.mjs";

const [side, coreBundle, count] = process.argv.slice(2);
const N = Number(count);
const BATCH = 500;
const require = createRequire(import.meta.url);
const credentials = {
  secretId: "AKIDbench000000000000000000000000000",
  secretKey: "bench-secret-key-000000000000000",
};
const ANSWER = '{"Response":{"TaskId":"t-1","RequestId":"r-1"}}';
const instantFetch = () =>
  Promise.resolve(
    new Response(ANSWER, { headers: { "content-type": "application/json" } }),
  );

// Load everything each side needs and warm it with one small call before measuring.
let run;
if (side === "ours") {
  const ours = await import(pathToFileURL(path.resolve(coreBundle)).href);
  const options = {
    credentials,
    fetch: instantFetch,
    dailyLimit: Infinity,
    maxRequestsPerSecond: Infinity,
  };
  await ours.prewarm(["https://www.example.com/warm.js"], options);
  run = async (urls) => {
    const report = await ours.prewarm(urls, options);
    if (report.counts.submitted !== urls.length) {
      throw new Error("ours lost URLs");
    }
    return report;
  };
} else if (side === "sdk") {
  const { client } = sdkWithInstantTransport(require, instantFetch);
  await client.PushUrlsCache({
    Urls: ["https://www.example.com/warm.js"],
    Area: "overseas",
  });
  run = async (urls) => {
    const answers = [];
    for (let i = 0; i < urls.length; i += BATCH) {
      answers.push(
        await client.PushUrlsCache({
          Urls: urls.slice(i, i + BATCH),
          Area: "overseas",
        }),
      );
    }
    if (answers.length !== Math.ceil(urls.length / BATCH)) {
      throw new Error("the SDK lost calls");
    }
    return answers;
  };
} else {
  throw new Error(`Unknown side ${side}: expected ours or sdk`);
}

// The input: N distinct URLs on 10 hosts, a host's URLs together (as a sitemap or a folder
// lists them), made before the baseline is read.
let urls = Array.from(
  { length: N },
  (_, i) =>
    `https://h${Math.floor((i * 10) / N)}.example.com/assets/${
      (i * 7919).toString(36)
    }/file-${i}.js`,
);
globalThis.gc();
const before = process.memoryUsage().rss;
const peakBefore = process.resourceUsage().maxRSS * 1024;
let result = await run(urls);
const peak = process.resourceUsage().maxRSS * 1024;
const heapUsed = process.memoryUsage().heapUsed;
// Keep the input and the result alive until the peak was read: a caller holds both.
if (!result || urls.length !== N) throw new Error("unreachable");
urls = result = undefined;
console.log(
  JSON.stringify({ side, urls: N, before, peakBefore, peak, heapUsed }),
);
