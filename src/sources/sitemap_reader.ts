/**
 * Reads one sitemap document (`<urlset>` or `<sitemapindex>`) as it streams in, with saxes: the
 * entries come out as soon as each one closes, and no more of the document is held than the
 * element being read. Knows the protocol's grammar and per-file limits, nothing of where the
 * text comes from.
 * @module
 */
import { SaxesParser, type SaxesTagNS } from "saxes";
import { formatCount as formatInteger } from "../cli/text.ts";
import { parseW3cDatetime } from "./w3c_datetime.ts";

/** Most `<url>` (or `<sitemap>`) entries one file may hold, by the sitemap protocol. */
export const MAX_ENTRIES_PER_FILE = 50_000;
/** Most bytes one file may hold uncompressed, by the sitemap protocol (50 MiB). */
export const MAX_BYTES_PER_FILE = 52_428_800;
/**
 * Most levels elements may nest, the root counting as one. A sitemap needs 3 (`urlset`, `url`,
 * `loc`) and Google's news extension 5 (`... <news:news><news:publication><news:name>`); the
 * parser's work per element grows with the depth, so a hostile document nested a million deep
 * would take hours. Deeper is an error.
 */
const MAX_ELEMENT_DEPTH = 8;

/**
 * The namespaces a sitemap's own elements may be in, besides the root element's own and none:
 * the sitemap protocol's, its `https:` misspelling, and Google's older schemas (0.84, 0.9).
 */
const SITEMAP_NAMESPACES: readonly string[] = [
  "http://www.sitemaps.org/schemas/sitemap/0.9",
  "https://www.sitemaps.org/schemas/sitemap/0.9",
  "http://www.google.com/schemas/sitemap/0.84",
  "http://www.google.com/schemas/sitemap/0.9",
];

/** One `<url>` of a `<urlset>`, or one `<sitemap>` of a `<sitemapindex>`. */
export interface SitemapItem {
  /** The `<loc>`, entities decoded, surrounding whitespace trimmed. */
  loc: string;
  /** The `<lastmod>` in ms since the epoch; `undefined` when absent or not a W3C datetime. */
  lastmod?: number;
  /** The `<priority>` (0.0–1.0); `undefined` when absent or out of range. */
  priority?: number;
}

/** Which kind of document the root element said this is. */
export type SitemapKind = "urlset" | "sitemapindex";

const ENTRY_OF: Record<SitemapKind, string> = { urlset: "url", sitemapindex: "sitemap" };
const FIELDS = new Set(["loc", "lastmod", "priority"]);
/** XML's white space; a blank line before `<?xml` is common enough to be tolerated. */
const LEADING_SPACE = /^[\uFEFF \t\r\n]+/;
/** How an HTML page starts, lower or upper case: such a document is named as HTML. */
const HTML_START = /^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html)[\s>]/i;
const HEAD_CHARS = 1024;

/** A problem in the document, worded to follow its name. */
export class SitemapSyntaxError extends Error {
  override name = "SitemapSyntaxError";
}

/**
 * A name from the document, safe to show: at most 32 letters, digits and `_.:-`; anything else
 * (markup, control characters, a megabyte of name) is cut at the first character that is not.
 */
function safeName(name: string): string {
  const kept = /^[\p{L}\p{N}_.:-]{0,32}/u.exec(name)![0];
  return kept.length === name.length ? kept : `${kept}…`;
}

/** saxes' message with any name it quotes from the document made safe to show. */
function safeParserMessage(message: string): string {
  const quoted =
    /^(unclosed tag|unmatched closing tag|duplicate attribute|malformed name|unbound namespace prefix): "?(.*?)"?\.?$/s
      .exec(message);
  if (quoted) return `${quoted[1]}: ${safeName(quoted[2]!)}`;
  if (message.startsWith("the default namespace may not be set to")) {
    return "the default namespace may not be set to that URI";
  }
  return message.slice(0, 120).replace(/[^\x20-\x7e]/g, "?");
}

/**
 * Feeds text to saxes and collects the entries it closes. An element counts as the sitemap's
 * own when it is in the root element's namespace, one of {@linkcode SITEMAP_NAMESPACES}, or
 * none, so `<image:loc>` and `<xhtml:link>` are never taken for pages, and a `<url>` in
 * another namespace is an error rather than skipped.
 */
export class SitemapReader {
  readonly #parser = new SaxesParser({ xmlns: true });
  #kind: SitemapKind | undefined;
  #namespaces = new Set<string>();
  #depth = 0;
  #entry: Partial<Record<"loc" | "lastmod" | "priority", string>> | undefined;
  #field: "loc" | "lastmod" | "priority" | undefined;
  #text = "";
  #count = 0;
  #ready: SitemapItem[] = [];
  /** The start of the document, kept until the root element is read, to tell HTML apart. */
  #head: string | undefined = "";

  constructor() {
    this.#parser.on("opentag", (tag) => this.#open(tag as SaxesTagNS));
    this.#parser.on("closetag", () => this.#close());
    this.#parser.on("text", (text) => this.#collect(text));
    this.#parser.on("cdata", (text) => this.#collect(text));
  }

