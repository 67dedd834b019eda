/**
 * What the shared-store coordinators (`./cloudflare`, `./deno-kv`) have in common: the
 * operations a client asks of the store, as plain data; how the store applies a list of them
 * to one account's state atomically, with the rules of {@linkcode RequestWindow} and
 * {@linkcode BudgetLedger}; and {@linkcode StoreCoordinator}, the client side, which implements
 * {@linkcode Coordinator} over any transport that applies such a list.
 *
 * Round trips: a gate observation is not sent on its own; it rides on the account's next
 * operation (the next schedule, hold or settle), so a batch costs one round trip to hold its
 * budget and book its first start, and one to settle.
 * @module
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import {
  type BudgetHold,
  type BudgetHoldRequest,
  BudgetLedger,
  type BudgetState,
  type BudgetUsage,
  type Coordinator,
  type GateOutcome,
  holdAndBook,
  RequestWindow,
  type RequestWindowState,
} from "./memory.ts";

/** A number that may be `Infinity`, as JSON can carry it: `null` stands for `Infinity`. */
export type WireNumber = number | null;

/** One operation on an account's coordinator state, as plain JSON. */
export type StoreOperation =
  | { op: "schedule"; action: string; maxPerSecond: WireNumber }
  | { op: "observe"; action: string; outcome: GateOutcome }
  | {
    op: "hold";
    keys: string[];
    count: number;
    limit: WireNumber;
    leaseMs: number;
    now: number;
    slot?: { action: string; maxPerSecond: WireNumber };
  }
  | { op: "settle"; holdId: string; spent: number; released: number; now: number }
  | { op: "exhaust"; keys: string[]; now: number }
  | { op: "usage"; key: string; now: number };

/** One account's whole coordinator state: plain data, for a store to keep. */
export interface StoreState {
  /** The budget. */
  budget: BudgetState;
  /** The request window of each action. */
  windows: Record<string, RequestWindowState>;
}

/** A new, empty account state. */
export function emptyStoreState(): StoreState {
  return { budget: BudgetLedger.create(), windows: {} };
}

const toWire = (n: number): WireNumber => (n === Infinity ? null : n);
const fromWire = (n: WireNumber): number => (n === null ? Infinity : n);

/** Which parts of the state a list of operations reads and writes. */
export function touchedBy(operations: readonly StoreOperation[]): {
  budget: boolean;
  actions: string[];
} {
  const actions = new Set<string>();
  let budget = false;
  for (const operation of operations) {
    if (operation.op === "schedule" || operation.op === "observe") {
      actions.add(operation.action);
    } else {
      budget = true;
      if (operation.op === "hold" && operation.slot) actions.add(operation.slot.action);
    }
  }
  return { budget, actions: [...actions] };
}

/**
 * Applies operations in order to an account's state, as one atomic step, and returns each
 * one's result. `clock` is the store's time for the request windows (one clock for every
 * client of the account); budget operations carry their callers' time.
 */
export function applyOperations(
  state: StoreState,
  operations: readonly StoreOperation[],
  clock: number,
): unknown[] {
  const window = (action: string) => (state.windows[action] ??= RequestWindow.create());
  const book = (action: string, max: number) =>
    RequestWindow.book(window(action), clock, max) - clock;
  return operations.map((operation): unknown => {
    switch (operation.op) {
      case "schedule":
        return book(operation.action, fromWire(operation.maxPerSecond));
      case "observe":
        RequestWindow.observe(window(operation.action), clock, operation.outcome);
        return null;
      case "hold": {
        const request: BudgetHoldRequest = {
          keys: operation.keys,
          count: operation.count,
          limit: fromWire(operation.limit),
          leaseMs: operation.leaseMs,
          now: operation.now,
        };
        const slot = operation.slot;
        if (slot) {
          request.slot = { action: slot.action, maxPerSecond: fromWire(slot.maxPerSecond) };
        }
        return holdAndBook(state.budget, request, book);
      }
      case "settle":
        BudgetLedger.settle(
          state.budget,
          operation.holdId,
          operation.spent,
          operation.released,
          operation.now,
        );
        return null;
      case "exhaust":
        BudgetLedger.exhaust(state.budget, operation.keys);
        return null;
      case "usage":
        return BudgetLedger.usage(state.budget, operation.key, operation.now);
      default:
        throw new TypeError(
          `Unknown coordinator operation: ${JSON.stringify((operation as { op: unknown }).op)}`,
        );
    }
  });
}

const OPERATIONS = new Set(["schedule", "observe", "hold", "settle", "exhaust", "usage"]);

/**
 * Checks what a store received is a list of operations (not what each field holds: only this
 * module's client writes them).
 * @throws {TypeError} naming what was wrong.
 */
