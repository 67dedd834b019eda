/**
 * The account coordinator on Deno KV: every process, instance or machine that opens the same
 * KV database shares the account's budget (free, held, spent, with leases) and request
 * windows. Each operation reads the account's entries, applies the rules, and commits with a
 * versionstamp check, retrying on conflict.
 *
 * ```ts ignore
 * import { prewarm } from "@qcdn/prewarm";
 * import { denoKvCoordinator } from "@qcdn/prewarm/deno-kv";
 *
 * const kv = await Deno.openKv("./prewarm.kv"); // or Deno.openKv() on Deno Deploy
 * const report = await prewarm(["https://www.example.com/app.js"], {
 *   coordinator: denoKvCoordinator(kv),
 * });
 * ```
 *
 * `Deno.openKv` still needs `--unstable-kv` on the command line (or `"unstable": ["kv"]` in
 * deno.json) outside Deno Deploy; this module itself type-checks without it.
 * @module
 */
import type { Coordinator } from "./memory.ts";
import { abortableDelay, backoffDelay, type BackoffPolicy } from "../transport/retry.ts";
import { optionalFunction } from "../rules/option_checks.ts";
import {
  accountKey,
  applyOperations,
  emptyStoreState,
  StoreCoordinator,
  type StoreOperation,
  type StoreState,
  touchedBy,
} from "./store.ts";

/** A Deno KV key (`Deno.KvKey`). */
export type KvKey = readonly (string | number | bigint | boolean | symbol | Uint8Array)[];

/** An entry read from Deno KV (`Deno.KvEntryMaybe`). */
export interface KvEntryMaybe {
  /** Its key. */
  key: KvKey;
  /** Its value, or `null` when absent. */
  value: unknown;
  /** Its versionstamp, or `null` when absent. */
  versionstamp: string | null;
}

/** An atomic operation (`Deno.AtomicOperation`, the part this module uses). */
export interface KvAtomicOperation {
  /** Fails the commit unless each key still has the versionstamp. */
  check(...checks: { key: KvKey; versionstamp: string | null }[]): KvAtomicOperation;
  /** Writes a value. */
  set(key: KvKey, value: unknown, options?: { expireIn?: number }): KvAtomicOperation;
  /** Commits; `ok` is false when a check failed. */
  commit(): Promise<{ ok: boolean }>;
}

/** A Deno KV database (`Deno.Kv`, the part this module uses). */
export interface KvDatabase {
  /** Reads several entries at once, consistently. */
  getMany(keys: KvKey[]): Promise<KvEntryMaybe[]>;
  /** Starts an atomic operation. */
  atomic(): KvAtomicOperation;
}

/** Options of {@linkcode denoKvCoordinator}. */
export interface DenoKvCoordinatorOptions {
  /** The key prefix the coordinator's entries live under. @default {["qcdn-prewarm"]} */
  prefix?: KvKey;
  /**
   * The clock of the request windows, in ms: every process sharing the database must use the
   * same time, so it is the wall clock. @default {Date.now}
   */
  clock?: () => number;
  /** Commits tried before an operation fails (conflicts with other clients). @default {100} */
  maxAttempts?: number;
}

// A budget entry outlives its day (the newest day is at most 24 h old) by a margin;
// a request window left alone this long has nothing to pace.
const BUDGET_EXPIRE_MS = 2 * 24 * 3600_000;
const WINDOW_EXPIRE_MS = 24 * 3600_000;
const CONFLICT_BACKOFF: BackoffPolicy = { retries: 0, baseDelayMs: 1, maxDelayMs: 100 };

/**
 * A {@linkcode Coordinator} over Deno KV: atomic per account across every process that opens
 * the same database (a local file shared by several processes, or Deno Deploy's KV). Entries
 * are named by the SHA-256 of the secret id and endpoint, never the secret key, and expire
 * two days after their last write.
 *
 * A database that cannot be reached makes `prewarm()` stop sending; its report says so for
 * every URL not sent.
 *
 * @param kv The database, from `Deno.openKv()`.
 * @param options Prefix, clock and retries.
 * @throws {TypeError} for a `kv` that is not a Deno KV database, or malformed options.
 * @throws {RangeError} for `maxAttempts` below 1.
 */
