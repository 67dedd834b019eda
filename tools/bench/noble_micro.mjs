// SHA-256 of a 500-URL API 3.0 body (22 KB) by each variant of @noble/hashes given, timed in
// the same passes (issue 21: why the bundled hash is slower). Runs on Node, Deno and Bun:
//   node tools/bench/noble_micro.mjs NAME=MODULE.js ...
// Each MODULE exports `sha256Hex(text)`: a string, or a promise of one (noble's webcrypto
// entry). Prints one JSON line: µs per hash, min and median, per variant; an asynchronous one
// is timed awaited one after another (`NAME`) and ten at a time (`NAME ×10`, µs per hash).
import { timeSides } from "./stats.mjs";

const variants = [];
for (const arg of (globalThis.Deno?.args ?? globalThis.process.argv.slice(2))) {
  const [name, file] = arg.split("=");
  const module = await import(
    new URL(file, `file://${globalThis.process?.cwd?.() ?? Deno.cwd()}/`).href
  );
  variants.push([name, module.sha256Hex]);
}
const urls = Array.from(
  { length: 500 },
  (_, i) => `https://www.example.com/b0/asset-${i}.js?v=1`,
);
const body = JSON.stringify({ Urls: urls, Area: "overseas" });
const expected = await variants[0][1](body);
const HASHES = 50;
const sides = {};
for (const [name, sha256Hex] of variants) {
  const first = sha256Hex(body);
  if (typeof first === "string") {
    if (first !== expected) throw new Error(`${name} hashes differently`);
    sides[name] = () => {
      const start = performance.now();
      for (let i = 0; i < HASHES; i++) sha256Hex(body);
      return ((performance.now() - start) * 1000) / HASHES;
    };
  } else {
    if (await first !== expected) throw new Error(`${name} hashes differently`);
    sides[name] = async () => {
      const start = performance.now();
      for (let i = 0; i < HASHES; i++) await sha256Hex(body);
      return ((performance.now() - start) * 1000) / HASHES;
    };
    sides[`${name} ×10`] = async () => {
      const start = performance.now();
      for (let i = 0; i < HASHES; i += 10) {
        await Promise.all(Array.from({ length: 10 }, () => sha256Hex(body)));
      }
      return ((performance.now() - start) * 1000) / HASHES;
    };
  }
}
const times = await timeSides(sides, { warmup: 5, passes: 31 });
console.log(JSON.stringify({
  bodyBytes: new TextEncoder().encode(body).length,
  times: Object.fromEntries(
    Object.entries(times).map((
      [name, { min, median, passes }],
    ) => [name, { min, median, passes }]),
  ),
}));