export function parseOperations(value: unknown): StoreOperation[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(
      `Expected a non-empty array of coordinator operations, got ${
        Array.isArray(value) ? "an empty array" : typeof value
      }`,
    );
  }
  for (const [i, operation] of value.entries()) {
    const op = (operation as { op?: unknown } | null)?.op;
    if (typeof op !== "string" || !OPERATIONS.has(op)) {
      throw new TypeError(`Invalid coordinator operation [${i}]: op ${JSON.stringify(op)}`);
    }
  }
  return value as StoreOperation[];
}

/**
 * A name for an account that a store may see: the SHA-256 (hex) of `accountName()`, so the
 * store holds neither the secret id nor, of course, the secret key.
 */
export function accountKey(account: string): string {
  return bytesToHex(sha256(utf8ToBytes(account)));
}

/** Applies operations to one account's state in the store, atomically, and returns results. */
export type ApplyInStore = (
  account: string,
  operations: StoreOperation[],
) => Promise<unknown[]>;

// Observations waiting for the next operation of their account: advice, so capped.
const MAX_PENDING_OBSERVATIONS = 64;

function expect<T>(value: unknown, check: (v: unknown) => boolean, what: string): T {
  if (!check(value)) {
    throw new TypeError(`The coordinator store answered ${what} with ${JSON.stringify(value)}`);
  }
  return value as T;
}

const isNumber = (v: unknown) => typeof v === "number";
const isObject = (v: unknown) => typeof v === "object" && v !== null;

/**
 * A {@linkcode Coordinator} whose state lives in a shared store: every method is one call of
 * `apply` (observations ride on the next call). Store failures reject, and `prewarm()` stops
 * sending.
 */
export class StoreCoordinator implements Coordinator {
  readonly #apply: ApplyInStore;
  readonly #pending = new Map<string, StoreOperation[]>();

  /** @param apply Applies operations to an account's state in the store. */
  constructor(apply: ApplyInStore) {
    this.#apply = apply;
  }

  async #one(account: string, operation: StoreOperation): Promise<unknown> {
    const pending = this.#pending.get(account) ?? [];
    this.#pending.delete(account);
    const results = await this.#apply(account, [...pending, operation]);
    if (!Array.isArray(results) || results.length !== pending.length + 1) {
      throw new TypeError(
        `The coordinator store answered ${
          Array.isArray(results) ? `${results.length} results` : typeof results
        } for ${pending.length + 1} operations`,
      );
    }
    return results[pending.length];
  }

  /** {@inheritDoc Coordinator.schedule} */
  async schedule(account: string, action: string, maxPerSecond: number): Promise<number> {
    const result = await this.#one(account, {
      op: "schedule",
      action,
      maxPerSecond: toWire(maxPerSecond),
    });
    return expect(result, isNumber, "schedule");
  }

  /** {@inheritDoc Coordinator.observe} Sent with the account's next operation. */
  observe(account: string, action: string, outcome: GateOutcome): void {
    const pending = this.#pending.get(account) ?? [];
    if (pending.length >= MAX_PENDING_OBSERVATIONS) pending.shift();
    pending.push({ op: "observe", action, outcome });
    this.#pending.set(account, pending);
  }

  /** {@inheritDoc Coordinator.hold} */
  async hold(account: string, request: BudgetHoldRequest): Promise<BudgetHold> {
    const { keys, count, limit, leaseMs, now, slot } = request;
    const operation: StoreOperation = {
      op: "hold",
      keys: [...keys],
      count,
      limit: toWire(limit),
      leaseMs,
      now,
    };
    if (slot) {
      operation.slot = { action: slot.action, maxPerSecond: toWire(slot.maxPerSecond) };
    }
    const result = await this.#one(account, operation);
    return expect(
      result,
      (v) => isObject(v) && isNumber((v as BudgetHold).granted),
      "hold",
    );
  }

  /** {@inheritDoc Coordinator.settle} */
  async settle(
    account: string,
    holdId: string,
    spent: number,
    released: number,
    now: number,
  ): Promise<void> {
    await this.#one(account, { op: "settle", holdId, spent, released, now });
  }

  /** {@inheritDoc Coordinator.exhaust} */
  async exhaust(account: string, keys: readonly string[], now: number): Promise<void> {
    await this.#one(account, { op: "exhaust", keys: [...keys], now });
  }

  /** {@inheritDoc Coordinator.usage} */
  async usage(account: string, key: string, now: number): Promise<BudgetUsage> {
    const result = await this.#one(account, { op: "usage", key, now });
    return expect(result, (v) => isObject(v) && isNumber((v as BudgetUsage).spent), "usage");
  }
}
