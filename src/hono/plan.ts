/**
 * `POST /prewarm/plan`: the dry run of `POST /prewarm`. The same body, the same checks (body,
 * allow-list, URL checks, duplicates, batches) and today's budget as the router counts it;
 * nothing is sent upstream, and nothing is held or spent.
 * @module
 */
import type { Context, Env } from "hono";
import { type DryRunPlan, planDryRun } from "../engine/plan.ts";
import { readUrlRequest } from "./body.ts";
import { type RouterBudget, todayBudget } from "./budget.ts";
import type { ResolvedRouterOptions } from "./options.ts";

/** The body of `POST /prewarm/plan`. */
export interface RouterPlan extends DryRunPlan {
  /** Today's budget before this run, and how much of it the run would spend. */
  budget: RouterBudget & {
    /** URLs the run would take from the plan's `quota`. */
    wouldSpend: number;
  };
}

/** The `POST /prewarm/plan` handler. */
export function planHandler<E extends Env>(
  options: ResolvedRouterOptions<E>,
): (c: Context<E>) => Promise<Response> {
  return async (c) => {
    const { config, body, api, screened } = await readUrlRequest(c, options);
    const budget = await todayBudget(config, api);
    const left = budget.remaining ?? Infinity;
    const plan = await planDryRun(screened.send, {
      api,
      batchSize: config.batchSize,
      dailyLimit: config.dailyLimit,
      budgetLeft: left,
      overBudget: `Today's budget has ${left} URL${left === 1 ? "" : "s"} left (dailyLimit ` +
        `${config.dailyLimit}), taken by earlier URLs of this list; would not be sent`,
    });
    // The allow-list decides first, as in POST /prewarm, so its rejections come first.
    const rejected = [...screened.rejected, ...plan.rejected];
    const answer: RouterPlan = {
      ...plan,
      rejected,
      counts: { ...plan.counts, input: body.urls.length, rejected: rejected.length },
      budget: { ...budget, wouldSpend: plan.counts.wouldSend },
    };
    return c.json(answer, 200);
  };
}
