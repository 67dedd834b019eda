import assert from "node:assert/strict";
import { BudgetLedger, MemoryCoordinator, RequestWindow } from "../src/coordinator/memory.ts";
import { beijingDay, budgetKeys, msUntilBeijingMidnight } from "../src/rules/budget_day.ts";
import { fuzzSeed, Random, reproduce } from "./_random.ts";
import { coordinatorConformance } from "./_coordinator_conformance.ts";

const DAY = "2026-01-01";
const T = Date.parse(`${DAY}T04:00:00Z`);
const hold = (count: number, limit = 1000, keys = [`push:overseas:${DAY}`], now = T) => ({
  keys,
  count,
  limit,
  leaseMs: 60_000,
  now,
});

Deno.test("the quota day is the Beijing (UTC+8) date; global spends both areas", () => {
  assert.equal(beijingDay(Date.UTC(2026, 10, 28, 15, 59, 59)), "2026-11-28");
  assert.equal(beijingDay(Date.UTC(2026, 10, 28, 16, 0, 0)), "2026-11-29");
  assert.equal(msUntilBeijingMidnight(Date.UTC(2026, 10, 28, 15, 59, 59)), 1000);
  assert.equal(msUntilBeijingMidnight(Date.UTC(2026, 10, 28, 16, 0, 0)), 24 * 3600 * 1000);
  assert.deepEqual(budgetKeys("global", Date.UTC(2026, 0, 1)), [
    "push:mainland:2026-01-01",
    "push:overseas:2026-01-01",
  ]);
});

Deno.test("budget: free, held, spent; busy is told apart from spent", () => {
  const c = new MemoryCoordinator();
  const key = `push:overseas:${DAY}`;
  const a = c.hold("acct", hold(600));
  assert.deepEqual([a.granted, a.heldByOthers], [600, 0]);
  const b = c.hold("acct", hold(600));
  assert.deepEqual([b.granted, b.heldByOthers], [400, 600], "the rest is held, not spent");
  const none = c.hold("acct", hold(1));
  assert.deepEqual([none.granted, none.heldByOthers], [0, 1000]);
  c.settle("acct", a.id, 0, 600, T); // a failed surely unsent: its budget comes back
  assert.deepEqual(c.usage("acct", key, T), { spent: 0, held: 400, exhausted: false });
  c.settle("acct", b.id, 400, 0, T);
  assert.deepEqual(c.usage("acct", key, T), { spent: 400, held: 0, exhausted: false });
  const later = c.hold("acct", hold(700));
  assert.equal(later.granted, 600);
  c.settle("acct", later.id, 600, 0, T);
  const spent = c.hold("acct", hold(1));
  assert.deepEqual([spent.granted, spent.heldByOthers], [0, 0], "spent, so not busy");
  assert.equal(c.hold("other", hold(5)).granted, 5, "accounts are apart");
});

Deno.test("budget: partial settles, exhaustion, and a lapsed lease counts as spent", () => {
  const c = new MemoryCoordinator();
  const key = `push:overseas:${DAY}`;
  const h = c.hold("acct", hold(10));
  c.settle("acct", h.id, 3, 0, T);
  c.settle("acct", h.id, 0, 2, T);
  assert.deepEqual(c.usage("acct", key, T), { spent: 3, held: 5, exhausted: false });
  // The holder vanished: after the lease the 5 held units may have been sent.
  assert.deepEqual(c.usage("acct", key, T + 60_001), { spent: 8, held: 0, exhausted: false });
  c.settle("acct", h.id, 0, 5, T + 60_002); // too late to give back
  assert.equal(c.usage("acct", key, T + 60_002).spent, 8);
  c.exhaust("acct", [key], T);
  const after = c.hold("acct", hold(1));
  assert.deepEqual([after.granted, after.heldByOthers], [0, 0]);
  assert.equal(c.usage("acct", key, T).exhausted, true);
});

Deno.test("budget: global holds both areas at the smaller grant; old days are dropped", () => {
  const c = new MemoryCoordinator();
  const keys = budgetKeys("global", T);
  c.settle("acct", c.hold("acct", hold(900, 1000, [keys[1]!])).id, 900, 0, T);
  const both = c.hold("acct", hold(500, 1000, keys));
  assert.equal(both.granted, 100);
  assert.equal(c.usage("acct", keys[0]!, T).held, 100);
  assert.equal(c.usage("acct", keys[1]!, T).held, 100);
  c.settle("acct", both.id, 100, 0, T);
  const next = T + 24 * 3600_000;
  const tomorrow = budgetKeys("overseas", next);
  assert.equal(c.hold("acct", hold(1000, 1000, tomorrow, next)).granted, 1000);
  assert.equal(c.usage("acct", keys[1]!, next).spent, 0, "yesterday is gone");
});

