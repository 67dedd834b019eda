/**
 * One conformance suite for every {@linkcode Coordinator}: the in-memory one, the Durable
 * Object (under workerd) and Deno KV run the same steps, so they keep the same rules. Each step
 * uses an account of its own, so one store serves the whole suite.
 */
import assert from "node:assert/strict";
import type { BudgetHoldRequest, Coordinator } from "../src/coordinator/memory.ts";
import { budgetKeys } from "../src/rules/budget_day.ts";
import { fuzzSeed, Random, reproduce } from "./_random.ts";

/** A store under test, with as many clients as a step asks for. */
export interface CoordinatorStore {
  /** A client of the store: a new one each call where the store has clients (KV, DO). */
  client(): Coordinator;
  /** Sets the clock the store's request windows run on, in ms. */
  setClock(ms: number): void | Promise<void>;
  /** Releases the store. */
  close(): Promise<void>;
}

/** The request window's length in ms: a second and a margin (see `src/coordinator/memory.ts`). */
const WINDOW = 1100;
/** 12:00 Beijing time on 2026-11-28. */
const NOON = Date.UTC(2026, 10, 28, 4, 0, 0);
const KEYS = budgetKeys("overseas", NOON);

const request = (
  count: number,
  limit: number,
  extra: Partial<BudgetHoldRequest> = {},
): BudgetHoldRequest => ({ keys: KEYS, count, limit, leaseMs: 60_000, now: NOON, ...extra });

let accounts = 0;
const freshAccount = () => `AKIDconformance${accounts++}-${crypto.randomUUID()}@cdn.example`;

/**
 * Registers the suite as one Deno test with a step per rule.
 * @param name The store's name in the test list.
 * @param open Opens the store (once for the whole suite).
 */
