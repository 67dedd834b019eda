// sitemapUrls(): indexes, gzip both ways, entities, CDATA, namespaces, since and order, served
// from 127.0.0.1; and every way a sitemap can be wrong ends in an error naming it.
import assert from "node:assert/strict";
import { parseW3cDatetime, sitemapUrls, SourceError } from "../src/sources/mod.ts";
import { collect, gzip, serveDocuments, sitemapIndex, urlset } from "./sources/serve.ts";

const SITE = "https://www.example.com";

// The pages sitemap: entities, CDATA, a nested image:loc and xhtml:link that are not pages,
// W3C datetimes of several precisions, and priorities.
const PAGES = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"
        xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <url>
    <loc>
      ${SITE}/
    </loc>
    <lastmod>2026-11-20</lastmod>
    <changefreq>daily</changefreq>
    <priority>1.0</priority>
    <xhtml:link rel="alternate" hreflang="de" href="${SITE}/de/"/>
  </url>
  <url>
    <loc>${SITE}/search?q=caf%C3%A9&amp;page=2&#38;sort=new</loc>
    <lastmod>2026-11-27T09:30:00+08:00</lastmod>
    <priority>0.3</priority>
  </url>
  <url>
    <loc><![CDATA[${SITE}/a&b/<tag>.html]]></loc>
    <image:image><image:loc>${SITE}/img/photo.jpg</image:loc></image:image>
    <lastmod>2026-10</lastmod>
  </url>
  <url><loc>${SITE}/&#x64;ocs/</loc><priority>0.8</priority><lastmod>2026-11-28T01:00Z</lastmod></url>
