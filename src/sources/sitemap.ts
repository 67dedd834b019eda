/**
 * `sitemapUrls()`: the page URLs of sitemaps and sitemap indexes, fetched or read from files,
 * gunzipped and parsed as they stream in.
 * @module
 */
import type { FetchLike } from "../transport/send.ts";
import {
  reasonOf,
  type SitemapLimit,
  SourceError,
  type SourceWarning,
  sourceWarning,
  type WarningHandler,
  warningHandler,
} from "./errors.ts";
import {
  MAX_BYTES_PER_FILE,
  type SitemapItem,
  SitemapReader,
  SitemapSyntaxError,
} from "./sitemap_reader.ts";
import { formatCount, plural } from "../cli/text.ts";
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
  /**
   * Most sitemap files (indexes included) one call reads, over every source and index it
   * leads to. The protocol limits each file, not a tree of them: this bounds the tree.
   * @default {5000}
   */
  maxSitemaps?: number;
  /**
   * Most page URLs one call reads over all its sitemaps, counted before `since` leaves any
   * out. `order: "priority"` and `"lastmod"` hold them all (about 400 bytes each), so this
   * bounds the memory too.
   * @default {500000}
   */
  maxUrls?: number;
  /**
   * Most bytes one call reads over all its sitemaps, uncompressed (each file is also held
   * to the protocol's 50 MiB).
   * @default {536870912} (512 MiB)
   */
  maxBytes?: number;
  /**
   * Hosts (`cdn.example.com`, or `host:port`) that an index may list sitemaps on, and that
   * a sitemap may redirect to, besides its own. By the sitemap protocol an index lists only
   * sitemaps on its own host; anything else is refused before it is fetched.
   * @default {[]}
   */
  allowedHosts?: readonly string[];
  /**
   * Told of what the read went on without: a sitemap that lists no URLs. Never called for
   * errors, which end the iteration.
   * @default {undefined} `console.warn`
   */
  onWarning?: (warning: SourceWarning) => void;
  /**
   * How errors name an option, for a caller that sets the options under names of its own: a
   * command line that reads `maxUrls` from `--sitemap-max-urls` says so, and its users read
   * `raise --sitemap-max-urls to read more`. A sitemap's URL is never rewritten.
   * @default {(option) => option}
   */
  optionName?: (option: keyof SitemapOptions) => string;
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
  maxSitemaps: number;
  maxUrls: number;
  maxBytes: number;
  allowedHosts: ReadonlySet<string>;
  onWarning: WarningHandler;
  /** The caller's name of an option, for messages. */
  name: (option: keyof SitemapOptions) => string;
}

