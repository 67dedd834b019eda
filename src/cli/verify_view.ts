/**
 * How `verify` and `--wait --verify` show what the edge said: a progress line while probing, and
 * a summary that lists every URL that is not a hit, grouped by state, each group with what to
 * do about it, then what a hit does and does not prove.
 * @module
 */
import {
  type VerifyProgress,
  type VerifyResult,
  WARM_STATES,
  type WarmResult,
  type WarmState,
} from "../verify/probe.ts";
import { displayUrl, formatCount, plural } from "./text.ts";

/** What the advice may say about the run the URLs came from. */
export interface VerifyContext {
  /** The prefetch warmed the mid-tier only (`--layer middle`). */
  middleLayer?: boolean;
}

/** `3 hit, 1 miss, 0 bypass, 0 unknown, 0 error`. */
function formatWarmCounts(counts: Readonly<Record<WarmState, number>>): string {
  return WARM_STATES.map((state) => `${formatCount(counts[state])} ${state}`).join(", ");
}

/** One progress line while probing. */
export function formatVerifyProgress(progress: VerifyProgress): string {
  return `Verifying ${formatCount(progress.done)}/${formatCount(progress.total)}: ${
    formatWarmCounts(progress.counts)
  }`;
}

const MISS =
  "Not served from the cache of the edge node that answered. Check, most likely first: the " +
  "prefetch's layer (--layer middle warms the mid-tier, not edge nodes); cache rules that " +
  "forbid caching (a no-cache rule for the path, or the origin's Cache-Control, shown when it " +
  "forbids); a query string (the edge caches each query string apart unless the domain ignores " +
  "it: prewarm the URL exactly as users request it); a different host (the URL must be on the " +
  "domain that was prewarmed, reached through the CDN: check its DNS from here). The probe " +
  "itself may have warmed this node, so looking again says little.";
const MIDDLE_LAYER =
  "This run warmed the mid-tier only (--layer middle): edge nodes pull from it on their first " +
  "request, so a miss at the edge is expected. ";
const ADVICE: Readonly<Record<Exclude<WarmState, "hit" | "miss">, string>> = {
  bypass: "The CDN says it does not cache these: a cache rule or the origin's Cache-Control " +
    "excludes them, so prefetching them warms nothing. Change the rule if they should be cached.",
  unknown: "No cache header this tool knows: the host may not be served by Tencent CDN or " +
    "EdgeOne from here (its DNS points elsewhere, or another proxy answers first). The values " +
    "seen, if any, are shown.",
  error: "No answer to read, each for the reason shown: a redirect is reported, not followed " +
    "(verify the URL it names); an HTTP error is what the edge answered; a timeout or a network " +
    "error may pass: verify again.",
};

/** What to do about URLs in `state`, in the command line's words. */
function verifyAdvice(state: Exclude<WarmState, "hit">, context: VerifyContext = {}): string {
  if (state === "miss") return (context.middleLayer ? MIDDLE_LAYER : "") + MISS;
  return ADVICE[state];
}

const FORBIDS_CACHING = /\b(no-store|private|no-cache|(s-)?max-age=0)\b/i;

/** What one URL's line shows after the URL: what decided, and what may explain a miss. */
function details(result: WarmResult): string {
  if (result.error) return `${result.error.code}: ${result.error.message}`;
  const parts: string[] = [];
  const seen = [result.headers["x-cache-lookup"], result.headers["eo-cache-status"]];
  if (result.decidedBy) parts.push(result.decidedBy);
  else if (seen.some((v) => v !== undefined)) {
    parts.push(`values seen: ${seen.filter((v) => v !== undefined).join(", ")}`);
  } else parts.push(`HTTP ${result.status}, no cache header`);
  const cacheControl = result.headers["cache-control"];
  if (cacheControl !== undefined && FORBIDS_CACHING.test(cacheControl)) {
    parts.push(`Cache-Control: ${cacheControl}`);
  }
  if (result.state === "miss" && result.url.includes("?")) parts.push("has a query string");
  return parts.join("; ");
}

/**
 * The summary: every URL that is not a hit, grouped by state with advice; the URLs of a wait
 * result that were not probed; then a line of totals and what it proves.
 */
export function formatVerifySummary(result: VerifyResult, context: VerifyContext = {}): string {
  const out: string[] = [];
  for (const state of WARM_STATES) {
    if (state === "hit") continue;
    const urls = result.urls.filter((u) => u.state === state);
    if (urls.length === 0) continue;
    out.push(`\n${state}: ${plural(urls.length, "URL")}. ${verifyAdvice(state, context)}\n`);
    for (const u of urls) out.push(`    ${displayUrl(u.url)}  ${details(u)}\n`);
  }
  if (result.skipped.length > 0) {
    out.push(
      `\nNot verified: ${plural(result.skipped.length, "URL")} did not end done (see the wait's ` +
        "summary above).\n",
    );
  }
  if (result.aborted) {
    out.push("\nINTERRUPTED while verifying: the URLs not answered are errors.\n");
  }
  const probe = result.method === "GET" ? "one-byte GET" : "HEAD";
  out.push(
    `\nVerified ${plural(result.urls.length, "URL")} from here (${probe}, no body read): ` +
      `${formatWarmCounts(result.counts)}. A hit means the edge node that answered this ` +
      "machine holds the file; nodes in other regions may still be cold.\n",
  );
  return out.join("");
}

/** Exit status of a verify: 1 when any URL is an error, 4 when any is not a hit, else 0. */
export function verifyExitStatus(result: VerifyResult): 0 | 1 | 4 {
  const { counts } = result;
  if (counts.error > 0) return 1;
  return counts.miss + counts.bypass + counts.unknown > 0 ? 4 : 0;
}