  /** The root element's kind, once it has been read. */
  get kind(): SitemapKind | undefined {
    return this.#kind;
  }

  /** How many entries (`<url>` or `<sitemap>`) the document held so far. */
  get entries(): number {
    return this.#count;
  }

  /** Parses more of the document. @throws {SitemapSyntaxError} */
  write(text: string): void {
    if (this.#head === "") {
      // Nothing but white space so far: a blank line before `<?xml` is dropped.
      text = text.replace(LEADING_SPACE, "");
      if (text === "") return;
    }
    if (this.#head !== undefined && this.#head.length < HEAD_CHARS) {
      this.#head += text.slice(0, HEAD_CHARS - this.#head.length);
    }
    this.#guard(() => this.#parser.write(text));
  }

  /** Ends the document: it must be complete. @throws {SitemapSyntaxError} */
  close(): void {
    this.#guard(() => this.#parser.close());
    if (this.#kind === undefined) throw new SitemapSyntaxError("the document is empty");
  }

  /** The entries closed since the last call, in document order. */
  take(): SitemapItem[] {
    const ready = this.#ready;
    this.#ready = [];
    return ready;
  }

  #guard(parse: () => void): void {
    try {
      parse();
    } catch (error) {
      if (error instanceof SitemapSyntaxError) throw error;
      // Before the root element, a page that does not parse as XML is most likely HTML.
      if (this.#head !== undefined && HTML_START.test(this.#head)) throw notASitemap("html");
      // saxes words its errors "line:column: message."
      const message = error instanceof Error ? error.message : String(error);
      const at = /^(\d+):(\d+): (.*?)\.?$/s.exec(message);
      throw new SitemapSyntaxError(
        at
          ? `malformed XML at line ${at[1]}, column ${at[2]}: ${safeParserMessage(at[3]!)}`
          : `malformed XML: ${safeParserMessage(message)}`,
      );
    }
  }

  #open(tag: SaxesTagNS): void {
    const depth = this.#depth++;
    if (depth >= MAX_ELEMENT_DEPTH) {
      throw new SitemapSyntaxError(
        `elements nest more than ${MAX_ELEMENT_DEPTH} levels deep at line ${this.#parser.line}; ` +
          "a sitemap needs no more than 5",
      );
    }
    if (depth === 0) {
      this.#head = undefined;
      if (tag.local !== "urlset" && tag.local !== "sitemapindex") throw notASitemap(tag.name);
      this.#kind = tag.local;
      this.#namespaces = new Set([...SITEMAP_NAMESPACES, tag.uri, ""]);
      return;
    }
    const mine = this.#namespaces.has(tag.uri);
    const entryName = ENTRY_OF[this.#kind!];
    if (depth === 1 && tag.local === entryName && !mine) {
      throw new SitemapSyntaxError(
        `the <${safeName(tag.name)}> at line ${this.#parser.line} is in a namespace that is not ` +
          `a sitemap's, so its URL cannot be read (use ${SITEMAP_NAMESPACES[0]}, or none)`,
      );
    }
    if (depth === 1 && mine && tag.local === entryName) {
      if (++this.#count > MAX_ENTRIES_PER_FILE) {
        throw new SitemapSyntaxError(
          `more than ${formatInteger(MAX_ENTRIES_PER_FILE)} <${tag.local}> entries; the ` +
            `sitemap protocol allows ${formatInteger(MAX_ENTRIES_PER_FILE)} per file ` +
            "(split it, and list the parts in a sitemap index)",
        );
      }
      this.#entry = {};
    } else if (depth === 2 && mine && this.#entry && FIELDS.has(tag.local)) {
      this.#field = tag.local as "loc";
      this.#text = "";
    }
  }

  #collect(text: string): void {
    if (this.#field !== undefined && this.#depth === 3) this.#text += text;
  }

  #close(): void {
    const depth = --this.#depth;
    if (depth === 2 && this.#field !== undefined) {
      this.#entry![this.#field] = this.#text.trim();
      this.#field = undefined;
      this.#text = "";
    } else if (depth === 1 && this.#entry !== undefined) {
      const { loc, lastmod, priority } = this.#entry;
      this.#entry = undefined;
      if (!loc) {
        throw new SitemapSyntaxError(
          `a <${ENTRY_OF[this.#kind!]}> without a <loc> ends at line ${this.#parser.line}`,
        );
      }
      const item: SitemapItem = { loc };
      const when = lastmod ? parseW3cDatetime(lastmod) : undefined;
      if (when !== undefined) item.lastmod = when;
      const rank = priority ? Number(priority) : NaN;
      if (rank >= 0 && rank <= 1) item.priority = rank;
      this.#ready.push(item);
    }
  }
}

/** The error for a document whose root is not a sitemap's; only a safe form of its name shows. */
function notASitemap(root: string): SitemapSyntaxError {
  return new SitemapSyntaxError(
    `not a sitemap: the root element is <${safeName(root)}>, not <urlset> or <sitemapindex>`,
  );
}
