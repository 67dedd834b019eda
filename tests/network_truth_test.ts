// What a runtime's fetch cannot say must not be guessed (issue 18): on Deno, Node, Bun and
// workerd, a dead endpoint fails the run surely unsent (workerd throws one "Network connection
// lost." for a refused and a dropped connection alike, so a read goes first there), and a batch
// that was processed but whose answer broke off is found by recoverLostTasks() (run after
// prewarm() by prewarm_once.ts) listing the host's tasks, and comes back submitted, with its task
// id.
import assert from "node:assert/strict";
import type { PrewarmReport } from "../mod.ts";
import { TencentCdnSimulator } from "../src/testing/mod.ts";
import { assertAccounted, urlsOn } from "./_helpers.ts";
import { ROOT, TOOLS_BIN } from "./cli/run.ts";
import { startWorker } from "./router/processes.ts";

const URLS = urlsOn("www.example.com", 3);

/** A port nothing listens on: taken, then given back. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function sh(command: string, args: string[]): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command(command, { args, cwd: ROOT }).output();
  const text = new TextDecoder();
  assert.equal(code, 0, `${command} ${args.join(" ")}: ${text.decode(stderr)}`);
  return text.decode(stdout);
}

/** Runs prewarm_once on each runtime; `endpoint` and `urls` as it takes them. */
type Runtime = { name: string; run: (endpoint: string, urls: string[]) => Promise<PrewarmReport> };

async function runtimes(dir: string): Promise<{ list: Runtime[]; stop: () => Promise<void> }> {
  const script = `${dir}/prewarm_once.mjs`;
  await sh("node", ["tools/bundle.mjs", "tests/network/prewarm_once.ts", script]);
  const worker = `${dir}/worker.mjs`;
  await sh("node", ["tools/bundle.mjs", "tests/network/worker.ts", worker, "--platform=browser"]);
  const host = await startWorker(worker);
  const origin = host.url;
  const json = (out: string) => JSON.parse(out) as PrewarmReport;
  const list: Runtime[] = [
    {
      name: "deno",
      run: async (endpoint, urls) =>
        json(
          await sh(Deno.execPath(), [
            "run",
            "--allow-net",
            "--allow-env",
            "tests/network/prewarm_once.ts",
            endpoint,
            ...urls,
          ]),
        ),
    },
    {
      name: "node",
      run: async (endpoint, urls) => json(await sh("node", [script, endpoint, ...urls])),
    },
    {
      name: "bun",
      run: async (endpoint, urls) => json(await sh(`${TOOLS_BIN}bun`, [script, endpoint, ...urls])),
    },
    {
      name: "workerd",
      run: async (endpoint, urls) => {
        const answer = await fetch(origin, {
          method: "POST",
          body: JSON.stringify({ endpoint, urls }),
        });
        assert.equal(answer.status, 200);
        return await answer.json();
      },
    },
  ];
  const stop = async () => void await host.stop();
  return { list, stop };
}

Deno.test("a dead endpoint fails the run surely unsent, on Deno, Node, Bun and workerd", async () => {
  const dir = await Deno.makeTempDir({ prefix: "network-truth-" });
  const { list, stop } = await runtimes(dir);
  try {
    const endpoint = `http://127.0.0.1:${closedPort()}/`;
    for (const runtime of list) {
      const report = await runtime.run(endpoint, URLS);
      assertAccounted(URLS, report);
      assert.equal(report.counts.failed, URLS.length, runtime.name);
      assert.equal(report.counts.maybeSubmitted, 0, `${runtime.name}: ${JSON.stringify(report)}`);
      for (const failed of report.failed) {
        assert.equal(failed.maybeSubmitted, false, runtime.name);
        assert.equal(failed.error.maybeSubmitted, false, runtime.name);
      }
    }
  } finally {
    await stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a batch processed whose answer broke off is found and reported submitted, on every runtime", async () => {
  const dir = await Deno.makeTempDir({ prefix: "network-truth-" });
  const { list, stop } = await runtimes(dir);
  const sim = new TencentCdnSimulator({ domains: ["*.example.com"] });
  // Every push is processed, then its answer breaks off mid-body.
  sim.faultPolicy = ({ action }) => action === "PushUrlsCache" ? { type: "reset" } : undefined;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, sim.handle);
  try {
    for (const runtime of list) {
      // URLs of its own: a task of the same URLs moments before would make the lookup ambiguous
      // (and the batch stay maybe-submitted, as the next test shows).
      const urls = urlsOn(`${runtime.name}.example.com`, 3);
      const before = sim.accepted.length;
      const report = await runtime.run(`http://127.0.0.1:${server.addr.port}/`, urls);
      assertAccounted(urls, report);
      const created = sim.accepted.slice(before);
      assert.equal(created.length, 1, `${runtime.name}: one task was created`);
      assert.deepEqual(
        report.tasks.map((t) => [t.taskId, t.urls, t.recovered]),
        [[created[0]!.taskId, urls, true]],
        `${runtime.name}: ${JSON.stringify(report)}`,
      );
      assert.equal(report.counts.maybeSubmitted, 0, runtime.name);
    }
  } finally {
    await server.shutdown();
    await stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a lost answer stays maybe-submitted when the lookup cannot tell: none, or two tasks of the same URLs", async () => {
  const sim = new TencentCdnSimulator();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, sim.handle);
  const endpoint = `http://127.0.0.1:${server.addr.port}/`;
  const dir = await Deno.makeTempDir({ prefix: "network-truth-" });
  const { list, stop } = await runtimes(dir);
  const deno = list.find((r) => r.name === "deno")!;
  try {
    // Sent once and answered; then again, processed, its answer broken: two tasks match.
    assert.equal((await deno.run(endpoint, URLS)).counts.submitted, URLS.length);
    sim.faultPolicy = ({ action }) => action === "PushUrlsCache" ? { type: "reset" } : undefined;
    const twice = await deno.run(endpoint, URLS);
    assert.equal(twice.counts.maybeSubmitted, URLS.length, JSON.stringify(twice));
    // The lookup itself fails: nothing is known, nothing is claimed.
    const other = urlsOn("static.example.com", 2);
    sim.faultPolicy = ({ action }) =>
      action === "PushUrlsCache"
        ? { type: "reset" }
        : action === "DescribePushTasks"
        ? { type: "error", code: "InternalError" }
        : undefined;
    const unknown = await deno.run(endpoint, other);
    assert.equal(unknown.counts.maybeSubmitted, other.length, JSON.stringify(unknown));
    assert.equal(unknown.failed[0]!.error.code, "NetworkError.ConnectionDropped");
  } finally {
    await server.shutdown();
    await stop();
    await Deno.remove(dir, { recursive: true });
  }
});
