/**
 * The account coordinator on a Cloudflare Durable Object: one object per account holds the
 * day's budget (free, held, spent, with leases) and the account's request windows, so every
 * isolate and location of a Worker shares them.
 *
 * ```ts ignore
 * import { prewarmRouter } from "@qcdn/prewarm/hono";
 * import { durableObjectCoordinator } from "@qcdn/prewarm/cloudflare";
 * export { PrewarmCoordinator } from "@qcdn/prewarm/cloudflare";
 *
 * export default prewarmRouter<{ Bindings: { PREWARM_COORDINATOR: DurableObjectNamespace } }>({
 *   prewarm: (c) => ({ coordinator: durableObjectCoordinator(c.env.PREWARM_COORDINATOR) }),
 * });
 * ```
 *
 * `wrangler.toml` binds the class and creates it with a migration (see docs/coordinators.md):
 *
 * ```toml
 * [[durable_objects.bindings]]
 * name = "PREWARM_COORDINATOR"
 * class_name = "PrewarmCoordinator"
 *
 * [[migrations]]
 * tag = "v1"
 * new_sqlite_classes = ["PrewarmCoordinator"]
 * ```
 *
 * Cost: one Durable Object request when a batch takes its budget (and books its first start),
 * one when it settles, one per extra attempt (a retry books its own start).
 * @module
 */
import { BudgetLedger, type Coordinator } from "./memory.ts";
import { beijingDay, DAY_MS, msUntilBeijingMidnight } from "../rules/budget_day.ts";
import {
  accountKey,
  applyOperations,
  emptyStoreState,
  parseOperations,
  StoreCoordinator,
  type StoreState,
} from "./store.ts";

/** The id of a Durable Object (the part of `@cloudflare/workers-types` this module uses). */
export interface DurableObjectId {
  /** The id as a hex string. */
  toString(): string;
}

/** A stub to call a Durable Object through. */
export interface DurableObjectStub {
  /** Sends a request to the object. */
  fetch(request: Request): Promise<Response>;
}

/** A Durable Object namespace binding, `env.PREWARM_COORDINATOR` (the part this module uses). */
export interface DurableObjectNamespace {
  /** The id of the object with this name. */
  idFromName(name: string): DurableObjectId;
  /** A stub for an object. */
  get(id: DurableObjectId): DurableObjectStub;
}

/** A Durable Object's transactional storage (the part this module uses). */
export interface DurableObjectStorage {
  /** Reads a value. */
  get<T>(key: string): Promise<T | undefined>;
  /** Writes a value. */
  put<T>(key: string, value: T): Promise<void>;
  /** Deletes every value. */
  deleteAll(): Promise<void>;
  /** When the alarm is set for, or `null`. */
  getAlarm(): Promise<number | null>;
  /** Sets the alarm. */
  setAlarm(scheduledTime: number): Promise<void>;
  /** Removes the alarm. */
  deleteAlarm(): Promise<void>;
}

/** What the runtime passes a Durable Object's constructor (the part this module uses). */
export interface DurableObjectState {
  /** The object's storage. */
  storage: DurableObjectStorage;
  /** Runs `callback` before any request is delivered. */
  blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>;
}

const STATE_KEY = "state";
// A window unused this long has nothing left to pace; its adapted rate is forgotten.
const IDLE_WINDOW_MS = 3600_000;

/**
 * The Durable Object that coordinates one account (export it from your Worker's main module
 * and bind it; see the module doc). It applies each request's operations to the account's
 * state in memory, in one synchronous step, and writes the state to transactional storage
 * before answering, so a restart never forgets spent or held budget. An alarm after each
 * Beijing midnight drops days that can no longer be asked for, and deletes an idle account.
 */
export class PrewarmCoordinator {
  readonly #storage: DurableObjectStorage;
  readonly #ready: Promise<void>;
  #state: StoreState = emptyStoreState();
  #alarm: number | null = null;

