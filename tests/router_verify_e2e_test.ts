/**
 * prewarm → wait → verify through the router, end to end on every runtime it claims: the router
 * of `tests/router/verify_app.ts` served by Deno, Bun, Node (through `@hono/node-server`) and
 * workerd (Miniflare), in front of a simulator and its edge served over real HTTP on 127.0.0.1.
 * The URLs live on the edge's own origin, `http://localhost:PORT/`, so the router's probes reach
 * the simulated edge with each runtime's own fetch; the edge counts, on its side, what the
 * probes asked for and what it sent.
 */
import assert from "node:assert/strict";
import { serveSimulatorAndEdge } from "./_served_edge.ts";
import { startServer } from "./router/processes.ts";

const ROOT = new URL("../", import.meta.url);
const BUN = new URL("tools/node_modules/.bin/bun", ROOT).pathname;
const credentials = {
  secretId: "AKIDe2eVerify0000000000000000000000",
  secretKey: "e2e-Verify-Secret-Key-Not-Real-000",
};
const token = `e2e-${crypto.randomUUID()}`;

async function run(command: string, args: string[]): Promise<void> {
  const { code, stderr } = await new Deno.Command(command, { args, cwd: ROOT, stdout: "null" })
    .output();
  if (code !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed: ${new TextDecoder().decode(stderr)}`);
  }
}

type Settings = Record<string, string>;
type Target = (dir: string, settings: Settings) => { command: string; args: string[] };

const targets: Record<string, Target> = {
  deno: () => ({
    command: Deno.execPath(),
    args: ["run", "--allow-net", "--allow-env", "tests/router/verify_serve.ts"],
  }),
  bun: (dir) => ({ command: BUN, args: [`${dir}/serve.mjs`] }),
  node: (dir) => ({ command: "node", args: [`${dir}/serve.mjs`] }),
  workerd: (dir, settings) => ({
    command: "node",
    args: ["tests/router/miniflare_host.mjs", `${dir}/worker.mjs`, JSON.stringify(settings)],
  }),
};

Deno.test("router POST /verify end to end: prewarm, wait, verify on Deno, Bun, Node and workerd", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "router-verify-e2e-" });
  const { edge, endpoint, origin, edgePort, shutdown } = serveSimulatorAndEdge({
    credentials: [credentials],
  });
  try {
    await Promise.all([
      run("node", ["tools/bundle.mjs", "tests/router/verify_serve.ts", `${dir}/serve.mjs`]),
      run("node", [
        "tools/bundle.mjs",
        "tests/router/verify_app.ts",
        `${dir}/worker.mjs`,
        "--platform=browser",
      ]),
    ]);
    for (const [name, target] of Object.entries(targets)) {
      await t.step(name, async () => {
        const settings: Settings = {
          TENCENTCLOUD_SECRET_ID: credentials.secretId,
          TENCENTCLOUD_SECRET_KEY: credentials.secretKey,
          PREWARM_TOKENS: token,
          PREWARM_ALLOWED_HOSTS: "localhost,www.example.com",
          TENCENTCLOUD_ENDPOINT: endpoint,
          EDGE_PORT: String(edgePort),
        };
        const bytesBefore = edge.bodyBytesRead;
        const server = await startServer({ ...target(dir, settings), env: settings, cwd: ROOT });
        try {
          const auth = { authorization: `Bearer ${token}` };
          const post = (path: string, lines: string[]) =>
            fetch(new URL(path, server.url), {
              method: "POST",
              headers: { ...auth, "content-type": "text/plain" },
              body: lines.join("\n"),
            });
          const urls = ["app.js", "nocache.json", "moved.js"].map((f) => `${origin}/${name}/${f}`);
          // Prewarm, then wait as the console does (the simulator's tasks end at once).
          const prewarmed = await post("prewarm", urls);
          assert.equal(prewarmed.status, 200, await prewarmed.clone().text());
          const report = await prewarmed.json();
          const ids = report.tasks.map((task: { taskId: string }) => task.taskId).join(",");
          const tasks =
            await (await fetch(new URL(`tasks?ids=${ids}`, server.url), { headers: auth }))
              .json();
          assert.deepEqual(tasks.counts.done, 3);
          // Verify: what is done, and what the router must refuse.
          const response = await post("verify", [
            ...urls,
            `http://localhost:${edgePort + 1}/${name}/other-port.js`,
            `https://img.example.com/${name}/not-allowed.png`,
          ]);
          assert.equal(response.status, 200);
          const result = await response.json();
          assert.deepEqual(
            result.urls.map((u: { state: string; error?: { code: string } }) =>
              u.error?.code ?? u.state
            ),
            ["hit", "miss", "redirect", "refused", "refused"],
            name,
          );
          assert.equal(result.urls[0].decidedBy, "X-Cache-Lookup: Cache Hit");
          assert.equal(result.urls[1].headers["cache-control"], "no-store");
          assert.equal(result.urls[2].headers.location, "/target.js");
          // On the edge's side: this runtime asked for three URLs, one byte each, never for
          // the redirect's target nor a refused URL, and was sent one byte per ranged answer.
          const asked = edge.requests.filter((r) => r.url.includes(`/${name}/`));
          assert.deepEqual(
            asked.map((r) => new URL(r.url).pathname).sort(),
            urls.map((u) => new URL(u).pathname).sort(),
          );
          assert.ok(asked.every((r) => r.method === "GET" && r.range === "bytes=0-0"), name);
          assert.ok(!edge.requests.some((r) => r.url.endsWith("/target.js")), name);
          assert.equal(edge.bodyBytesRead - bytesBefore, 2, name);
        } catch (error) {
          const stderr = await server.stop();
          if (stderr) console.error(`${name} stderr:\n${stderr}`);
          throw error;
        } finally {
          await server.stop();
        }
      });
    }
  } finally {
    await shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
