/**
 * `deno task start [--api v2|v3] [--wait] [FILE]`: prewarms the URLs in FILE (default
 * `examples/urls.txt`) and prints the report; with `--wait`, waits for the tasks, then asks the
 * CDN's edge whether it serves each URL that ended done from its cache (`verifyWarm()`).
 *
 * With `TENCENTCLOUD_SECRET_ID` and `TENCENTCLOUD_SECRET_KEY` set it talks to Tencent Cloud.
 * Without them it starts the local simulator on 127.0.0.1 and talks to that instead, and always
 * runs the whole loop, prewarm → wait → verify, against it and its simulated edge (the
 * simulator's tasks are done at once), so all of it can be seen without an account.
 */
import { cdn, credentialsFromEnv, prewarm, type PrewarmOptions, waitForTasks } from "../mod.ts";
import { cdnV2 } from "../src/apis/cdn_v2.ts";
import { taskReader } from "../src/apis/spec.ts";
import { SimulatedEdge, SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "../src/testing/mod.ts";
import { verifyWarm } from "../src/verify/mod.ts";

const args = [...Deno.args];
const waitFlag = args.indexOf("--wait");
if (waitFlag >= 0) args.splice(waitFlag, 1);
const apiFlag = args.indexOf("--api");
const api = apiFlag >= 0 ? args.splice(apiFlag, 2)[1] : "v3";
if (api !== "v2" && api !== "v3") {
  console.error(`--api must be v2 or v3, got ${api}`);
  Deno.exit(2);
}
const file = args[0] ?? new URL("./urls.txt", import.meta.url);
const urls = (await Deno.readTextFile(file))
  .split(/\r?\n/)
  .filter((line) => line.trim() !== "" && !line.trimStart().startsWith("#"));

const credentials = credentialsFromEnv();
const options: PrewarmOptions = {
  credentials: credentials ?? SIMULATOR_CREDENTIALS,
  api: api === "v2" ? cdnV2() : cdn(),
};
let server: Deno.HttpServer | undefined;
let edge: SimulatedEdge | undefined;
if (!credentials) {
  const simulator = new TencentCdnSimulator({ latencyMs: 30 });
  // The simulated account's edge: a miss until a URL's prefetch is done, a hit after.
  edge = new SimulatedEdge(simulator, { latencyMs: 10 });
  server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, simulator.handle);
  const { port } = server.addr as Deno.NetAddr;
  options.endpoint = api === "v2"
    ? `http://127.0.0.1:${port}/v2/index.php`
    : `http://127.0.0.1:${port}/`;
  console.error(
    `No TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY set: using the local simulator at ${options.endpoint}`,
  );
}

const report = await prewarm(urls, {
  ...options,
  onProgress: (p) =>
    console.error(
      `batch ${p.batchesDone}/${p.batchesTotal}: ${p.submitted} submitted, ${p.failed} failed`,
    ),
});
// Is it warm? Wait for the tasks, then ask the edge about the URLs that ended done.
const loop = waitFlag >= 0 || edge !== undefined;
// API 2.0 has no task reads: its tasks are read with API 3.0, as the command line does.
const reader = taskReader(options.api!, options.endpoint);
const done = loop
  ? await waitForTasks(report, {
    credentials: options.credentials,
    ...reader,
    pollIntervalMs: 2000,
  })
  : undefined;
const warm = done ? await verifyWarm(done, edge ? { fetch: edge.fetch } : {}) : undefined;
await server?.shutdown();

for (const task of report.tasks) {
  console.log(`task ${task.taskId}  ${task.host}  ${task.urls.length} URL(s)`);
}
for (const r of report.rejected) console.log(`rejected (${r.reason})  ${r.url}  ${r.detail}`);
for (const f of report.failed) {
  console.log(`failed  ${f.host}  ${f.urls.length} URL(s)  maybeSubmitted=${f.maybeSubmitted}`);
  console.log(`  ${f.error.message}`);
}
if (done && warm) {
  console.log(`wait: ${Object.entries(done.counts).map(([s, n]) => `${n} ${s}`).join(", ")}`);
  for (const u of warm.urls) {
    console.log(
      `${u.state.padEnd(7)}  ${u.url}  ${u.decidedBy ?? u.error?.message ?? "no cache header"}`,
    );
  }
  console.log(
    `verify: ${Object.entries(warm.counts).map(([s, n]) => `${n} ${s}`).join(", ")} ` +
      "(from here: one edge node; other regions may still be cold)",
  );
}
const c = report.counts;
console.log(
  `${c.input} URLs: ${c.submitted} submitted in ${c.tasks} task(s), ${c.rejected} rejected, ` +
    `${c.failed} failed (${c.maybeSubmitted} maybe submitted); ${c.requests} request(s)` +
    (server ? "; SIMULATED: nothing was sent to Tencent Cloud" : ""),
);
if (server) {
  // The task ids above are the simulator's, which stopped with this run: nothing can look them
  // up, so point at what makes a real run instead.
  console.log(
    "The task ids are the local simulator's. To prewarm for real, set TENCENTCLOUD_SECRET_ID " +
      "and TENCENTCLOUD_SECRET_KEY (docs/keys.md) and put your CDN's URLs in the file.",
  );
}
Deno.exitCode = c.failed > 0 || (warm !== undefined && warm.counts.hit < warm.urls.length) ? 1 : 0;
