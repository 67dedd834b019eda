/**
 * What the CDN's own cache headers say about one answer: every value of Tencent CDN's
 * `X-Cache-Lookup` and EdgeOne's `EO-Cache-Status` this module knows, each with its meaning and
 * where that meaning comes from, in one table ({@linkcode CACHE_HEADER_VALUES}); and the one rule
 * that turns the values an answer carries into a state ({@linkcode classifyCacheHeaders}).
 * docs/verify.md lists the same rows (a test keeps the two equal).
 * @module
 */

/** What an answer's cache headers say: served from the edge's cache, not, or never cached. */
export type CacheVerdict = "hit" | "miss" | "bypass";

/** The cache headers read, lower case as `Headers` gives them. */
export type CacheHeaderName = "x-cache-lookup" | "eo-cache-status";

/** One known value of a cache header. */
export interface CacheHeaderValue {
  /** The header, lower case. */
  header: CacheHeaderName;
  /** The value as its source writes it (compared without regard to case). */
  value: string;
  /** What it says. */
  verdict: CacheVerdict;
  /** What it means, in a sentence. */
  meaning: string;
  /** Where the meaning comes from: a page address. */
  source: string;
  /**
   * `true` when the vendor documents the value for this header; `false` when the module
   * classifies a value the vendor does not document (seen in the field, or another CDN's
   * vocabulary), so that a person reading a result knows how firm it is.
   */
  documented: boolean;
}

/** Tencent CDN's FAQ: "How do I tell whether a user access request has hit the CDN cache?" */
const TENCENT_FAQ = "https://www.tencentcloud.com/document/product/228/11207";
/** A Tencent CDN user's captures of `X-Cache-Lookup` on a first and a later request. */
const TENCENT_CAPTURES = "https://kanchuan.com/blog/186-cdn-x-cache-lookup";
/** EdgeOne's "Default HTTP Response Headers" (`EO-Cache-Status`). */
const EDGEONE_HEADERS = "https://www.tencentcloud.com/document/product/1145/54212";
/** Cloudflare's cache statuses: the vocabulary of the values EdgeOne does not document. */
const CLOUDFLARE_STATUSES = "https://developers.cloudflare.com/cache/concepts/cache-responses";

/**
 * Every cache-header value the module classifies. Tencent's rule for `X-Cache-Lookup` is that
 * `Cache Hit`, `Hit From MemCache` and `Hit From Disktank` are hits and anything else is not,
 * with several such headers on one answer being normal; EdgeOne documents `HIT`, `MISS` and
 * `RefreshHit` for `EO-Cache-Status`.
 */
export const CACHE_HEADER_VALUES: readonly CacheHeaderValue[] = [
  {
    header: "x-cache-lookup",
    value: "Hit From MemCache",
    verdict: "hit",
    meaning: "the edge node answered from its memory",
    source: TENCENT_FAQ,
    documented: true,
  },
  {
    header: "x-cache-lookup",
    value: "Hit From Disktank",
    verdict: "hit",
    meaning: "the edge node answered from its disk",
    source: TENCENT_FAQ,
    documented: true,
  },
  {
    header: "x-cache-lookup",
    value: "Cache Hit",
    verdict: "hit",
    meaning: "the edge node answered from its cache",
    source: TENCENT_FAQ,
    documented: true,
  },
  {
    header: "x-cache-lookup",
    value: "Cache Miss",
    verdict: "miss",
    meaning: "the edge node did not have it and pulled it (seen on a first request); not one of " +
      "the three hit values, so not a hit",
    source: TENCENT_CAPTURES,
    documented: false,
  },
  {
    header: "x-cache-lookup",
    value: "Hit From Inner Cluster",
    verdict: "miss",
    meaning: "seen beside Cache Miss and beside Cache Hit, so it decides nothing by itself; not " +
      "one of the three hit values, so alone it is not a hit",
    source: TENCENT_CAPTURES,
    documented: false,
  },
  {
    header: "x-cache-lookup",
    value: "Hit From Upstream",
    verdict: "miss",
    meaning: "not one of the three hit values Tencent lists, so not a hit (Huawei Cloud's CDN " +
      "counts it as a hit on its own network; this module follows Tencent's list)",
    source: TENCENT_FAQ,
    documented: false,
  },
  {
    header: "eo-cache-status",
    value: "HIT",
    verdict: "hit",
    meaning: "the EdgeOne node had it cached, unexpired, and answered from its cache",
    source: EDGEONE_HEADERS,
    documented: true,
  },
  {
    header: "eo-cache-status",
    value: "MISS",
    verdict: "miss",
    meaning: "the EdgeOne node did not have it, or had it expired and the origin sent a new " +
      "copy: it pulled from the origin",
    source: EDGEONE_HEADERS,
    documented: true,
  },
  {
    header: "eo-cache-status",
    value: "RefreshHit",
    verdict: "hit",
    meaning: "the EdgeOne node had it expired, the origin answered 304 Not Modified, and the " +
      "node answered from its cache",
    source: EDGEONE_HEADERS,
    documented: true,
  },
  {
    header: "eo-cache-status",
    value: "EXPIRED",
    verdict: "miss",
    meaning: "not documented by EdgeOne; in the common vocabulary: cached but expired, pulled " +
      "again from the origin",
    source: CLOUDFLARE_STATUSES,
    documented: false,
  },
  {
    header: "eo-cache-status",
    value: "STALE",
    verdict: "hit",
    meaning: "not documented by EdgeOne; in the common vocabulary: served expired from the " +
      "cache because the origin could not be reached",
    source: CLOUDFLARE_STATUSES,
    documented: false,
  },
  {
    header: "eo-cache-status",
    value: "UPDATING",
    verdict: "hit",
    meaning: "not documented by EdgeOne; in the common vocabulary: served expired from the " +
      "cache while the origin is asked for a new copy",
    source: CLOUDFLARE_STATUSES,
    documented: false,
  },
  {
    header: "eo-cache-status",
    value: "REVALIDATED",
    verdict: "hit",
    meaning: "not documented by EdgeOne; in the common vocabulary: expired, confirmed unchanged " +
      "by the origin, served from the cache",
    source: CLOUDFLARE_STATUSES,
    documented: false,
  },
  {
    header: "eo-cache-status",
    value: "BYPASS",
    verdict: "bypass",
    meaning: "not documented by EdgeOne; in the common vocabulary: the cache was skipped for " +
      "this answer (a rule or the origin's Cache-Control says not to cache it)",
    source: CLOUDFLARE_STATUSES,
    documented: false,
  },
  {
    header: "eo-cache-status",
    value: "DYNAMIC",
    verdict: "bypass",
    meaning: "not documented by EdgeOne; in the common vocabulary: not eligible for caching, " +
      "passed to the origin",
    source: CLOUDFLARE_STATUSES,
    documented: false,
  },
];

