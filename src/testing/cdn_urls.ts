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
import type { UnencodedNonAscii } from "./options.ts";
import type { DailyQuota, QuotaArea } from "./quota.ts";

/** A request's URLs grouped by hostname, and those the CDN will fail for want of `UrlEncode`. */
export interface CdnUrlGroups {
  /** The URLs by hostname, in order of first appearance. */
  byHost: Map<string, string[]>;
  /** Non-ASCII URLs sent without `UrlEncode: true`, when the simulator fails them. */
  failing: ReadonlySet<string>;
}

/**
 * The URLs grouped by hostname, or the answer refusing the request for its first bad URL.
 * Non-ASCII URLs without `UrlEncode: true` are handled as `unencodedNonAscii` says.
 */
export function groupCdnUrls(
  urls: readonly string[],
  domains: DomainRegistry,
  urlEncode: boolean | undefined,
  unencodedNonAscii: UnencodedNonAscii,
  wildcardCode: string,
): CdnUrlGroups | ApiAnswer {
  const byHost = new Map<string, string[]>();
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
    byHost.set(verdict.hostname, [...byHost.get(verdict.hostname) ?? [], url]);
  }
  const unencoded = urlEncode === true || unencodedNonAscii === "accept"
    ? []
    : urls.filter(isNonAscii);
  if (unencoded.length > 0 && unencodedNonAscii === "refuse") {
    return cdnParamError(
      `URL holds non-ASCII characters; send UrlEncode: true for it: ${unencoded[0]}`,
    );
  }
  return { byHost, failing: new Set(unencoded) };
}

// Tencent: encoding is needed for Chinese and other non-ASCII characters in a URL.
function isNonAscii(url: string): boolean {
  return [...url].some((char) => char.charCodeAt(0) > 0x7f);
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
