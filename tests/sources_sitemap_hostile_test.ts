// sitemapUrls() on inputs that are not what they claim: old or mixed namespaces, a blank line
// before <?xml, HTML pages, empty sitemaps, deep nesting, index trees that never end, children
// and redirects on other hosts, and servers whose words must not reach the error.
import assert from "node:assert/strict";
import { sitemapUrls, SourceError, type SourceWarning } from "../src/sources/mod.ts";
import { collect, serveDocuments, sitemapIndex, urlset } from "./sources/serve.ts";

const SITE = "https://www.example.com";
const SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9";

/** A fetch answering `body` for every URL. */
const answering = (body: string) => () => Promise.resolve(new Response(body));

/** The URLs (or the error) and the warnings of reading one document. */
async function readBody(
  body: string,
): Promise<{ urls?: string[]; error?: SourceError; warnings: SourceWarning[] }> {
  const warnings: SourceWarning[] = [];
  try {
    const urls = await collect(
      sitemapUrls(`${SITE}/s.xml`, {
        fetch: answering(body),
        onWarning: (w) => warnings.push(w),
      }),
    );
    return { urls, warnings };
  } catch (error) {
    assert.ok(error instanceof SourceError, String(error));
    return { error, warnings };
  }
}

Deno.test('sitemapUrls: Google\'s old namespaces, none, and xmlns="" are read; a <url> elsewhere is an error', async () => {
  const entry = (attributes = "") => `<url${attributes}><loc>${SITE}/a</loc></url>`;
  const readable: Record<string, string> = {
    "Google 0.84": `<urlset xmlns="http://www.google.com/schemas/sitemap/0.84">${entry()}</urlset>`,
    "Google 0.9": `<urlset xmlns="http://www.google.com/schemas/sitemap/0.9">${entry()}</urlset>`,
    "no namespace": `<urlset>${entry()}</urlset>`,
    'url xmlns=""': `<urlset xmlns="${SITEMAP_NS}">${entry(' xmlns=""')}</urlset>`,
    "0.84 root, 0.9 url": `<urlset xmlns="http://www.google.com/schemas/sitemap/0.84">${
      entry(` xmlns="${SITEMAP_NS}"`)
    }</urlset>`,
    "https misspelling": `<urlset xmlns="https://www.sitemaps.org/schemas/sitemap/0.9">${
      entry(' xmlns="http://www.google.com/schemas/sitemap/0.84"')
    }</urlset>`,
    "prefixed": `<sm:urlset xmlns:sm="${SITEMAP_NS}"><sm:url><sm:loc>${SITE}/a</sm:loc></sm:url>` +
      "</sm:urlset>",
  };
  for (const [name, body] of Object.entries(readable)) {
    const { urls, error } = await readBody(body);
    assert.deepEqual(urls, [`${SITE}/a`], `${name}: ${error?.message}`);
  }
  // A <url> in a namespace that is not a sitemap's is never skipped into an empty success.
  const { error } = await readBody(
    `<urlset xmlns="${SITEMAP_NS}"><x:url xmlns:x="http://example.com/not-a-sitemap">` +
      `<x:loc>${SITE}/a</x:loc></x:url></urlset>`,
  );
  assert.equal(
    error?.message,
    `${SITE}/s.xml: the <x:url> at line 1 is in a namespace that is not a sitemap's, so its ` +
      `URL cannot be read (use ${SITEMAP_NS}, or none)`,
  );
  // Extensions stay apart: an image's loc is not a page.
  const { urls } = await readBody(
    `<urlset xmlns="${SITEMAP_NS}" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">` +
      `<url><loc>${SITE}/a</loc><image:image><image:loc>${SITE}/i.jpg</image:loc></image:image>` +
      "</url></urlset>",
  );
  assert.deepEqual(urls, [`${SITE}/a`]);
});

Deno.test("sitemapUrls: a blank line before <?xml is tolerated", async () => {
  for (const lead of ["\n", "\r\n\r\n", "  \t\n", "\uFEFF\n"]) {
    const { urls, error } = await readBody(lead + urlset([{ loc: `${SITE}/a` }]));
    assert.deepEqual(urls, [`${SITE}/a`], `${JSON.stringify(lead)}: ${error?.message}`);
  }
  // Text before the root is still malformed.
  const { error } = await readBody("oops" + urlset([{ loc: `${SITE}/a` }]));
  assert.match(error!.message, /malformed XML at line 1, column \d+: text data outside/);
});

