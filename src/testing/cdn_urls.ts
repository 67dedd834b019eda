/**
 * What `PushUrlsCache` and `PurgeUrlsCache` share: the per-URL checks (each action names its
 * own wildcard error), `UrlEncode` for non-ASCII URLs, the grouping by hostname, and spending a
 * daily quota or refusing the whole request.
 *
 * @module
 */

import { type ApiAnswer, cdnParamError, v3Failure } from "./answers.ts";
import type { DomainRegistry } from "./domains.ts";
import { judgePushUrl } from "./push_url.ts";
import type { DailyQuota, QuotaArea } from "./quota.ts";

/**
 * The URLs grouped by hostname (in order of first appearance), or the answer refusing the
 * request for its first bad URL.
 */
export function groupCdnUrls(
  urls: readonly string[],
  domains: DomainRegistry,
  urlEncode: boolean | undefined,
  wildcardCode: string,
): Map<string, string[]> | ApiAnswer {
  const urlsByHost = new Map<string, string[]>();
  for (const url of urls) {
    const verdict = judgePushUrl(url, domains);
    if (!verdict.ok) {
      switch (verdict.problem) {
        case "malformed":
          return cdnParamError(verdict.detail);
        case "wildcard":
          return v3Failure(wildcardCode, verdict.detail);
        case "unknown-domain":
          return v3Failure("ResourceNotFound.CdnHostNotExists", verdict.detail);
        case "offline-domain":
          return v3Failure("ResourceUnavailable.CdnHostIsNotOnline", verdict.detail);
      }
    }
    urlsByHost.set(verdict.hostname, [...urlsByHost.get(verdict.hostname) ?? [], url]);
  }
  const nonAscii = urlEncode === true ? undefined : firstNonAsciiUrl(urls);
  if (nonAscii !== undefined) {
    return cdnParamError(
      `URL holds non-ASCII characters; send UrlEncode: true for it: ${nonAscii}`,
    );
  }
  return urlsByHost;
}

/**
 * The first URL holding a character outside ASCII, which the CDN only takes with
 * `UrlEncode: true` (Tencent: encoding is needed for Chinese and other non-ASCII paths).
 */
export function firstNonAsciiUrl(urls: readonly string[]): string | undefined {
  return urls.find((url) => [...url].some((char) => char.charCodeAt(0) > 0x7f));
}

/** Spends `count` from every area, or returns the answer refusing the request with `code`. */
export function spendDaily(
  quota: DailyQuota,
  areas: readonly QuotaArea[],
  count: number,
  now: number,
  code: string,
  what: string,
): ApiAnswer | undefined {
  if (quota.trySpend(areas, count, now)) return undefined;
  const left = areas.map((name) => `${name} ${quota.available(name, now)}`).join(", ");
  return v3Failure(
    code,
    `Daily ${what} quota exceeded: ${count} URLs submitted, left today: ${left}`,
  );
}
