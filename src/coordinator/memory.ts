/**
 * The account coordinator: the one place that knows, for an account, how fast requests may
 * start (the request gate) and how much of the day's budget is free, held or spent.
 *
 * Every `prewarm()`, every read and every router request of an account goes through the same
 * coordinator (by default one per process or Worker isolate), so concurrent callers share the
 * account's request rate and never overspend its budget between them. The state machines are
 * plain data ({@linkcode RequestWindow}, {@linkcode BudgetLedger}) so that stores with atomic
 * operations (a Durable Object, Deno KV) can run the same rules.
 * @module
 */
import { abortableDelay } from "../transport/retry.ts";
import { optionalFunction } from "../rules/option_checks.ts";

/**
 * The window the request rate is counted over, in ms: a second, plus a margin for timers that
 * fire late and requests that travel at different speeds (a start booked late can land in the
 * same second of the server's clock as the next one).
 */
const WINDOW_MS = 1100;
/** The slowest the gate adapts down to, in request starts per second. */
const MIN_RATE = 2;
/** How much each success raises an adapted rate: back from half to full within about two
 * windows after a passing burst, while a server that keeps refusing keeps it near its limit. */
const RECOVERY_PER_SUCCESS = 0.5;

/** How an attempt that passed the gate ended, as far as the request rate is concerned. */
export type GateOutcome = "ok" | "rate-limited";

/** A request for budget. */
export interface BudgetHoldRequest {
  /** The budget keys to hold from (one per quota area and day, see `budgetKeys()`); the same
   * number of units is held under each. */
  keys: readonly string[];
  /** Units wanted. */
  count: number;
  /** The daily limit of each key; `Infinity` for none. */
  limit: number;
  /** How long the hold lives unless settled: after that it counts as spent (its holder may
   * have sent the request and vanished), never as free. */
  leaseMs: number;
  /** The caller's clock, in ms. */
  now: number;
  /**
   * Also books the start of the first request that spends the hold, in the same atomic step
   * (a remote store answers both in one round trip). Only a hold of everything asked for, or of
   * everything there is (none held by others), books one: a part the caller will give back
   * while it waits for the rest must not take a start.
   */
  slot?: { action: string; maxPerSecond: number };
}

/** What a hold got. */
export interface BudgetHold {
  /** Names the hold for {@linkcode Coordinator.settle}; empty when nothing was granted. */
  id: string;
  /** Units granted (≤ the count asked for), held under every key until settled. */
  granted: number;
  /** Units other holders have under these keys: budget that may still come free (so the
   * caller is told "busy", not "spent"). 0 when the keys are spent or exhausted. */
  heldByOthers: number;
  /** With `slot`, when a start was booked: ms to wait before that first request starts, as
   * `schedule()` would answer. Absent: the caller schedules it. */
  wait?: number;
}

/** One budget key's state. */
export interface BudgetUsage {
  /** Units accepted, maybe accepted, or held past their lease. */
  spent: number;
  /** Units held by requests in flight. */
  held: number;
  /** True once Tencent said the day's quota is gone: nothing more is granted today. */
  exhausted: boolean;
}

/**
 * What `prewarm()`, the reads and the router need from a coordinator. Implement it over a
 * store with atomic operations to share an account between isolates or machines (see the
 * `./cloudflare` and `./deno-kv` entry points); each method must be atomic for its account.
 * Methods may return promises.
 */