/** What one call has read so far, against its limits. */
interface ReadState {
  visited: Set<string>;
  sitemaps: number;
  urls: number;
  bytes: number;
  /** Bytes parsed since the event loop last had a turn. */
  sincePause: number;
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
/** The defaults of the per-call limits. */
const LIMITS: Readonly<Record<SitemapLimit, number>> = {
  maxSitemaps: 5_000,
  maxUrls: 500_000,
  maxBytes: 536_870_912,
};
/** Most redirects one sitemap may take, each checked to stay on the sitemap's host. */
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/**
 * Parsing is synchronous: text that is already in memory (a fetch that buffers, a custom one)
 * would be parsed to the end without the event loop ever running a timer or a signal handler.
 * Every this many bytes, the read gives it a turn, so that an abort or Ctrl-C is seen.
 */
const PAUSE_EVERY_BYTES = 1 << 20;
/**
 * The words of the statuses a sitemap server commonly answers: the server's own reason phrase
 * is never repeated (it is content of a document that was refused).
 */
const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  408: "Request Timeout",
  410: "Gone",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/**
 * The page URLs of one or more sitemaps, in the order asked for. Each source is an `http(s)`
 * URL (fetched with `options.fetch`) or, on runtimes with a file system, a file path or
 * `file:` URL.
 *
 * Sitemap indexes are followed (to `maxDepth` levels; a sitemap listed twice is read once, and
 * one that lists itself through its children is an error), but only to sitemaps on the index's
 * own host (or `allowedHosts`), and redirects only on the sitemap's own host: a document never
 * makes this read fetch anything elsewhere. Gzipped sitemaps are recognised by their content,
 * whether named `.gz` or sent with `Content-Encoding: gzip`. The protocol's limits hold per
 * file (more than 50,000 entries or 50 MiB uncompressed is an error, never a silent cut), and
 * `maxSitemaps`, `maxUrls` and `maxBytes` bound the whole call. Malformed XML, a document that
 * is not a sitemap, an HTTP error, an unreadable file, a loop or a limit ends the iteration
 * with a {@linkcode SourceError} naming the sitemap.
 *
 * In `input` order the URLs stream: each comes out as soon as its `<url>` is read, and no
 * more of the document is held than that element.
 *
 * @param source A sitemap (or index) URL or path, or several, read in turn.
 * @param options Fetch, filter, order and limits; see {@linkcode SitemapOptions}.
 * @returns The `<loc>` of every `<url>`, entities decoded and whitespace trimmed.
 * @throws {TypeError} at once for a malformed source or option.
 * @throws {RangeError} at once for a `maxDepth` or limit out of range.
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
  const name = options.optionName ?? ((option) => option);
  if (typeof name !== "function") {
    throw new TypeError(`Invalid optionName: expected a function, got ${typeof name}`);
  }
  const given = options.fetch;
  if (given !== undefined && typeof given !== "function") {
    throw new TypeError(`Invalid ${name("fetch")}: expected a function, got ${typeof given}`);
  }
  // Workers refuse a global fetch called with another `this`: never call it as a method.
  const fetch: FetchLike = given ?? ((input, init) => globalThis.fetch(input, init));
  const order = options.order ?? "input";
  if (!ORDERS.includes(order)) {
    throw new TypeError(
      `Invalid ${name("order")}: expected ${ORDERS.join(", ")}, got "${String(order)}"`,
    );
  }
  const maxDepth = options.maxDepth ?? 3;
  if (!Number.isInteger(maxDepth) || maxDepth < 0 || maxDepth > 10) {
    throw new RangeError(
      `Invalid ${name("maxDepth")}: expected an integer from 0 to 10, got ${maxDepth}`,
    );
  }
  const limit = (option: SitemapLimit): number => {
    const value = options[option] ?? LIMITS[option];
    if (value !== Infinity && (!Number.isSafeInteger(value) || value < 1)) {
      throw new RangeError(
        `Invalid ${name(option)}: expected a positive integer or Infinity, got ${String(value)}`,
      );
    }
    return value;
  };
  return {
    fetch,
    signal: options.signal,
    since: options.since === undefined ? undefined : sinceMs(options.since, name("since")),
    order,
    maxDepth,
    maxSitemaps: limit("maxSitemaps"),
    maxUrls: limit("maxUrls"),
    maxBytes: limit("maxBytes"),
    allowedHosts: allowedHostSet(options.allowedHosts, name("allowedHosts")),
    onWarning: warningHandler(options.onWarning, name("onWarning")),
    name,
  };
}

/**
 * `allowedHosts` (called `name` by the caller) as the `URL.host` form each one matches.
 * @throws {TypeError}
 */
function allowedHostSet(
  hosts: readonly string[] | undefined,
  name: string,
): ReadonlySet<string> {
  if (hosts === undefined) return new Set();
  if (!Array.isArray(hosts)) {
    throw new TypeError(`Invalid ${name}: expected a list of hosts, got ${typeof hosts}`);
  }
  return new Set(hosts.map((host) => {
    let url: URL | undefined;
    try {
      url = typeof host === "string" ? new URL(`http://${host}`) : undefined;
    } catch {
      // Reported below.
    }
    if (!url || url.host !== String(host).toLowerCase() || url.username || host === "") {
      throw new TypeError(
        `Invalid ${name}: expected host names such as cdn.example.com or ` +
          `cdn.example.com:8443, got ${JSON.stringify(host)}`,
      );
    }
    return url.host;
  }));
}

function sinceMs(since: Date | string, name: string): number {
  const ms = since instanceof Date
    ? since.getTime()
    : typeof since === "string"
    ? parseW3cDatetime(since)
    : undefined;
  if (ms === undefined || Number.isNaN(ms)) {
    throw new TypeError(
      `Invalid ${name}: expected a Date or a W3C datetime such as 2026-11-28 or ` +
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
  const state: ReadState = { visited: new Set(), sitemaps: 0, urls: 0, bytes: 0, sincePause: 0 };
  const keep = (item: SitemapItem) =>
    o.since === undefined || (item.lastmod !== undefined && item.lastmod >= o.since);
  if (o.order === "input") {
    for (const location of locations) {
      if (state.visited.has(location.href)) continue;
      for await (const item of readTree(location, undefined, 0, [], state, o)) {
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
    if (state.visited.has(location.href)) continue;
    for await (const item of readTree(location, undefined, 0, [], state, o)) {
      if (keep(item)) ranked.push({ url: item.loc, rank: rankOf(item), index: ranked.length });
    }
  }
  ranked.sort((a, b) => b.rank - a.rank || a.index - b.index);
  for (const entry of ranked) {
    o.signal?.throwIfAborted();
    yield entry.url;
  }
}

/**
 * The error for a read past one of its limits, naming the option that changes it as the caller
 * calls it; `problem` is told that name.
 */
function limitError(
  source: string,
  limit: SitemapLimit,
  o: ResolvedSitemapOptions,
  problem: (option: string) => string,
): SourceError {
  const option = o.name(limit);
  return new SourceError(source, `${problem(option)}; raise ${option} to read more`, { limit });
}

/**
 * The `<url>`s of a sitemap, or of every sitemap an index leads to, in document order.
 * `listedBy` is the index that lists it, if any.
 */
async function* readTree(
  location: Location,
  listedBy: Location | undefined,
  depth: number,
  chain: readonly string[],
  state: ReadState,
  o: ResolvedSitemapOptions,
): AsyncGenerator<SitemapItem> {
  if (state.sitemaps >= o.maxSitemaps) {
    throw limitError(
      listedBy?.href ?? location.href,
      "maxSitemaps",
      o,
      (option) =>
        `${listedBy ? `lists ${location.href}, which would be` : "is"} sitemap number ${
          formatCount(state.sitemaps + 1)
        } of this read, and the limit (${option}) is ${formatCount(o.maxSitemaps)}`,
    );
  }
  state.sitemaps++;
  state.visited.add(location.href);
  const reader = new SitemapReader();
  const children: string[] = [];
  for await (const item of readDocument(location, reader, state, o)) {
    if (reader.kind === "sitemapindex") {
      children.push(item.loc);
      continue;
    }
    if (++state.urls > o.maxUrls) {
      throw limitError(
        location.href,
        "maxUrls",
        o,
        (option) => `takes this read past ${plural(o.maxUrls, "URL")}, its limit (${option})`,
      );
    }
    yield item;
  }
  if (reader.entries === 0) {
    o.onWarning(sourceWarning(
      "empty-sitemap",
      location.href,
      reader.kind === "urlset"
        ? "the sitemap lists no URLs (an empty <urlset>)"
        : "the sitemap index lists no sitemaps (an empty <sitemapindex>)",
    ));
  }
  if (reader.kind === "urlset") return;
  if (depth >= o.maxDepth) {
    throw new SourceError(
      location.href,
      `is a sitemap index nested ${depth} level${depth === 1 ? "" : "s"} deep, and ` +
        `${o.name("maxDepth")} is ${o.maxDepth}`,
    );
  }
  const path = [...chain, location.href];
  for (const loc of children) {
    const child = childLocation(location, loc, o);
    if (path.includes(child.href)) {
      throw new SourceError(
        location.href,
        `sitemap index loop: it lists ${child.href}, which leads back to itself (${
          [...path.slice(path.indexOf(child.href)), child.href].join(" → ")
        })`,
      );
    }
    if (state.visited.has(child.href)) continue;
    yield* readTree(child, location, depth + 1, path, state, o);
  }
}

/**
 * Whether a sitemap at `from` may lead to `to` (list it, or redirect there): the same host
 * and port and scheme, or the upgrade from `http:` to `https:` on the same host with default
 * ports; or a host of `allowedHosts`.
 */
function mayLeadTo(from: URL, to: URL, o: ResolvedSitemapOptions): boolean {
  if (to.protocol !== "http:" && to.protocol !== "https:") return false;
  if (o.allowedHosts.has(to.host)) return true;
  if (to.hostname !== from.hostname) return false;
  if (to.protocol === from.protocol) return to.port === from.port;
  return from.protocol === "http:" && from.port === "" && to.port === "";
}

/**
 * A sitemap an index lists: only `http(s)` URLs, so no document can make us read a file, and
 * (for an index that was fetched) only on the index's own host, checked before any request.
 * An index read from a file was chosen by the caller: its sitemaps may be on any host.
 */
function childLocation(parent: Location, loc: string, o: ResolvedSitemapOptions): Location {
  let url: URL | undefined;
  try {
    url = new URL(loc);
  } catch {
    // Reported below.
  }
  if (url?.protocol !== "http:" && url?.protocol !== "https:") {
    throw new SourceError(
      parent.href,
      `lists the sitemap "${clip(loc)}", which is not an absolute http(s) URL`,
    );
  }
  if (parent.url && !mayLeadTo(parent.url, url, o)) {
    throw new SourceError(
      parent.href,
      `lists the sitemap ${clip(url.href)}, on another host than the index (${url.origin}); ` +
        "by the sitemap protocol an index lists only sitemaps on its own host, so it was not " +
        `fetched (give it as a source of its own, or allow its host with ${
          o.name("allowedHosts")
        })`,
    );
  }
  return { href: url.href, url };
}

/** Text from a document, cut short enough for a message. */
function clip(text: string): string {
  return text.length <= 200 ? text : `${text.slice(0, 200)}…`;
}

/** Lets the event loop run timers and signal handlers (a macrotask, not a microtask). */
function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** One document's entries as they are parsed; `reader.kind` tells which kind they are. */
async function* readDocument(
  location: Location,
  reader: SitemapReader,
  state: ReadState,
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
      const length = next.value.length;
      bytes += length;
      state.bytes += length;
      if (bytes > MAX_BYTES_PER_FILE) {
        fail(
          `is larger than ${formatCount(MAX_BYTES_PER_FILE)} bytes (50 MiB) uncompressed; the ` +
            "sitemap protocol allows 50 MiB per file (split it, and list the parts in a " +
            "sitemap index)",
        );
      }
      if (state.bytes > o.maxBytes) {
        throw limitError(
          location.href,
          "maxBytes",
          o,
          (option) =>
            `takes this read past ${formatCount(o.maxBytes)} bytes uncompressed, its limit ` +
            `(${option})`,
        );
      }
      parse(() => reader.write(decode(decoder, next.value, fail)), fail);
      yield* reader.take();
      state.sincePause += length;
      if (state.sincePause >= PAUSE_EVERY_BYTES) {
        state.sincePause = 0;
        await pause();
        o.signal?.throwIfAborted();
      }
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
  const response = await fetchOnOwnHost(location, o);
  return response.body ?? new ReadableStream({ start: (c) => c.close() });
}

/**
 * Fetches a sitemap, following redirects by hand (`redirect: "manual"`), each only on the
 * sitemap's own host (see {@linkcode mayLeadTo}): a redirect elsewhere is refused before it is
 * followed. A fetch that follows redirects itself is checked by where its answer came from.
 * @throws {SourceError} for a refused redirect or an HTTP error.
 */
async function fetchOnOwnHost(location: Location, o: ResolvedSitemapOptions): Promise<Response> {
  const fail = (problem: string): never => {
    throw new SourceError(location.href, problem);
  };
  const refused = (to: URL): never =>
    fail(
      `the server redirects to another host (${to.origin}); a sitemap is read only from its ` +
        "own host, so it was not followed (give that URL instead, or allow its host with " +
        `${o.name("allowedHosts")})`,
    );
  let url = location.url!;
  for (let redirects = 0;; redirects++) {
    const response = await o.fetch(url.href, {
      signal: o.signal,
      headers: { accept: ACCEPT },
      redirect: "manual",
    });
    const drop = () => response.body?.cancel().catch(() => {});
    let answeredFrom: URL | undefined;
    try {
      answeredFrom = response.url ? new URL(response.url) : undefined;
    } catch {
      // A fetch that reports no usable URL followed nothing.
    }
    if (answeredFrom && answeredFrom.href !== url.href && !mayLeadTo(url, answeredFrom, o)) {
      await drop();
      refused(answeredFrom);
    }
    if (response.type === "opaqueredirect") {
      fail(
        "the server redirects, and this runtime's fetch does not tell where to, so it was not " +
          "followed (give the URL it redirects to)",
      );
    }
    if (!REDIRECTS.has(response.status)) {
      if (!response.ok) {
        await drop();
        fail(
          `the server answered HTTP ${response.status}${
            STATUS_TEXT[response.status] ? ` ${STATUS_TEXT[response.status]}` : ""
          }`,
        );
      }
      return response;
    }
    await drop();
    const target = response.headers.get("location");
    let next: URL | undefined;
    try {
      next = target === null ? undefined : new URL(target, url);
    } catch {
      // Reported below.
    }
    if (!next) {
      return fail(
        `the server answered HTTP ${response.status} (a redirect) without a usable Location`,
      );
    }
    if (!mayLeadTo(url, next, o)) refused(next);
    if (redirects >= MAX_REDIRECTS) fail(`more than ${MAX_REDIRECTS} redirects`);
    url = next;
  }
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
