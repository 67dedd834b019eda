/**
 * The quota day and the budget keys: Tencent's daily quota resets at 00:00 Beijing time
 * (UTC+8), per area, and `global` spends both areas.
 * @module
 */

// Literals, not products: a bundler keeps a computed constant even in a bundle that never reads
// it (prewarm()'s reads neither).
const BEIJING_OFFSET_MS = 28_800_000; // 8 hours
/** A day in ms. */
export const DAY_MS = 86_400_000;

/** The Beijing-time (UTC+8) date, `YYYY-MM-DD`, of a time in ms: the quota day. */
export function beijingDay(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** Milliseconds from `ms` until the next 00:00 Beijing time, when the daily quota resets. */
export function msUntilBeijingMidnight(ms: number): number {
  return DAY_MS - ((ms + BEIJING_OFFSET_MS) % DAY_MS + DAY_MS) % DAY_MS;
}

/** The quota areas a prefetch area spends: `global` spends both mainland and overseas. */
export function quotaAreas(area: string): string[] {
  return area === "global" ? ["mainland", "overseas"] : [area];
}

/**
 * The budget keys a prefetch to `area` at time `ms` spends, one per {@linkcode quotaAreas}:
 * `<area>:<YYYY-MM-DD>` (the account is named apart, in the coordinator). `kind` separates
 * budgets of other operations (`purge`) from prefetch.
 */
export function budgetKeys(area: string, ms: number, kind = "push"): string[] {
  const day = beijingDay(ms);
  return quotaAreas(area).map((a) => `${kind}:${a}:${day}`);
}
