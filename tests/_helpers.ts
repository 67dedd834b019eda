import assert from "node:assert/strict";
import type { MemoryCoordinator, PrewarmReport } from "../mod.ts";
import {
  SIMULATOR_CREDENTIALS,
  type SimulatorFault,
  type TencentCdnSimulator,
} from "../src/testing/mod.ts";

/** Asserts every input string appears exactly once across tasks, rejected and failed, and that
 * exactly the failed batches that may have been processed carry `sentAt`. */
export function assertAccounted(input: readonly string[], report: PrewarmReport): void {
  const reported = [
    ...report.tasks.flatMap((t) => t.urls),
    ...report.rejected.map((r) => r.url),
    ...report.failed.flatMap((f) => f.urls),
  ];
  const normalise = (list: readonly string[]) => list.map((s) => s.trim()).sort();
  assert.deepEqual(normalise(reported), normalise(input), "every URL accounted for exactly once");
  assert.equal(report.counts.input, input.length);
  assert.equal(
    report.counts.submitted + report.counts.rejected + report.counts.failed,
    input.length,
  );
  // A batch that may have been processed says when it was sent (where to look for its task);
  // no other batch does.
  for (const f of report.failed) {
    assert.equal(typeof f.sentAt === "number", f.maybeSubmitted, `sentAt: ${JSON.stringify(f)}`);
  }
}

/** `count` URLs on `host`, numbered from `from`. */
export function urlsOn(host: string, count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, i) => `https://${host}/asset-${from + i}.js`);
}

/** Budget spent or held in a coordinator for the simulator's key, on an area and day. */
export function spentBudget(
  coordinator: MemoryCoordinator,
  area = "overseas",
  endpointHost = "cdn.tencentcloudapi.com",
  day = "2026-11-28",
): number {
  const account = `${SIMULATOR_CREDENTIALS.secretId}@${endpointHost}`;
  const usage = coordinator.usage(account, `push:${area}:${day}`, Date.parse(`${day}T04:00:00Z`));
  return usage.spent + usage.held;
}

/** The actions that submit a batch; every other request is a read. */
const SUBMISSIONS = new Set([
  "PushUrlsCache",
  "CdnOverseaPushser",
  "PurgeUrlsCache",
  "CreatePrefetchTask",
]);

/**
 * Injects faults into the next submissions only, in order: reads (the quota, `recoverLostTasks()`'s
 * lookup of a batch whose answer was lost) pass, so each fault meets the batch it is meant for.
 */
export function faultSubmissions(sim: TencentCdnSimulator, ...faults: SimulatorFault[]): void {
  const queue = [...faults];
  sim.faultPolicy = (info) => SUBMISSIONS.has(info.action) ? queue.shift() : undefined;
}

/** The requests of one action the simulator received. */
export function requestsOf(sim: TencentCdnSimulator, action: string): number {
  return sim.requests.filter((r) => r.action === action).length;
}
