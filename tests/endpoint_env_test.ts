/**
 * `TENCENTCLOUD_ENDPOINT`: read in one place (src/options.ts through `endpointFromEnv()`) when
 * `endpoint` is not given, for CDN API 3.0 calls only, on Deno, Node and Bun; never from a
 * Worker's mirrored `process.env`, only from the `env` passed to `endpointFromEnv(env)`.
 */
import assert from "node:assert/strict";
import {
  describePushQuota,
  endpointFromEnv,
  MemoryCoordinator,
  prewarm,
  type PrewarmOptions,
} from "../mod.ts";
import { cdnV2 } from "../src/apis/cdn_v2.ts";
import { edgeOne } from "../src/edgeone.ts";
import { SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "../src/testing/mod.ts";
import { endpointUsed } from "./endpoint/probe.ts";
import { childEnv, ROOT, TOOLS_BIN } from "./cli/run.ts";
import { setup } from "./router/setup.ts";
import { startWorker } from "./router/processes.ts";

const STAND_IN = "http://127.0.0.1:9/";

/** Runs `body` with TENCENTCLOUD_ENDPOINT set to `value` (or unset), then restores it. */
async function withEndpointVar<T>(value: string | undefined, body: () => Promise<T>): Promise<T> {
  const saved = Deno.env.get("TENCENTCLOUD_ENDPOINT");
  if (value === undefined) Deno.env.delete("TENCENTCLOUD_ENDPOINT");
  else Deno.env.set("TENCENTCLOUD_ENDPOINT", value);
  try {
    return await body();
  } finally {
    if (saved === undefined) Deno.env.delete("TENCENTCLOUD_ENDPOINT");
    else Deno.env.set("TENCENTCLOUD_ENDPOINT", saved);
  }
}

/** The URLs one prewarm() with `options` sent to (answered in-process by a simulator). */
async function sentTo(options: PrewarmOptions = {}): Promise<string[]> {
  const simulator = new TencentCdnSimulator({
    teoZones: [{ zoneId: "zone-1", domains: ["www.example.com"] }],
  });
  const seen: string[] = [];
  const report = await prewarm(["https://www.example.com/a.js"], {
    credentials: { ...SIMULATOR_CREDENTIALS },
    coordinator: new MemoryCoordinator(),
    fetch: (input, init) => {
      seen.push(input.split("?")[0]!);
      return simulator.fetch(input, init);
    },
    ...options,
  });
  assert.equal(report.counts.submitted, 1, JSON.stringify(report));
  return seen;
}

Deno.test("endpointFromEnv reads a record, trimmed; blank or not a string is unset", () => {
  assert.equal(
    endpointFromEnv({ TENCENTCLOUD_ENDPOINT: " http://127.0.0.1:8788/ " }),
    "http://127.0.0.1:8788/",
  );
  assert.equal(endpointFromEnv({ TENCENTCLOUD_ENDPOINT: "  " }), undefined);
  assert.equal(endpointFromEnv({ TENCENTCLOUD_ENDPOINT: 8788 }), undefined);
  assert.equal(endpointFromEnv({}), undefined);
});

Deno.test("TENCENTCLOUD_ENDPOINT: API 3.0 calls without endpoint go there; endpoint wins", async () => {
  await withEndpointVar(STAND_IN, async () => {
    assert.deepEqual(await sentTo(), [STAND_IN]);
    assert.equal(await endpointUsed(), STAND_IN);
    assert.deepEqual(await sentTo({ endpoint: "http://127.0.0.1:10/" }), ["http://127.0.0.1:10/"]);
    // The reads too (status, quota, waits): one rule for every CDN API 3.0 call.
    const simulator = new TencentCdnSimulator();
    const seen: string[] = [];
    await describePushQuota({
      credentials: { ...SIMULATOR_CREDENTIALS },
      fetch: (input, init) => {
        seen.push(input);
        return simulator.fetch(input, init);
      },
    });
    assert.deepEqual(seen, [STAND_IN]);
  });
  await withEndpointVar(undefined, async () => {
    assert.deepEqual(await sentTo(), ["https://cdn.tencentcloudapi.com/"]);
  });
  await withEndpointVar("  ", async () => {
    assert.deepEqual(await sentTo(), ["https://cdn.tencentcloudapi.com/"], "blank is unset");
  });
});

Deno.test("TENCENTCLOUD_ENDPOINT: the router's GET /quota counts what its prewarm() booked", async () => {
  await withEndpointVar(STAND_IN, async () => {
    const { sim, postJson, get } = setup();
    assert.equal((await postJson({ urls: ["https://www.example.com/a.js"] })).status, 200);
    assert.equal(sim.requests[0]?.outcome, "Success");
    const quota = await (await get("/quota")).json();
    assert.equal(quota.used, 1, "the budget is read under the account prewarm() booked it to");
  });
});

Deno.test("TENCENTCLOUD_ENDPOINT: API 2.0 and EdgeOne keep their own endpoints", async () => {
  await withEndpointVar(STAND_IN, async () => {
    assert.deepEqual(await sentTo({ api: cdnV2() }), ["https://cdn.api.qcloud.com/v2/index.php"]);
    assert.deepEqual(await sentTo({ api: edgeOne({ zoneId: "zone-1" }) }), [
      "https://teo.tencentcloudapi.com/",
    ]);
  });
});

Deno.test("TENCENTCLOUD_ENDPOINT: a bad value is a TypeError that names the variable", async () => {
  for (const value of ["cdn.tencentcloudapi.com", "ftp://127.0.0.1/", "http://u:p@127.0.0.1/"]) {
    await withEndpointVar(value, async () => {
      await assert.rejects(sentTo(), (error: Error) => {
        assert.ok(error instanceof TypeError, String(error));
        assert.match(error.message, /^Cannot use TENCENTCLOUD_ENDPOINT: /);
        return true;
      });
    });
  }
});

async function run(command: string, args: string[], env: Record<string, string> = {}) {
  const { code, stdout, stderr } = await new Deno.Command(command, {
    args,
    cwd: ROOT,
    env: childEnv(env),
    clearEnv: true,
    stdin: "null",
  }).output();
  const text = new TextDecoder();
  return { code, stdout: text.decode(stdout).trim(), stderr: text.decode(stderr) };
}

Deno.test("TENCENTCLOUD_ENDPOINT: Node and Bun read it as Deno does", async () => {
  const dir = await Deno.makeTempDir({ prefix: "endpoint-env-" });
  try {
    const bundle = `${dir}/probe.mjs`;
    const built = await run("node", ["tools/bundle.mjs", "tests/endpoint/main.ts", bundle]);
    assert.equal(built.code, 0, built.stderr);
    for (const command of ["node", `${TOOLS_BIN}bun`]) {
      const set = await run(command, [bundle], { TENCENTCLOUD_ENDPOINT: STAND_IN });
      assert.equal(set.code, 0, set.stderr);
      assert.equal(set.stdout, STAND_IN, command);
      const unset = await run(command, [bundle]);
      assert.equal(unset.code, 0, unset.stderr);
      assert.equal(unset.stdout, "https://cdn.tencentcloudapi.com/", command);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("TENCENTCLOUD_ENDPOINT on Workers: only endpointFromEnv(env), never process.env", async () => {
  const dir = await Deno.makeTempDir({ prefix: "endpoint-worker-" });
  const worker = `${dir}/worker.mjs`;
  const built = await run("node", [
    "tools/bundle.mjs",
    "tests/endpoint/worker.ts",
    worker,
    "--platform=browser",
  ]);
  assert.equal(built.code, 0, built.stderr);
  // nodejs_compat from 2025-04-01 on fills process.env with the Worker's bindings.
  const host = await startWorker(
    worker,
    { TENCENTCLOUD_ENDPOINT: STAND_IN },
    { compatibilityDate: "2025-04-01", compatibilityFlags: ["nodejs_compat"] },
  );
  try {
    const origin = host.url;
    const answer = await (await fetch(origin)).json();
    assert.deepEqual(answer, {
      used: "https://cdn.tencentcloudapi.com/",
      fromEnv: STAND_IN,
      processEnv: STAND_IN, // there, and still not read: the guard is what keeps it out
    });
  } finally {
    await host.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