export function coordinatorConformance(
  name: string,
  open: () => Promise<CoordinatorStore>,
): void {
  Deno.test(`coordinator conformance: ${name}`, async (t) => {
    const store = await open();
    try {
      await t.step("free, held and spent; busy is told apart from spent", async () => {
        const [a, b] = [store.client(), store.client()];
        const account = freshAccount();
        const first = await a.hold(account, request(600, 1000));
        assert.deepEqual([first.granted, first.heldByOthers], [600, 0]);
        const second = await b.hold(account, request(600, 1000));
        assert.deepEqual([second.granted, second.heldByOthers], [400, 600]);
        const none = await a.hold(account, request(1, 1000));
        assert.deepEqual([none.granted, none.heldByOthers], [0, 1000]);
        await a.settle(account, first.id, 0, 600, NOON);
        assert.deepEqual(await b.usage(account, KEYS[0]!, NOON), {
          spent: 0,
          held: 400,
          exhausted: false,
        });
        await b.settle(account, second.id, 150, 0, NOON);
        await b.settle(account, second.id, 100, 150, NOON);
        assert.deepEqual(await a.usage(account, KEYS[0]!, NOON), {
          spent: 250,
          held: 0,
          exhausted: false,
        });
        const rest = await a.hold(account, request(1000, 1000));
        assert.equal(rest.granted, 750);
        await a.settle(account, rest.id, 750, 0, NOON);
        const spent = await b.hold(account, request(1, 1000));
        assert.deepEqual([spent.granted, spent.heldByOthers], [0, 0], "spent, so not busy");
      });

      await t.step("never overspent under concurrent hold/settle from many clients", async () => {
        const seed = fuzzSeed();
        const random = new Random(seed);
        const account = freshAccount();
        const limit = 120;
        const clients = Array.from({ length: 8 }, () => store.client());
        let outstanding = 0;
        let spentByClients = 0;
        const why = () =>
          `outstanding ${outstanding} + spent ${spentByClients}; ${reproduce(seed)}`;
        await Promise.all(clients.map(async (client, c) => {
          const mine = new Random(seed + c + 1);
          for (let round = 0; round < 12; round++) {
            const got = await client.hold(account, request(mine.int(1, 40), limit));
            outstanding += got.granted;
            assert.ok(outstanding + spentByClients <= limit, why());
            if (got.granted === 0) continue;
            const spend = mine.int(0, got.granted);
            outstanding -= got.granted;
            spentByClients += spend;
            // Settled in two parts, sometimes: each part counts once.
            if (spend > 0 && mine.chance(0.5)) {
              await client.settle(account, got.id, 1, 0, NOON);
              await client.settle(account, got.id, spend - 1, got.granted - spend, NOON);
            } else {
              await client.settle(account, got.id, spend, got.granted - spend, NOON);
            }
          }
        }));
        const usage = await clients[random.int(0, 7)]!.usage(account, KEYS[0]!, NOON);
        assert.deepEqual(usage, { spent: spentByClients, held: 0, exhausted: false }, why());
      });

      await t.step("a lapsed lease counts as spent, never as free", async () => {
        const [a, b] = [store.client(), store.client()];
        const account = freshAccount();
        const got = await a.hold(account, request(10, 10, { leaseMs: 1000 }));
        assert.equal(got.granted, 10);
        const before = await b.hold(account, request(1, 10, { now: NOON + 999 }));
        assert.deepEqual([before.granted, before.heldByOthers], [0, 10], "still held: busy");
        assert.deepEqual(await b.usage(account, KEYS[0]!, NOON + 1000), {
          spent: 10,
          held: 0,
          exhausted: false,
        });
        await a.settle(account, got.id, 0, 10, NOON + 1001); // too late to give back
        const after = await b.hold(account, request(1, 10, { now: NOON + 1002 }));
        assert.deepEqual([after.granted, after.heldByOthers], [0, 0]);
      });

      await t.step("the day rolls over at Beijing midnight; exhausted days stay shut", async () => {
        const client = store.client();
        const account = freshAccount();
        const lastSecond = Date.UTC(2026, 10, 28, 15, 59, 59); // 23:59:59 Beijing time
        const midnight = Date.UTC(2026, 10, 28, 16, 0, 0);
        const today = budgetKeys("overseas", lastSecond);
        const tomorrow = budgetKeys("overseas", midnight);
        assert.notDeepEqual(today, tomorrow);
        const spend = await client.hold(account, request(5, 5, { keys: today, now: lastSecond }));
        await client.settle(account, spend.id, 5, 0, lastSecond);
        await client.exhaust(account, today, lastSecond);
        const late = await client.hold(account, request(1, 5, { keys: today, now: lastSecond }));
        assert.equal(late.granted, 0);
        const next = await client.hold(account, request(5, 5, { keys: tomorrow, now: midnight }));
        assert.equal(next.granted, 5, "a new day, a new budget");
        assert.deepEqual(await client.usage(account, tomorrow[0]!, midnight), {
          spent: 0,
          held: 5,
          exhausted: false,
        });
        assert.equal((await client.usage(account, today[0]!, midnight)).exhausted, false);
        // Global holds both areas at once.
        const both = budgetKeys("global", midnight);
        const global = await client.hold(account, request(9, 5, { keys: both, now: midnight }));
        assert.equal(global.granted, 0, "overseas is held in full");
      });

      await t.step("request window: no more than N starts per second, as booked", async () => {
        const account = freshAccount();
        const clock = NOON;
        await store.setClock(clock);
        const clients = Array.from({ length: 6 }, () => store.client());
        const waits = (await Promise.all(
          clients.map((client) =>
            Promise.all(
              Array.from({ length: 7 }, () => client.schedule(account, "PushUrlsCache", 6)),
            )
          ),
        )).flat();
        // Six a window (a second and a margin), in order.
        assert.deepEqual(
          waits.sort((x, y) => x - y),
          Array.from({ length: 42 }, (_, i) => Math.floor(i / 6) * WINDOW),
        );
        const other = await clients[0]!.schedule(account, "DescribePushQuota", 6);
        assert.equal(other, 0, "each action has its own window");
      });

      await t.step(
        "request window: a rate limit slows every client; a hold books a start",
        async () => {
          const account = freshAccount();
          const [a, b] = [store.client(), store.client()];
          await store.setClock(NOON);
          for (let i = 0; i < 3; i++) {
            assert.equal(await a.schedule(account, "PushUrlsCache", 4), 0);
          }
          await a.observe(account, "PushUrlsCache", "rate-limited");
          // Three started in the last second: the rate falls to two a second (unslowed, a's
          // fourth start would be now).
          assert.equal(await a.schedule(account, "PushUrlsCache", 4), WINDOW);
          assert.equal(await b.schedule(account, "PushUrlsCache", 4), WINDOW, "b shares it");

          const booking = freshAccount();
          const slot = { action: "PushUrlsCache", maxPerSecond: 2 };
          const first = await a.hold(booking, request(3, 5, { slot }));
          const partial = await b.hold(booking, request(4, 5, { slot }));
          assert.deepEqual([partial.granted, partial.heldByOthers], [2, 3]);
          assert.equal(partial.wait, undefined, "a part given back while waiting books no start");
          await b.settle(booking, partial.id, 0, 2, NOON);
          const second = await b.hold(booking, request(2, 5, { slot }));
          assert.deepEqual([first.wait, second.wait], [0, 0]);
          const none = await a.hold(booking, request(1, 5, { slot }));
          assert.equal(none.granted, 0);
          assert.equal(none.wait, undefined, "nothing granted, nothing booked");
          assert.equal(
            await b.schedule(booking, "PushUrlsCache", 2),
            WINDOW,
            "holds took the slots",
          );
        },
      );
    } finally {
      await store.close();
    }
  });
}
