// Cold start under workerd (issue 21), run with Node by tools/bench/cold_start.ts:
//   node tools/bench/cold_start.mjs COPIES PASSES NAME=WORKER.js ...
// Each pass starts one workerd (Miniflare) per side holding COPIES copies of that side's Worker,
// each its own isolate, waits until it is ready and sends each copy its first request
// (GET /health): per copy, that is one cold start, with workerd's own start-up divided among
// the copies. Sides alternate which goes first. Prints one JSON line: ms per copy, per side.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Miniflare } from "miniflare";
import { summarize } from "./stats.mjs";

const [copies, passes, ...sides] = process.argv.slice(2);
const COPIES = Number(copies);
const bindings = {
  PREWARM_TOKENS: "bench-token-0123456789abcdef",
  TENCENTCLOUD_SECRET_ID: "AKIDbench000000000000000000000000000",
  TENCENTCLOUD_SECRET_KEY: "bench-secret-key-000000000000000",
  TENCENTCLOUD_ENDPOINT: "http://127.0.0.1:9/",
};

async function coldStarts(file) {
  // The module is handed over as it is: with `scriptPath` Miniflare would parse it (acorn) to
  // find its imports, a cost of its own that grows with the bundle and that Workers do not pay.
  const contents = readFileSync(file, "utf8");
  const start = performance.now();
  const mf = new Miniflare({
    workers: Array.from({ length: COPIES }, (_, i) => ({
      name: `w${i}`,
      modules: [{ type: "ESModule", path: path.resolve(file), contents }],
      compatibilityDate: "2025-01-01",
      bindings,
    })),
  });
  try {
    await mf.ready;
    for (let i = 0; i < COPIES; i++) {
      const response = await (await mf.getWorker(`w${i}`)).fetch(
        "http://worker/health",
      );
      const text = await response.text();
      if (response.status !== 200) {
        throw new Error(`${file} answered ${response.status}: ${text}`);
      }
    }
    return (performance.now() - start) / COPIES;
  } finally {
    await mf.dispose();
  }
}

const named = sides.map((side) => side.split("="));
const samples = Object.fromEntries(named.map(([name]) => [name, []]));
for (let pass = 0; pass < 1 + Number(passes); pass++) {
  for (let i = 0; i < named.length; i++) {
    const [name, file] = named[(pass + i) % named.length];
    const ms = await coldStarts(file);
    if (pass > 0) samples[name].push(ms);
  }
}
console.log(JSON.stringify(Object.fromEntries(
  named.map((
    [name],
  ) => [name, { ...summarize(samples[name]), samples: samples[name] }]),
)));
