/**
 * The daily prefetch quota: URLs per area per Beijing day.
 *
 * @module
 */

import { beijingDay } from "./beijing_time.ts";

/** An area with its own daily quota (`global` pushes spend from both). */
export type QuotaArea = "mainland" | "overseas";

/** Counts URLs spent per area per Beijing day; a new day starts from zero. */
export class DailyQuota {
  readonly #limit: number;
  // Keyed by day rather than reset at midnight, so a test may move the clock either way.
  readonly #usedByDay = new Map<string, Record<QuotaArea, number>>();

  /** @param limit URLs per area per day. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** URLs allowed per area per day. */
  get limit(): number {
    return this.#limit;
  }

  /** URLs spent in the area on the Beijing day of `now`. */
  used(area: QuotaArea, now: number): number {
    return this.#usedByDay.get(beijingDay(now))?.[area] ?? 0;
  }

  /** URLs still allowed in the area on the Beijing day of `now`. */
  available(area: QuotaArea, now: number): number {
    return Math.max(0, this.#limit - this.used(area, now));
  }

  /** Spends `count` URLs from every listed area, or from none when any lacks room. */
  trySpend(areas: readonly QuotaArea[], count: number, now: number): boolean {
    if (areas.some((area) => this.available(area, now) < count)) return false;
    const day = beijingDay(now);
    const used = this.#usedByDay.get(day) ?? { mainland: 0, overseas: 0 };
    for (const area of areas) used[area] += count;
    this.#usedByDay.set(day, used);
    return true;
  }

  /** Forgets everything spent. */
  clear(): void {
    this.#usedByDay.clear();
  }
}
