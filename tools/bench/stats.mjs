// Timing rules shared by every part of `deno task bench` (Deno and Node alike): warm-up passes
// first and thrown away, then timed passes, summarized as min and median. On a shared machine
// the min is the best estimate of the cost itself and the median shows the noise; compare
// sides measured in the same passes.

/**
 * @typedef {{ min: number, median: number, passes: number }} Summary
 *   min and median over the timed passes (in whatever unit the samples are)
 */

/**
 * @param {number[]} samples
 * @returns {Summary}
 */
export function summarize(samples) {
  if (samples.length === 0) throw new Error("No samples to summarize");
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { min: sorted[0], median, passes: samples.length };
}

/**
 * Times several sides in the same passes: each pass runs every side once, in an order that
 * rotates from pass to pass, so drift and other people's load fall on all sides alike.
 * Each side is one function returning a pass's figure (e.g. µs per operation, ms per run).
 *
 * @template {string} K
 * @param {Record<K, () => number | Promise<number>>} sides
 * @param {{ warmup: number, passes: number }} plan
 * @returns {Promise<Record<K, Summary & { samples: number[] }>>}
 */
export async function timeSides(sides, plan) {
  const names = /** @type {K[]} */ (Object.keys(sides));
  /** @type {Record<string, number[]>} */
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let pass = 0; pass < plan.warmup + plan.passes; pass++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(pass + i) % names.length];
      const value = await sides[name]();
      if (pass >= plan.warmup) samples[name].push(value);
    }
  }
  return /** @type {Record<K, Summary & { samples: number[] }>} */ (Object
    .fromEntries(
      names.map((
        name,
      ) => [name, { ...summarize(samples[name]), samples: samples[name] }]),
    ));
}

/**
 * One pass of a synchronous operation: runs it `ops` times and returns µs per operation.
 *
 * @param {number} ops
 * @param {(i: number) => unknown} fn
 * @returns {number}
 */
export function microsPerOp(ops, fn) {
  const start = performance.now();
  for (let i = 0; i < ops; i++) fn(i);
  return ((performance.now() - start) * 1000) / ops;
}

/**
 * One pass of an asynchronous operation, awaited one after another: µs per operation.
 *
 * @param {number} ops
 * @param {(i: number) => Promise<unknown>} fn
 * @returns {Promise<number>}
 */
export async function microsPerAsyncOp(ops, fn) {
  const start = performance.now();
  for (let i = 0; i < ops; i++) await fn(i);
  return ((performance.now() - start) * 1000) / ops;
}