export interface Coordinator {
  /**
   * Books a start for one request of `action` and returns how many ms the caller must wait
   * before sending it (0: now). No more than `maxPerSecond` starts (and no more than the
   * adapted rate) fall in any one-second window.
   */
  schedule(
    account: string,
    action: string,
    maxPerSecond: number,
  ): number | Promise<number>;
  /** Tells the gate how a started request ended: a rate limit slows everyone down; successes
   * let the rate climb back. */
  observe(
    account: string,
    action: string,
    outcome: GateOutcome,
  ): void | Promise<void>;
  /** Holds up to `count` free units under every key, atomically. */
  hold(
    account: string,
    request: BudgetHoldRequest,
  ): BudgetHold | Promise<BudgetHold>;
  /** Settles part of a hold: `spent` units become spent, `released` units free again. */
  settle(
    account: string,
    holdId: string,
    spent: number,
    released: number,
    now: number,
  ): void | Promise<void>;
  /** Marks the keys exhausted for the day (Tencent reported its daily limit). */
  exhaust(
    account: string,
    keys: readonly string[],
    now: number,
  ): void | Promise<void>;
  /** Reads one key's state. */
  usage(
    account: string,
    key: string,
    now: number,
  ): BudgetUsage | Promise<BudgetUsage>;
  /**
   * Optional: resolves when the account's budget may have changed (a hold settled, a day was
   * exhausted), or after `ms`. Without it, callers waiting for held budget poll.
   */
  budgetChanged?(
    account: string,
    ms: number,
    signal?: AbortSignal,
  ): Promise<void>;
}

/** The plain state of one request window: JSON-safe, for stores that persist it. */
export interface RequestWindowState {
  /** Booked start times (ms on the window's clock), ascending; the past second and the future. */
  starts: number[];
  /** The adapted rate in starts per second; `null` until the first rate limit. */
  rate: number | null;
  /** When the rate was last lowered (ms), so that one burst of refusals halves it once. */
  lowered: number;
}

/**
 * The request gate's rules over a {@linkcode RequestWindowState}: a sliding one-second window
 * whose size adapts: halved on a rate-limit answer (at most once per window), raised by half a
 * request per second with each success.
 */
export const RequestWindow = {
  /** A new, empty window. */
  create(): RequestWindowState {
    return { starts: [], rate: null, lowered: -Infinity };
  },

  /** Books the earliest start at or after `now` that keeps the window; returns it. */
  book(state: RequestWindowState, now: number, maxPerSecond: number): number {
    const starts = state.starts;
    let drop = 0;
    while (drop < starts.length && starts[drop]! <= now - WINDOW_MS) drop++;
    if (drop > 0) starts.splice(0, drop);
    const size = Math.max(
      1,
      Math.floor(Math.min(maxPerSecond, state.rate ?? Infinity)),
    );
    let at = starts.length < size ? now : starts[starts.length - size]! + WINDOW_MS;
    // Starts stay in booking order: first come, first served.
    at = Math.max(at, now, starts[starts.length - 1] ?? -Infinity);
    starts.push(at);
    return at;
  },

  /** Adapts the rate to how a request ended. */
  observe(state: RequestWindowState, now: number, outcome: GateOutcome): void {
    if (outcome === "rate-limited") {
      if (now - state.lowered < WINDOW_MS) return;
      const recent = state.starts.filter((at) => at > now - WINDOW_MS && at <= now).length;
      state.rate = Math.max(
        MIN_RATE,
        Math.min(state.rate ?? Infinity, recent) / 2,
      );
      state.lowered = now;
    } else if (state.rate !== null) {
      state.rate += RECOVERY_PER_SUCCESS;
    }
  },
};

/** One hold in a {@linkcode BudgetState}. */
export interface BudgetHoldState {
  /** The keys it holds under. */
  keys: string[];
  /** Units still held. */
  count: number;
  /** When its lease ends (ms on the callers' clock). */
  expires: number;
}

/** The plain state of an account's budget: JSON-safe, for stores that persist it. */
export interface BudgetState {
  /** Spent units and exhaustion per key. */
  keys: Record<string, { spent: number; exhausted?: boolean }>;
  /** Holds in flight, by id. */
  holds: Record<string, BudgetHoldState>;
  /** The next hold number. */
  next: number;
}

/** The day a budget key belongs to: keys end in `YYYY-MM-DD`. */
function dayOf(key: string): string {
  return key.slice(-10);
}

/**
 * The budget's rules over a {@linkcode BudgetState}: free, held and spent units per key; holds
 * with leases that lapse into spent; days older than the newest one in use are dropped.
 */
