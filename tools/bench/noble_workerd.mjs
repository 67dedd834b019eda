// The body's SHA-256 under workerd, by variant (issue 21), run with Node by tools/bench/noble.ts:
//   node tools/bench/noble_workerd.mjs NAME=WORKER.js ...
// Each Worker hashes the 500-URL body `?n=` times per request (awaiting each hash when it is
// asynchronous). workerd stops its clocks while a request computes, so the time is taken from
// outside: requests of n = 200 and of n = 0, each side's in the same passes, sides in turn;
// µs per hash = (min of the n = 200 ones − min of the n = 0 ones) / 200, and so for the medians.
// Prints one JSON line: µs per hash, min and median, per variant.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Miniflare } from "miniflare";
import { summarize } from "./stats.mjs";

const N = 200;
const sides = process.argv.slice(2).map((arg) => arg.split("="));
const workers = {};
for (const [name, file] of sides) {
  workers[name] = new Miniflare({
    modules: [{
      type: "ESModule",
      path: path.resolve(file),
      contents: readFileSync(file, "utf8"),
    }],
    compatibilityDate: "2025-01-01",
  });
  await workers[name].ready;
}
const ask = async (mf, n) => {
  const start = performance.now();
  const response = await mf.dispatchFetch(`http://worker/?n=${n}`);
  const text = await response.text();
  if (response.status !== 200 || text.length !== 64) {
    throw new Error(`worker answered ${text}`);
  }
  return performance.now() - start;
};
const samples = Object.fromEntries(
  sides.map(([name]) => [name, { zero: [], many: [] }]),
);
try {
  for (let pass = 0; pass < 3 + 21; pass++) {
    for (let i = 0; i < sides.length; i++) {
      const [name] = sides[(pass + i) % sides.length];
      const zero = await ask(workers[name], 0);
      const many = await ask(workers[name], N);
      if (pass >= 3) {
        samples[name].zero.push(zero);
        samples[name].many.push(many);
      }
    }
  }
} finally {
  for (const mf of Object.values(workers)) await mf.dispose();
}
console.log(JSON.stringify(
  Object.fromEntries(
    Object.entries(samples).map(([name, { zero, many }]) => {
      const [z, m] = [summarize(zero), summarize(many)];
      return [name, {
        min: ((m.min - z.min) * 1000) / N,
        median: ((m.median - z.median) * 1000) / N,
        passes: m.passes,
      }];
    }),
  ),
));