Deno.test("sitemapUrls: HTML is named as HTML whatever its case, and nothing of it is echoed", async () => {
  const pages = [
    "<!DOCTYPE html><html><head><title>secret</title></head><body></body></html>",
    "<!doctype html>\n<html lang=en><head><meta charset=utf-8><title>secret</title>",
    "\n<!DocType HTML><html>",
    '<?xml version="1.0"?><!-- a comment --><!doctype html><html>',
    "<html><body><p>secret<br></body></html>",
  ];
  for (const page of pages) {
    const { error } = await readBody(page);
    assert.equal(
      error?.message,
      `${SITE}/s.xml: not a sitemap: the root element is <html>, not <urlset> or <sitemapindex>`,
      page,
    );
  }
  // Only a short, safe form of a foreign root's name shows; never more of the document.
  const long = `<${"a".repeat(40)}secret${"b".repeat(1000)}><p>secret text</p></${"a".repeat(40)}>`;
  assert.equal(
    (await readBody(long)).error?.message,
    `${SITE}/s.xml: not a sitemap: the root element is <${"a".repeat(32)}…>, not <urlset> or ` +
      "<sitemapindex>",
  );
  // saxes quotes names in its messages: they are made safe too.
  const unclosed = await readBody(
    `<urlset><url><loc>x</loc></url><secret-token-${"x".repeat(99)}>`,
  );
  assert.match(unclosed.error!.message, /malformed XML at line 1, column \d+: unclosed tag: /);
  assert.ok(unclosed.error!.message.length < 200, unclosed.error!.message);
  // A server's own reason phrase is not repeated: the standard words are.
  const fetch = () =>
    Promise.resolve(new Response("secret body", { status: 404, statusText: "secret phrase" }));
  await assert.rejects(
    collect(sitemapUrls(`${SITE}/s.xml`, { fetch })),
    (e: Error) => e.message === `${SITE}/s.xml: the server answered HTTP 404 Not Found`,
  );
  const teapot = () =>
    Promise.resolve(new Response("secret body", { status: 418, statusText: "secret phrase" }));
  await assert.rejects(
    collect(sitemapUrls(`${SITE}/s.xml`, { fetch: teapot })),
    (e: Error) => e.message === `${SITE}/s.xml: the server answered HTTP 418`,
  );
});

Deno.test("sitemapUrls: an empty urlset or index is a valid sitemap, and a warning says so", async () => {
  let { urls, warnings } = await readBody(`<urlset xmlns="${SITEMAP_NS}"></urlset>`);
  assert.deepEqual(urls, []);
  assert.deepEqual(warnings, [{
    code: "empty-sitemap",
    source: `${SITE}/s.xml`,
    message: `${SITE}/s.xml: the sitemap lists no URLs (an empty <urlset>)`,
  }]);
  ({ urls, warnings } = await readBody(`<sitemapindex xmlns="${SITEMAP_NS}"/>`));
  assert.deepEqual(urls, []);
  assert.deepEqual(warnings.map((w) => w.message), [
    `${SITE}/s.xml: the sitemap index lists no sitemaps (an empty <sitemapindex>)`,
  ]);
  ({ warnings } = await readBody(urlset([{ loc: `${SITE}/a` }])));
  assert.deepEqual(warnings, []);
  assert.throws(() => sitemapUrls(`${SITE}/s.xml`, { onWarning: "log" as never }), TypeError);
});

Deno.test("sitemapUrls: elements nested deeper than 8 levels are an error, found as they open", async () => {
  const nested = (levels: number) =>
    `<urlset xmlns="${SITEMAP_NS}"><url><loc>${SITE}/a</loc>` + "<x>".repeat(levels) +
    "</x>".repeat(levels) + "</url></urlset>";
  // Google's news extension: urlset > url > news:news > news:publication > news:name.
  assert.deepEqual((await readBody(nested(6))).urls, [`${SITE}/a`], "8 levels are fine");
  assert.equal(
    (await readBody(nested(7))).error?.message,
    `${SITE}/s.xml: elements nest more than 8 levels deep at line 1; a sitemap needs no more ` +
      "than 5",
  );
  // Never closed, a megabyte deep: the error comes at the ninth level, not after the parse.
  const { error } = await readBody(nested(0).replace("</url>", "<x>".repeat(350_000)));
  assert.match(error!.message, /elements nest more than 8 levels deep/);
});

/**
 * A fetch serving an index tree from memory: `/index.xml` lists `indexes` indexes, each of
 * which lists `sitemaps` sitemaps of `urls` URLs. Counts what it was asked for.
 */
