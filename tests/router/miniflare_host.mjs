// Serves a bundled Worker with Miniflare (workerd) on 127.0.0.1 and prints its URL, for the
// end-to-end test. Run with Node: node miniflare_host.mjs WORKER.mjs '{"BINDING":"value"}'
// ['{"durableObjects":{...}}'] (the last argument: more Miniflare options, e.g. Durable Objects)
// It stops (and disposes of workerd) on SIGTERM or SIGINT, or when stdin closes.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const toolsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../tools");
// Miniflare lives in tools/node_modules, not next to this file: resolve it from there.
const require = createRequire(path.join(toolsDir, "package.json"));
const { Miniflare } = await import(pathToFileURL(require.resolve("miniflare")).href);

const [scriptPath, bindingsJson = "{}", optionsJson = "{}"] = process.argv.slice(2);
if (!scriptPath) {
  console.error("usage: node miniflare_host.mjs WORKER.mjs [BINDINGS_JSON]");
  process.exit(2);
}

const mf = new Miniflare({
  modules: true,
  scriptPath,
  // Module names are paths relative to this root; the bundle may live outside the cwd.
  modulesRoot: path.dirname(path.resolve(scriptPath)),
  compatibilityDate: "2025-01-01",
  bindings: JSON.parse(bindingsJson),
  host: "127.0.0.1",
  port: 0,
  ...JSON.parse(optionsJson),
});
const url = await mf.ready;
console.log(`Listening on ${url.href}`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await mf.dispose();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.resume();
