/**
 * Today's local budget of a router's account, as `GET /quota` shows it and `POST /prewarm/plan`
 * spends it: read from the coordinator, never from Tencent.
 * @module
 */
import type { TencentApi } from "../api.ts";
import { accountName } from "../coordinator/memory.ts";
import { beijingDay, msUntilBeijingMidnight } from "../rules/budget_day.ts";
import { resolveEndpoint } from "../transport/call_options.ts";
import type { Area } from "../rules/report.ts";
import type { RequestConfig } from "./options.ts";

/** Today's budget of one area, by the router's own count. */
export interface RouterBudget {
  /** The area counted (`?area=`, else the router's default area; EdgeOne: `"global"`). */
  area: Area;
  /** The quota day, `YYYY-MM-DD` in Beijing time (UTC+8). */
  day: string;
  /** URLs this router's budget has counted today (for `global`, the busier of the two areas). */
  used: number;
  /** The daily limit; `null` when the local budget is off (`dailyLimit: Infinity`). */
  limit: number | null;
  /** URLs left today by the local count; `null` when the local budget is off. */
  remaining: number | null;
  /** When the budget resets (00:00 Beijing time), as an ISO 8601 UTC time. */
  resetsAt: string;
  /**
   * Present when the router fronts a simulator (its `simulated` option): nothing reaches
   * Tencent Cloud, and no real quota is spent.
   */
  simulated?: true;
}

/**
 * Reads today's budget of `api` (an area's, a zone's) from the account's coordinator (spent and
 * held count), with the API's report fields (`area`, and EdgeOne's `zoneId`).
 */
export async function todayBudget(
  config: RequestConfig,
  api: TencentApi,
): Promise<RouterBudget & { zoneId?: string }> {
  const now = config.now();
  const limit = config.dailyLimit;
  const { coordinator, endpoint } = config.prewarm;
  // The account prewarm() books under: the endpoint by the same rule (TENCENTCLOUD_ENDPOINT too).
  const account = accountName(config.credentials.secretId, resolveEndpoint(endpoint, api.endpoint));
  const keys = api.budgetKeys(now);
  const usages = await Promise.all(keys.map((key) => coordinator.usage(account, key, now)));
  const used = Math.max(...usages.map((u) => u.spent + u.held));
  const finite = Number.isFinite(limit);
  return {
    ...api.report,
    day: beijingDay(now),
    used,
    limit: finite ? limit : null,
    remaining: finite ? Math.max(0, limit - used) : null,
    resetsAt: new Date(now + msUntilBeijingMidnight(now)).toISOString(),
    ...(config.simulated && { simulated: true }),
  };
}
