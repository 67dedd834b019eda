import assert from "node:assert/strict";
import { beijingDay, MemoryQuotaStore, msUntilBeijingMidnight, quotaKey } from "../src/quota.ts";

Deno.test("the quota day is the Beijing (UTC+8) date", () => {
  assert.equal(beijingDay(Date.UTC(2026, 10, 28, 15, 59, 59)), "2026-11-28");
  assert.equal(beijingDay(Date.UTC(2026, 10, 28, 16, 0, 0)), "2026-11-29");
  assert.equal(msUntilBeijingMidnight(Date.UTC(2026, 10, 28, 15, 59, 59)), 1000);
  assert.equal(msUntilBeijingMidnight(Date.UTC(2026, 10, 28, 16, 0, 0)), 24 * 3600 * 1000);
  assert.equal(quotaKey("AKID", "overseas", Date.UTC(2026, 0, 1)), "AKID:overseas:2026-01-01");
});

Deno.test("MemoryQuotaStore reserves atomically, partially, and releases", () => {
  const store = new MemoryQuotaStore();
  assert.equal(store.reserve("k:2026-01-01", 600, 1000), 600);
  assert.equal(store.reserve("k:2026-01-01", 600, 1000), 400);
  assert.equal(store.reserve("k:2026-01-01", 1, 1000), 0);
  store.release("k:2026-01-01", 100);
  assert.equal(store.used("k:2026-01-01"), 900);
  assert.equal(store.reserve("k:2026-01-01", 500, 1000), 100);
  assert.equal(store.reserve("k:2026-01-01", 5, 0), 0);
});

Deno.test("MemoryQuotaStore: concurrent reservations never pass the limit", async () => {
  const store = new MemoryQuotaStore();
  const grants = await Promise.all(
    Array.from(
      { length: 100 },
      () => Promise.resolve().then(() => store.reserve("x:2026-01-01", 17, 1000)),
    ),
  );
  assert.equal(grants.reduce((a, b) => a + b, 0), 1000);
});

Deno.test("MemoryQuotaStore forgets past days once a later day is used", () => {
  const store = new MemoryQuotaStore();
  store.reserve("k:2026-01-01", 10, 1000);
  store.reserve("k:2026-01-02", 1, 1000);
  assert.equal(store.used("k:2026-01-01"), 0);
  assert.equal(store.used("k:2026-01-02"), 1);
});
