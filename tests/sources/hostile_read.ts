// Reads a hostile sitemap with the default limits, in a subprocess whose CPU time and peak
// memory the bounds test measures. Prints the error's message (or the URL count) and exits 0.
//   deep FILE      a file whose elements nest millions deep
//   fanout         an endless tree of indexes, each listing 50,000 sitemaps of 50,000 URLs,
//                  served from memory (no network), read in priority order (which holds them)
import { sitemapUrls } from "../../src/sources/mod.ts";

const SITE = "https://www.example.com";
const encoder = new TextEncoder();

/** A body made as it is read, chunk by chunk, so that the test holds none of it. */
function generated(parts: (i: number) => string | undefined): Response {
  let i = 0;
  return new Response(
    new ReadableStream<Uint8Array>({
      pull(controller) {
        const text = parts(i++);
        if (text === undefined) controller.close();
        else controller.enqueue(encoder.encode(text));
      },
    }),
  );
}

/** Every index lists 50,000 more; every sitemap 50,000 URLs, in blocks of 1,000. */
function fanout(input: string): Promise<Response> {
  const path = new URL(input).pathname;
  const isIndex = path.startsWith("/index");
  // /index.xml lists /index-N.xml, which list /s-N-M.xml, which list pages.
  const child = path === "/index.xml"
    ? "/index-"
    : path.replace("/index-", "/s-").slice(0, -4) + "-";
  const entries = (block: number) =>
    Array.from({ length: 1_000 }, (_, j) => {
      const n = block * 1_000 + j;
      return isIndex
        ? `<sitemap><loc>${SITE}${child}${n}.xml</loc></sitemap>`
        : `<url><loc>${SITE}/p${path}/${n}</loc><priority>0.${n % 10}</priority></url>`;
    }).join("");
  return Promise.resolve(generated((i) => {
    if (i === 0) return `<${isIndex ? "sitemapindex" : "urlset"}>`;
    if (i <= 50) return entries(i - 1);
    if (i === 51) return `</${isIndex ? "sitemapindex" : "urlset"}>`;
    return undefined;
  }));
}

const [scenario, file] = Deno.args;
let count = 0;
try {
  const urls = scenario === "deep"
    ? sitemapUrls(file!)
    : sitemapUrls(`${SITE}/index.xml`, { fetch: fanout, order: "priority" });
  for await (const _url of urls) count++;
  console.log(`read ${count} URLs`);
} catch (error) {
  console.log((error as Error).message);
}
