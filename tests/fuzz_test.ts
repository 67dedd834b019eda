/**
 * Property tests over generated inputs, each seeded (FUZZ_SEED reproduces a failure):
 * URL checks, form encoding, what the simulator receives (byte-identical URLs, signatures it
 * verifies with its own code), and the accounting invariant under random fault schedules, before
 * and after `recoverLostTasks()`.
 */
import assert from "node:assert/strict";
import { cdnV2 } from "../src/apis/cdn_v2.ts";
import { cdn } from "../src/apis/cdn.ts";
import {
  MemoryCoordinator,
  prewarm,
  type PrewarmOptions,
  type PrewarmReport,
  recoverLostTasks,
} from "../mod.ts";
import { checkUrl } from "../src/rules/urls.ts";
import { formEncode } from "../src/transport/v2.ts";
import {
  SIMULATOR_CREDENTIALS,
  type SimulatorFault,
  TencentCdnSimulator,
} from "../src/testing/mod.ts";
import { fuzzSeed, Random, reproduce } from "./_random.ts";
import { assertAccounted } from "./_helpers.ts";
import { FakeTime } from "./_fake_time.ts";

const NOW = Date.UTC(2026, 10, 28, 4, 0, 0);
const HOSTS = ["www.example.com", "static.example.com", "img.example.com"];

// Characters that stress encoding: reserved, percent, plus, unicode, astral (surrogate pairs).
const PATH_ALPHABET = [
  ..."abcXYZ019-._~",
  ..."!$&'()+,;=:@/?%[]", // no "#": a fragment is refused (it never reaches the CDN)
  "%20",
  "%2F",
  "%25",
  "é",
  "漢",
  "字",
  "ß",
  "😀",
  "\u00a0".replace(/./, "ñ"),
];

function validUrl(r: Random): string {
  const scheme = r.pick(["https", "http", "HTTPS"]);
  const host = r.pick(HOSTS);
  const port = r.chance(0.1) ? `:${r.int(1, 65535)}` : "";
  return `${scheme}://${host}${port}/${r.string(PATH_ALPHABET, r.int(0, 40))}`;
}