export const BudgetLedger = {
  /** A new, empty budget. */
  create(): BudgetState {
    return { keys: {}, holds: {}, next: 1 };
  },

  /** Expired holds become spent: their holder may have sent and vanished. */
  expire(state: BudgetState, now: number): void {
    for (const [id, hold] of Object.entries(state.holds)) {
      if (hold.expires > now) continue;
      for (const key of hold.keys) {
        const entry = state.keys[key] ??= { spent: 0 };
        entry.spent += hold.count;
      }
      delete state.holds[id];
    }
  },

  /** The state of one key. */
  usage(state: BudgetState, key: string, now: number): BudgetUsage {
    BudgetLedger.expire(state, now);
    const entry = state.keys[key];
    let held = 0;
    for (const hold of Object.values(state.holds)) {
      if (hold.keys.includes(key)) held += hold.count;
    }
    return {
      spent: entry?.spent ?? 0,
      held,
      exhausted: entry?.exhausted === true,
    };
  },

  /** Takes up to `count` free units under every key at once. */
  hold(state: BudgetState, request: BudgetHoldRequest): BudgetHold {
    const { keys, count, limit, now } = request;
    BudgetLedger.expire(state, now);
    let granted = count;
    let heldByOthers = 0;
    for (const key of keys) {
      const { spent, held, exhausted } = BudgetLedger.usage(state, key, now);
      const free = exhausted ? 0 : Math.max(0, limit - spent - held);
      granted = Math.min(granted, free);
      if (!exhausted && limit - spent > 0) {
        heldByOthers = Math.max(heldByOthers, held);
      }
    }
    granted = Math.max(0, Math.floor(granted));
    if (granted === 0) return { id: "", granted, heldByOthers };
    BudgetLedger.dropOldDays(state, keys);
    const id = `h${state.next++}`;
    state.holds[id] = {
      keys: [...keys],
      count: granted,
      expires: now + request.leaseMs,
    };
    return { id, granted, heldByOthers };
  },

  /** Settles part of a hold; an unknown or lapsed hold was already counted spent. */
  settle(
    state: BudgetState,
    id: string,
    spent: number,
    released: number,
    now: number,
  ): void {
    BudgetLedger.expire(state, now);
    const hold = state.holds[id];
    if (!hold) return;
    const spend = Math.min(spent, hold.count);
    const free = Math.min(released, hold.count - spend);
    for (const key of hold.keys) {
      (state.keys[key] ??= { spent: 0 }).spent += spend;
    }
    hold.count -= spend + free;
    if (hold.count <= 0) delete state.holds[id];
  },

  /** Marks keys exhausted for their day. */
  exhaust(state: BudgetState, keys: readonly string[]): void {
    for (const key of keys) (state.keys[key] ??= { spent: 0 }).exhausted = true;
  },

  /** Once a newer day is in use, older days can never be asked for again. */
  dropOldDays(state: BudgetState, keys: readonly string[]): void {
    const newest = keys.map(dayOf).reduce((a, b) => (a > b ? a : b), "");
    for (const key of Object.keys(state.keys)) {
      const inUse = Object.values(state.holds).some((h) => h.keys.includes(key));
      if (dayOf(key) < newest && !inUse) delete state.keys[key];
    }
  },
};

/**
 * A hold and, when it is one the caller keeps and a slot was asked for, the booking of its
 * first request's start: the rule every coordinator follows for
 * {@linkcode BudgetHoldRequest.slot}.
 */
export function holdAndBook(
  budget: BudgetState,
  request: BudgetHoldRequest,
  book: (action: string, maxPerSecond: number) => number,
): BudgetHold {
  const got = BudgetLedger.hold(budget, request);
  const slot = request.slot;
  // Only a hold the caller keeps gets a start: all it asked for, or all there is. A caller
  // given part while others hold the rest gives it back and waits, and would waste the start.
  const kept = got.granted === request.count || got.heldByOthers === 0;
  if (slot && got.granted > 0 && kept) got.wait = book(slot.action, slot.maxPerSecond);
  return got;
}

