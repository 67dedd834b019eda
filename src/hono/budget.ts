/**
 * Today's local budget of a router's account, as `GET /quota` shows it and `POST /prewarm/plan`
 * spends it: read from the coordinator, never from Tencent.
 * @module
 */
import { accountName } from "../coordinator.ts";
import { beijingDay, budgetKeys, msUntilBeijingMidnight } from "../quota.ts";
import { resolveEndpoint } from "../options.ts";
import { V2_ENDPOINT } from "../request_v2.ts";
import { V3_ENDPOINT } from "../request_v3.ts";
import type { Area } from "../report.ts";
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
}

/**
 * Reads today's budget for `area` from the account's coordinator (spent and held count); with
 * an EdgeOne backend, the zone's budget, and the `zoneId` with it.
 */
export async function todayBudget(
  config: RequestConfig,
  area: Area,
): Promise<RouterBudget & { zoneId?: string }> {
  const now = config.now();
  const limit = config.dailyLimit;
  const { coordinator, endpoint, backend } = config.prewarm;
  // The account prewarm() books under: the endpoint by the same rule (TENCENTCLOUD_ENDPOINT too).
  const account = accountName(
    config.credentials.secretId,
    resolveEndpoint(
      endpoint,
      backend?.endpoint ?? (config.api === "v2" ? V2_ENDPOINT : V3_ENDPOINT),
    ),
  );
  const keys = backend?.budgetKeys(now) ?? budgetKeys(area, now);
  const usages = await Promise.all(keys.map((key) => coordinator.usage(account, key, now)));
  const used = Math.max(...usages.map((u) => u.spent + u.held));
  const finite = Number.isFinite(limit);
  return {
    area,
    day: beijingDay(now),
    used,
    limit: finite ? limit : null,
    remaining: finite ? Math.max(0, limit - used) : null,
    resetsAt: new Date(now + msUntilBeijingMidnight(now)).toISOString(),
    ...backend?.report,
  };
}