function tree(indexes: number, sitemaps: number, urls: number) {
  const fetched: string[] = [];
  const fetch = (input: string) => {
    const path = new URL(input).pathname;
    fetched.push(path);
    const body = path === "/index.xml"
      ? sitemapIndex(Array.from({ length: indexes }, (_, i) => `${SITE}/index-${i}.xml`))
      : path.startsWith("/index-")
      ? sitemapIndex(
        Array.from({ length: sitemaps }, (_, i) => `${SITE}/s${path.slice(6, -4)}-${i}.xml`),
      )
      : urlset(Array.from({ length: urls }, (_, i) => ({ loc: `${SITE}/p${path}/${i}` })));
    return Promise.resolve(new Response(body));
  };
  return { fetch, fetched };
}

Deno.test("sitemapUrls: a read stops at maxSitemaps, maxUrls or maxBytes, naming the limit and the file", async () => {
  let { fetch, fetched } = tree(3, 10, 100);
  assert.equal((await collect(sitemapUrls(`${SITE}/index.xml`, { fetch }))).length, 3_000);
  assert.equal(fetched.length, 34);

  ({ fetch, fetched } = tree(3, 10, 100));
  await assert.rejects(
    collect(sitemapUrls(`${SITE}/index.xml`, { fetch, maxSitemaps: 20 })),
    (e: Error) =>
      e instanceof SourceError && e.limit === "maxSitemaps" &&
      e.source === `${SITE}/index-1.xml` &&
      e.message === `${SITE}/index-1.xml: lists ${SITE}/s-1-7.xml, which would be sitemap ` +
          "number 21 of this read, and the limit (maxSitemaps) is 20; raise maxSitemaps to read " +
          "more",
  );
  assert.equal(fetched.length, 20, "the 21st is never fetched");

  ({ fetch } = tree(3, 10, 100));
  const read: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const url of sitemapUrls(`${SITE}/index.xml`, { fetch, maxUrls: 1_050 })) {
        read.push(url);
      }
    })(),
    (e: Error) =>
      e instanceof SourceError && e.limit === "maxUrls" &&
      e.message === `${SITE}/s-1-0.xml: takes this read past 1,050 URLs, its limit (maxUrls); ` +
          "raise maxUrls to read more",
  );
  assert.equal(read.length, 1_050, "every URL up to the limit came out");

  ({ fetch } = tree(3, 10, 100));
  await assert.rejects(
    collect(sitemapUrls(`${SITE}/index.xml`, { fetch, maxBytes: 100_000, order: "priority" })),
    (e: Error) =>
      e instanceof SourceError && e.limit === "maxBytes" &&
      e.message === `${SITE}/s-1-5.xml: takes this read past 100,000 bytes uncompressed, its ` +
          "limit (maxBytes); raise maxBytes to read more",
  );
  for (const [name, value] of [["maxUrls", 0], ["maxSitemaps", 1.5], ["maxBytes", -1]] as const) {
    assert.throws(
      () => sitemapUrls(`${SITE}/s.xml`, { [name]: value }),
      (e: Error) =>
        e instanceof RangeError &&
        e.message === `Invalid ${name}: expected a positive integer or Infinity, got ${value}`,
    );
  }
  assert.deepEqual(
    await collect(sitemapUrls(`${SITE}/s.xml`, {
      fetch: tree(0, 0, 5).fetch,
      maxUrls: Infinity,
      maxSitemaps: 1,
    })),
    Array.from({ length: 5 }, (_, i) => `${SITE}/p/s.xml/${i}`),
  );
});

