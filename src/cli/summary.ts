/**
 * The summary printed after a run: the tasks created, what was not sent and why, failures
 * grouped by error code with what to do about each, and what may have been submitted anyway.
 * @module
 */
import type { ErrorCategory } from "../rules/errors.ts";
import { msUntilBeijingMidnight } from "../rules/budget_day.ts";
import type { FailedBatch, PrewarmReport, RejectedUrl, RejectReason } from "../rules/report.ts";
import { displayUrl, formatCount, formatDuration, formatTable, plural } from "./text.ts";

/** How many rejected URLs of each reason are quoted; `--json` lists them all. */
const QUOTED_PER_REASON = 5;
/** How many batches that may have been submitted are quoted. */
const QUOTED_MAYBE_SUBMITTED = 3;

/** Where to see what a human summary leaves out, when the JSON is not printed. */
export const ALL_LISTED_BY_JSON = "run with --json to list every one";
/** Where to see what a human summary leaves out, when it is printed beside the JSON. */
const ALL_LISTED_IN_JSON = "the JSON report lists every one";

/** What the summary needs besides the report. */
export interface SummaryContext {
  /** The run went to the simulator: nothing reached Tencent Cloud. */
  simulated: boolean;
  /** Wall-clock time now, in ms: when the daily quota resets is counted from it. */
  now: number;
  /** How long the run took, in ms. */
  elapsedMs: number;
  /** Whether the tasks are listed (the human summary on stdout) or only counted (beside JSON). */
  listTasks: boolean;
}

/** When the daily quota comes back, for people: `00:00 Beijing time (UTC+8), in 5 h 12 min`. */
export function quotaResetTime(now: number): string {
  return `00:00 Beijing time (UTC+8), in ${formatDuration(msUntilBeijingMidnight(now))}`;
}

function quotaSpentAdvice(now: number): string {
  return `Daily quota spent: it resets at ${quotaResetTime(now)}; send these again then.`;
}

