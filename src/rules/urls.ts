/**
 * URL checks done before anything is sent, and the plan that groups URLs into batches.
 * @module
 */

/** The longest URL accepted, in UTF-16 code units. */
export const MAX_URL_LENGTH = 4096;

/** Why a URL was turned away by {@linkcode checkUrl}. */
export interface UrlProblem {
  /** Always `"invalid-url"`. */
  reason: "invalid-url";
  /** What is wrong with it, in a sentence. */
  detail: string;
}

/** A URL that passed {@linkcode checkUrl}. */
export interface CheckedUrl {
  /** The URL as it will be sent: exactly the input. */
  url: string;
  /** Its hostname (lower case), the key batches are grouped by. */
  host: string;
  /**
   * The URL as duplicates are found by, when it differs from `url`: scheme and host are
   * case-insensitive (`https://WWW.EXAMPLE.COM/a.js` is `https://www.example.com/a.js`), the
   * path and query are not.
   */
  key?: string;
}

// Whitespace and control characters anywhere, including Unicode line and paragraph separators.
// deno-lint-ignore no-control-regex -- matching control characters is the point.
const FORBIDDEN = /[\s\u0000-\u001f\u007f-\u009f]/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// The common case, decided without the URL parser: a lower-case DNS name whose last label has a
// letter (so it is no IPv4 address), an optional port, and a path and query of plain RFC 3986
// characters and well-formed escapes. Anything else takes the full checks below.
const PLAIN =
  /^https?:\/\/(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*(?=[a-z0-9-]*[a-z])[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?::[1-9]\d{0,3})?(?:[/?](?:[A-Za-z0-9\-._~!$&'()+,;=:@/?]|%[0-9A-Fa-f]{2})*)?$/;
const LABEL = /^(?!-)[a-z0-9-]+(?<!-)$/;

/**
 * Checks one URL the way Tencent will, so a bad one is rejected here with a reason instead of
 * failing a whole batch upstream (or warming the wrong thing). The URL is sent exactly as
 * given, never re-encoded, so it must already be what it means: no surrounding whitespace, no
 * fragment (the CDN never sees one), a DNS name as host written the way every parser reads it
 * (ASCII, punycode for international names; no `\`, user info or IP address).
 */
export function checkUrl(url: string): CheckedUrl | UrlProblem {
  const host = _plainHost(url);
  return host === undefined ? checkUrlFully(url) : { url, host };
}

/**
 * The fast path of {@linkcode checkUrl}: the host of a URL it accepts without the parser, or
 * `undefined` for one that takes the long way. No object per URL: a long run checks many.
 */
function _plainHost(url: string): string | undefined {
  // Punycode labels go the long way: the parser checks that they decode.
  if (url.length > MAX_URL_LENGTH || url.includes("xn--") || !PLAIN.test(url)) return undefined;
  // PLAIN matched: a lower-case scheme, then the host up to a port, a path or a query.
  const start = url.charCodeAt(4) === COLON ? 7 : 8;
  let end = start;
  for (let c = url.charCodeAt(end); end < url.length; c = url.charCodeAt(++end)) {
    if (c === COLON || c === SLASH || c === QUESTION) break;
  }
  // URLs come grouped by host: the checked URLs of one host then share one string, instead of
  // each holding a copy of its own (a long run holds every accepted URL's).
  if (end - start !== lastHost.length || !url.startsWith(lastHost, start)) {
    lastHost = url.slice(start, end);
  }
  return lastHost;
}

const COLON = 0x3a;
const SLASH = 0x2f;
const QUESTION = 0x3f;
/** The host {@linkcode checkUrl}'s fast path found last. */
let lastHost = "";

/** {@linkcode checkUrl} without its fast path: every check, through the URL parser. */
export function checkUrlFully(url: string): CheckedUrl | UrlProblem {
  const problem = (detail: string): UrlProblem => ({
    reason: "invalid-url",
    detail,
  });
  if (url.length > MAX_URL_LENGTH) {
    return problem(
      `The URL is ${url.length} characters long; the limit is ${MAX_URL_LENGTH}`,
    );
  }
  const trimmed = url.trim();
  if (trimmed === "") return problem("The URL is empty");
  if (trimmed !== url) {
    return problem("The URL has whitespace around it: trim it");
  }
  if (!/^https?:\/\//i.test(url)) {
    return problem("The URL must start with http:// or https://");
  }
  if (FORBIDDEN.test(url)) {
    return problem("The URL contains whitespace or a control character");
  }
  if (LONE_SURROGATE.test(url)) {
    return problem("The URL contains an unpaired UTF-16 surrogate");
  }
  if (url.includes("*")) {
    return problem(
      "The URL contains a wildcard (*); prefetch takes exact URLs",
    );
  }
  if (url.includes("\\")) {
    return problem(
      "The URL contains a backslash (\\), which parsers read differently: write / or %5C",
    );
  }
  if (url.includes("#")) {
    return problem(
      "The URL has a fragment (#…), which never reaches the CDN: remove it",
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return problem("The URL cannot be parsed");
  }
  const authority = /^https?:\/\/([^/?]*)/i.exec(url)![1]!;
  if (authority.includes("@")) {
    return problem("The URL carries a user name or password");
  }
  const host = parsed.hostname;
  if (host === "") return problem("The URL has no host");
  if (host.startsWith("[") || /^[\d.]+$/.test(host)) {
    return problem(
      "The URL's host is an IP address; prefetch takes the CDN domain's name",
    );
  }
  // ASCII case only: Unicode lower-casing maps some letters onto ASCII ones (the Kelvin sign
  // onto "k"), and a host written with them must not pass for the ASCII name.
  const written = authority.replace(/:\d*$/, "").replace(/[A-Z]+/g, (l) => l.toLowerCase());
  if (written !== host) {
    // deno-lint-ignore no-control-regex -- non-ASCII is what this looks for.
    return /[^\x00-\x7f]/.test(written)
      ? problem(
        `The host is not ASCII: CDN domains are configured in punycode; write ${host}`,
      )
      : problem(
        `The host as written is not the host it means (${host}): write ${host}`,
      );
  }
  if (!host.split(".").every((label) => LABEL.test(label))) {
    return problem("The URL's host is not a DNS name");
  }
  // Only the scheme and the authority fold: the rest is sent, and compared, as written.
  const head = url.slice(0, url.indexOf("//") + 2 + authority.length);
  const folded = head.replace(/[A-Z]+/g, (l) => l.toLowerCase());
  return folded === head ? { url, host } : { url, host, key: folded + url.slice(head.length) };
}

/** A URL turned away before sending: invalid, or a repeat of one earlier in the input. */
export interface ScreenedOut {
  /** `"invalid-url"` or `"duplicate"`. */
  reason: "invalid-url" | "duplicate";
  /** Why, in a sentence. */
  detail: string;
}

const DUPLICATE: ScreenedOut = Object.freeze({
  reason: "duplicate",
  detail: "The same URL appears earlier in the input",
});

/**
 * What a URL a service lists is compared by to the URL that was sent: percent-decoded, so a
 * URL Tencent lists encoded (`UrlEncode`, `EncodeUrl`) is the one sent with non-ASCII
 * characters, and a URL it lists decoded is the one sent encoded.
 */
export function listedAs(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}

/** A group of URLs on one host, sent in one request. */
export interface Batch {
  /** The hostname every URL in the batch shares. */
  host: string;
  /** The URLs, in input order. */
  urls: string[];
}

/**
 * Groups URLs by host (hosts in order of first appearance, URLs in input order) and cuts each
 * group into batches of at most `batchSize`, so one task maps to one known list of URLs and a
 * bad domain fails only its own batches.
 */
export function planBatches(
  urls: Iterable<CheckedUrl>,
  batchSize: number,
): Batch[] {
  const plan = new BatchPlan(batchSize);
  for (const checked of urls) plan.add(checked);
  return plan.batches();
}

/**
 * {@linkcode planBatches} one URL at a time, and the one home of the rule `prewarm()` and every
 * dry-run plan follow: {@linkcode BatchPlan.accept} checks an input URL, turns away a repeat
 * of one accepted before (the same URL, scheme and host in any case), and puts it straight into
 * its host's current batch, so a caller that plans as it checks holds no list of checked URLs
 * besides the batches.
 */
export class BatchPlan {
  readonly #batchSize: number;
  // Each host's batches, filled as its URLs come: no list of a host's URLs to cut up after.
  readonly #byHost = new Map<string, Batch[]>();
  // The duplicate keys of the URLs accepted so far: the URL, scheme and host lower-cased.
  readonly #seen = new Set<string>();

  /** @param batchSize most URLs per batch */
  constructor(batchSize: number) {
    this.#batchSize = batchSize;
  }

  /**
   * Checks an input URL ({@linkcode checkUrl}); turns it away if it repeats one accepted
   * before; else adds it to its host's batch.
   * @returns the batch it went into, or why it was turned away.
   */
  accept(url: string): Batch | UrlProblem | ScreenedOut {
    let host = _plainHost(url);
    let key = url;
    if (host === undefined) {
      const checked = checkUrlFully(url);
      if ("reason" in checked) return checked;
      host = checked.host;
      key = checked.key ?? url;
    }
    if (this.#seen.has(key)) return DUPLICATE;
    this.#seen.add(key);
    return this.add({ url, host });
  }

  /** Forgets the duplicate keys once every URL is in (they are the biggest part of a plan). */
  doneAccepting(): void {
    this.#seen.clear();
  }

  /**
   * Adds a checked URL to its host's last batch, or to a new one when that is full (no check,
   * no duplicate rule: {@linkcode BatchPlan.accept} has both).
   * @returns the batch it went into.
   */
  add({ url, host }: CheckedUrl): Batch {
    const batches = this.#byHost.get(host);
    const last = batches?.[batches.length - 1];
    if (last && last.urls.length < this.#batchSize) {
      last.urls.push(url);
      return last;
    }
    const batch = { host, urls: [url] };
    if (batches) batches.push(batch);
    else this.#byHost.set(host, [batch]);
    return batch;
  }

  /** The batches so far: hosts in order of first appearance, each host's batches in order. */
  batches(): Batch[] {
    const batches: Batch[] = [];
    for (const ofHost of this.#byHost.values()) for (const batch of ofHost) batches.push(batch);
    return batches;
  }
}