Deno.test("sitemapUrls: optionName names each option as the caller calls it, and nothing else", async () => {
  const optionName = (option: string) => `--${option.toLowerCase()}`;
  const { fetch } = tree(1, 2, 5);
  // A source whose URL holds an option's name keeps it as it is.
  await assert.rejects(
    collect(sitemapUrls(`${SITE}/maxUrls.xml`, { fetch, maxUrls: 2, optionName })),
    (e: Error) =>
      e instanceof SourceError && e.limit === "maxUrls" &&
      e.message === `${SITE}/maxUrls.xml: takes this read past 2 URLs, its limit (--maxurls); ` +
          "raise --maxurls to read more",
  );
  await assert.rejects(
    collect(sitemapUrls(`${SITE}/index.xml`, { fetch, maxSitemaps: 2, optionName })),
    (e: Error) =>
      e instanceof SourceError && e.limit === "maxSitemaps" &&
      e.message.endsWith("the limit (--maxsitemaps) is 2; raise --maxsitemaps to read more"),
  );
  await assert.rejects(
    collect(sitemapUrls(`${SITE}/index.xml`, { fetch, maxBytes: 10, optionName })),
    (e: Error) =>
      e instanceof SourceError && e.limit === "maxBytes" &&
      e.message.endsWith("its limit (--maxbytes); raise --maxbytes to read more"),
  );
  await assert.rejects(
    collect(sitemapUrls(`${SITE}/index.xml`, { fetch, maxDepth: 0, optionName })),
    (e: Error) => e.message.endsWith("nested 0 levels deep, and --maxdepth is 0"),
  );
  const offHost = answering(sitemapIndex(["https://cdn.example.net/s.xml"]));
  await assert.rejects(
    collect(sitemapUrls(`${SITE}/index.xml`, { fetch: offHost, optionName })),
    (e: Error) => e.message.endsWith("or allow its host with --allowedhosts)"),
  );
  const redirect = () =>
    Promise.resolve(
      new Response(null, { status: 302, headers: { location: "https://cdn.example.net/s.xml" } }),
    );
  await assert.rejects(
    collect(sitemapUrls(`${SITE}/s.xml`, { fetch: redirect, optionName })),
    (e: Error) => e.message.endsWith("or allow its host with --allowedhosts)"),
  );
  const mistakes: [Record<string, unknown>, string][] = [
    [{ maxUrls: 0 }, "Invalid --maxurls: expected a positive integer or Infinity, got 0"],
    [{ maxDepth: 11 }, "Invalid --maxdepth: expected an integer from 0 to 10, got 11"],
    [{ order: "size" }, 'Invalid --order: expected input, priority, lastmod, got "size"'],
    [{ fetch: 1 }, "Invalid --fetch: expected a function, got number"],
    [{ onWarning: 1 }, "Invalid --onwarning: expected a function, got number"],
    [{ allowedHosts: "cdn" }, "Invalid --allowedhosts: expected a list of hosts, got string"],
  ];
  for (const [options, message] of mistakes) {
    assert.throws(() => sitemapUrls(`${SITE}/s.xml`, { ...options, optionName }), { message });
  }
  assert.throws(
    () => sitemapUrls(`${SITE}/s.xml`, { allowedHosts: ["https://cdn/"], optionName }),
    /^TypeError: Invalid --allowedhosts: expected host names/,
  );
  assert.throws(
    () => sitemapUrls(`${SITE}/s.xml`, { since: "yesterday", optionName }),
    /^TypeError: Invalid --since: expected a Date or a W3C datetime/,
  );
  assert.throws(
    () => sitemapUrls(`${SITE}/s.xml`, { optionName: "flags" as never }),
    { name: "TypeError", message: "Invalid optionName: expected a function, got string" },
  );
});

Deno.test("sitemapUrls: an abort is seen while a tree held in memory is parsed", async () => {
  // Every answer is already in memory, so nothing but the read itself makes the event loop
  // turn; a timer's abort must still stop it early (100 sitemaps of 10,000 URLs take seconds).
  const { fetch, fetched } = tree(1, 100, 10_000);
  const signal = AbortSignal.timeout(50);
  await assert.rejects(
    collect(sitemapUrls(`${SITE}/index.xml`, { fetch, signal, maxUrls: Infinity })),
    (e: Error) => e.name === "TimeoutError",
  );
  assert.ok(fetched.length < 50, `read ${fetched.length} of 102 documents before stopping`);
});

