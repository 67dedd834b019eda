/**
 * Every part without keys, as the README says: `deno task simulator` runs, what it prints is
 * exported, and then every command and sample of the README, the proxy's "try it" in
 * docs/router.md, and every example in examples/ run as written against that simulator. The
 * simulator's request log shows that each one reached it. (The Worker example, under
 * `wrangler dev`, is in tests/example_worker_test.ts.)
 *
 * A README command or sample this file does not know how to run fails the test: add it here.
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { startSimulatorTask } from "./_simulator_task.ts";
import { type ServerProcess, startServer } from "./router/processes.ts";
import { ROOT, TOOLS_BIN } from "./cli/run.ts";

const DENO_BIN = dirname(Deno.execPath());
/** What the samples that read `urls.txt` find in their folder: hosts of the simulator's account. */
const URLS_TXT = "https://www.example.com/app.js\nhttps://static.example.com/app.css\n";
const TOKEN = "a-long-random-token-for-ci";

const decoder = new TextDecoder();
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The ```LANG blocks of a Markdown text. */
function blocks(markdown: string, lang: string): string[] {
  return [...markdown.matchAll(new RegExp("^```" + lang + "\\n([\\s\\S]*?)^```", "gm"))]
    .map((m) => m[1]!);
}

/** The commands of the ```sh blocks: continuation lines joined, comment lines dropped. */
function commands(markdown: string): string[] {
  return blocks(markdown, "sh").flatMap((block) =>
    block.replace(/\\\n\s*/g, " ").split("\n").map((line) => line.trim())
      .filter((line) => line !== "" && !line.startsWith("#"))
  );
}

/** A sample with its `@qcdn/prewarm` imports pointed at this repository's entry points. */
async function localised(code: string): Promise<string> {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  return code.replace(/(["'])(?:jsr:)?(@qcdn\/prewarm(?:\/[a-z-]+)?)\1/g, (_, q, specifier) => {
    const name = specifier === "@qcdn/prewarm" ? "." : `.${specifier.slice(13)}`;
    const path = config.exports[name];
    assert.ok(path, `${specifier} is an entry point`);
    return `${q}${ROOT}${path.slice(2)}${q}`;
  });
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a shell command line as a reader would type it, with the exported variables. */
async function sh(line: string, env: Record<string, string>, cwd: string): Promise<Run> {
  const { code, stdout, stderr } = await new Deno.Command("sh", {
    args: ["-c", line],
    env,
    clearEnv: true,
    cwd,
    stdin: "null",
  }).output();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

/** The command of a deno.json task, with this Deno: `deno run … examples/x.ts` as argv. */
async function taskArgv(name: string): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const command: string = config.tasks[name].command ?? config.tasks[name];
  const [program, ...args] = command.split(" ");
  assert.equal(program, "deno");
  return [Deno.execPath(), ...args];
}

/** POSTs `urls` to a router with the token; its status and report. */
async function postUrls(origin: string, urls: string[], token = TOKEN) {
  const answer = await fetch(new URL("prewarm", origin), {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ urls }),
  });
  return { status: answer.status, report: await answer.json() };
}