  /**
   * Called by the runtime.
   * @param ctx The object's state and storage.
   * @param _env The Worker's bindings (unused).
   */
  constructor(ctx: DurableObjectState, _env?: unknown) {
    this.#storage = ctx.storage;
    this.#ready = ctx.blockConcurrencyWhile(async () => {
      this.#state = (await this.#storage.get<StoreState>(STATE_KEY)) ?? emptyStoreState();
      this.#alarm = await this.#storage.getAlarm();
    });
  }

  /** The object's clock, in ms: the request windows' (one clock for every client of the
   * account) and the alarm's. */
  protected now(): number {
    return Date.now();
  }

  /**
   * Applies a JSON list of operations (from {@linkcode durableObjectCoordinator}) and answers
   * their results. 400 for a malformed list; a storage failure rejects, so the caller fails
   * closed.
   */
  async fetch(request: Request): Promise<Response> {
    await this.#ready;
    if (request.method !== "POST") {
      return Response.json({ error: `Expected POST, got ${request.method}` }, { status: 405 });
    }
    let next: StoreState;
    let results: unknown[];
    try {
      const operations = parseOperations(await request.json());
      // Applied to a copy: a failing operation leaves the state as it was.
      next = structuredClone(this.#state);
      results = applyOperations(next, operations, this.now());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return Response.json({ error: message }, { status: 400 });
    }
    this.#state = next;
    await this.#storage.put(STATE_KEY, next);
    if (this.#alarm === null) {
      const now = this.now();
      this.#alarm = now + msUntilBeijingMidnight(now) + 3600_000;
      await this.#storage.setAlarm(this.#alarm);
    }
    return Response.json(results);
  }

  /** Called by the runtime at the alarm: drops what no caller can ask for again. */
  async alarm(): Promise<void> {
    await this.#ready;
    const now = this.now();
    const state = this.#state;
    BudgetLedger.expire(state.budget, now);
    // Yesterday is kept: a caller's clock may lag behind.
    BudgetLedger.dropOldDays(state.budget, [`cleanup:${beijingDay(now - DAY_MS)}`]);
    for (const [action, window] of Object.entries(state.windows)) {
      const last = window.starts[window.starts.length - 1] ?? -Infinity;
      if (last < now - IDLE_WINDOW_MS) delete state.windows[action];
    }
    const idle = Object.keys(state.budget.keys).length === 0 &&
      Object.keys(state.budget.holds).length === 0 &&
      Object.keys(state.windows).length === 0;
    if (idle) {
      this.#state = emptyStoreState();
      this.#alarm = null;
      await this.#storage.deleteAll();
      await this.#storage.deleteAlarm();
      return;
    }
    await this.#storage.put(STATE_KEY, state);
    this.#alarm = now + msUntilBeijingMidnight(now) + 3600_000;
    await this.#storage.setAlarm(this.#alarm);
  }
}

/**
 * A {@linkcode Coordinator} over the {@linkcode PrewarmCoordinator} Durable Objects of a
 * namespace: one object per account, named by the SHA-256 of the secret id and endpoint
 * (never the secret key). Pass it as `coordinator` to `prewarm()` or the router's `prewarm`
 * options; making one per request is fine (it keeps no state but gate observations waiting
 * for the account's next call, which each batch's settle carries).
 *
 * A Durable Object that cannot be reached makes `prewarm()` stop sending; its report says
 * so for every URL not sent.
 *
 * @param namespace The binding, e.g. `env.PREWARM_COORDINATOR`.
 * @throws {TypeError} when `namespace` is not a Durable Object namespace binding.
 */
export function durableObjectCoordinator(namespace: DurableObjectNamespace): Coordinator {
  if (
    typeof namespace !== "object" || namespace === null ||
    typeof namespace.idFromName !== "function" || typeof namespace.get !== "function"
  ) {
    throw new TypeError(
      `Invalid namespace: expected a Durable Object namespace binding (is PREWARM_COORDINATOR bound in wrangler.toml?), got ${
        namespace === null ? "null" : typeof namespace
      }`,
    );
  }
  return new StoreCoordinator(async (account, operations) => {
    // A fresh stub each time: cheap, and a stub broken by a reset object is never reused.
    const stub = namespace.get(namespace.idFromName(accountKey(account)));
    const response = await stub.fetch(
      new Request("https://prewarm-coordinator.invalid/", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(operations),
      }),
    );
    if (!response.ok) {
      const text = (await response.text()).slice(0, 200);
      throw new Error(`the Durable Object answered HTTP ${response.status}: ${text}`);
    }
    return await response.json();
  });
}