/** Options of {@linkcode MemoryCoordinator}. */
export interface MemoryCoordinatorOptions {
  /** The monotonic clock of the request gate, in ms. @default {performance.now} */
  clock?: () => number;
}

interface AccountState {
  windows: Map<string, RequestWindowState>;
  budget: BudgetState;
  waiters: Set<() => void>;
}

/**
 * A {@linkcode Coordinator} in memory: atomic because each call runs to completion on one
 * thread. It coordinates everything in one process or Worker isolate that uses the same
 * instance; not between isolates or machines.
 */
export class MemoryCoordinator implements Coordinator {
  readonly #accounts = new Map<string, AccountState>();
  readonly #clock: () => number;

  /** Creates an empty coordinator. @param options The gate's clock. */
  constructor(options: MemoryCoordinatorOptions = {}) {
    this.#clock = optionalFunction<() => number>("clock", options.clock) ??
      (() => performance.now());
  }

  #account(account: string): AccountState {
    let state = this.#accounts.get(account);
    if (!state) {
      state = {
        windows: new Map(),
        budget: BudgetLedger.create(),
        waiters: new Set(),
      };
      this.#accounts.set(account, state);
    }
    return state;
  }

  #window(account: string, action: string): RequestWindowState {
    const windows = this.#account(account).windows;
    let window = windows.get(action);
    if (!window) windows.set(action, window = RequestWindow.create());
    return window;
  }

  /** {@inheritDoc Coordinator.schedule} */
  schedule(account: string, action: string, maxPerSecond: number): number {
    const now = this.#clock();
    return RequestWindow.book(
      this.#window(account, action),
      now,
      maxPerSecond,
    ) - now;
  }

  /** {@inheritDoc Coordinator.observe} */
  observe(account: string, action: string, outcome: GateOutcome): void {
    RequestWindow.observe(
      this.#window(account, action),
      this.#clock(),
      outcome,
    );
  }

  /** {@inheritDoc Coordinator.hold} */
  hold(account: string, request: BudgetHoldRequest): BudgetHold {
    return holdAndBook(
      this.#account(account).budget,
      request,
      (action, max) => this.schedule(account, action, max),
    );
  }

  /** {@inheritDoc Coordinator.settle} */
  settle(
    account: string,
    holdId: string,
    spent: number,
    released: number,
    now: number,
  ): void {
    const state = this.#account(account);
    BudgetLedger.settle(state.budget, holdId, spent, released, now);
    // Whether the units came free or were spent, a waiter's answer may have changed.
    this.#wake(state);
  }

  #wake(state: AccountState): void {
    const waiters = [...state.waiters];
    state.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** {@inheritDoc Coordinator.exhaust} */
  exhaust(account: string, keys: readonly string[], _now: number): void {
    const state = this.#account(account);
    BudgetLedger.exhaust(state.budget, keys);
    this.#wake(state);
  }

  /** {@inheritDoc Coordinator.usage} */
  usage(account: string, key: string, now: number): BudgetUsage {
    return BudgetLedger.usage(this.#account(account).budget, key, now);
  }

  /** {@inheritDoc Coordinator.budgetChanged} */
  budgetChanged(
    account: string,
    ms: number,
    signal?: AbortSignal,
  ): Promise<void> {
    const waiters = this.#account(account).waiters;
    const wake = new AbortController();
    const resolve = () => wake.abort();
    waiters.add(resolve);
    return abortableDelay(
      ms,
      AbortSignal.any([wake.signal, ...(signal ? [signal] : [])]),
    )
      .catch((error) => {
        if (!wake.signal.aborted) throw error;
      })
      .finally(() => waiters.delete(resolve));
  }
}

/** The coordinator used unless one is given: one per process or Worker isolate. */
export const defaultCoordinator: Coordinator = new MemoryCoordinator();

/**
 * Names an account for a coordinator: the secret id and the endpoint's host. Never the secret
 * key; a store that must not see the id either can hash this.
 */
export function accountName(secretId: string, endpoint: URL): string {
  return `${secretId}@${endpoint.host}`;
}
