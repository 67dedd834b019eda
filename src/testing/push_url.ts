/**
 * The rules one prefetch URL must pass, shared by both API generations; each API maps a
 * rejection to its own error shape.
 *
 * @module
 */

import type { DomainRegistry } from "./domains.ts";

/** Why a URL cannot be prefetched. */
export type PushUrlProblem = "malformed" | "wildcard" | "unknown-domain" | "offline-domain";

/** The verdict on one URL: its hostname when acceptable, else the problem and a sentence. */
export type PushUrlVerdict =
  | { ok: true; hostname: string }
  | { ok: false; problem: PushUrlProblem; detail: string };

// Whitespace and control characters: a URL carrying them was mangled on the way (or by the
// client), and the CDN would key its cache on something other than what the user meant.
function hasUnsafeCharacters(text: string): boolean {
  if (/\s/.test(text)) return true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Checks one URL as the CDN does: absolute http(s), no wildcard, a live domain of the account. */
export function judgePushUrl(raw: unknown, domains: DomainRegistry): PushUrlVerdict {
  if (typeof raw !== "string" || raw === "") {
    return { ok: false, problem: "malformed", detail: "URL must be a non-empty string" };
  }
  if (hasUnsafeCharacters(raw)) {
    return {
      ok: false,
      problem: "malformed",
      detail: `URL contains whitespace or control characters: ${JSON.stringify(raw)}`,
    };
  }
  if (raw.includes("*")) {
    return { ok: false, problem: "wildcard", detail: `URL contains a wildcard: ${raw}` };
  }
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (
    url === undefined || !/^https?:\/\//i.test(raw) ||
    (url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === ""
  ) {
    return {
      ok: false,
      problem: "malformed",
      detail: `URL must start with http:// or https://: ${raw}`,
    };
  }
  switch (domains.statusOf(url.hostname)) {
    case "online":
      return { ok: true, hostname: url.hostname };
    case "offline":
      return { ok: false, problem: "offline-domain", detail: `Domain is offline: ${url.hostname}` };
    case "unknown":
      return {
        ok: false,
        problem: "unknown-domain",
        detail: `Domain does not exist in this account: ${url.hostname}`,
      };
  }
}