Deno.test("sitemapUrls: an index lists only sitemaps on its own host; others are never fetched", async () => {
  const documents: Record<string, { body: string }> = {};
  const other: Record<string, { body: string }> = {
    "/secret.xml": { body: "<admin-panel>secret</admin-panel>" },
    "/s.xml": { body: urlset([{ loc: `${SITE}/b` }]) },
  };
  await using served = serveDocuments(documents);
  await using elsewhere = serveDocuments(other);
  const port = new URL(elsewhere.origin).port;
  const refusals: [string, string][] = [
    [`${elsewhere.origin}/secret.xml`, elsewhere.origin], // another port
    [
      `http://localhost:${new URL(served.origin).port}/s.xml`,
      "http://localhost:" +
      new URL(served.origin).port,
    ], // another host name for the same server
    ["http://169.254.169.254/latest/meta-data.xml", "http://169.254.169.254"],
    [`https://127.0.0.1:${port}/s.xml`, `https://127.0.0.1:${port}`],
  ];
  for (const [child, origin] of refusals) {
    documents["/index.xml"] = { body: sitemapIndex([`${served.origin}/a.xml`, child]) };
    documents["/a.xml"] = { body: urlset([{ loc: `${SITE}/a` }]) };
    const urls: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const url of sitemapUrls(`${served.origin}/index.xml`)) urls.push(url);
      })(),
      (e: Error) =>
        e instanceof SourceError && e.source === `${served.origin}/index.xml` &&
        e.message === `${served.origin}/index.xml: lists the sitemap ${new URL(child).href}, ` +
            `on another host than the index (${origin}); by the sitemap protocol an index ` +
            "lists only sitemaps on its own host, so it was not fetched (give it as a source " +
            "of its own, or allow its host with allowedHosts)",
    );
    assert.deepEqual(urls, [`${SITE}/a`]);
  }
  assert.deepEqual(elsewhere.requested, [], "nothing was fetched from another host or port");

  // allowedHosts lets a named host in (here the other port).
  documents["/index.xml"] = { body: sitemapIndex([`${elsewhere.origin}/s.xml`]) };
  assert.deepEqual(
    await collect(sitemapUrls(`${served.origin}/index.xml`, {
      allowedHosts: [new URL(elsewhere.origin).host],
    })),
    [`${SITE}/b`],
  );
  assert.throws(
    () => sitemapUrls(`${SITE}/s.xml`, { allowedHosts: ["https://cdn.example.com/"] }),
    /Invalid allowedHosts: expected host names such as cdn\.example\.com .* got "https:/,
  );

  // An index read from a file was chosen by the caller: its sitemaps may be on any host.
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/index.xml`, sitemapIndex([`${elsewhere.origin}/s.xml`]));
    assert.deepEqual(await collect(sitemapUrls(`${dir}/index.xml`)), [`${SITE}/b`]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }

  // The one exception: http: to https: on the same host, default ports.
  const { fetch, fetched } = tree(0, 0, 1);
  const upgrade = (input: string) =>
    input === "http://www.example.com/index.xml"
      ? Promise.resolve(new Response(sitemapIndex([`${SITE}/s.xml`])))
      : fetch(input);
  assert.deepEqual(
    await collect(sitemapUrls("http://www.example.com/index.xml", { fetch: upgrade })),
    [
      `${SITE}/p/s.xml/0`,
    ],
  );
  assert.deepEqual(fetched, ["/s.xml"]);
  const downgrade = () =>
    Promise.resolve(new Response(sitemapIndex(["http://www.example.com/s.xml"])));
  await assert.rejects(
    collect(sitemapUrls(`${SITE}/index.xml`, { fetch: downgrade })),
    /on another host than the index \(http:\/\/www\.example\.com\)/,
  );
});

Deno.test("sitemapUrls: redirects are followed on the sitemap's own host only", async () => {
  const documents: Record<
    string,
    { body: string; status?: number; headers?: Record<string, string> }
  > = {};
  const other: Record<string, { body: string }> = { "/s.xml": { body: "<secret/>" } };
  await using served = serveDocuments(documents);
  await using elsewhere = serveDocuments(other);
  documents["/moved.xml"] = { body: "", status: 301, headers: { location: "/s.xml" } };
  documents["/s.xml"] = { body: urlset([{ loc: `${SITE}/a` }]) };
  documents["/away.xml"] = {
    body: "",
    status: 302,
    headers: { location: `${elsewhere.origin}/s.xml` },
  };
  documents["/index.xml"] = { body: sitemapIndex([`${served.origin}/away.xml`]) };
  documents["/loop.xml"] = { body: "", status: 307, headers: { location: "/loop.xml" } };

  assert.deepEqual(await collect(sitemapUrls(`${served.origin}/moved.xml`)), [`${SITE}/a`]);
  const refused = `the server redirects to another host (${elsewhere.origin}); a sitemap is ` +
    "read only from its own host, so it was not followed (give that URL instead, or allow its " +
    "host with allowedHosts)";
  await assert.rejects(
    collect(sitemapUrls(`${served.origin}/away.xml`)),
    (e: Error) => e.message === `${served.origin}/away.xml: ${refused}`,
  );
  await assert.rejects(
    collect(sitemapUrls(`${served.origin}/index.xml`)),
    (e: Error) => e.message === `${served.origin}/away.xml: ${refused}`,
  );
  assert.deepEqual(elsewhere.requested, [], "the other host was never asked");
  await assert.rejects(
    collect(sitemapUrls(`${served.origin}/loop.xml`)),
    /loop\.xml: more than 5 redirects$/,
  );
  // A fetch that follows redirects itself is judged by where its answer came from.
  const following = async () => {
    const response = await fetch(`${elsewhere.origin}/s.xml`);
    await response.body?.cancel();
    return Object.defineProperty(new Response("<secret/>"), "url", {
      value: `${elsewhere.origin}/s.xml`,
    });
  };
  await assert.rejects(
    collect(sitemapUrls(`${served.origin}/s.xml`, { fetch: following })),
    (e: Error) => e.message === `${served.origin}/s.xml: ${refused}`,
  );
});
