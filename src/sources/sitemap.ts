/**
 * `sitemapUrls()`: the page URLs of sitemaps and sitemap indexes, fetched or read from files,
 * gunzipped and parsed as they stream in.
 * @module
 */
import type { FetchLike } from "../send.ts";
import { reasonOf, SourceError } from "./errors.ts";
import {
  MAX_BYTES_PER_FILE,
  type SitemapItem,
  SitemapReader,
  SitemapSyntaxError,
} from "./sitemap_reader.ts";
import { formatCount } from "../cli/text.ts";
import { parseW3cDatetime } from "./w3c_datetime.ts";

/**
 * The order URLs come out in:
 * - `input`: as the sitemaps list them, streamed as they are read;
 * - `priority`: highest `<priority>` first (absent counts as 0.5, the protocol's default);
 * - `lastmod`: most recently modified first, undated last.
 *
 * Ties keep their input order. `priority` and `lastmod` read every sitemap before the first URL.
 */
export type SitemapOrder = "input" | "priority" | "lastmod";

/** Options of {@linkcode sitemapUrls}. */
export interface SitemapOptions {
  /** The fetch used for `http(s)` sitemaps. @default {globalThis.fetch} */
  fetch?: FetchLike;
  /** Stops reading: the iteration throws the signal's reason. */
  signal?: AbortSignal;
  /**
   * Keep only URLs whose `<lastmod>` is at or after this time: a `Date`, or a W3C datetime
   * such as `2026-11-28` or `2026-11-28T09:30:00+08:00`. URLs without a (valid) `<lastmod>` are
   * left out, since nothing says they changed.
   * @default {undefined} every URL
   */
  since?: Date | string;
  /** The order URLs come out in. @default {"input"} */
  order?: SitemapOrder;
  /**
   * How many levels of sitemap indexes may lead to a sitemap: 1 lets an index list sitemaps,
   * 0 accepts no index at all. Deeper nesting is an error.
   * @default {3}
   */
  maxDepth?: number;
}

/** Where one sitemap is: `href` names it in messages and tells repeats apart. */
interface Location {
  href: string;
  url?: URL;
  path?: string | URL;
}

interface ResolvedSitemapOptions {
  fetch: FetchLike;
  signal?: AbortSignal;
  since?: number;
  order: SitemapOrder;
  maxDepth: number;
}

/** An entry with what ordering needs. */
interface Ranked {
  url: string;
  rank: number;
  index: number;
}

const ORDERS: readonly SitemapOrder[] = ["input", "priority", "lastmod"];
const DEFAULT_PRIORITY = 0.5;
const ACCEPT = "application/xml, text/xml;q=0.9, application/gzip;q=0.8, */*;q=0.1";

/**
 * The page URLs of one or more sitemaps, in the order asked for. Each source is an `http(s)`
 * URL (fetched with `options.fetch`) or, on runtimes with a file system, a file path or
 * `file:` URL.
 *
 * Sitemap indexes are followed (to `maxDepth` levels; a sitemap listed twice is read once, and
 * one that lists itself through its children is an error). Gzipped sitemaps are recognised by
 * their content, whether named `.gz` or sent with `Content-Encoding: gzip`. The protocol's
 * limits hold per file: more than 50,000 entries or 50 MiB uncompressed is an error, never a
 * silent cut. Malformed XML, a document that is not a sitemap, an HTTP error, an unreadable
 * file or a loop ends the iteration with a {@linkcode SourceError} naming the sitemap.
 *
 * In `input` order the URLs stream: each comes out as soon as its `<url>` is read, and no
 * more of the document is held than that element.
 *
 * @param source A sitemap (or index) URL or path, or several, read in turn.
 * @param options Fetch, filter and order; see {@linkcode SitemapOptions}.
 * @returns The `<loc>` of every `<url>`, entities decoded and whitespace trimmed.
 * @throws {TypeError} at once for a malformed source or option.
 * @throws {RangeError} at once for a `maxDepth` out of range.
 *
 * @example
 * ```ts
 * import { sitemapUrls } from "@qcdn/prewarm/sources";
 *
 * for await (const url of sitemapUrls("https://www.example.com/sitemap.xml", { since: "2026-11-01" })) {
 *   console.log(url);
 * }
 * ```
 */
export function sitemapUrls(
  source: string | URL | readonly (string | URL)[],
  options: SitemapOptions = {},
): AsyncIterable<string> {
  const resolved = resolveSitemapOptions(options);
  const list = typeof source === "string" || source instanceof URL ? [source] : source;
  if (!Array.isArray(list) || list.length === 0) {
    throw new TypeError(
      `Invalid sitemap source: expected a URL, a path or a non-empty list of them, got ${
        Array.isArray(list) ? "an empty list" : String(source)
      }`,
    );
  }
  return orderedUrls(list.map(locationOf), resolved);
}