</urlset>`;
const PAGE_URLS = [
  `${SITE}/`,
  `${SITE}/search?q=caf%C3%A9&page=2&sort=new`,
  `${SITE}/a&b/<tag>.html`,
  `${SITE}/docs/`,
];

const POSTS = urlset([
  { loc: `${SITE}/posts/1`, lastmod: "2026-11-28T10:00:00.500Z", priority: "0.9" },
  { loc: `${SITE}/posts/2`, lastmod: "2026", priority: "0.1" },
  { loc: `${SITE}/posts/3` }, // no lastmod, default priority 0.5
]);
const NEWS = urlset([{ loc: `${SITE}/news/today`, lastmod: "2026-11-28", priority: "0.5" }]);

Deno.test("sitemapUrls: an index with a gzipped child, a Content-Encoding child, entities and CDATA", async () => {
  const documents: Record<string, { body: string | Uint8Array; headers?: Record<string, string> }> =
    {};
  await using served = serveDocuments(documents);
  Object.assign(documents, {
    "/sitemap_index.xml": {
      body: sitemapIndex([
        `${served.origin}/sitemap-pages.xml`,
        `${served.origin}/sitemap-posts.xml.gz`,
        `${served.origin}/sitemap-news.xml`,
        `${served.origin}/sitemap-pages.xml`, // listed twice: read once
      ]),
    },
    "/sitemap-pages.xml": { body: PAGES },
    "/sitemap-posts.xml.gz": {
      body: await gzip(POSTS),
      headers: { "content-type": "application/gzip" },
    },
    "/sitemap-news.xml": {
      body: await gzip(NEWS),
      headers: { "content-type": "application/xml", "content-encoding": "gzip" },
    },
  });
  const index = `${served.origin}/sitemap_index.xml`;
  const all = [
    ...PAGE_URLS,
    `${SITE}/posts/1`,
    `${SITE}/posts/2`,
    `${SITE}/posts/3`,
    `${SITE}/news/today`,
  ];
  assert.deepEqual(await collect(sitemapUrls(index)), all);
  assert.deepEqual(served.requested, [
    "/sitemap_index.xml",
    "/sitemap-pages.xml",
    "/sitemap-posts.xml.gz",
    "/sitemap-news.xml",
  ]);

  // A fetch that does not decode Content-Encoding (as some stand-ins do): the gzip is sniffed.
  const rawFetch = async (input: string, init: RequestInit) => {
    const response = await fetch(input, init);
    if (!input.endsWith("/sitemap-news.xml")) return response;
    return new Response(await gzip(await response.text()), { headers: response.headers });
  };
  assert.deepEqual(await collect(sitemapUrls(index, { fetch: rawFetch })), all);

  // Priority: 1.0, 0.9, 0.8, then the 0.5s (absent counts 0.5) in input order, 0.3, 0.1.
  assert.deepEqual(await collect(sitemapUrls(index, { order: "priority" })), [
    `${SITE}/`,
    `${SITE}/posts/1`,
    `${SITE}/docs/`,
    `${SITE}/a&b/<tag>.html`,
    `${SITE}/posts/3`,
    `${SITE}/news/today`,
    `${SITE}/search?q=caf%C3%A9&page=2&sort=new`,
    `${SITE}/posts/2`,
  ]);
  // Lastmod: newest first; 09:30+08:00 is 01:30Z, after 01:00Z; undated last.
  assert.deepEqual(await collect(sitemapUrls(index, { order: "lastmod" })), [
    `${SITE}/posts/1`,
    `${SITE}/docs/`,
    `${SITE}/news/today`,
    `${SITE}/search?q=caf%C3%A9&page=2&sort=new`,
    `${SITE}/`,
    `${SITE}/a&b/<tag>.html`,
    `${SITE}/posts/2`,
    `${SITE}/posts/3`,
  ]);
  // Since: lastmod at or after the time; undated URLs are left out.
  assert.deepEqual(await collect(sitemapUrls(index, { since: "2026-11-28" })), [
    `${SITE}/docs/`,
    `${SITE}/posts/1`,
    `${SITE}/news/today`,
  ]);
  assert.deepEqual(
    await collect(
      sitemapUrls(index, { since: new Date("2026-11-28T00:30:00Z"), order: "lastmod" }),
    ),
    [`${SITE}/posts/1`, `${SITE}/docs/`],
  );
  // Several sources in one call: ordered together, a sitemap already read is not read again.
  assert.deepEqual(
    await collect(sitemapUrls([`${served.origin}/sitemap-news.xml`, index], { order: "priority" }))
      .then((urls) => urls.slice(0, 3)),
    [`${SITE}/`, `${SITE}/posts/1`, `${SITE}/docs/`],
  );
});

Deno.test("sitemapUrls: files by path, plain and gzipped, and file: URLs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/sitemap.xml`, PAGES);
    await Deno.writeFile(`${dir}/posts.xml.gz`, await gzip(POSTS));
    assert.deepEqual(await collect(sitemapUrls(`${dir}/sitemap.xml`)), PAGE_URLS);
    assert.deepEqual(await collect(sitemapUrls(new URL(`file://${dir}/posts.xml.gz`))), [
      `${SITE}/posts/1`,
      `${SITE}/posts/2`,
      `${SITE}/posts/3`,
    ]);
    await assert.rejects(
      collect(sitemapUrls(`${dir}/missing.xml`)),
      (error: Error) =>
        error instanceof SourceError && error.source === `${dir}/missing.xml` &&
        /missing\.xml: cannot read it: ENOENT/.test(error.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** The error reading `documents` from `start` ends in. */
async function failure(
  documents: Record<string, string | Uint8Array>,
  start: string,
  options: Parameters<typeof sitemapUrls>[1] = {},
): Promise<{ error: SourceError; origin: string; urls: string[] }> {
  const table: Record<string, { body: string | Uint8Array }> = {};
  await using served = serveDocuments(table);
  for (const [path, body] of Object.entries(documents)) {
    table[path] = {
      body: typeof body === "string" ? body.replaceAll("ORIGIN", served.origin) : body,
    };
  }
  const urls: string[] = [];
  try {
    for await (const url of sitemapUrls(`${served.origin}${start}`, options)) urls.push(url);
  } catch (error) {
    assert.ok(error instanceof SourceError, String(error));
    return { error, origin: served.origin, urls };
  }
  throw new assert.AssertionError({ message: `reading ${start} did not fail` });
}

Deno.test("sitemapUrls: malformed, foreign, failing and looping documents end in errors naming them", async () => {
  let { error, origin } = await failure(
    { "/s.xml": urlset([{ loc: `${SITE}/a` }]).replace("</loc>", "</lo>") },
    "/s.xml",
  );
  assert.equal(error.source, `${origin}/s.xml`);
  assert.match(
    error.message,
    /\/s\.xml: malformed XML at line 3, column \d+: unexpected close tag/,
  );

  ({ error, origin } = await failure({ "/s.xml": "<html><body>Not here</body></html>" }, "/s.xml"));
  assert.match(error.message, /\/s\.xml: not a sitemap: the root element is <html>/);

  ({ error } = await failure({ "/s.xml": "" }, "/s.xml"));
  assert.match(
    error.message,
    /\/s\.xml: malformed XML at line 1, column \d+: document must contain a root element/,
  );

  ({ error } = await failure({ "/s.xml": urlset([{ loc: `${SITE}/a&nbsp;b` }]) }, "/s.xml"));
  assert.match(error.message, /malformed XML at line 3, column \d+: undefined entity/);

  ({ error } = await failure({ "/s.xml": urlset([{ loc: "" }]) }, "/s.xml"));
  assert.match(error.message, /\/s\.xml: a <url> without a <loc> ends at line 3/);

  ({ error } = await failure({ "/s.xml": new Uint8Array([0x3c, 0x61, 0xff, 0x3e]) }, "/s.xml"));
  assert.match(error.message, /\/s\.xml: is not UTF-8 text/);

  ({ error, origin } = await failure({}, "/gone.xml"));
  assert.equal(error.message, `${origin}/gone.xml: the server answered HTTP 404 Not Found`);

  ({ error } = await failure(
    { "/s.xml.gz": (await gzip(urlset([{ loc: `${SITE}/a` }]))).slice(0, 30) },
    "/s.xml.gz",
  ));
  assert.match(error.message, /\/s\.xml\.gz: the gzip data is corrupt or cut short/);

  // A listed child that fails is named itself.
  ({ error, origin } = await failure(
    {
      "/index.xml": sitemapIndex(["ORIGIN/ok.xml", "ORIGIN/missing.xml"]),
      "/ok.xml": urlset([{ loc: `${SITE}/a` }]),
    },
    "/index.xml",
  ));
  assert.equal(error.source, `${origin}/missing.xml`);

  // Loops: an index listing itself, and two indexes listing each other.
  ({ error, origin } = await failure(
    { "/index.xml": sitemapIndex(["ORIGIN/index.xml"]) },
    "/index.xml",
  ));
  assert.equal(
    error.message,
    `${origin}/index.xml: sitemap index loop: it lists ${origin}/index.xml, which leads back to ` +
      `itself (${origin}/index.xml → ${origin}/index.xml)`,
  );
  ({ error, origin } = await failure(
    { "/a.xml": sitemapIndex(["ORIGIN/b.xml"]), "/b.xml": sitemapIndex(["ORIGIN/a.xml"]) },
    "/a.xml",
  ));
  assert.match(error.message, /\/b\.xml: sitemap index loop: .*a\.xml → .*b\.xml → .*a\.xml\)$/);

  // Too deep, and a child that is not an http(s) URL (a document must not make us read files).
  ({ error } = await failure(
    { "/a.xml": sitemapIndex(["ORIGIN/b.xml"]), "/b.xml": urlset([{ loc: `${SITE}/a` }]) },
    "/a.xml",
    { maxDepth: 0 },
  ));
  assert.match(
    error.message,
    /\/a\.xml: is a sitemap index nested 0 levels deep, and maxDepth is 0/,
  );
  ({ error } = await failure({ "/a.xml": sitemapIndex(["file:///etc/passwd"]) }, "/a.xml"));
  assert.match(
    error.message,
    /lists the sitemap "file:\/\/\/etc\/passwd", which is not an absolute http\(s\) URL/,
  );
});

Deno.test("sitemapUrls: past 50,000 URLs or 50 MiB uncompressed is an error, never a cut", async () => {
  const entries = Array.from({ length: 50_001 }, (_, i) => ({ loc: `${SITE}/p/${i}` }));
  const { error, urls, origin } = await failure({ "/big.xml": urlset(entries) }, "/big.xml");
  assert.equal(
    error.message,
    `${origin}/big.xml: more than 50,000 <url> entries; the sitemap protocol allows 50,000 per ` +
      "file (split it, and list the parts in a sitemap index)",
  );
  assert.ok(urls.length <= 50_000, "the URLs before the limit came out as they were read");
  const exactly = await failure(
    { "/ok.xml": urlset(entries.slice(0, 50_000)), "/x.xml": "<x/>" },
    "/x.xml",
  );
  assert.match(exactly.error.message, /not a sitemap/);

  // 50 MiB of whitespace inside a <urlset>, gzipped to a few kilobytes: the uncompressed size
  // counts. Generated as it is read, so the test holds none of it.
  const fiftyMiB = 52_428_800;
  const bomb = (extra: number) => {
    const block = new TextEncoder().encode(" ".repeat(1 << 20));
    let left = fiftyMiB + extra - 32;
    const plain = new ReadableStream<Uint8Array<ArrayBuffer>>({
      start: (c) => c.enqueue(new TextEncoder().encode("<urlset>")),
      pull(c) {
        if (left <= 0) {
          c.enqueue(new TextEncoder().encode("</urlset>"));
          c.close();
          return;
        }
        const n = Math.min(left, block.length);
        left -= n;
        c.enqueue(block.subarray(0, n));
      },
    });
    return plain.pipeThrough(new CompressionStream("gzip"));
  };
  const fetchBomb = (extra: number) => () => Promise.resolve(new Response(bomb(extra)));
  await assert.rejects(
    collect(sitemapUrls(`${SITE}/bomb.xml.gz`, { fetch: fetchBomb(1_000) })),
    (e: Error) =>
      e instanceof SourceError &&
      e.message === `${SITE}/bomb.xml.gz: is larger than 52,428,800 bytes (50 MiB) uncompressed; ` +
          "the sitemap protocol allows 50 MiB per file (split it, and list the parts in a sitemap index)",
  );
  assert.deepEqual(
    await collect(sitemapUrls(`${SITE}/ok.xml.gz`, { fetch: fetchBomb(-1_000) })),
    [],
    "just under the limit is fine",
  );
});

Deno.test("sitemapUrls: options and sources are checked at the call", () => {
  assert.throws(() => sitemapUrls([]), /Invalid sitemap source: expected .* got an empty list/);
  assert.throws(() => sitemapUrls(""), /Invalid sitemap source: expected a URL or a path, got ""/);
  assert.throws(
    () => sitemapUrls("ftp://x/s.xml"),
    /expected http\(s\) or file, got ftp:\/\/x\/s\.xml/,
  );
  assert.throws(
    () => sitemapUrls("s.xml", { order: "random" as "input" }),
    /Invalid order: expected input, priority, lastmod, got "random"/,
  );
  assert.throws(
    () => sitemapUrls("s.xml", { since: "last week" }),
    /Invalid since: expected a Date or a W3C datetime .* got "last week"/,
  );
  assert.throws(() => sitemapUrls("s.xml", { maxDepth: -1 }), RangeError);
});

Deno.test("sitemapUrls: aborting stops the read with the signal's reason", async () => {
  const controller = new AbortController();
  const entries = Array.from({ length: 10 }, (_, i) => ({ loc: `${SITE}/p/${i}` }));
  const fetch = () => Promise.resolve(new Response(urlset(entries)));
  const read: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const url of sitemapUrls(`${SITE}/s.xml`, { fetch, signal: controller.signal })) {
        read.push(url);
        controller.abort(new Error("stop here"));
      }
    })(),
    /stop here/,
  );
  assert.ok(read.length >= 1 && read.length < 10);
});

