/**
 * The Cloudflare example as its README runs it: Wrangler (installed in the example's folder by
 * `deno task tools`) bundles it, and the bundle serves `examples/urls.txt` in workerd in front
 * of the simulator, with the allowed hosts of its `wrangler.toml`.
 */
import assert from "node:assert/strict";
import { TencentCdnSimulator } from "../src/testing/mod.ts";
import { startServer } from "./router/processes.ts";

const ROOT = new URL("../", import.meta.url);
const EXAMPLE = new URL("examples/cloudflare-worker/", ROOT);
const WRANGLER = new URL("node_modules/.bin/wrangler", EXAMPLE).pathname;
const credentials = {
  secretId: "AKIDexampleWorker000000000000000000",
  secretKey: "example-Worker-Key-That-Must-Not-Leak",
};

/** `wrangler deploy --dry-run`: Wrangler's own bundling of the example, nothing uploaded. */
async function wranglerBundle(outdir: string): Promise<string> {
  const installed = await Deno.stat(WRANGLER).then(() => true, () => false);
  assert.ok(
    installed,
    `${WRANGLER} is missing: run "deno task tools" (or npm ci --prefix examples/cloudflare-worker)`,
  );
  const { code, stdout, stderr } = await new Deno.Command(WRANGLER, {
    args: ["deploy", "--dry-run", "--outdir", outdir],
    cwd: EXAMPLE,
    env: { WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "1" },
  }).output();
  const output = new TextDecoder().decode(stdout) +
    new TextDecoder().decode(stderr);
  assert.equal(code, 0, output);
  assert.match(output, /--dry-run: exiting now/, output);
  return `${outdir}/worker.js`;
}

Deno.test("examples/cloudflare-worker: wrangler bundles it, and it prewarms examples/urls.txt", async () => {
  const dir = await Deno.makeTempDir({ prefix: "example-worker-" });
  const sim = new TencentCdnSimulator({ credentials: [credentials] });
  const simServer = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen() {},
  }, sim.handle);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const bundle = await wranglerBundle(dir);
    const toml = await Deno.readTextFile(new URL("wrangler.toml", EXAMPLE));
    const allowedHosts = /^PREWARM_ALLOWED_HOSTS = "([^"]*)"$/m.exec(toml)?.[1];
    assert.ok(allowedHosts, "wrangler.toml sets PREWARM_ALLOWED_HOSTS");
    const token = `example-${crypto.randomUUID()}`;
    const bindings = {
      TENCENTCLOUD_SECRET_ID: credentials.secretId,
      TENCENTCLOUD_SECRET_KEY: credentials.secretKey,
      PREWARM_TOKENS: token,
      PREWARM_ALLOWED_HOSTS: allowedHosts,
      TENCENTCLOUD_ENDPOINT: `http://127.0.0.1:${simServer.addr.port}/`,
    };
    server = await startServer({
      command: "node",
      args: [
        "tests/router/miniflare_host.mjs",
        bundle,
        JSON.stringify(bindings),
      ],
      env: {},
      cwd: ROOT,
    });
    const urlsTxt = await Deno.readTextFile(new URL("examples/urls.txt", ROOT));
    const answer = await fetch(`${server.url}prewarm`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "text/plain",
      },
      body: urlsTxt,
    });
    const report = await answer.json();
    // urls.txt ends with a duplicate and a wildcard on purpose; every other URL is sent.
    assert.equal(answer.status, 207, JSON.stringify(report));
    assert.deepEqual(
      report.rejected.map((r: { reason: string }) => r.reason).sort(),
      ["duplicate", "invalid-url"],
      "no host of urls.txt is refused by the example's PREWARM_ALLOWED_HOSTS",
    );
    assert.equal(report.counts.submitted, 10);
    assert.equal(sim.accepted.flatMap((t) => t.urls).length, 10);
  } finally {
    await server?.stop();
    await simServer.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
