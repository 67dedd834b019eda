/**
 * `deno task start [--api v2|v3] [FILE]`: prewarms the URLs in FILE (default
 * `examples/urls.txt`) and prints the report.
 *
 * With `TENCENTCLOUD_SECRET_ID` and `TENCENTCLOUD_SECRET_KEY` set it talks to Tencent Cloud.
 * Without them it starts the local simulator on 127.0.0.1 and talks to that instead, so the
 * whole flow can be seen without an account.
 */
import { cdn, credentialsFromEnv, prewarm, type PrewarmOptions } from "../mod.ts";
import { cdnV2 } from "../src/apis/cdn_v2.ts";
import { SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "../src/testing/mod.ts";

const args = [...Deno.args];
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
if (!credentials) {
  const simulator = new TencentCdnSimulator({ latencyMs: 30 });
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
await server?.shutdown();

for (const task of report.tasks) {
  console.log(`task ${task.taskId}  ${task.host}  ${task.urls.length} URL(s)`);
}
for (const r of report.rejected) console.log(`rejected (${r.reason})  ${r.url}  ${r.detail}`);
for (const f of report.failed) {
  console.log(`failed  ${f.host}  ${f.urls.length} URL(s)  maybeSubmitted=${f.maybeSubmitted}`);
  console.log(`  ${f.error.message}`);
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
Deno.exitCode = c.failed > 0 ? 1 : 0;
