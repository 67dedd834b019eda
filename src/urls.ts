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
  /** The URL as it will be sent: the input with surrounding whitespace trimmed. */
  url: string;
  /** Its hostname (lower case), the key batches are grouped by. */
  host: string;
}

// Whitespace and control characters anywhere, including Unicode line and paragraph separators.
// deno-lint-ignore no-control-regex -- matching control characters is the point.
const FORBIDDEN = /[\s\u0000-\u001f\u007f-\u009f]/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Checks one URL the way Tencent will, so a bad one is rejected here with a reason instead of
 * failing a whole batch upstream. The URL is not re-encoded: Tencent prefetches what was written.
 */
export function checkUrl(input: string): CheckedUrl | UrlProblem {
  const url = input.trim();
  const problem = (detail: string): UrlProblem => ({ reason: "invalid-url", detail });
  if (url === "") return problem("The URL is empty");
  if (url.length > MAX_URL_LENGTH) {
    return problem(`The URL is ${url.length} characters long; the limit is ${MAX_URL_LENGTH}`);
  }
  if (!/^https?:\/\//i.test(url)) return problem("The URL must start with http:// or https://");
  if (FORBIDDEN.test(url)) return problem("The URL contains whitespace or a control character");
  if (LONE_SURROGATE.test(url)) return problem("The URL contains an unpaired UTF-16 surrogate");
  if (url.includes("*")) {
    return problem("The URL contains a wildcard (*); prefetch takes exact URLs");
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return problem("The URL cannot be parsed");
  }
  if (parsed.hostname === "") return problem("The URL has no host");
  if (parsed.username || parsed.password) {
    return problem("The URL carries a user name or password");
  }
  return { url, host: parsed.hostname };
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
export function planBatches(urls: Iterable<CheckedUrl>, batchSize: number): Batch[] {
  const byHost = new Map<string, string[]>();
  for (const { url, host } of urls) {
    const list = byHost.get(host);
    if (list) list.push(url);
    else byHost.set(host, [url]);
  }
  const batches: Batch[] = [];
  for (const [host, list] of byHost) {
    for (let i = 0; i < list.length; i += batchSize) {
      batches.push({ host, urls: list.slice(i, i + batchSize) });
    }
  }
  return batches;
}
