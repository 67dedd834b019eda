/**
 * Daily quotas: units spent per key (an area, or an EdgeOne zone) per Beijing day.
 *
 * @module
 */

import { beijingDay } from "./beijing_time.ts";

/** An area with its own daily quota (`global` pushes spend from both). */
export type QuotaArea = "mainland" | "overseas";

/** Counts units spent per key per Beijing day; a new day starts from zero. */
export class DailyQuota<Key extends string = QuotaArea> {
  readonly #limit: number;
  // Keyed by day rather than reset at midnight, so a test may move the clock either way.
  readonly #usedByDay = new Map<string, Map<Key, number>>();

  /** @param limit units allowed per key per day. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Units allowed per key per day. */
  get limit(): number {
    return this.#limit;
  }

  /** Units spent under the key on the Beijing day of `now`. */
  used(key: Key, now: number): number {
    return this.#usedByDay.get(beijingDay(now))?.get(key) ?? 0;
  }

  /** Units still allowed under the key on the Beijing day of `now`. */
  available(key: Key, now: number): number {
    return Math.max(0, this.#limit - this.used(key, now));
  }

  /** Spends `count` units under every listed key, or under none when any lacks room. */
  trySpend(keys: readonly Key[], count: number, now: number): boolean {
    if (keys.some((key) => this.available(key, now) < count)) return false;
    this.#add(keys, count, now);
    return true;
  }

  /**
   * Spends as many of `count` units as every listed key still has room for, and returns how
   * many that was: Tencent spends quota on HLS segments until it runs out, then skips the rest.
   */
  spendUpTo(keys: readonly Key[], count: number, now: number): number {
    const spent = Math.min(count, ...keys.map((key) => this.available(key, now)));
    if (spent > 0) this.#add(keys, spent, now);
    return spent;
  }

  /** Forgets everything spent. */
  clear(): void {
    this.#usedByDay.clear();
  }

  #add(keys: readonly Key[], count: number, now: number): void {
    const day = beijingDay(now);
    const used = this.#usedByDay.get(day) ?? new Map<Key, number>();
    for (const key of keys) used.set(key, (used.get(key) ?? 0) + count);
    this.#usedByDay.set(day, used);
  }
}

/** One area's entry of `DescribePushQuota`/`DescribePurgeQuota`. */
export interface AreaQuota {
  Area: QuotaArea;
  Batch: number;
  Total: number;
  Available: number;
}

/** Both areas' `{Area, Batch, Total, Available}` of a quota at `now`. */
export function areaQuotas(quota: DailyQuota, batch: number, now: number): AreaQuota[] {
  return (["mainland", "overseas"] as const).map((area) => ({
    Area: area,
    Batch: batch,
    Total: quota.limit,
    Available: quota.available(area, now),
  }));
}
