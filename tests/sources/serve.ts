/**
 * Serves fixed documents on 127.0.0.1 for the sources' tests, and builds the sitemaps they read.
 * @module
 */

/** One document the server answers with. */
export interface Served {
  /** The body. */
  body: string | Uint8Array;
  /** Response headers. */
  headers?: Record<string, string>;
  /** The status. @default {200} */
  status?: number;
}

/** A server of documents by path, on a free port of 127.0.0.1, until disposed. */
export interface DocumentServer extends AsyncDisposable {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  origin: string;
  /** Paths requested, in order. */
  requested: string[];
}

/** Starts the server; a path it does not know is answered 404. */
export function serveDocuments(documents: Record<string, Served>): DocumentServer {
  const requested: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const path = new URL(request.url).pathname;
    requested.push(path);
    const doc = documents[path];
    if (!doc) return new Response("no such page", { status: 404, statusText: "Not Found" });
    return new Response(doc.body as BodyInit, {
      status: doc.status ?? 200,
      headers: doc.headers,
    });
  });
  return {
    origin: `http://127.0.0.1:${server.addr.port}`,
    requested,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

/** The text, gzipped. */
export async function gzip(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** An entry of {@linkcode urlset}. */
export interface Entry {
  loc: string;
  lastmod?: string;
  priority?: string;
}

const NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"';

/** A `<urlset>` of the entries (locs written as given: escape them yourself). */
export function urlset(entries: readonly Entry[]): string {
  const body = entries.map((e) =>
    `<url><loc>${e.loc}</loc>${e.lastmod ? `<lastmod>${e.lastmod}</lastmod>` : ""}${
      e.priority ? `<priority>${e.priority}</priority>` : ""
    }</url>`
  ).join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset ${NS}>\n${body}\n</urlset>\n`;
}

/** A `<sitemapindex>` of the locations. */
export function sitemapIndex(locs: readonly string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex ${NS}>\n${
    locs.map((loc) => `  <sitemap><loc>${loc}</loc><lastmod>2026-11-01</lastmod></sitemap>`)
      .join("\n")
  }\n</sitemapindex>\n`;
}

/** Every item of an async iterable. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
