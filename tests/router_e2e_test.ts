/**
 * The router end to end on every runtime it claims: the examples, served by Deno, Bun, Node
 * (through `@hono/node-server`) and workerd (Miniflare), each in front of a simulator served
 * over real HTTP on 127.0.0.1, all driven by the same scenario.
 */
import assert from "node:assert/strict";
import { TencentCdnSimulator } from "../src/testing/mod.ts";
import { exampleWorkerConfig } from "./_example_worker.ts";
import { startServer } from "./router/processes.ts";
import {
  runScenario,
  SCENARIO_ACCEPTED_URLS,
  SCENARIO_ALLOWED_HOSTS,
  SCENARIO_DAILY_LIMIT,
} from "./router/scenario.ts";

const ROOT = new URL("../", import.meta.url);
const BUN = new URL("tools/node_modules/.bin/bun", ROOT).pathname;
const credentials = {
  secretId: "AKIDe2eRouter00000000000000000000000",
  secretKey: "e2e-Secret-Key-That-Must-Not-Leak-0",
};
const token = `e2e-${crypto.randomUUID()}`;

interface Bundles {
  bun: string;
  node: string;
  worker: string;
  /** The Durable Objects the Worker example's wrangler.toml binds. */
  workerOptions: unknown;
}

async function run(command: string, args: string[]): Promise<void> {
  const { code, stderr } = await new Deno.Command(command, { args, cwd: ROOT, stdout: "null" })
    .output();
  if (code !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed: ${new TextDecoder().decode(stderr)}`);
  }
}

async function bundleExamples(dir: string): Promise<Bundles> {
  const bundles = {
    bun: `${dir}/bun.mjs`,
    node: `${dir}/node.mjs`,
    worker: `${dir}/worker.mjs`,
    workerOptions: (await exampleWorkerConfig()).miniflareOptions,
  };
  await Promise.all([
    run("node", ["tools/bundle.mjs", "examples/bun.ts", bundles.bun, "--platform=node"]),
    run("node", ["tools/bundle.mjs", "examples/node.ts", bundles.node, "--platform=node"]),
    run("node", [
      "tools/bundle.mjs",
      "examples/cloudflare-worker/worker.ts",
      bundles.worker,
      "--platform=browser",
    ]),
  ]);
  return bundles;
}

type Settings = Record<string, string>;

const targets: Record<string, (b: Bundles, s: Settings) => { command: string; args: string[] }> = {
  deno: () => ({
    command: Deno.execPath(),
    args: ["run", "--allow-net", "--allow-env", "examples/deno-serve.ts"],
  }),
  bun: (b) => ({ command: BUN, args: [b.bun] }),
  node: (b) => ({ command: "node", args: [b.node] }),
  // Miniflare passes the settings to the Worker as bindings, as `wrangler secret put` would.
  workerd: (b, s) => ({
    command: "node",
    args: [
      "tests/router/miniflare_host.mjs",
      b.worker,
      JSON.stringify(s),
      JSON.stringify(b.workerOptions),
    ],
  }),
};

Deno.test("router end to end: the same scenario on Deno, Bun, Node and workerd", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "router-e2e-" });
  try {
    const bundles = await bundleExamples(dir);
    for (const [name, target] of Object.entries(targets)) {
      await t.step(name, async () => {
        const sim = new TencentCdnSimulator({
          credentials: [credentials],
          dailyLimit: SCENARIO_DAILY_LIMIT,
        });
        const simServer = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, sim.handle);
        const settings: Settings = {
          TENCENTCLOUD_SECRET_ID: credentials.secretId,
          TENCENTCLOUD_SECRET_KEY: credentials.secretKey,
          PREWARM_TOKENS: token,
          PREWARM_ALLOWED_HOSTS: SCENARIO_ALLOWED_HOSTS,
          TENCENTCLOUD_ENDPOINT: `http://127.0.0.1:${simServer.addr.port}/`,
        };
        let server: Awaited<ReturnType<typeof startServer>> | undefined;
        try {
          server = await startServer({
            ...target(bundles, settings),
            env: { ...settings, PORT: "0" },
            cwd: ROOT,
          });
          await runScenario({
            baseUrl: server.url,
            token,
            secrets: [credentials.secretKey, credentials.secretId, token],
          });
          // Whatever the client saw, Tencent's side got exactly the URLs it should have.
          assert.equal(sim.accepted.flatMap((t) => t.urls).length, SCENARIO_ACCEPTED_URLS);
        } catch (error) {
          const stderr = await server?.stop();
          if (stderr) console.error(`${name} stderr:\n${stderr}`);
          throw error;
        } finally {
          await server?.stop();
          await simServer.shutdown();
        }
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
