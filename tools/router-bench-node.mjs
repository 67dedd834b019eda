// The router benchmark on Node and on workerd, run with Node by tools/router-bench.ts:
//   node tools/router-bench-node.mjs CORE_BUNDLE.mjs WORKER_BUNDLE.mjs
// CORE_BUNDLE is tools/router-bench-core.ts bundled for Node; WORKER_BUNDLE is
// tools/router-bench-worker.ts bundled for workerd. Prints one JSON line per runtime: {runtime, rows}.
// workerd freezes its clocks while a request computes, so its cost can only be timed from
// outside: a Node client posts to the router served by Miniflare, in front of the simulator
// served by Node, against prewarm() from the same client straight to that simulator.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import { Miniflare } from "miniflare";

const [coreBundle, workerBundle] = process.argv.slice(2);
const core = await import(pathToFileURL(path.resolve(coreBundle)).href);

function nodeServe(handler) {
  return new Promise((resolve) => {
    const server = serve(
      { fetch: handler, hostname: "127.0.0.1", port: 0 },
      (info) =>
        resolve({
          url: `http://127.0.0.1:${info.port}/`,
          close: () => new Promise((done) => server.close(() => done())),
        }),
    );
  });
}

const nodeRows = await core.measureRouterCost({ serve: nodeServe });
console.log(
  JSON.stringify({ runtime: `Node ${process.version}`, rows: nodeRows }),
);

const sim = core.simulator();
const simServer = await nodeServe(sim.handle);
const mf = new Miniflare({
  modules: true,
  scriptPath: path.resolve(workerBundle),
  modulesRoot: path.dirname(path.resolve(workerBundle)),
  compatibilityDate: "2025-01-01",
  host: "127.0.0.1",
  port: 0,
  bindings: {
    TENCENTCLOUD_SECRET_ID: core.SIMULATOR_CREDENTIALS.secretId,
    TENCENTCLOUD_SECRET_KEY: core.SIMULATOR_CREDENTIALS.secretKey,
    PREWARM_TOKENS: core.BENCH_TOKEN,
    TENCENTCLOUD_ENDPOINT: simServer.url,
  },
});
try {
  const routerUrl = (await mf.ready).href;
  const row = await core.measureLoopback(
    simServer.url,
    routerUrl,
    () => sim.reset(),
    {
      requests: 40,
      rounds: 5,
    },
  );
  const version = (await import("miniflare/package.json", { with: { type: "json" } }))
    .default;
  console.log(
    JSON.stringify({
      runtime: `workerd (Miniflare ${version.version})`,
      rows: [row],
    }),
  );
} finally {
  await mf.dispose();
  await simServer.close();
}
