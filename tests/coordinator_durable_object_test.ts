/**
 * `@qcdn/prewarm/cloudflare` in workerd (Miniflare): the conformance suite through real
 * `durableObjectCoordinator()` clients and the real object, the object failing mid-run, and a
 * restart that must not forget spent or held budget.
 */
import assert from "node:assert/strict";
import type { Coordinator, PrewarmReport } from "../mod.ts";
import {
  type DurableObjectStorage,
  PrewarmCoordinator,
} from "../src/coordinator/durable_object.ts";
import { SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "../src/testing/mod.ts";
import { coordinatorConformance } from "./_coordinator_conformance.ts";
import { assertAccounted, urlsOn } from "./_helpers.ts";
import { type ServerProcess, startServer } from "./router/processes.ts";

const ROOT = new URL("../", import.meta.url);
const NOW = Date.UTC(2026, 10, 28, 4, 0, 0);
const KEY = "push:overseas:2026-11-28";

async function bundleTestWorker(dir: string): Promise<string> {
  const out = `${dir}/do_worker.mjs`;
  const { code, stderr } = await new Deno.Command("node", {
    args: ["tools/bundle.mjs", "tests/coordinators/do_worker.ts", out, "--platform=browser"],
    cwd: ROOT,
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  return out;
}

/** Serves the test Worker with its Durable Object (persisted in `persist` when given). */
function serve(bundle: string, persist?: string): Promise<ServerProcess> {
  const options = {
    durableObjects: { COORDINATOR: { className: "TestCoordinator", useSQLite: true } },
    ...(persist ? { durableObjectsPersist: persist } : {}),
  };
  return startServer({
    command: "node",
    args: ["tests/router/miniflare_host.mjs", bundle, "{}", JSON.stringify(options)],
    env: {},
    cwd: ROOT,
  });
}

async function post(server: ServerProcess, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${server.url}${path}`, {
    method: "POST",
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error);
  return path === "call" ? answer.result : answer;
}

let clients = 0;
/** A `durableObjectCoordinator()` client in the Worker, driven from here. */
function remoteClient(server: ServerProcess): Coordinator {
  const client = `client-${clients++}`;
  // deno-lint-ignore no-explicit-any
  const call = (method: string) => (...args: unknown[]): any =>
    post(server, "call", { client, method, args });
  return {
    schedule: call("schedule"),
    observe: call("observe"),
    hold: call("hold"),
    settle: call("settle"),
    exhaust: call("exhaust"),
    usage: call("usage"),
  };
}

let shared: { dir: string; bundle: string } | undefined;
async function testWorker(): Promise<{ dir: string; bundle: string }> {
  if (!shared) {
    const dir = await Deno.makeTempDir({ prefix: "prewarm-do-" });
    shared = { dir, bundle: await bundleTestWorker(dir) };
  }
  return shared;
}

coordinatorConformance("Durable Object (workerd)", async () => {
  const server = await serve((await testWorker()).bundle);
  return {
    client: () => remoteClient(server),
    setClock: async (ms) => void await post(server, "clock", { ms }),
    close: async () => void await server.stop(),
  };
});

Deno.test("durable object: an object that fails stops sending; the report keeps every URL", async () => {
  const sim = new TencentCdnSimulator({ domains: ["*.example.com"] });
  const simServer = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, sim.handle);
  const server = await serve((await testWorker()).bundle);
  try {
    // The first batch holds and settles (two requests to the object); then it fails.
    await post(server, "fail", { after: 2 });
    const input = Array.from({ length: 4 }, (_, i) => urlsOn(`h${i}.example.com`, 3)).flat();
    const report = await post(server, "prewarm", {
      urls: input,
      options: {
        credentials: { ...SIMULATOR_CREDENTIALS },
        endpoint: `http://127.0.0.1:${simServer.addr.port}/`,
        concurrency: 1,
      },
    }) as PrewarmReport;
    assertAccounted(input, report);
    // On workerd a read goes first (its fetch cannot tell a dead endpoint from a dropped one).
    assert.deepEqual(
      sim.requests.map((r) => r.action),
      ["DescribePushQuota", "PushUrlsCache"],
      "nothing is sent once the object fails",
    );
    assert.equal(report.counts.submitted, 3);
    assert.equal(report.failed.length, 3);
    for (const failed of report.failed) {
      assert.equal(failed.maybeSubmitted, false);
      assert.equal(failed.error.code, "CoordinatorError");
      assert.match(failed.error.message, /storage is unreachable/);
    }
  } finally {
    await server.stop();
    await simServer.shutdown();
  }
});

