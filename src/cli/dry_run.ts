/**
 * `--dry-run`: the plan a run would follow (the same URL checks, duplicate removal, batches and
 * local daily budget as `prewarm()`, planned by `src/engine/plan.ts`), worked out without credentials
 * or network, and printed for people.
 * @module
 */
import type { ResolvedPrewarmOptions } from "../engine/options.ts";
import { type DryRunPlan, planDryRun as planUrls } from "../engine/plan.ts";
import { ALL_LISTED_BY_JSON, formatRejected } from "./summary.ts";
import { cliWords } from "./words.ts";
import { formatCount, formatTable, plural } from "./text.ts";

export type { DryRunPlan, PlannedHost } from "../engine/plan.ts";

/** The plan of a run with these options: the local daily budget is the whole budget. */
export function planDryRun(
  urls: AsyncIterable<string>,
  options: ResolvedPrewarmOptions,
): Promise<DryRunPlan> {
  // One sentence shared by every URL over the budget: there may be a hundred thousand of them.
  const overBudget = `The local daily budget (--daily-limit ${
    formatCount(options.dailyLimit)
  }) would be spent by earlier URLs; not sent`;
  return planUrls(urls, { ...options, budgetLeft: options.dailyLimit, overBudget });
}

/** The plan, for people; `title` says which API it is for (`TencentApi.title`). */
export function formatPlan(
  plan: DryRunPlan,
  title: string,
  notes: readonly string[],
  now: number,
): string {
  const out: string[] = [];
  out.push(
    `DRY RUN: nothing is sent. ${title}, ` +
      `up to ${plural(plan.batchSize, "URL")} per request.\n`,
  );
  for (const note of notes) out.push(`Note: ${note}\n`);
  if (plan.hosts.length > 0) {
    out.push("\n");
    out.push(formatTable(
      [{ title: "HOST" }, { title: "URLS", align: "right" }, {
        title: "REQUESTS",
        align: "right",
      }],
      plan.hosts.map((h) => [h.host, formatCount(h.urls), formatCount(h.batches)]),
      "  ",
    ));
  }
  const limit = plan.dailyLimit === null
    ? "the local daily budget is off"
    : `the local --daily-limit is ${formatCount(plan.dailyLimit)}`;
  out.push(
    `\nWould send ${plural(plan.counts.wouldSend, "URL")} in ` +
      `${plural(plan.counts.requests, "request")}, spending ${
        formatCount(plan.counts.wouldSend)
      } of today's quota from ${plan.quota} (${limit}).\n`,
  );
  if (plan.rejected.length > 0) {
    out.push(`\nWould not send: ${plural(plan.counts.rejected, "URL")}\n`);
    out.push(formatRejected(plan.rejected, cliWords(now, plan.zoneId), ALL_LISTED_BY_JSON));
  }
  return out.join("");
}
