// Node side of `deno task bench`: everything that compares this module with the official
// SDKs, in one process and one run, against the simulator served on 127.0.0.1.
//   node tools/bench/peers.mjs OUT_DIR   → prints one JSON object
// OUT_DIR holds bundles made by tools/bench/peers.ts: core.node.js (mod.ts), bench.node.js
// (tools/bench/node_entry.ts), sim.node.js (src/testing/mod.ts) and the workerd bundles named
// in workerd.json.
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import { Miniflare } from "miniflare";
import { measureNodeCpu } from "./node_cpu.mjs";
import { summarize, timeSides } from "./stats.mjs";

const outDir = path.resolve(process.argv[2]);
const require = createRequire(import.meta.url);
const ours = await import(
  pathToFileURL(path.join(outDir, "core.node.js")).href
);
const { TencentCdnSimulator, SIMULATOR_CREDENTIALS: creds } = await import(
  pathToFileURL(path.join(outDir, "sim.node.js")).href
);

// --- client CPU per 500-URL batch, with instant transports (first: nothing else has run) ----
const cpu = await measureNodeCpu(
  await import(pathToFileURL(path.join(outDir, "bench.node.js")).href),
  await import(pathToFileURL(path.join(outDir, "bench.npm.node.js")).href),
  require,
);

// --- the simulator over loopback -------------------------------------------------------------
const sim = new TencentCdnSimulator({
  domains: ["*.example.com"],
  dailyLimit: 10_000_000,
  requestsPerSecond: 1_000_000,
});
const server = await new Promise((resolve) => {
  const s = serve(
    { fetch: sim.handle, hostname: "127.0.0.1", port: 0 },
    () => resolve(s),
  );
});
const port = server.address().port;
// The official SDK derives the signing service from the endpoint's first label and signs the
// hostname without the port, so it is called as http://cdn.sim.test (port 80 as far as it
// knows); this agent connects every request to the simulator's real port instead.
class LoopbackAgent extends http.Agent {
  createConnection(_options, callback) {
    const socket = net.connect(port, "127.0.0.1");
    callback?.(null, socket);
    return socket;
  }
}
const loopback = new LoopbackAgent({ keepAlive: true });

// --- start-up: import time in a fresh Node process, alternating the sides ---------------------
function importTime(specifier) {
  const script = `const t=performance.now();await import(${JSON.stringify(specifier)});` +
    `console.log(performance.now()-t)`;
  const run = spawnSync(
    process.execPath,
    ["--input-type=module", "-e", script],
    {
      cwd: path.dirname(
        require.resolve("tencentcloud-sdk-nodejs-cdn/package.json"),
      ),
      encoding: "utf8",
    },
  );
  if (run.status !== 0) {
    throw new Error(`import of ${specifier} failed: ${run.stderr}`);
  }
  return Number(run.stdout.trim());
}
const startupSides = {
  "@qcdn/prewarm (bundled core)": pathToFileURL(path.join(outDir, "core.node.js")).href,
  "tencentcloud-sdk-nodejs-cdn": pathToFileURL(require.resolve("tencentcloud-sdk-nodejs-cdn")).href,
  "@tencent-sdk/capi": pathToFileURL(require.resolve("@tencent-sdk/capi")).href,
};
const startupSamples = Object.fromEntries(
  Object.keys(startupSides).map((k) => [k, []]),
);
for (let i = 0; i < 9; i++) {
  for (const [name, spec] of Object.entries(startupSides)) {
    startupSamples[name].push(importTime(spec));
  }
}
const startup = Object.entries(startupSamples).map(([name, xs]) => ({
  name,
  ...summarize(xs),
}));

// --- client cost per call against the served simulator ----------------------------------------
const urls = (i) => Array.from({ length: 20 }, (_, j) => `https://www.example.com/c${i}/${j}.js`);
const CALLS = 40; // per pass and side
let batch = 0;
const ourPush = async () => {
  const report = await ours.prewarm(urls(batch++), {
    credentials: creds,
    endpoint: `http://127.0.0.1:${port}/`,
    dailyLimit: Infinity,
    maxRequestsPerSecond: Infinity,
    coordinator: new ours.MemoryCoordinator(),
  });
  if (report.counts.submitted !== 20) {
    throw new Error(JSON.stringify(report.failed));
  }
};
const { cdn } = require("tencentcloud-sdk-nodejs-cdn");
const sdk = new cdn.v20180606.Client({
  credential: { secretId: creds.secretId, secretKey: creds.secretKey },
  region: "",
  profile: {
    httpProfile: {
      endpoint: "cdn.sim.test",
      protocol: "http://",
      agent: loopback,
    },
  },
});
const sdkPush = async () => {
  const answer = await sdk.PushUrlsCache({
    Urls: urls(batch++),
    Area: "overseas",
  });
  if (!answer.TaskId) throw new Error(JSON.stringify(answer));
};
const perCall = (fn) => async () => {
  const start = performance.now();
  for (let i = 0; i < CALLS; i++) await fn();
  return (performance.now() - start) / CALLS;
};
const calls = await timeSides(
  { ours: perCall(ourPush), sdk: perCall(sdkPush) },
  {
    warmup: 1,
    passes: 7,
  },
);
const clientCost = {
  ours: summarize(calls.ours.samples),
  sdk: summarize(calls.sdk.samples),
};

// --- does each bundle start in workerd, and can it make the call? -----------------------------
const workerd = [];
for (
  const { name, file, call }
    of (await import(pathToFileURL(path.join(outDir, "workerd.json")).href, {
      with: { type: "json" },
    })).default
) {
  const mf = new Miniflare({
    modules: true,
    scriptPath: file,
    compatibilityDate: "2026-04-01",
    compatibilityFlags: ["nodejs_compat"],
    bindings: {
      ENDPOINT: `http://127.0.0.1:${port}/`,
      SECRET_ID: creds.secretId,
      SECRET_KEY: creds.secretKey,
    },
  });
  let starts = false;
  let works = false;
  let note = "";
  try {
    const response = await mf.dispatchFetch("http://worker/");
    starts = true;
    const text = await response.text();
    works = response.ok;
    if (!works) note = text.split("\n")[0].slice(0, 120);
  } catch (error) {
    note = String(error?.message ?? error).split("\n")[0].slice(0, 120);
  } finally {
    await mf.dispose().catch(() => {});
  }
  workerd.push({ name, starts, works, call, note });
}

server.close();
loopback.destroy();
console.log(
  JSON.stringify({ startup, cpu, clientCost, calls: CALLS, workerd }),
);
