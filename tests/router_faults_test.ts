/**
 * Upstream faults seen through the router: slow answers past the timeout, resets mid-body,
 * HTML error pages, 5xx bursts and rate-limit storms. In every case the status follows the
 * report, the report accounts for every URL, and "maybe submitted" is said when it is true.
 */
import assert from "node:assert/strict";
import type { PrewarmReport } from "../mod.ts";
import type { SimulatorFault } from "../src/testing/mod.ts";
import { assertAccounted, faultSubmissions } from "./_helpers.ts";
import { setup } from "./router/setup.ts";
import { FakeTime } from "./_fake_time.ts";

const URLS = [
  "https://www.example.com/a.js",
  "https://www.example.com/b.js",
  "https://static.example.com/c.css",
];

interface Case {
  name: string;
  faults: SimulatorFault[];
  status: number;
  submitted: number;
  maybeSubmitted: number;
  spent: number;
  /** Tasks found by looking up a batch whose answer was lost. */
  recovered?: number;
  options?: { rateLimitWaitMs?: number };
}

const CASES: Case[] = [
  {
    name: "slow past the timeout, both batches",
    faults: [{ type: "delay", ms: 60 }, { type: "delay", ms: 60 }],
    status: 502,
    submitted: 0,
    maybeSubmitted: 3,
    spent: 3,
  },
  {
    // Processed, then the answer broke off: the lookup after the run (recoverLostTasks())
    // finds the task it created.
    name: "reset mid-body on one batch",
    faults: [{ type: "reset" }],
    status: 200,
    submitted: 3,
    maybeSubmitted: 0,
    spent: 3,
    recovered: 1,
  },
  {
    name: "HTML error pages from a gateway",
    faults: [{ type: "html", status: 502 }, { type: "html", status: 504 }],
    status: 502,
    submitted: 0,
    maybeSubmitted: 3,
    spent: 0,
  },
  {
    name: "a 503 burst, retried through",
    faults: Array(3).fill({ type: "status", status: 503 }),
    status: 200,
    submitted: 3,
    maybeSubmitted: 0,
    spent: 3,
  },
  {
    name: "a rate-limit storm longer than rateLimitWaitMs",
    faults: Array(8).fill({ type: "rate-limit" }),
    options: { rateLimitWaitMs: 0 },
    status: 502,
    submitted: 0,
    maybeSubmitted: 0,
    spent: 0,
  },
  {
    name: "a short rate-limit storm",
    faults: Array(2).fill({ type: "rate-limit" }),
    status: 200,
    submitted: 3,
    maybeSubmitted: 0,
    spent: 3,
  },
];

for (const c of CASES) {
  Deno.test(`router under upstream faults: ${c.name}`, async () => {
    // Timeouts, slow answers and the gate's pauses after a rate limit, on a fake clock.
    using time = new FakeTime();
    const options = c.options ?? {};
    const { sim, postJson } = setup({}, { timeoutMs: 20, concurrency: 1, retries: 3, ...options });
    faultSubmissions(sim, ...c.faults);
    const response = await time.run(postJson({ urls: URLS }));
    const body = await time.run(response.json());
    const report: PrewarmReport = body.report ?? body;
    assert.equal(response.status, c.status);
    assertAccounted(URLS, report);
    assert.equal(report.counts.submitted, c.submitted);
    assert.equal(report.counts.maybeSubmitted, c.maybeSubmitted);
    assert.equal(report.tasks.filter((t) => t.recovered).length, c.recovered ?? 0);
    assert.equal(report.counts.requests, sim.requests.length, "the lookups are counted");
    for (const failed of report.failed) {
      assert.equal(typeof failed.error.code, "string");
      assert.equal(typeof failed.error.message, "string");
    }
    // Wait for delayed requests the client gave up on: the server still processes them.
    while (sim.requests.some((r) => r.finishedAt === undefined)) {
      await time.run(new Promise((resolve) => setTimeout(resolve, 5)));
    }
    assert.equal(sim.quotaUsed("overseas"), c.spent);
  });
}