/** What to do about URLs rejected for a reason. */
function rejectAdvice(reason: RejectReason, details: readonly string[], now: number): string {
  switch (reason) {
    case "invalid-url":
      return "Fix these lines (each one's problem is shown) and send them again.";
    case "duplicate":
      return "Each appears earlier in the input and is sent there: nothing to do.";
    case "daily-limit": {
      // The core words the local budget's detail this way; Tencent's own refusal differs.
      const local = details.some((d) =>
        /^The (local )?daily budget \((--daily-limit|dailyLimit)/.test(d)
      );
      const raise = local
        ? " If the account's quota is larger than --daily-limit (see the quota command), " +
          "raise --daily-limit."
        : "";
      return quotaSpentAdvice(now) + raise;
    }
    case "busy":
      return "The rest of today's budget was held by other prefetches in flight: send these again in a minute.";
    case "aborted":
      return "The run was interrupted before these were sent: send them again.";
    case "host-not-allowed":
      return "Their host is not allowed here.";
  }
}

/** What to do about batches that failed with an error, in command-line terms. */
export function failureAdvice(code: string, category: ErrorCategory, now: number): string {
  if (code === "NetworkError.Aborted") {
    return "Interrupted while in flight: these may have been processed (see below).";
  }
  if (code === "PurgeFailed" || code === "PurgeTimeout") {
    return "Not prefetched: run again with --purge-first once the purge can succeed.";
  }
  switch (category) {
    case "rate-limit":
      return "Rate-limited for longer than the client waits (other tools share this key's 20 requests/s): lower --rate, then send these again.";
    case "unavailable":
      return "Tencent Cloud was unavailable: send these again later.";
    case "daily-limit":
      return quotaSpentAdvice(now);
    case "batch-limit":
      return "Too many URLs in one request: lower --batch-size.";
    case "domain":
      return code === "InvalidParameter.DomainNotFound"
        ? "Add the domain to the EdgeOne zone given with --zone, or drop these URLs."
        : "Add the domain to this account's CDN (online, serving this area), or drop these " +
          "URLs; if it moved to EdgeOne, use --api teo --zone ZONE.";
    case "invalid-request":
      return "Tencent refused a parameter: check these URLs and the options.";
    case "credentials":
      return "Check TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY (and the session token) and " +
        "the key's CDN permissions; nothing else was sent with them.";
    case "account":
      return /ZoneNotFound$/.test(code)
        ? "Check --zone: it names no EdgeOne zone (site) of this account."
        : code === "OperationDenied.ProductUpgraded"
        ? "This account's CDN moved to EdgeOne: prefetch with --api teo --zone ZONE."
        : "This account cannot prefetch: see the Tencent Cloud console.";
    case "server":
    case "timeout":
      return "No clear answer: these may have been processed (see below).";
    case "network":
      return "The connection dropped: these may have been processed (see below).";
    case "endpoint":
      return "Nothing was sent: check --endpoint, the network and the options.";
    case "unknown":
      return "See Tencent Cloud's error code documentation.";
  }
}

interface FailureGroup {
  code: string;
  category: ErrorCategory;
  message: string;
  batches: number;
  urls: number;
}

/** Failed batches grouped by error code, largest group first. */
export function groupFailures(failed: readonly FailedBatch[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const batch of failed) {
    const { code, category, message } = batch.error;
    const group = groups.get(code) ?? { code, category, message, batches: 0, urls: 0 };
    group.batches++;
    group.urls += batch.urls.length;
    groups.set(code, group);
  }
  return [...groups.values()].sort((a, b) => b.urls - a.urls);
}

/**
 * Rejected URLs grouped by reason, each group with what to do about it and a few of its URLs
 * (invalid ones with their problem), long URLs shortened. `moreHint` says where to see the URLs
 * left out.
 */
export function formatRejected(
  rejected: readonly RejectedUrl[],
  now: number,
  moreHint: string,
): string {
  const out: string[] = [];
  const byReason = new Map<RejectReason, RejectedUrl[]>();
  for (const r of rejected) {
    const list = byReason.get(r.reason) ?? [];
    list.push(r);
    byReason.set(r.reason, list);
  }
  for (const [reason, list] of byReason) {
    const details = [...new Set(list.map((r) => r.detail))];
    out.push(`  ${reason}: ${plural(list.length, "URL")}. ${rejectAdvice(reason, details, now)}\n`);
    if (reason === "duplicate" || reason === "aborted") continue;
    for (const r of list.slice(0, QUOTED_PER_REASON)) {
      out.push(`    ${displayUrl(r.url)}${reason === "invalid-url" ? `  (${r.detail})` : ""}\n`);
    }
    if (list.length > QUOTED_PER_REASON) {
      out.push(`    … and ${formatCount(list.length - QUOTED_PER_REASON)} more (${moreHint})\n`);
    }
  }
  return out.join("");
}

/** The human summary of a run. */
export function formatSummary(report: PrewarmReport, context: SummaryContext): string {
  const { counts } = report;
  const out: string[] = [];
  const moreHint = context.listTasks ? ALL_LISTED_BY_JSON : ALL_LISTED_IN_JSON;
  if (context.simulated) {
    out.push("SIMULATED: nothing was sent to Tencent Cloud; the task ids are the simulator's.\n");
  }
  if (report.aborted) {
    out.push("INTERRUPTED: URLs not yet sent are listed as rejected (aborted).\n");
  }
  const { purgeTasks } = report as { purgeTasks?: PrewarmReport["tasks"] };
  if (purgeTasks) {
    const purged = purgeTasks.reduce((n, t) => n + t.urls.length, 0);
    out.push(
      `Purged first: ${plural(purgeTasks.length, "purge task")} for ${plural(purged, "URL")}` +
        (context.listTasks && purgeTasks.length > 0
          ? ` (${purgeTasks.map((t) => t.taskId).join(", ")}).\n`
          : ".\n"),
    );
  }
  // EdgeOne's jobs are looked up in their zone.
  const zone = report.zoneId === undefined ? "" : ` --api teo --zone ${report.zoneId}`;
  if (report.tasks.length > 0) {
    out.push(
      `Created ${plural(counts.tasks, "task")} for ${plural(counts.submitted, "URL")}` +
        (context.listTasks ? ":\n" : " (--json lists them).\n"),
    );
    if (context.listTasks) {
      out.push(formatTable(
        [{ title: "TASK ID" }, { title: "HOST" }, { title: "URLS", align: "right" }],
        report.tasks.map((t) => [t.taskId, t.host, formatCount(t.urls.length)]),
        "  ",
      ));
      // A simulator's task ids die with the run: pointing at `status` would send people to a
      // command that cannot find them.
      out.push(
        context.simulated
          ? "These task ids belong to this run's simulator: status cannot look them up.\n"
          : `Check progress with: status TASK_ID${zone}\n`,
      );
    }
  }
  if (report.rejected.length > 0) {
    out.push(`\nNot sent: ${plural(counts.rejected, "URL")}\n`);
    out.push(formatRejected(report.rejected, context.now, moreHint));
  }
  if (report.failed.length > 0) {
    out.push(
      `\nFailed: ${plural(counts.failed, "URL")} in ${
        plural(report.failed.length, "batch", "batches")
      }\n`,
    );
    for (const group of groupFailures(report.failed)) {
      out.push(
        `  ${group.code} (${group.category}): ${plural(group.urls, "URL")} in ${
          plural(group.batches, "batch", "batches")
        }\n`,
      );
      out.push(`    ${group.message}\n`);
      out.push(`    What to do: ${failureAdvice(group.code, group.category, context.now)}\n`);
    }
  }
  if (counts.maybeSubmitted > 0) {
    out.push(
      `\nMAY HAVE BEEN SUBMITTED: ${plural(counts.maybeSubmitted, "URL")}` +
        " got no clear answer (a timeout, a dropped connection or a server error), so Tencent " +
        "may have created tasks for them and spent their quota.\n" +
        (context.simulated
          ? "  In this simulated run nothing reached Tencent Cloud: a real run would have to " +
            "look these up with status --url URL before sending them again.\n"
          : "  Do not resend them blindly: their task ids never arrived, so look their URLs up " +
            `first with: status --url URL --since 1h${zone}. ` +
            '--json marks them with "maybeSubmitted": true.\n'),
    );
    const batches = report.failed.filter((f) => f.maybeSubmitted);
    for (const batch of batches.slice(0, QUOTED_MAYBE_SUBMITTED)) {
      const more = batch.urls.length > 1
        ? ` and ${formatCount(batch.urls.length - 1)} more (${moreHint})`
        : "";
      out.push(`    ${batch.host}: ${displayUrl(batch.urls[0]!)}${more}\n`);
    }
    if (batches.length > QUOTED_MAYBE_SUBMITTED) {
      out.push(
        `    … and ${
          plural(batches.length - QUOTED_MAYBE_SUBMITTED, "more batch", "more batches")
        } (${moreHint})\n`,
      );
    }
  }
  for (const warning of report.warnings ?? []) out.push(`\nWarning: ${warning}.\n`);
  out.push(
    `\n${formatCount(counts.input)} URLs: ${formatCount(counts.submitted)} submitted, ` +
      `${formatCount(counts.rejected)} not sent, ${formatCount(counts.failed)} failed` +
      (counts.maybeSubmitted > 0
        ? ` (${formatCount(counts.maybeSubmitted)} may be submitted)`
        : "") +
      `; ${plural(counts.requests, "request")} in ${formatDuration(context.elapsedMs)}` +
      (context.simulated ? "; SIMULATED: nothing was sent to Tencent Cloud" : "") + ".\n",
  );
  return out.join("");
}
