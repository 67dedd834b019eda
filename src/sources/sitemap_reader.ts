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

/** A problem in the document, worded to follow its name. */
export class SitemapSyntaxError extends Error {
  override name = "SitemapSyntaxError";
}

/**
 * Feeds text to saxes and collects the entries it closes. The fields of an entry count only in
 * the root element's namespace, so `<image:loc>` and `<xhtml:link>` are never taken for pages.
 */
export class SitemapReader {
  readonly #parser = new SaxesParser({ xmlns: true });
  #kind: SitemapKind | undefined;
  #namespace = "";
  #depth = 0;
  #entry: Partial<Record<"loc" | "lastmod" | "priority", string>> | undefined;
  #field: "loc" | "lastmod" | "priority" | undefined;
  #text = "";
  #count = 0;
  #ready: SitemapItem[] = [];

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

  /** Parses more of the document. @throws {SitemapSyntaxError} */
  write(text: string): void {
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
      // saxes words its errors "line:column: message."
      const message = error instanceof Error ? error.message : String(error);
      const at = /^(\d+):(\d+): (.*?)\.?$/s.exec(message);
      throw new SitemapSyntaxError(
        at
          ? `malformed XML at line ${at[1]}, column ${at[2]}: ${at[3]}`
          : `malformed XML: ${message}`,
      );
    }
  }

  #open(tag: SaxesTagNS): void {
    const depth = this.#depth++;
    if (depth === 0) {
      if (tag.local !== "urlset" && tag.local !== "sitemapindex") {
        throw new SitemapSyntaxError(
          `not a sitemap: the root element is <${tag.name}>, not <urlset> or <sitemapindex>`,
        );
      }
      this.#kind = tag.local;
      this.#namespace = tag.uri;
      return;
    }
    const mine = tag.uri === this.#namespace;
    if (depth === 1 && mine && tag.local === ENTRY_OF[this.#kind!]) {
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