Deno.test("parseW3cDatetime: every W3C precision, zones, and what is not a date", () => {
  const utc = Date.UTC;
  assert.equal(parseW3cDatetime("2026"), utc(2026, 0, 1));
  assert.equal(parseW3cDatetime("2026-11"), utc(2026, 10, 1));
  assert.equal(parseW3cDatetime(" 2026-11-28 "), utc(2026, 10, 28));
  assert.equal(parseW3cDatetime("2026-11-28T09:30+08:00"), utc(2026, 10, 28, 1, 30));
  assert.equal(parseW3cDatetime("2026-11-28T09:30:15Z"), utc(2026, 10, 28, 9, 30, 15));
  assert.equal(
    parseW3cDatetime("2026-11-28T09:30:15.25-05:00"),
    utc(2026, 10, 28, 14, 30, 15, 250),
  );
  assert.equal(parseW3cDatetime("2026-11-28T09:30:15+0530"), utc(2026, 10, 28, 4, 0, 15));
  assert.equal(parseW3cDatetime("2026-11-28T09:30:15"), utc(2026, 10, 28, 9, 30, 15));
  for (
    const bad of [
      "",
      "yesterday",
      "2026-13",
      "2026-02-30",
      "2026-11-28T24:00Z",
      "26-11-28",
      "2026-11-28T09:30+25:00",
      "0099",
    ]
  ) {
    assert.equal(parseW3cDatetime(bad), undefined, bad);
  }
});
