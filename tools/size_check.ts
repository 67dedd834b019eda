/**
 * Fails when the bundled core (`prewarm` only; esbuild, minified, gzip -9) outgrows its budget
 * (`CORE_BUDGET` in tools/bench/sizes.ts: 12 KB), or when it carries a top-level declaration
 * that nothing in it reads: a bundler keeps a constant computed with `*`, `+`, a template or a
 * spread even where nothing reads it, so every module in the root entry's graph can add bytes to
 * `prewarm()`'s bundle that it never uses. Run by `deno task check`.
 */
import { CORE_BUDGET, coreUnreadDeclarations, measureCoreSize } from "./bench/sizes.ts";

const unread = await coreUnreadDeclarations();
if (unread.length > 0) {
  console.error(
    `core bundle: declared and never read (write them as literals, or inside what reads them): ${
      unread.join(", ")
    }`,
  );
  Deno.exit(1);
}

const { gzip, minified } = await measureCoreSize();
const line = `core bundle: ${minified} B minified, ${gzip} B gzip; budget ${CORE_BUDGET} B`;
if (gzip > CORE_BUDGET) {
  console.error(`${line}: over it by ${gzip - CORE_BUDGET} B`);
  Deno.exit(1);
}
console.log(`${line} (${CORE_BUDGET - gzip} B left)`);
