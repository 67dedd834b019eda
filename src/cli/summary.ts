/**
 * The summary printed after a run: the tasks created, what was not sent and why, failures
 * grouped by error code with what to do about each, and what may have been submitted anyway.
 * @module
 */
import { KNOWN_ERROR_ROWS } from "../apis/spec.ts";
import type { ErrorCategory, TencentCloudError } from "../rules/errors.ts";
import { adviceFor, rejectAdvice, type Words } from "../rules/advice.ts";
import type { FailedBatch, PrewarmReport, RejectedUrl, RejectReason } from "../rules/report.ts";
import { displayUrl, formatCount, formatDuration, formatTable, plural } from "./text.ts";
import { cliWords } from "./words.ts";
import { type InputLine, lineName } from "./input.ts";

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

/** Failed batches of one error code. */
export interface FailureGroup {
  code: string;
  category: ErrorCategory;
  /** The first batch's error. */
  error: TencentCloudError;
  batches: number;
  urls: number;
}

/** What to do about a group of failed batches, in `words`: the one advice table's. */
export function failureAdvice(group: FailureGroup, words: Readonly<Words>): string {
  return adviceFor(
    group.category,
    group.code,
    !group.error.maybeSubmitted,
    words,
    KNOWN_ERROR_ROWS,
  );
}

/** Failed batches grouped by error code, largest group first. */
export function groupFailures(failed: readonly FailedBatch[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const batch of failed) {
    const { error } = batch;
    const { code, category } = error;
    const group = groups.get(code) ?? { code, category, error, batches: 0, urls: 0 };
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
  rejected: readonly (RejectedUrl & Partial<InputLine>)[],
  words: Readonly<Words>,
  moreHint: string,
): string {
  const out: string[] = [];
  const byReason = new Map<RejectReason, (RejectedUrl & Partial<InputLine>)[]>();
  for (const r of rejected) {
    const list = byReason.get(r.reason) ?? [];
    list.push(r);
    byReason.set(r.reason, list);
  }
  for (const [reason, list] of byReason) {
    // The local budget may be smaller than the account's quota: its advice says how to raise it.
    const advice = rejectAdvice(list.find((r) => r.by === "local") ?? list[0]!, words);
    out.push(`  ${reason}: ${plural(list.length, "URL")}. ${advice}\n`);
    if (reason === "duplicate" || reason === "aborted") continue;
    for (const r of list.slice(0, QUOTED_PER_REASON)) {
      // A line read from a file is named as editors and compilers name one: urls.txt:12.
      const where = r.file !== undefined && r.line !== undefined
        ? `${lineName({ file: r.file, line: r.line })}: `
        : "";
      out.push(
        `    ${where}${displayUrl(r.url)}${reason === "invalid-url" ? `  (${r.detail})` : ""}\n`,
      );
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
  // EdgeOne's jobs are looked up in their zone: the words name it.
  const words = cliWords(context.now, report.zoneId);
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
          : `Check progress with: ${words.waitForTasks}\n`,
      );
    }
  }
  if (report.rejected.length > 0) {
    out.push(`\nNot sent: ${plural(counts.rejected, "URL")}\n`);
    out.push(formatRejected(report.rejected, words, moreHint));
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
      // What went wrong, then what to do in the command line's words (the message has the
      // library's).
      out.push(`    ${group.error.summary ?? group.error.message}\n`);
      out.push(`    What to do: ${failureAdvice(group, words)}\n`);
    }
  }
  if (counts.maybeSubmitted > 0) {
    out.push(
      `\nMAY HAVE BEEN SUBMITTED: ${plural(counts.maybeSubmitted, "URL")}` +
        " got no clear answer (a timeout, a dropped connection or a server error), so Tencent " +
        "may have created tasks for them and spent their quota.\n" +
        (context.simulated
          ? "  In this simulated run nothing reached Tencent Cloud: a real run would have to " +
            `look these up with ${words.describePushTasks} before sending them again.\n`
          : "  Do not resend them blindly: their task ids never arrived, so look their URLs up " +
            `first with: ${words.describePushTasks}. ` +
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
    `\n${plural(counts.input, "URL")}: ${formatCount(counts.submitted)} submitted, ` +
      `${formatCount(counts.rejected)} not sent, ${formatCount(counts.failed)} failed` +
      (counts.maybeSubmitted > 0
        ? ` (${formatCount(counts.maybeSubmitted)} may be submitted)`
        : "") +
      `; ${plural(counts.requests, "request")} in ${formatDuration(context.elapsedMs)}` +
      (context.simulated ? "; SIMULATED: nothing was sent to Tencent Cloud" : "") + ".\n",
  );
  return out.join("");
}
