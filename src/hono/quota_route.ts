/**
 * `GET /quota`: today's local budget as this router counts it and, with API 3.0, Tencent's own
 * count from `DescribePushQuota`.
 * @module
 */
import type { Context, Env } from "hono";
import { describePushQuota, type PushQuota } from "../describe.ts";
import { TencentCloudError, type TencentCloudErrorInit } from "../errors.ts";
import { DEFAULT_DAILY_LIMIT } from "../options.ts";
import { beijingDay, msUntilBeijingMidnight, quotaKeys } from "../quota.ts";
import type { Area } from "../report.ts";
import { checkArea } from "./body.ts";
import { callOptions } from "./call_options.ts";
import type { ResolvedRouterOptions } from "./options.ts";
import { AnswerRedactor } from "./redact.ts";

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
    const counts = await Promise.all(
      quotaKeys(credentials.secretId, area, now).map((key) => defaults.quotaStore.used(key)),
    );
    const used = Math.max(...counts);
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
      const redact = new AnswerRedactor(credentials);
      try {
        quota.upstream = redact.data(await describePushQuota(callOptions(defaults, credentials)));
      } catch (error) {
        if (!(error instanceof TencentCloudError)) throw error;
        quota.upstream = { error: redact.error(error).toJSON() };
      }
    }
    return c.json(quota, 200);
  };
}
