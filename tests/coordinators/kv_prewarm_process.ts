/**
 * One of several processes prewarming through one shared Deno KV file, for
 * tests/coordinator_deno_kv_test.ts: `deno run --unstable-kv -A kv_prewarm_process.ts KV_PATH
 * ENDPOINT HOST COUNT`. Prints its report as JSON on stdout.
 */
import { prewarm } from "../../mod.ts";
import { denoKvCoordinator } from "../../src/coordinator/deno_kv.ts";
import { SIMULATOR_CREDENTIALS } from "../../src/testing/mod.ts";

const [kvPath, endpoint, host, count] = Deno.args;
if (!kvPath || !endpoint || !host || !count) {
  throw new TypeError("usage: kv_prewarm_process.ts KV_PATH ENDPOINT HOST COUNT");
}
const kv = await Deno.openKv(kvPath);
const urls = Array.from({ length: Number(count) }, (_, i) => `https://${host}/asset-${i}.js`);
const report = await prewarm(urls, {
  credentials: { ...SIMULATOR_CREDENTIALS },
  endpoint,
  coordinator: denoKvCoordinator(kv),
  dailyLimit: 1000,
  batchSize: 50,
  retryDelayMs: 50,
});
kv.close();
console.log(JSON.stringify(report));