function resolveSitemapOptions(options: SitemapOptions): ResolvedSitemapOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Invalid sitemap options: expected an object, got ${String(options)}`);
  }
  const given = options.fetch;
  if (given !== undefined && typeof given !== "function") {
    throw new TypeError(`Invalid fetch: expected a function, got ${typeof given}`);
  }
  // Workers refuse a global fetch called with another `this`: never call it as a method.
  const fetch: FetchLike = given ?? ((input, init) => globalThis.fetch(input, init));
  const order = options.order ?? "input";
  if (!ORDERS.includes(order)) {
    throw new TypeError(`Invalid order: expected ${ORDERS.join(", ")}, got "${String(order)}"`);
  }
  const maxDepth = options.maxDepth ?? 3;
  if (!Number.isInteger(maxDepth) || maxDepth < 0 || maxDepth > 10) {
    throw new RangeError(`Invalid maxDepth: expected an integer from 0 to 10, got ${maxDepth}`);
  }
  return {
    fetch,
    signal: options.signal,
    since: options.since === undefined ? undefined : sinceMs(options.since),
    order,
    maxDepth,
  };
}

function sinceMs(since: Date | string): number {
  const ms = since instanceof Date
    ? since.getTime()
    : typeof since === "string"
    ? parseW3cDatetime(since)
    : undefined;
  if (ms === undefined || Number.isNaN(ms)) {
    throw new TypeError(
      `Invalid since: expected a Date or a W3C datetime such as 2026-11-28 or ` +
        `2026-11-28T09:30:00+08:00, got ${
          since instanceof Date ? "an invalid Date" : JSON.stringify(String(since))
        }`,
    );
  }
  return ms;
}

/** Where a source given by the caller is. @throws {TypeError} */
function locationOf(source: string | URL): Location {
  if (source instanceof URL) {
    if (source.protocol === "file:") return { href: source.href, path: source };
    if (source.protocol === "http:" || source.protocol === "https:") {
      return { href: source.href, url: source };
    }
    throw new TypeError(`Invalid sitemap source: expected http(s) or file, got ${source.href}`);
  }
  if (typeof source !== "string" || source.trim() === "") {
    throw new TypeError(
      `Invalid sitemap source: expected a URL or a path, got ${JSON.stringify(source)}`,
    );
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
    let url: URL;
    try {
      url = new URL(source);
    } catch {
      throw new TypeError(`Invalid sitemap source: cannot parse the URL "${source}"`);
    }
    return locationOf(url);
  }
  return { href: source, path: source };
}

async function* orderedUrls(
  locations: readonly Location[],
  o: ResolvedSitemapOptions,
): AsyncGenerator<string> {
  const visited = new Set<string>();
  const keep = (item: SitemapItem) =>
    o.since === undefined || (item.lastmod !== undefined && item.lastmod >= o.since);
  if (o.order === "input") {
    for (const location of locations) {
      for await (const item of readTree(location, 0, [], visited, o)) {
        if (!keep(item)) continue;
        // Checked per URL: a chunk can hold thousands, and the consumer may be the one aborting.
        o.signal?.throwIfAborted();
        yield item.loc;
      }
    }
    return;
  }
  const rankOf = o.order === "priority"
    ? (item: SitemapItem) => item.priority ?? DEFAULT_PRIORITY
    : (item: SitemapItem) => item.lastmod ?? -Infinity;
  const ranked: Ranked[] = [];
  for (const location of locations) {
    for await (const item of readTree(location, 0, [], visited, o)) {
      if (keep(item)) ranked.push({ url: item.loc, rank: rankOf(item), index: ranked.length });
    }
  }
  ranked.sort((a, b) => b.rank - a.rank || a.index - b.index);
  for (const entry of ranked) {
    o.signal?.throwIfAborted();
    yield entry.url;
  }
}

/** The `<url>`s of a sitemap, or of every sitemap an index leads to, in document order. */
async function* readTree(
  location: Location,
  depth: number,
  chain: readonly string[],
  visited: Set<string>,
  o: ResolvedSitemapOptions,
): AsyncGenerator<SitemapItem> {
  visited.add(location.href);
  const reader = new SitemapReader();
  const children: string[] = [];
  for await (const item of readDocument(location, reader, o)) {
    if (reader.kind === "urlset") yield item;
    else children.push(item.loc);
  }
  if (reader.kind === "urlset") return;
  if (depth >= o.maxDepth) {
    throw new SourceError(
      location.href,
      `is a sitemap index nested ${depth} level${depth === 1 ? "" : "s"} deep, and maxDepth is ` +
        `${o.maxDepth}`,
    );
  }
  const path = [...chain, location.href];
  for (const loc of children) {
    const child = childLocation(location, loc);
    if (path.includes(child.href)) {
      throw new SourceError(
        location.href,
        `sitemap index loop: it lists ${child.href}, which leads back to itself (${
          [...path.slice(path.indexOf(child.href)), child.href].join(" → ")
        })`,
      );
    }
    if (visited.has(child.href)) continue;
    yield* readTree(child, depth + 1, path, visited, o);
  }
}

/** A sitemap an index lists: only `http(s)` URLs, so no document can make us read a file. */
function childLocation(parent: Location, loc: string): Location {
  let url: URL | undefined;
  try {
    url = new URL(loc);
  } catch {
    // Reported below.
  }
  if (url?.protocol !== "http:" && url?.protocol !== "https:") {
    throw new SourceError(
      parent.href,
      `lists the sitemap "${loc}", which is not an absolute http(s) URL`,
    );
  }
  return { href: url.href, url };
}

/** One document's entries as they are parsed; `reader.kind` tells which kind they are. */
async function* readDocument(
  location: Location,
  reader: SitemapReader,
  o: ResolvedSitemapOptions,
): AsyncGenerator<SitemapItem> {
  const fail = (problem: string, cause?: unknown): never => {
    throw new SourceError(location.href, problem, cause === undefined ? undefined : { cause });
  };
  o.signal?.throwIfAborted();
  let raw: ReadableStream<Uint8Array>;
  try {
    raw = await openStream(location, o);
  } catch (error) {
    if (error instanceof SourceError || o.signal?.aborted) throw error;
    raw = fail(`cannot ${location.url ? "fetch" : "read"} it: ${reasonOf(error)}`, error);
  }
  const { stream, gzip } = await gunzipIfGzipped(raw).catch((error) => {
    if (o.signal?.aborted) throw error;
    return fail(`reading it failed: ${reasonOf(error)}`, error);
  });
  const chunks = stream.getReader();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let bytes = 0;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await chunks.read();
      } catch (error) {
        if (o.signal?.aborted) throw error;
        next = fail(
          `${gzip ? "the gzip data is corrupt or cut short" : "reading it failed"}: ${
            reasonOf(error)
          }`,
          error,
        );
      }
      o.signal?.throwIfAborted();
      if (next.done) break;
      bytes += next.value.length;
      if (bytes > MAX_BYTES_PER_FILE) {
        fail(
          `is larger than ${formatCount(MAX_BYTES_PER_FILE)} bytes (50 MiB) uncompressed; the ` +
            "sitemap protocol allows 50 MiB per file (split it, and list the parts in a " +
            "sitemap index)",
        );
      }
      parse(() => reader.write(decode(decoder, next.value, fail)), fail);
      yield* reader.take();
    }
    parse(() => {
      reader.write(decode(decoder, undefined, fail));
      reader.close();
    }, fail);
    yield* reader.take();
  } finally {
    chunks.cancel().catch(() => {});
  }
}

function parse(step: () => void, fail: (problem: string) => never): void {
  try {
    step();
  } catch (error) {
    if (error instanceof SitemapSyntaxError) fail(error.message);
    throw error;
  }
}

function decode(
  decoder: TextDecoder,
  bytes: Uint8Array | undefined,
  fail: (problem: string) => never,
): string {
  try {
    return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
  } catch {
    return fail("is not UTF-8 text, which the sitemap protocol requires");
  }
}

async function openStream(
  location: Location,
  o: ResolvedSitemapOptions,
): Promise<ReadableStream<Uint8Array>> {
  if (location.path !== undefined) {
    const { fileStream } = await import("./fs/read_file.ts");
    return await fileStream(location.path);
  }
  const { fetch } = o;
  const response = await fetch(location.url!.href, {
    signal: o.signal,
    headers: { accept: ACCEPT },
  });
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new SourceError(
      location.href,
      `the server answered HTTP ${response.status}${
        response.statusText ? ` ${response.statusText}` : ""
      }`,
    );
  }
  return response.body ?? new ReadableStream({ start: (c) => c.close() });
}

/**
 * The stream, gunzipped when it starts with gzip's magic bytes: a `.gz` file, or a body sent
 * with `Content-Encoding: gzip` that the fetch in use did not decode (XML never starts so).
 */
async function gunzipIfGzipped(
  stream: ReadableStream<Uint8Array>,
): Promise<{ stream: ReadableStream<Uint8Array>; gzip: boolean }> {
  const reader = stream.getReader();
  const head: Uint8Array[] = [];
  let length = 0;
  while (length < 2) {
    const { done, value } = await reader.read();
    if (done) break;
    head.push(value);
    length += value.length;
  }
  const byte = (i: number) => head[0]!.length > i ? head[0]![i] : head[1]?.[i - head[0]!.length];
  const gzip = length >= 2 && byte(0) === 0x1f && byte(1) === 0x8b;
  const whole = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of head) controller.enqueue(chunk);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
  if (!gzip) return { stream: whole, gzip };
  return {
    stream: whole.pipeThrough(
      new DecompressionStream("gzip") as unknown as ReadableWritablePair<Uint8Array, Uint8Array>,
    ),
    gzip,
  };
}
