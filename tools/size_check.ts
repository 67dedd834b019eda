/**
 * Fails when the bundled core (`prewarm` only; esbuild, minified, gzip -9) outgrows the check
 * `tools/bench/sizes.ts` holds (`CORE_SIZE_CHECK`: the design budget is 12 KB; why the check is
 * above it, and by how much, is written there). Run by `deno task check`.
 */
import { CORE_DESIGN_BUDGET, CORE_SIZE_CHECK, measureCoreSize } from "./bench/sizes.ts";

const { gzip, minified } = await measureCoreSize();
// The design budget is named apart from the check, so that nobody reads the check as it.
const over = gzip > CORE_DESIGN_BUDGET
  ? `, ${gzip - CORE_DESIGN_BUDGET} B over the ${CORE_DESIGN_BUDGET} B design budget`
  : ` (design budget ${CORE_DESIGN_BUDGET} B)`;
const line =
  `core bundle: ${minified} B minified, ${gzip} B gzip${over}; check ${CORE_SIZE_CHECK} B`;
if (gzip > CORE_SIZE_CHECK) {
  console.error(`${line}: over the check by ${gzip - CORE_SIZE_CHECK} B`);
  Deno.exit(1);
}
console.log(line);