Deno.test("durable object: a restart forgets neither spent nor held budget", async () => {
  const { bundle, dir } = await testWorker();
  const persist = `${dir}/persist`;
  const account = `AKIDrestart@cdn.example`;
  const request = { keys: [KEY], count: 10, limit: 10, leaseMs: 3600_000, now: NOW };
  let server = await serve(bundle, persist);
  try {
    const client = remoteClient(server);
    const got = await client.hold(account, request);
    assert.equal(got.granted, 10);
    await client.settle(account, got.id, 4, 0, NOW);
    await server.stop();
    server = await serve(bundle, persist);
    const after = remoteClient(server);
    assert.deepEqual(await after.usage(account, KEY, NOW), { spent: 4, held: 6, exhausted: false });
    await after.settle(account, got.id, 1, 5, NOW);
    assert.equal((await after.hold(account, { ...request, count: 9 })).granted, 5);
  } finally {
    await server.stop();
  }
});

Deno.test("durable object: remove the bundle", async () => {
  if (shared) await Deno.remove(shared.dir, { recursive: true });
});

/** Durable Object storage in a Map, to run the object's alarm on a chosen clock. */
class MapStorage implements DurableObjectStorage {
  readonly values = new Map<string, unknown>();
  alarm: number | null = null;
  get<T>(key: string): Promise<T | undefined> {
    return Promise.resolve(structuredClone(this.values.get(key)) as T | undefined);
  }
  put<T>(key: string, value: T): Promise<void> {
    this.values.set(key, structuredClone(value));
    return Promise.resolve();
  }
  deleteAll(): Promise<void> {
    this.values.clear();
    return Promise.resolve();
  }
  getAlarm(): Promise<number | null> {
    return Promise.resolve(this.alarm);
  }
  setAlarm(at: number): Promise<void> {
    this.alarm = at;
    return Promise.resolve();
  }
  deleteAlarm(): Promise<void> {
    this.alarm = null;
    return Promise.resolve();
  }
}

Deno.test("durable object: the alarm drops days no caller can ask for, then the idle account", async () => {
  let clock = NOW;
  class Clocked extends PrewarmCoordinator {
    protected override now(): number {
      return clock;
    }
  }
  const storage = new MapStorage();
  const object = new Clocked({ storage, blockConcurrencyWhile: (fn) => fn() });
  const apply = async (operations: unknown[]) => {
    const answer = await object.fetch(
      new Request("https://do/", { method: "POST", body: JSON.stringify(operations) }),
    );
    assert.equal(answer.status, 200);
    return await answer.json();
  };
  const [hold] = await apply([{
    op: "hold",
    keys: [KEY],
    count: 5,
    limit: 10,
    leaseMs: 3600_000,
    now: NOW,
    slot: { action: "PushUrlsCache", maxPerSecond: null },
  }]);
  await apply([{ op: "settle", holdId: hold.id, spent: 2, released: 0, now: NOW }]);
  // 01:00 Beijing time after the next midnight.
  assert.equal(storage.alarm, Date.UTC(2026, 10, 28, 17, 0, 0));

  clock = storage.alarm!; // the next day: yesterday is kept, the lapsed hold became spent
  await object.alarm();
  assert.deepEqual(await apply([{ op: "usage", key: KEY, now: clock }]), [{
    spent: 5,
    held: 0,
    exhausted: false,
  }]);
  assert.equal(storage.alarm, Date.UTC(2026, 10, 29, 17, 0, 0));

  clock = storage.alarm!; // two days on: nothing is left, so nothing is kept
  await object.alarm();
  assert.equal(storage.values.size, 0);
  assert.equal(storage.alarm, null);
  const answer = await object.fetch(new Request("https://do/", { method: "POST", body: "[]" }));
  assert.equal(answer.status, 400);
  assert.match((await answer.json()).error, /non-empty array of coordinator operations/);
});
