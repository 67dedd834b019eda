// The repository's own commands as a newcomer runs them: `deno task start` and `deno task serve`
// (examples/start.ts and examples/serve.ts), without credentials.
import assert from "node:assert/strict";
import { childEnv, ROOT } from "./cli/run.ts";
import { startServer } from "./router/processes.ts";
import { startSimulatorTask } from "./_simulator_task.ts";

async function runExample(file: string, env: Record<string, string> = {}) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", "--allow-env", "--allow-read", file],
    cwd: ROOT,
    env: childEnv(env),
    clearEnv: true,
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

Deno.test("deno task start: a simulated run prewarms, waits and verifies, says so, and names no dead-end command", async () => {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "start"],
    cwd: ROOT,
    env: childEnv(),
    clearEnv: true,
    stdin: "null",
  }).output().then((out) => ({
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  }));
  // The command line's exit status: examples/urls.txt holds a wildcard on purpose.
  assert.equal(code, 1, stderr);
  assert.match(
    stderr,
    /^No TENCENTCLOUD_SECRET_ID\/TENCENTCLOUD_SECRET_KEY set: simulating\. To prewarm for real, set them/m,
  );
  assert.match(
    stdout,
    /^12 URLs: 10 submitted, 2 not sent, 0 failed; 3 requests in .*; SIMULATED: nothing was sent to Tencent Cloud\.$/m,
  );
  assert.doesNotMatch(
    stdout,
    /prewarm status/,
    "no command that cannot find the simulator's tasks",
  );
  assert.match(
    stdout,
    /These task ids belong to this run's simulator: status cannot look them up\./,
  );
  // The whole loop without keys: prewarm, wait, then the simulated edge says hit.
  assert.match(stdout, /^Waited .* for 10 URLs: 10 done, 0 failed, 0 invalid, 0 pending\.$/m);
  assert.match(
    stdout.trimEnd().split("\n").at(-1)!,
    /^Verified 10 URLs from here .*: 10 hit, 0 miss, 0 bypass, 0 unknown, 0 error\. A hit means /,
  );
});

Deno.test("deno task serve: a bad PREWARM_TOKENS is one clear line, not a stack trace", async () => {
  const { code, stdout, stderr } = await runExample("examples/serve.ts", {
    PREWARM_TOKENS: "short",
  });
  assert.equal(code, 2, stderr);
  assert.match(
    stderr,
    /^error: Invalid option tokens\[0\] is 5 characters long; at least 16 are required \(the tokens come from PREWARM_TOKENS\)\.$/m,
  );
  assert.doesNotMatch(stderr, /^\s+at /m, "no stack trace");
  assert.doesNotMatch(stderr + stdout, /short/, "the token itself is never printed");
  assert.doesNotMatch(stdout, /Listening/);
});

Deno.test("deno task serve: without credentials it fronts the simulator, and its answers say so", async () => {
  const token = "serve-test-token-0123456789";
  const server = await startServer({
    command: Deno.execPath(),
    args: ["run", "--allow-net", "--allow-env", "--allow-read", "examples/serve.ts"],
    env: { PORT: "0", PREWARM_TOKENS: token },
    cwd: ROOT,
  });
  try {
    const headers = { authorization: `Bearer ${token}` };
    const quota = await (await fetch(`${server.url}quota`, { headers })).json();
    assert.equal(quota.simulated, true);
    const plan = await fetch(`${server.url}prewarm/plan`, {
      method: "POST",
      headers: { ...headers, "content-type": "text/plain" },
      body: "https://www.example.com/a.js",
    });
    assert.equal((await plan.json()).budget.simulated, true);
    // POST /verify asks the simulator's edge, for its hosts: prewarmed, so a hit.
    const post = (route: string, body: string) =>
      fetch(`${server.url}${route}`, {
        method: "POST",
        headers: { ...headers, "content-type": "text/plain" },
        body,
      });
    assert.equal((await post("prewarm", "https://www.example.com/a.js")).status, 200);
    const verified = await (await post(
      "verify",
      "https://www.example.com/a.js\nhttps://elsewhere.example.org/b.js",
    )).json();
    assert.equal(verified.simulated, true);
    assert.deepEqual(
      verified.urls.map((u: { state: string; error?: { code: string } }) =>
        u.error?.code ?? u.state
      ),
      ["hit", "refused"],
    );
  } finally {
    await server.stop();
  }
});

Deno.test("Node: the command line as docs/cli.md runs it, bundled and through main()", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cli-node-" });
  const node = async (args: string[]) => {
    const { code, stdout, stderr } = await new Deno.Command("node", {
      args,
      cwd: ROOT,
      env: childEnv(),
      clearEnv: true,
    }).output();
    const decoder = new TextDecoder();
    return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
  };
  try {
    const bundle = `${dir}/cli.mjs`;
    const built = await node(["tools/bundle.mjs", "src/cli/main.ts", bundle, "--platform=node"]);
    assert.equal(built.code, 0, built.stderr);
    const run = await node([bundle, "--dry-run", "--file", "examples/urls.txt"]);
    assert.equal(run.code, 1, run.stderr); // urls.txt holds a wildcard on purpose
    assert.match(run.stdout, /^Would send 10 URLs in 3 requests/m);
    // The published package has no bin: docs/cli.md imports main() instead.
    const imported = await node([
      "--input-type=module",
      "-e",
      `import { main } from ${
        JSON.stringify(bundle)
      }; process.exitCode = await main(process.argv.slice(1));`,
      "--",
      "--dry-run",
      "https://www.example.com/app.js",
    ]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /^Would send 1 URL in 1 request/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task simulator: its edge on the next port; the command line runs prewarm, wait, verify against both", async () => {
  await using simulator = await startSimulatorTask(["--port", "0", "--task-seconds", "0"]);
  const origin = /Its edge \(a CDN node's cache headers\) is on (http:\/\/localhost:\d+)\//.exec(
    simulator.stdout,
  )?.[1];
  assert.ok(origin, simulator.stdout);
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "src/cli/main.ts",
      "--wait",
      "--verify",
      "--poll-interval",
      "100ms",
      `${origin}/app.js`,
    ],
    cwd: ROOT,
    env: childEnv(simulator.exports),
    clearEnv: true,
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  assert.equal(code, 0, decoder.decode(stderr));
  assert.match(decoder.decode(stdout), /: 1 hit, 0 miss, 0 bypass, 0 unknown, 0 error\./);
});
