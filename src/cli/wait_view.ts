/**
 * How `--wait` and `status TASK_ID...` show where the tasks stand: a progress line per poll
 * round, and a summary that lists every URL that did not end `done`, grouped by status with
 * what to do about it (the one advice table's, `statusAdvice()`, in the command line's words).
 * @module
 */
import { KNOWN_ERROR_ROWS } from "../apis/spec.ts";
import { URL_STATUSES, type UrlStatus, type WaitResult } from "../engine/wait.ts";
import { errorText, statusAdvice, type Words } from "../rules/advice.ts";
import { displayUrl, formatCount, formatDuration, plural } from "./text.ts";

/** `12 done, 1 failed, 0 invalid, 5 pending` (and `unknown` when there are any). */
export function formatStatusCounts(counts: Readonly<Record<UrlStatus, number>>): string {
  return URL_STATUSES
    .filter((status) => status !== "unknown" || counts.unknown > 0)
    .map((status) => `${formatCount(counts[status])} ${status}`)
    .join(", ");
}

/** One progress line while waiting. */
export function formatWaitProgress(
  counts: Readonly<Record<UrlStatus, number>>,
  elapsedMs: number,
): string {
  return `Waiting ${formatDuration(elapsedMs)}: ${formatStatusCounts(counts)}`;
}

/** What the summary needs besides the result. */
export interface WaitSummaryContext {
  /** How long the wait took, in ms. */
  elapsedMs: number;
  /** Whether this was a wait (`--wait`) or a single look (`status` without `--wait`). */
  waited: boolean;
  /**
   * The command line's words (`cliWords()` at the run's clock), which the advice names
   * commands in.
   */
  words: Readonly<Words>;
}

/**
 * The summary: every URL that did not end `done`, grouped by status (each group with its
 * advice), then why polling ended early if it did, then a line of totals.
 */
export function formatWaitSummary(result: WaitResult, context: WaitSummaryContext): string {
  const { words } = context;
  const out: string[] = [];
  for (const status of URL_STATUSES) {
    if (status === "done") continue;
    const urls = result.urls.filter((u) => u.status === status);
    if (urls.length === 0) continue;
    const label = status === "pending" && result.timedOut ? "pending at the timeout" : status;
    out.push(`\n${label}: ${plural(urls.length, "URL")}. ${statusAdvice(status, words)}\n`);
    for (const u of urls) {
      const what = u.url === "" ? "(no URL listed)" : displayUrl(u.url);
      const percent = status === "pending" ? `  ${u.percent}%` : "";
      out.push(`    ${what}  task ${u.taskId}${percent}\n`);
    }
  }
  if (result.error) {
    out.push(`\nStopped polling: ${errorText(result.error, words, KNOWN_ERROR_ROWS)}\n`);
  }
  if (result.aborted) out.push("\nINTERRUPTED while waiting: the URLs not final are pending.\n");
  const total = `${plural(result.urls.length, "URL")}: ${formatStatusCounts(result.counts)}`;
  out.push(
    context.waited
      ? `\nWaited ${formatDuration(context.elapsedMs)} for ${total}` +
        (result.timedOut ? " (the wait timed out).\n" : ".\n")
      : `\n${total}.\n`,
  );
  return out.join("");
}