Deno.test("budget: never overspent under random hold/settle/expire sequences", () => {
  const seed = fuzzSeed();
  {
    for (let round = 0; round < 300; round++) {
      const random = new Random(seed + round);
      const ledger = BudgetLedger.create();
      const limit = random.int(1, 200);
      const key = `push:overseas:${DAY}`;
      let now = T;
      const holds: { id: string; count: number }[] = [];
      let sentSpent = 0;
      for (let step = 0; step < 60; step++) {
        const op = random.int(0, 3);
        if (op === 0 || holds.length === 0) {
          const got = BudgetLedger.hold(ledger, { ...hold(random.int(1, 80), limit), now });
          if (got.granted > 0) holds.push({ id: got.id, count: got.granted });
        } else if (op === 1) {
          const h = holds.splice(random.int(0, holds.length - 1), 1)[0]!;
          const spend = random.int(0, h.count);
          BudgetLedger.settle(ledger, h.id, spend, h.count - spend, now);
          sentSpent += spend;
        } else {
          now += random.int(0, 30_000);
        }
        const { spent, held } = BudgetLedger.usage(ledger, key, now);
        const why = `round ${round}: ${reproduce(seed)}`;
        assert.ok(spent + held <= limit, `spent ${spent} + held ${held} <= ${limit}; ${why}`);
        assert.ok(spent >= sentSpent, `nothing spent is ever forgotten; ${why}`);
        assert.ok(JSON.parse(JSON.stringify(ledger)), "the state is plain data");
      }
    }
  }
});

Deno.test("request window: no more than the rate in any second; FIFO; bursts start at once", () => {
  const w = RequestWindow.create();
  const starts = Array.from({ length: 40 }, () => RequestWindow.book(w, 0, 18));
  assert.deepEqual(starts.slice(0, 18), Array(18).fill(0), "the first 18 start at once");
  // A second plus 100 ms of margin: a start that leaves late still keeps the server's second.
  assert.equal(starts[18], 1100);
  assert.deepEqual([...starts].sort((a, b) => a - b), starts, "first come, first served");
  for (const t of starts) {
    assert.ok(starts.filter((s) => s > t - 1000 && s <= t).length <= 18);
  }
});

Deno.test("request window: a rate limit halves the rate once per window; successes raise it", () => {
  const w = RequestWindow.create();
  for (let i = 0; i < 10; i++) RequestWindow.book(w, 0, Infinity);
  RequestWindow.observe(w, 10, "rate-limited");
  assert.equal(w.rate, 5, "half of what was let through in the last second");
  RequestWindow.observe(w, 20, "rate-limited");
  assert.equal(w.rate, 5, "one burst of refusals lowers it once");
  RequestWindow.observe(w, 1200, "ok");
  assert.equal(w.rate, 5.5);
  const late = RequestWindow.book(w, 1200, 100);
  assert.equal(late, 1200);
  for (let i = 0; i < 4; i++) RequestWindow.book(w, 1200, 100);
  assert.equal(RequestWindow.book(w, 1200, 100), 2300, "five per window now, whatever the cap");
  for (let i = 0; i < 30; i++) RequestWindow.observe(w, 3500, "rate-limited");
  assert.equal(w.rate, 2, "never below two per second");
});

Deno.test("coordinator: budgetChanged wakes a waiter when budget is given back", async () => {
  const c = new MemoryCoordinator();
  const h = c.hold("acct", hold(1000));
  let woke = false;
  const waiting = c.budgetChanged("acct", 60_000).then(() => woke = true);
  await Promise.resolve();
  assert.equal(woke, false);
  c.settle("acct", h.id, 0, 1000, T);
  await waiting;
  assert.equal(woke, true);
  const aborted = new AbortController();
  const abortedWait = c.budgetChanged("acct", 60_000, aborted.signal);
  aborted.abort(new Error("stop"));
  await assert.rejects(abortedWait, /stop/);
});

coordinatorConformance("MemoryCoordinator", () => {
  let clock = 0;
  const coordinator = new MemoryCoordinator({ clock: () => clock });
  return Promise.resolve({
    client: () => coordinator,
    setClock: (ms) => void (clock = ms),
    close: () => Promise.resolve(),
  });
});
