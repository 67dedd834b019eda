/**
 * Fails when the bundled core (`prewarm` only; esbuild, minified, gzip -9) outgrows its budget.
 * Run by `deno task check`.
 *
 * The target is 10 KB. The core measures about 11.7 KB: @noble/hashes (SHA-1, SHA-256,
 * HMAC) is 3.2 KB of it, and both API generations, the option checks and the accounting the
 * rest. The budget sits just above today's size so that growth is a decision, not an accident.
 */
import { measureCoreSize } from "./bench/sizes.ts";

const BUDGET = 12 * 1024;
const { gzip, minified } = await measureCoreSize();
const line = `core bundle: ${minified} B minified, ${gzip} B gzip (budget ${BUDGET} B)`;
if (gzip > BUDGET) {
  console.error(`${line}: over budget by ${gzip - BUDGET} B`);
  Deno.exit(1);
}
console.log(line);
