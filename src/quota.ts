/**
 * The local daily budget: Beijing-time days, and a store that reserves atomically so that
 * concurrent runs never spend more than the limit between them.
 * @module
 */

/** Where the daily budget is kept. Implement it over KV, Redis or a database to share it. */
export interface QuotaStore {
  /**
   * Takes up to `count` units from the budget named `key`, never letting the units taken pass
   * `limit`, and returns how many it took (0 when the budget is spent). Must be atomic.
   */
  reserve(key: string, count: number, limit: number): number | Promise<number>;
  /** Gives back units that were reserved but not spent. */
  release(key: string, count: number): void | Promise<void>;
  /** Units taken so far under `key`. */
  used(key: string): number | Promise<number>;
}

/**
 * A {@linkcode QuotaStore} in memory: atomic because each call runs to completion on one
 * thread. Shared by everything in one process or Worker isolate that uses the same instance;
 * not shared between isolates or machines.
 */
export class MemoryQuotaStore implements QuotaStore {
  #used = new Map<string, number>();

  /** {@inheritDoc QuotaStore.reserve} */
  reserve(key: string, count: number, limit: number): number {
    const used = this.#used.get(key) ?? 0;
    const taken = Math.max(0, Math.min(count, limit - used));
    if (taken > 0) {
      this.#dropOtherDays(key);
      this.#used.set(key, used + taken);
    }
    return taken;
  }

  /** {@inheritDoc QuotaStore.release} */
  release(key: string, count: number): void {
    const left = (this.#used.get(key) ?? 0) - count;
    if (left > 0) this.#used.set(key, left);
    else this.#used.delete(key);
  }

  /** {@inheritDoc QuotaStore.used} */
  used(key: string): number {
    return this.#used.get(key) ?? 0;
  }

  // Keys end in the day; once a newer day is in use, older days can never be asked for again.
  #dropOtherDays(key: string): void {
    const day = key.slice(-10);
    for (const other of this.#used.keys()) {
      if (other.slice(-10) < day) this.#used.delete(other);
    }
  }
}

/** The store `prewarm()` uses unless given one: one per process or Worker isolate. */
export const defaultQuotaStore: MemoryQuotaStore = new MemoryQuotaStore();

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The Beijing-time (UTC+8) date, `YYYY-MM-DD`, of a time in ms: the quota day. */
export function beijingDay(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** Milliseconds from `ms` until the next 00:00 Beijing time, when the daily quota resets. */
export function msUntilBeijingMidnight(ms: number): number {
  const day = 24 * 60 * 60 * 1000;
  return day - ((ms + BEIJING_OFFSET_MS) % day + day) % day;
}

/** The quota areas a prefetch area spends: `global` spends both mainland and overseas. */
export function quotaAreas(area: string): string[] {
  return area === "global" ? ["mainland", "overseas"] : [area];
}

/** The budget keys a prefetch to `area` at time `ms` spends: one per {@linkcode quotaAreas}. */
export function quotaKeys(secretId: string, area: string, ms: number): string[] {
  return quotaAreas(area).map((a) => quotaKey(secretId, a, ms));
}

/** The budget key for an account, an area and a time: `<secretId>:<area>:<YYYY-MM-DD>`. */
export function quotaKey(secretId: string, area: string, ms: number): string {
  return `${secretId}:${area}:${beijingDay(ms)}`;
}
