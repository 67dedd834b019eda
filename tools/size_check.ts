/**
 * Fails when the bundled core (`prewarm` only; esbuild, minified, gzip -9) outgrows the check
 * `tools/bench/sizes.ts` holds (`CORE_SIZE_CHECK`: the design budget is 12 KB; why the check is
 * above it, and by how much, is written there). Run by `deno task check`.
 */
import { CORE_SIZE_CHECK as BUDGET, measureCoreSize } from "./bench/sizes.ts";

const { gzip, minified } = await measureCoreSize();
const line = `core bundle: ${minified} B minified, ${gzip} B gzip (budget ${BUDGET} B)`;
if (gzip > BUDGET) {
  console.error(`${line}: over budget by ${gzip - BUDGET} B`);
  Deno.exit(1);
}
console.log(line);