Deno.test("checkUrl never throws and accepts only what it promises", () => {
  const seed = fuzzSeed();
  const r = new Random(seed);
  for (let i = 0; i < 3000; i++) {
    const input = r.pick([
      () => r.anyText(r.int(0, 60)),
      () => "https://" + r.anyText(r.int(0, 40)),
      () => validUrl(r) + r.anyText(r.int(0, 5)),
      () => "http://a.com/" + "x".repeat(r.int(4000, 4200)),
    ])();
    let result;
    try {
      result = checkUrl(input);
    } catch (error) {
      assert.fail(`checkUrl threw ${error} for ${JSON.stringify(input)}; ${reproduce(seed)}`);
    }
    if ("reason" in result) continue;
    const url = result.url;
    const why = `${JSON.stringify(input)}; ${reproduce(seed)}`;
    assert.ok(/^https?:\/\//i.test(url), why);
    // deno-lint-ignore no-control-regex -- control characters are what must not get through.
    assert.ok(!/[\s\u0000-\u001f\u007f*]/u.test(url), why);
    assert.ok(url.length <= 4096, why);
    assert.doesNotThrow(() => encodeURIComponent(url), why);
    assert.equal(result.host, new URL(url).hostname, why);
    assert.equal(url, input, "sent exactly as given; " + why);
    assert.ok(!url.includes("#") && !url.includes("\\"), why);
    const written = /^https?:\/\/([^/?]*)/i.exec(url)![1]!.replace(/:\d*$/, "").toLowerCase();
    assert.equal(written, result.host, "the host as written is the host parsed; " + why);
  }
});

Deno.test("form encoding round-trips every well-formed string", () => {
  const seed = fuzzSeed();
  const r = new Random(seed);
  for (let i = 0; i < 3000; i++) {
    const text = r.anyText(r.int(0, 50));
    const wellFormed = !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
      .test(text);
    if (!wellFormed) {
      assert.throws(() => formEncode(text), URIError, reproduce(seed));
      continue;
    }
    const encoded = formEncode(text);
    assert.match(encoded, /^[A-Za-z0-9%._~-]*$/, reproduce(seed));
    assert.equal(new URLSearchParams("v=" + encoded).get("v"), text, reproduce(seed));
  }
});

Deno.test("what the simulator receives is byte-identical, and it verifies every signature", async () => {
  const seed = fuzzSeed();
  const r = new Random(seed);
  for (const api of ["v2", "v3"] as const) {
    for (const method of ["GET", "POST"] as const) {
      const sim = new TencentCdnSimulator({ now: () => NOW, dailyLimit: 100_000 });
      const input = Array.from({ length: 60 }, () => validUrl(r));
      const report = await prewarm(input, {
        credentials: SIMULATOR_CREDENTIALS,
        fetch: sim.fetch,
        now: () => NOW,
        api: api === "v2" ? cdnV2({ method }) : cdn(),
        coordinator: new MemoryCoordinator(),
        maxRequestsPerSecond: Infinity,
        retries: 0,
      });
      const why = `${api} ${method}; ${reproduce(seed)}`;
      assertAccounted(input, report);
      assert.deepEqual(report.failed.map((f) => f.error.message), [], why);
      const expected = report.tasks.flatMap((t) => t.urls).sort();
      const received = sim.accepted.flatMap((t) => t.urls).sort();
      assert.deepEqual(received, expected, why);
      assert.equal(
        report.counts.submitted + report.rejected.filter((x) => x.reason === "duplicate").length,
        input.length,
        why,
      );
    }
  }
});

const FAULTS: ReadonlyArray<(r: Random) => SimulatorFault> = [
  () => ({ type: "rate-limit" }),
  () => ({ type: "refuse" }),
  (r) => ({ type: "status", status: r.pick([429, 500, 502, 503, 504]) }),
  (r) => ({ type: "html", status: r.pick([502, 503]) }),
  () => ({ type: "reset" }),
  (r) => ({ type: "delay", ms: r.int(15, 40) }), // past the 10 ms timeout: ambiguous
  () => ({ type: "delay", ms: 1 }),
  (r) => ({
    type: "error",
    code: r.pick([
      "InternalError",
      "ResourceNotFound.CdnHostNotExists",
      "LimitExceeded.CdnPushExceedDayLimit",
      "LimitExceeded.CdnPushExceedBatchLimit",
      "ServiceUnavailable",
    ]),
  }),
];

async function settled(sim: TencentCdnSimulator): Promise<void> {
  while (sim.requests.some((q) => q.finishedAt === undefined)) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

Deno.test("accounting holds under random fault schedules", async () => {
  const seed = fuzzSeed();
  const r = new Random(seed);
  // The gate's pauses after a rate limit, backoffs, 10 ms timeouts and slow answers run on a
  // fake clock: in order, exactly, and without waiting for them.
  using time = new FakeTime(NOW);
  for (let round = 0; round < 60; round++) {
    const retryAmbiguous = r.chance(0.2);
    const api = r.pick(["v2", "v3"] as const);
    const sim = new TencentCdnSimulator({
      now: () => NOW,
      dailyLimit: r.pick([15, 60, 100_000]),
      v2BatchLimit: r.pick([5, 20]),
      v3BatchLimit: r.pick([5, 500]),
      requestsPerSecond: 100_000,
    });
    const faultRate = r.next() * 0.6;
    const v2Codes: Record<string, string> = {
      "InternalError": "6000",
      "ResourceNotFound.CdnHostNotExists": "4000",
      "ServiceUnavailable": "6200",
    };
    sim.faultPolicy = () => {
      if (!r.chance(faultRate)) return undefined;
      const fault = r.pick(FAULTS)(r);
      if (fault.type !== "error" || api === "v3") return fault;
      // The same conditions, in API 2.0's words.
      if (fault.code === "LimitExceeded.CdnPushExceedDayLimit") {
        return { type: "error", code: "4000", moduleCode: "23101" };
      }
      if (fault.code === "LimitExceeded.CdnPushExceedBatchLimit") {
        return { type: "error", code: "4000", moduleCode: "23100" };
      }
      return { type: "error", code: v2Codes[fault.code]! };
    };
    const input: string[] = [];
    for (let i = r.int(1, 80); i > 0; i--) {
      input.push(
        r.chance(0.1)
          ? r.anyText(r.int(0, 20))
          : r.chance(0.1) && input.length
          ? r.pick(input)
          : `https://${r.pick(HOSTS)}/f${r.int(0, 10_000)}`,
      );
    }
    const options: PrewarmOptions = {
      credentials: SIMULATOR_CREDENTIALS,
      fetch: sim.fetch,
      now: () => NOW,
      api: api === "v2" ? cdnV2() : cdn(),
      batchSize: r.pick([3, 7, 20]),
      concurrency: r.int(1, 6),
      retries: r.int(0, 3),
      retryDelayMs: 0,
      timeoutMs: 10,
      retryAmbiguous,
      dailyLimit: r.pick([10, 1000]),
      coordinator: new MemoryCoordinator(),
      maxRequestsPerSecond: Infinity,
      // Rate-limited attempts are retried without using up `retries`, within this bound.
      rateLimitWaitMs: r.pick([0, 30]),
    };
    const run = await time.run(prewarm(input, options));
    await time.run(settled(sim));
    const why = `round ${round}: ${
      JSON.stringify({
        ...options,
        fetch: undefined,
        credentials: undefined,
      })
    }; ${reproduce(seed)}`;
    // prewarm() alone looks nothing up.
    assert.ok(!sim.requests.some((q) => q.action === "DescribePushTasks"), why);
    // Then the step after the run, with the same options: its reads meet faults too.
    const reads = sim.requests.length;
    const report = await time.run(recoverLostTasks(run, options));
    await time.run(settled(sim));
    for (const [name, r] of [["run", run], ["recovered", report]] as const) {
      assertAccounted(input, r);
      assertTruthful(sim, r, retryAmbiguous, options.dailyLimit!, `${name}, ${why}`);
    }
    const lookups = sim.requests.slice(reads);
    assert.equal(report.counts.requests, run.counts.requests + lookups.length, why);
    assertRecoveredExactly(run, report, sim, lookups, why);
  }
});

/** What a report says agrees with what the server took, quota and budget included. */
function assertTruthful(
  sim: TencentCdnSimulator,
  report: PrewarmReport,
  retryAmbiguous: boolean,
  dailyLimit: number,
  why: string,
): void {
  const accepted = sim.accepted.flatMap((t) => t.urls);
  const submitted = report.tasks.flatMap((t) => t.urls);
  const maybe = new Set(report.failed.filter((f) => f.maybeSubmitted).flatMap((f) => f.urls));
  // Every reported task is real, with exactly its URLs.
  for (const task of report.tasks) {
    const urls = sim.accepted.filter((a) => a.taskId === task.taskId).flatMap((a) => a.urls);
    assert.deepEqual(urls.sort(), [...task.urls].sort(), why);
  }
  // Nothing the server took is unaccounted: it is in a task or marked maybeSubmitted.
  const submittedSet = new Set(submitted);
  for (const url of accepted) {
    assert.ok(submittedSet.has(url) || maybe.has(url), `${url}: ${why}`);
  }
  // Never sent twice unless the caller opted into ambiguous retries.
  if (!retryAmbiguous) assert.equal(new Set(accepted).size, accepted.length, why);
  // Quota spent equals what was reported submitted, plus at most the maybe-submitted.
  const spent = sim.quotaUsed("overseas");
  assert.ok(spent >= submitted.length, `spent ${spent} < submitted ${submitted.length}: ${why}`);
  if (!retryAmbiguous) {
    assert.ok(spent <= submitted.length + maybe.size, `spent ${spent}: ${why}`);
  }
  // The local budget never let more through than it allows.
  assert.ok(submitted.length + maybe.size <= dailyLimit, why);
}

/**
 * The step turned into tasks exactly the lost batches it should: one read per host with lost
 * batches (none for an API without a search), and, where every read was answered, each lost
 * batch whose URLs exactly one task the run did not report holds, and no other lost batch.
 */
function assertRecoveredExactly(
  run: PrewarmReport,
  report: PrewarmReport,
  sim: TencentCdnSimulator,
  lookups: readonly { action: string; outcome: string }[],
  why: string,
): void {
  const lost = run.failed.filter((f) => f.maybeSubmitted);
  const hosts = new Set(lost.map((f) => f.host));
  const searches = run.api === "v3" && hosts.size > 0;
  // Reads are retried when they fail: at least one per host, more only after a failure.
  const answered = lookups.filter((q) => q.outcome === "Success").length;
  assert.ok(lookups.every((q) => q.action === "DescribePushTasks"), why);
  assert.ok(searches ? answered <= hosts.size : lookups.length === 0, why);
  if (lookups.length === hosts.size && answered === hosts.size || !searches) {
    const known = new Set(run.tasks.map((t) => t.taskId));
    const held = new Map<string, number>();
    for (const a of sim.accepted) {
      if (!known.has(a.taskId)) held.set(key(a.urls), (held.get(key(a.urls)) ?? 0) + 1);
    }
    const lostKeys = new Map<string, number>();
    for (const f of lost) lostKeys.set(key(f.urls), (lostKeys.get(key(f.urls)) ?? 0) + 1);
    const expected = searches
      ? lost.filter((f) => held.get(key(f.urls)) === 1 && lostKeys.get(key(f.urls)) === 1)
      : [];
    assert.deepEqual(
      report.tasks.filter((t) => t.recovered).map((t) => key(t.urls)).sort(),
      expected.map((f) => key(f.urls)).sort(),
      why,
    );
  }
  // Whatever was read, only lost batches became tasks, each with the batch's host and URLs.
  const before = new Set(run.tasks);
  for (const task of report.tasks.filter((t) => !before.has(t))) {
    assert.equal(task.recovered, true, why);
    assert.ok(lost.some((f) => f.host === task.host && key(f.urls) === key(task.urls)), why);
  }
}

/** A set of URLs as one comparable string. */
const key = (urls: readonly string[]) => JSON.stringify([...urls].sort());