export function denoKvCoordinator(
  kv: KvDatabase,
  options: DenoKvCoordinatorOptions = {},
): Coordinator {
  if (
    typeof kv !== "object" || kv === null || typeof kv.getMany !== "function" ||
    typeof kv.atomic !== "function"
  ) {
    throw new TypeError(
      `Invalid kv: expected a Deno KV database (from Deno.openKv()), got ${
        kv === null ? "null" : typeof kv
      }`,
    );
  }
  const { prefix = ["qcdn-prewarm"], maxAttempts = 100 } = options;
  const clock = optionalFunction<() => number>("clock", options.clock) ?? Date.now;
  if (!Array.isArray(prefix)) {
    throw new TypeError(
      `Invalid option prefix: expected a KV key (an array), got ${typeof prefix}`,
    );
  }
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(
      `Invalid option maxAttempts: expected an integer >= 1, got ${maxAttempts}`,
    );
  }
  return new StoreCoordinator((account, operations) =>
    applyInKv(kv, [...prefix, accountKey(account)], operations, clock, maxAttempts)
  );
}

async function applyInKv(
  kv: KvDatabase,
  base: KvKey,
  operations: StoreOperation[],
  clock: () => number,
  maxAttempts: number,
): Promise<unknown[]> {
  const { budget, actions } = touchedBy(operations);
  const keys: KvKey[] = actions.map((action) => [...base, "window", action]);
  if (budget) keys.unshift([...base, "budget"]);
  for (let attempt = 1;; attempt++) {
    const results = await tryOnce(kv, keys, budget, actions, operations, clock);
    if (results) return results;
    if (attempt >= maxAttempts) {
      throw new Error(
        `Deno KV: ${maxAttempts} commits in a row conflicted with other clients; giving up`,
      );
    }
    // Conflicting clients spread out (full jitter, at most 100 ms).
    await abortableDelay(backoffDelay(attempt, CONFLICT_BACKOFF));
  }
}

// SQLite's answer when another process holds the write lock of a local KV file: a conflict.
const LOCKED = /database is locked/;

/** One read-apply-commit; `undefined` when another client got in between. */
async function tryOnce(
  kv: KvDatabase,
  keys: KvKey[],
  budget: boolean,
  actions: string[],
  operations: StoreOperation[],
  clock: () => number,
): Promise<unknown[] | undefined> {
  try {
    const entries = await kv.getMany(keys);
    const state: StoreState = emptyStoreState();
    const parts = entries.map((entry) => entry.value);
    if (budget) state.budget = (parts[0] as StoreState["budget"] | null) ?? state.budget;
    actions.forEach((action, i) => {
      const window = parts[i + (budget ? 1 : 0)];
      if (window) state.windows[action] = window as StoreState["windows"][string];
    });
    const before = parts.map((part) => JSON.stringify(part));
    const results = applyOperations(state, operations, clock());
    const after = [...(budget ? [state.budget] : []), ...actions.map((a) => state.windows[a])];
    const commit = kv.atomic();
    let writes = 0;
    entries.forEach((entry, i) => {
      commit.check(entry);
      if (JSON.stringify(after[i]) === before[i]) return;
      const expireIn = budget && i === 0 ? BUDGET_EXPIRE_MS : WINDOW_EXPIRE_MS;
      commit.set(entry.key, after[i], { expireIn });
      writes++;
    });
    // Nothing changed: the consistent read is the answer.
    if (writes === 0 || (await commit.commit()).ok) return results;
    return undefined;
  } catch (error) {
    if (error instanceof Error && LOCKED.test(error.message)) return undefined;
    throw error;
  }
}
