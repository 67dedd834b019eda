/**
 * What HTTP status a finished run deserves, and the answer that carries its report. The report
 * is in every answer once `prewarm()` has run, so no URL is ever lost to a status code.
 * @module
 */
import { msUntilBeijingMidnight } from "../quota.ts";
import type { PrewarmReport } from "../report.ts";
import { RouterError } from "./problem.ts";

/** How soon a caller turned away as `busy` may try again: held budget settles within seconds. */
const BUSY_RETRY_SECONDS = 5;

/** The status of a finished run and, unless it is a success, the refusal to answer with. */
export type RunOutcome = { status: 200 | 207 } | { status: number; error: RouterError };

/**
 * Decides the answer to a run:
 * - 200 when every URL is in a task (a duplicate counts: its first copy was sent);
 * - 207 when some URLs are in tasks and some are not;
 * - when none is in a task: 503 `busy` if budget held by requests in flight turned any away
 *   (`Retry-After` of a few seconds: it may come free), else 429 if the spent daily budget did
 *   (with `Retry-After` until 00:00 Beijing time), else 502 if any batch failed upstream,
 *   else 400 `no-valid-urls`.
 */
export function runOutcome(report: PrewarmReport, now: number): RunOutcome {
  const { tasks, rejected, failed } = report;
  if (tasks.length > 0) {
    const complete = failed.length === 0 && rejected.every((r) => r.reason === "duplicate");
    return { status: complete ? 200 : 207 };
  }
  if (rejected.some((r) => r.reason === "busy")) {
    const error = new RouterError(
      503,
      "busy",
      `The rest of today's budget is held by prefetches in flight; retry in ${BUSY_RETRY_SECONDS} s`,
      { headers: { "Retry-After": String(BUSY_RETRY_SECONDS) }, extra: { report } },
    );
    return { status: 503, error };
  }
  if (rejected.some((r) => r.reason === "daily-limit")) {
    const seconds = Math.ceil(msUntilBeijingMidnight(now) / 1000);
    const error = new RouterError(
      429,
      "daily-limit",
      `The daily prefetch budget is spent; it resets at 00:00 Beijing time (UTC+8), in ${seconds} s`,
      { headers: { "Retry-After": String(seconds) }, extra: { report } },
    );
    return { status: 429, error };
  }
  if (failed.length > 0) {
    const codes = [...new Set(failed.map((f) => f.error.code))].slice(0, 3).join(", ");
    const error = new RouterError(
      502,
      "upstream-failed",
      `Every batch failed upstream (${codes}); see report.failed for each error and whether it ` +
        "may have been submitted anyway",
      { extra: { report } },
    );
    return { status: 502, error };
  }
  const reasons = new Map<string, number>();
  for (const r of rejected) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
  const summary = [...reasons].map(([reason, n]) => `${n} ${reason}`).join(", ");
  const error = new RouterError(
    400,
    "no-valid-urls",
    `None of the URLs can be sent (${summary}); see report.rejected for each reason`,
    { extra: { report } },
  );
  return { status: 400, error };
}