Deno.test("without keys: the README, docs/router.md's try-it and examples/ against deno task simulator", async (t) => {
  await using simulator = await startSimulatorTask(["--port", "0", "--task-seconds", "0"]);
  const requests = () =>
    simulator.log().split("\n").filter((line) => / Success$/.test(line)).length;
  const env: Record<string, string> = {
    PATH: `${DENO_BIN}:${Deno.env.get("PATH")}`,
    HOME: Deno.env.get("HOME") ?? "/tmp",
    NO_COLOR: "1",
    ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
    ...simulator.exports,
  };
  const readme = await Deno.readTextFile(`${ROOT}README.md`);
  const dir = await Deno.makeTempDir({ prefix: "try-without-keys-" });
  await Deno.writeTextFile(`${dir}/urls.txt`, URLS_TXT);
  const servers: ServerProcess[] = [];
  const serve = async (argv: string[], extra: Record<string, string>, cwd = ROOT) => {
    const server = await startServer({
      command: argv[0]!,
      args: argv.slice(1),
      env: { ...env, PORT: "0", ...extra },
      cwd,
    });
    servers.push(server);
    return server;
  };

  try {
    await t.step("the README exports what the simulator task prints", () => {
      const shown = Object.fromEntries(
        commands(readme).filter((c) => c.startsWith("export ")).map((c) =>
          c.slice("export ".length).split("=") as [string, string]
        ),
      );
      const printed = { ...simulator.exports };
      // The README shows the default port; the test asked for a free one.
      printed.TENCENTCLOUD_ENDPOINT = "http://127.0.0.1:8788/";
      assert.deepEqual(shown, printed);
      assert.ok(readme.includes("deno task simulator"), "the README shows the task");
    });

    // Each README command, run as written; the few substitutions are named here.
    const commandRules: [RegExp, (command: string) => Promise<void>][] = [
      [/^npx deno@2 task test\b/, () => Promise.resolve()], // the suite this test is part of
      [/^deno task simulator\b/, () => Promise.resolve()], // running: this test started it
      [/^export /, () => Promise.resolve()], // checked above, and in `env`
      [/^npx deno@2 task start\b/, async (command) => {
        // `npx deno@2` fetches the Deno this test already runs on.
        const before = requests();
        const run = await sh(command.replace("npx deno@2", "deno"), env, ROOT);
        // The command line's exit status: examples/urls.txt holds a wildcard on purpose.
        assert.equal(run.code, 1, run.stderr);
        assert.match(run.stdout, /^12 URLs: 10 submitted, 2 not sent, 0 failed; 3 requests in /m);
        assert.doesNotMatch(run.stdout, /SIMULATED/, "it used the served simulator, not its own");
        assert.equal(requests() - before, 3, simulator.log());
      }],
      [/^node tools\/bundle\.mjs examples\/node\.ts /, async (command) => {
        const run = await sh(command, env, ROOT);
        assert.equal(run.code, 0, run.stderr);
      }],
      [/^PREWARM_TOKENS=\S+ node tools\/out\/server\.mjs/, async (command) => {
        const [assignment, program, file] = command.split(/\s+/) as [string, string, string];
        const server = await serve([program, file], { PREWARM_TOKENS: assignment.split("=")[1]! });
        const before = requests();
        const { status, report } = await postUrls(server.url, ["https://www.example.com/n.js"]);
        assert.equal(status, 200, JSON.stringify(report));
        assert.equal(requests() - before, 1);
      }],
      [/^deno install -g -n prewarm (--allow-\S+ )+jsr:@qcdn\/prewarm\/cli$/, async (command) => {
        // As written, into a folder of this test's, with this repository's source for jsr:.
        const line = command.replace(" -g ", ` -g --root ${dir}/install `)
          .replace("jsr:@qcdn/prewarm/cli", `--config ${ROOT}deno.json ${ROOT}src/cli/main.ts`);
        const run = await sh(line, env, dir);
        assert.equal(run.code, 0, `${line}\n${run.stderr}`);
        env.PATH = `${dir}/install/bin:${env.PATH}`;
      }],
      [/^prewarm /, async (command) => {
        // The installed command; status TASK_ID asks for a task the first run made.
        const line = command.replace("TASK_ID", taskIds[0] ?? "TASK_ID");
        const before = requests();
        const run = await sh(line, env, dir);
        assert.equal(run.code, 0, `${line}\n${run.stdout}\n${run.stderr}`);
        taskIds.push(...run.stdout.match(/\b\d{10}-[0-9a-f-]{36}\b/g) ?? []);
        const sends = /--dry-run/.test(command) ? 0 : 1;
        assert.ok(requests() - before >= sends, `${line} reached the simulator`);
      }],
      [/^curl .*https:\/\/prewarm-proxy\.example\.workers\.dev\/prewarm/, async (command) => {
        // The deployed proxy is the README's prewarmRouter() sample, served here.
        const sample = await Deno.makeTempFile({ dir, suffix: ".ts" });
        await Deno.writeTextFile(sample, await localised(proxySample()));
        const server = await serve([
          Deno.execPath(),
          "serve",
          "--allow-net",
          "--allow-env",
          "--host",
          "127.0.0.1",
          "--port",
          "0",
          `--config=${ROOT}deno.json`,
          sample,
        ], { PREWARM_TOKENS: TOKEN });
        const before = requests();
        const line = command.replace("https://prewarm-proxy.example.workers.dev/", server.url);
        const run = await sh(line, { ...env, PREWARM_TOKEN: TOKEN }, dir);
        assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`); // --fail-with-body: 2xx
        assert.equal(JSON.parse(run.stdout).counts.submitted, 2, run.stdout);
        assert.equal(requests() - before, 2);
      }],
    ];
    const taskIds: string[] = [];
    const proxySample = () => {
      const found = blocks(readme, "ts").find((b) => /export default prewarmRouter\(/.test(b));
      assert.ok(found, "the README's proxy sample");
      return found;
    };
    for (const command of commands(readme)) {
      const rule = commandRules.find(([pattern]) => pattern.test(command));
      await t.step(`README: ${command.replace(/\s+#.*$/, "")}`, async () => {
        assert.ok(rule, `no rule runs this README command: add one to this test`);
        await rule[1](command);
      });
    }

    // Each README TypeScript sample, run the way the README says to run it.
    const sampleRules: [RegExp, (code: string) => Promise<void>][] = [
      [/Bun\.file\("urls\.txt"\)/, async (code) => {
        const file = `${dir}/bun_sample.ts`;
        await Deno.writeTextFile(file, await localised(code));
        const before = requests();
        const run = await sh(`${TOOLS_BIN}bun run ${file}`, env, dir);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /submitted: 2/);
        assert.equal(requests() - before, 2);
      }],
      [/readFile\("urls\.txt", "utf8"\)/, async (code) => {
        // In this repository Node runs the sources bundled (the README says why).
        const file = `${dir}/node_sample.ts`;
        await Deno.writeTextFile(file, await localised(code));
        const bundled = await sh(
          `node ${ROOT}tools/bundle.mjs ${file} ${dir}/node_sample.mjs --platform=node`,
          env,
          ROOT,
        );
        assert.equal(bundled.code, 0, bundled.stderr);
        const before = requests();
        const run = await sh(`node ${dir}/node_sample.mjs`, env, dir);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /submitted: 2/);
        assert.equal(requests() - before, 2);
      }],
      [/request: Request, env: Record<string, unknown>/, async (code) => {
        // The Worker sample in workerd, its bindings what the task prints for .dev.vars.
        const file = `${dir}/worker_sample.ts`;
        await Deno.writeTextFile(file, await localised(code));
        const bundled = await sh(
          `node ${ROOT}tools/bundle.mjs ${file} ${dir}/worker_sample.mjs --platform=browser`,
          env,
          ROOT,
        );
        assert.equal(bundled.code, 0, bundled.stderr);
        const bindings = Object.fromEntries(simulator.devVars.map((l) => l.split("=", 2)));
        const server = await serve(
          [
            "node",
            "tests/router/miniflare_host.mjs",
            `${dir}/worker_sample.mjs`,
            JSON.stringify(bindings),
          ],
          {},
        );
        const before = requests();
        const answer = await fetch(server.url, {
          method: "POST",
          body: JSON.stringify({ urls: ["https://www.example.com/w.js"] }),
        });
        const report = await answer.json();
        assert.equal(answer.status, 200, JSON.stringify(report));
        assert.equal(report.counts.submitted, 1);
        // On workerd a quota read goes first (its fetch cannot tell a dead endpoint from a
        // dropped connection), then the push.
        assert.equal(requests() - before, 2);
      }],
      [/^import \{ errorAdvice, prewarm \} from "jsr:@qcdn\/prewarm";/, async (code) => {
        const file = `${dir}/deno_sample.ts`;
        await Deno.writeTextFile(file, await localised(code));
        // The command the README gives for it.
        assert.match(readme, /`deno run --allow-net --allow-env script\.ts`/);
        const before = requests();
        const run = await sh(
          `deno run --allow-net --allow-env --config=${ROOT}deno.json ${file}`,
          env,
          dir,
        );
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /^\d{10}-[0-9a-f-]{36} www\.example\.com 2$/m);
        assert.equal(requests() - before, 1);
      }],
      [/export default prewarmRouter\(/, () => Promise.resolve()], // served for the curl line
    ];
    for (const [i, code] of blocks(readme, "ts").entries()) {
      const rule = sampleRules.find(([pattern]) => pattern.test(code));
      await t.step(`README sample ${i + 1}: ${code.split("\n")[0]}`, async () => {
        assert.ok(rule, `no rule runs this README sample: add one to this test\n${code}`);
        await rule[1](code);
      });
    }

    // docs/router.md's "try it", and every example.
    await t.step("docs/router.md: deno task serve, then its printed curl lines", async () => {
      const router = await Deno.readTextFile(`${ROOT}docs/router.md`);
      const tryIt = commands(router.slice(0, router.indexOf("## Endpoints")));
      assert.deepEqual(tryIt.map((c) => c.split(" ").slice(0, 3).join(" ")), [
        "deno task serve",
        "curl -sS -X",
        "curl -sS http://127.0.0.1:8787/quota",
      ]);
      const server = await serve(await taskArgv("serve"), {});
      const printed = /Dev token for this run \(PREWARM_TOKENS is unset\): (\S+)\n/;
      for (let i = 0; i < 100 && !printed.test(server.stdout()); i++) await delay(50);
      const token = printed.exec(server.stdout())?.[1];
      assert.ok(token, server.stdout());
      const origin = server.url.replace(/\/$/, "");
      const before = requests();
      const post = await sh(
        tryIt[1]!.replace("http://127.0.0.1:8787", origin).replace("<printed token>", token),
        env,
        ROOT,
      );
      assert.equal(post.code, 0, post.stderr);
      // examples/urls.txt: 10 sent, a duplicate and a wildcard rejected on purpose.
      assert.equal(JSON.parse(post.stdout).counts.submitted, 10, post.stdout);
      assert.equal(requests() - before, 3, "through the served simulator, not serve's own");
      const quota = await sh(
        tryIt[2]!.replace("http://127.0.0.1:8787", origin).replace("<printed token>", token),
        env,
        ROOT,
      );
      assert.equal(quota.code, 0, quota.stderr);
      assert.equal(JSON.parse(quota.stdout).used, 10, quota.stdout);
    });

    const exampleRuns: Record<string, () => Promise<void>> = {
      "start.ts": () => Promise.resolve(), // deno task start, above
      "serve.ts": () => Promise.resolve(), // deno task serve, above
      "simulator.ts": () => Promise.resolve(), // deno task simulator: this test's simulator
      "node.ts": () => Promise.resolve(), // the README's Node commands, above
      "deno-serve.ts": async () => {
        const server = await serve(
          [Deno.execPath(), "run", "--allow-net", "--allow-env", "examples/deno-serve.ts"],
          { PREWARM_TOKENS: TOKEN },
        );
        const before = requests();
        const { status, report } = await postUrls(server.url, ["https://img.example.com/d.jpg"]);
        assert.equal(status, 200, JSON.stringify(report));
        assert.equal(requests() - before, 1);
      },
      "bun.ts": async () => {
        // As its comment runs it: Bun on the TypeScript, with the locked hono.
        const server = await serve([`${TOOLS_BIN}bun`, "run", "examples/bun.ts"], {
          PREWARM_TOKENS: TOKEN,
        });
        const before = requests();
        const { status, report } = await postUrls(server.url, ["https://img.example.com/b.jpg"]);
        assert.equal(status, 200, JSON.stringify(report));
        assert.equal(requests() - before, 1);
      },
    };
    for await (const entry of Deno.readDir(`${ROOT}examples`)) {
      if (!entry.isFile || !entry.name.endsWith(".ts")) continue;
      await t.step(`examples/${entry.name}`, async () => {
        const run = exampleRuns[entry.name];
        assert.ok(run, `no step runs examples/${entry.name}: add one to this test`);
        await run();
      });
    }
  } finally {
    for (const server of servers) await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