/**
 * What a header says of a value its table does not list: Tencent says every `X-Cache-Lookup`
 * value but its three hits is not a hit; EdgeOne says nothing of other values, so they decide
 * nothing.
 */
const UNLISTED: Readonly<Record<CacheHeaderName, CacheVerdict | undefined>> = {
  "x-cache-lookup": "miss",
  "eo-cache-status": undefined,
};

/** The headers in the order they are read and shown. */
export const CACHE_HEADERS: readonly CacheHeaderName[] = ["x-cache-lookup", "eo-cache-status"];

const BY_VALUE = new Map(CACHE_HEADER_VALUES.map((row) => [key(row.header, row.value), row]));

function key(header: CacheHeaderName, value: string): string {
  return `${header}\n${value.toLowerCase()}`;
}

/** One value of a cache header as an answer carried it, and what the table says of it. */
export interface SeenValue {
  /** The header. */
  header: CacheHeaderName;
  /** The value, trimmed. */
  value: string;
  /** The table's row for it; `undefined` for a value the table does not list. */
  known?: CacheHeaderValue;
}

/**
 * Looks one value up. Public captures of Tencent's answers spell the disk hit with a number
 * (`Hit From Disktank3`): a documented value followed by digits is that value.
 */
function lookUpValue(header: CacheHeaderName, value: string): SeenValue {
  const trimmed = value.trim();
  const known = BY_VALUE.get(key(header, trimmed)) ??
    BY_VALUE.get(key(header, trimmed.replace(/\d+$/, "")));
  return known ? { header, value: trimmed, known } : { header, value: trimmed };
}

/** The verdict of an answer's cache headers, and the value that decided it. */
export interface CacheReading {
  /**
   * `hit`, `miss` or `bypass`; `undefined` when the answer carries no cache header (the host
   * may not be on the CDN from here) or only values nothing is known of.
   */
  verdict?: CacheVerdict;
  /** The value that decided, as `Header: value` (`X-Cache-Lookup: Cache Hit`). */
  decidedBy?: string;
  /** Every value the answer carried, in header order, then in the order given. */
  values: SeenValue[];
}

/** How a header is written for people. */
const HEADER_TITLES: Readonly<Record<CacheHeaderName, string>> = {
  "x-cache-lookup": "X-Cache-Lookup",
  "eo-cache-status": "EO-Cache-Status",
};

/** Which verdict wins when the values of one answer disagree: a cache answered if any says so. */
const PRECEDENCE: readonly CacheVerdict[] = ["hit", "bypass", "miss"];

/**
 * Reads an answer's cache headers. Several headers, or one header with several values, are
 * normal (Tencent says so; `Headers` joins repeated headers with `, `): the answer is a `hit`
 * when any value says hit, else a `bypass` when any says the cache was skipped, else a `miss`
 * when any says not a hit. Values are compared without regard to case.
 *
 * @param get Reads a header by its lower-case name, as `Headers.get` does.
 */
export function classifyCacheHeaders(get: (name: string) => string | null): CacheReading {
  const values: SeenValue[] = [];
  for (const header of CACHE_HEADERS) {
    const raw = get(header);
    if (raw === null) continue;
    for (const part of raw.split(",")) {
      if (part.trim() !== "") values.push(lookUpValue(header, part));
    }
  }
  for (const verdict of PRECEDENCE) {
    const deciding = values.find((seen) =>
      (seen.known?.verdict ?? UNLISTED[seen.header]) === verdict
    );
    if (deciding) {
      return { verdict, decidedBy: `${HEADER_TITLES[deciding.header]}: ${deciding.value}`, values };
    }
  }
  return { values };
}
