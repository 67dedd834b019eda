/**
 * `GET /quota`: today's local budget as this router counts it and, with API 3.0, Tencent's own
 * count from `DescribePushQuota`.
 * @module
 */
import type { Context, Env } from "hono";
import { describePushQuota, type PushQuota } from "../describe.ts";
import { TencentCloudError, type TencentCloudErrorInit } from "../errors.ts";
import { DEFAULT_DAILY_LIMIT } from "../options.ts";
import { beijingDay, budgetKeys, msUntilBeijingMidnight } from "../quota.ts";
import { accountName } from "../coordinator.ts";
import { V2_ENDPOINT } from "../request_v2.ts";
import { V3_ENDPOINT } from "../request_v3.ts";
import { parseEndpoint } from "../send.ts";
import type { Area } from "../report.ts";
import { checkArea } from "./body.ts";
import { callOptions } from "./call_options.ts";
import type { ResolvedRouterOptions } from "./options.ts";
import { redactError } from "./redact.ts";

/** The body of `GET /quota`. */
export interface RouterQuota {
  /** The area counted (`?area=`, else the router's default area). */
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
   * API 3.0 only: Tencent's `DescribePushQuota` answer, or the error asking it failed with
   * (the local figures are still given).
   */
  upstream?:
    | { quotas: PushQuota[]; requestId?: string }
    | { error: TencentCloudErrorInit & { name: string } };
}

function resolveEndpoint(defaults: { api?: string; endpoint?: string | URL }): URL {
  return parseEndpoint(defaults.endpoint ?? (defaults.api === "v2" ? V2_ENDPOINT : V3_ENDPOINT));
}

/** The `GET /quota` handler. */
export function quotaHandler<E extends Env>(
  options: ResolvedRouterOptions<E>,
): (c: Context<E>) => Promise<Response> {
  return async (c) => {
    const credentials = await options.credentials(c);
    const defaults = await options.prewarm(c);
    const queried = c.req.query("area");
    const area = queried === undefined ? defaults.area ?? "overseas" : checkArea(queried, "query");
    const now = (defaults.now ?? Date.now)();
    const limit = defaults.dailyLimit ?? DEFAULT_DAILY_LIMIT;
    const account = accountName(credentials.secretId, resolveEndpoint(defaults));
    const usages = await Promise.all(
      budgetKeys(area, now).map((key) => defaults.coordinator.usage(account, key, now)),
    );
    const used = Math.max(...usages.map((u) => u.spent + u.held));
    const finite = Number.isFinite(limit);
    const quota: RouterQuota = {
      area,
      day: beijingDay(now),
      used,
      limit: finite ? limit : null,
      remaining: finite ? Math.max(0, limit - used) : null,
      resetsAt: new Date(now + msUntilBeijingMidnight(now)).toISOString(),
    };
    if ((defaults.api ?? "v3") === "v3") {
      try {
        quota.upstream = await describePushQuota(callOptions(defaults, credentials));
      } catch (error) {
        if (!(error instanceof TencentCloudError)) throw error;
        quota.upstream = { error: redactError(error, credentials).toJSON() };
      }
    }
    return c.json(quota, 200);
  };
}
