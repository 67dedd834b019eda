// Counts the URLs of a sitemap without keeping them: what the memory test runs in a subprocess
// to see what reading alone holds. Collects garbage every 1,000 URLs (when run with
// --expose-gc), so that the peak shows what is held rather than what is not yet collected.
import { sitemapUrls } from "../../src/sources/mod.ts";

const gc = (globalThis as { gc?: () => void }).gc;
let count = 0;
for await (const _url of sitemapUrls(Deno.args[0]!)) {
  if (++count % 1000 === 0) gc?.();
}
console.log(count);
