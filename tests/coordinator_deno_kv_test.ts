/**
 * `@qcdn/prewarm/deno-kv`: the conformance suite over several handles on one KV file, the
 * failure of the store mid-run, and several processes sharing one budget through a KV file.
 */
import assert from "node:assert/strict";
import { prewarm, type PrewarmReport } from "../mod.ts";
import { denoKvCoordinator } from "../src/coordinator/deno_kv.ts";
import { SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "../src/testing/mod.ts";
import { coordinatorConformance } from "./_coordinator_conformance.ts";
import { assertAccounted, urlsOn } from "./_helpers.ts";

const NOW = Date.UTC(2026, 10, 28, 4, 0, 0);

async function tempKvPath(): Promise<{ path: string; remove: () => Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "prewarm-kv-" });
  return { path: `${dir}/coordinator.kv`, remove: () => Deno.remove(dir, { recursive: true }) };
}

coordinatorConformance("Deno KV (three handles on one file)", async () => {
  const { path, remove } = await tempKvPath();
  const handles = await Promise.all([1, 2, 3].map(() => Deno.openKv(path)));
  let clock = 0;
  let next = 0;
  return {
    client: () => denoKvCoordinator(handles[next++ % handles.length]!, { clock: () => clock }),
    setClock: (ms) => void (clock = ms),
    close: async () => {
      for (const kv of handles) kv.close();
      await remove();
    },
  };
});

Deno.test("deno-kv: bad arguments are refused with the value seen", () => {
  assert.throws(
    () => denoKvCoordinator({} as Deno.Kv),
    /Invalid kv: expected a Deno KV database \(from Deno.openKv\(\)\), got object/,
  );
  const kv = { getMany: () => Promise.resolve([]), atomic: () => ({}) } as unknown as Deno.Kv;
  assert.throws(() => denoKvCoordinator(kv, { maxAttempts: 0 }), RangeError);
  assert.throws(
    () => denoKvCoordinator(kv, { prefix: "x" as unknown as string[] }),
    /Invalid option prefix: expected a KV key \(an array\), got string/,
  );
});

Deno.test("deno-kv: entries are named by a hash of the account, never the secret id", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const coordinator = denoKvCoordinator(kv, { prefix: ["p"] });
    const account = `${SIMULATOR_CREDENTIALS.secretId}@cdn.tencentcloudapi.com`;
    await coordinator.hold(account, {
      keys: ["push:overseas:2026-11-28"],
      count: 3,
      limit: 10,
      leaseMs: 1000,
      now: NOW,
      slot: { action: "PushUrlsCache", maxPerSecond: Infinity },
    });
    const keys = [];
    for await (const entry of kv.list({ prefix: ["p"] })) keys.push(entry.key);
    assert.equal(keys.length, 2, "the budget and the PushUrlsCache window");
    for (const key of keys) {
      assert.match(String(key[1]), /^[0-9a-f]{64}$/);
      assert.doesNotMatch(
        JSON.stringify(key.map(String)),
        new RegExp(SIMULATOR_CREDENTIALS.secretId),
      );
    }
  } finally {
    kv.close();
  }
});

Deno.test("deno-kv: a store that goes away stops sending, and the report keeps every URL", async () => {
  const sim = new TencentCdnSimulator({ now: () => NOW, domains: ["*.example.com"] });
  const kv = await Deno.openKv(":memory:");
  const input = Array.from({ length: 4 }, (_, i) => urlsOn(`h${i}.example.com`, 3)).flat();
  const report = await prewarm(input, {
    credentials: { ...SIMULATOR_CREDENTIALS },
    now: () => NOW,
    coordinator: denoKvCoordinator(kv),
    concurrency: 1,
    maxRequestsPerSecond: Infinity,
    // The database closes while the first batch is in flight: its settle fails.
    fetch: (url, init) => {
      kv.close();
      return sim.fetch(url, init);
    },
  });
  assertAccounted(input, report);
  assert.equal(sim.requests.length, 1, "nothing is sent once the store is gone");
  assert.equal(report.counts.submitted, 3, "the batch that was sent is reported as a task");
  assert.equal(report.failed.length, 3);
  for (const failed of report.failed) {
    assert.equal(failed.maybeSubmitted, false);
    assert.equal(failed.error.code, "CoordinatorError");
    assert.match(failed.error.message, /coordinator .* failed/);
  }
});

Deno.test("deno-kv: three processes sharing one KV file submit exactly the 1000-a-day budget", async () => {
  const { path, remove } = await tempKvPath();
  const sim = new TencentCdnSimulator({ domains: ["*.example.com"], dailyLimit: 1000 });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, sim.handle);
  try {
    const endpoint = `http://127.0.0.1:${server.addr.port}/`;
    const script = new URL("./coordinators/kv_prewarm_process.ts", import.meta.url).pathname;
    const config = new URL("../deno.json", import.meta.url).pathname;
    const hosts = ["a.example.com", "b.example.com", "c.example.com"];
    const reports = await Promise.all(hosts.map(async (host) => {
      const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--unstable-kv",
          "-A",
          "--config",
          config,
          script,
          path,
          endpoint,
          host,
          "600",
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(stdout);
      assert.equal(code, 0, new TextDecoder().decode(stderr));
      return JSON.parse(text) as PrewarmReport;
    }));
    let submitted = 0;
    reports.forEach((report, i) => {
      assertAccounted(urlsOn(hosts[i]!, 600), report);
      assert.equal(report.counts.failed, 0, JSON.stringify(report.failed[0]?.error));
      for (const rejected of report.rejected) assert.equal(rejected.reason, "daily-limit");
      submitted += report.counts.submitted;
    });
    assert.equal(
      submitted,
      1000,
      `submitted per process: ${reports.map((r) => r.counts.submitted)}`,
    );
    assert.equal(sim.quotaUsed("overseas"), 1000);
    const refused = sim.requests.filter((r) =>
      /Limit/.test(r.outcome) && r.outcome !== "RequestLimitExceeded"
    );
    assert.deepEqual(refused, [], "Tencent never had to refuse for quota");
  } finally {
    await server.shutdown();
    await remove();
  }
});
