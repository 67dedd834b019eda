// One command, one behaviour (issue 22): the command line has one name, `prewarm`, which its
// usage text, the docs and its advice use; `deno install` installs it under that name with
// exactly the permissions it needs (each one used, none missing); and `deno task start FILE`
// runs the command line's own code, so it reads, counts and exits as `prewarm --file FILE`.
import assert from "node:assert/strict";
import { git } from "./sources/git.ts";
import { COMMAND, INSTALL } from "../src/cli/words.ts";
import { USAGE } from "../src/cli/usage.ts";
import { childEnv, ROOT, serveSimulator, SIMULATOR_ENV } from "./cli/run.ts";

const decoder = new TextDecoder();

/** The permissions `INSTALL` grants, as flags. */
const PERMISSIONS = INSTALL.split(" ").filter((word) => word.startsWith("--allow-"));

async function run(
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
  cwd = ROOT,
) {
  const { code, stdout, stderr } = await new Deno.Command(command, {
    args: [...args],
    cwd,
    env: childEnv(env),
    clearEnv: true,
    stdin: "null",
  }).output();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

Deno.test("one name: the usage text, the docs and the README call the command prewarm", async () => {
  assert.equal(COMMAND, "prewarm");
  const usage = USAGE.slice(0, USAGE.indexOf("\n\n"));
  for (const line of usage.split("\n").slice(1)) assert.match(line, /^ {2}prewarm /, line);
  assert.ok(USAGE.includes(INSTALL), "the usage text says how to install it");
  assert.match(INSTALL, /^deno install -g -n prewarm (--allow-\S+ )+jsr:@qcdn\/prewarm\/cli$/);
  const texts = [
    ["README.md", await Deno.readTextFile(`${ROOT}README.md`)],
    ["src/cli/usage.ts", USAGE],
    ["src/cli/main.ts", await Deno.readTextFile(`${ROOT}src/cli/main.ts`)],
  ];
  for await (const entry of Deno.readDir(`${ROOT}docs`)) {
    if (entry.name.endsWith(".md")) {
      texts.push([`docs/${entry.name}`, await Deno.readTextFile(`${ROOT}docs/${entry.name}`)]);
    }
  }
  for (const [name, text] of texts) {
    // The other names it had: a package-style name, `deno run` of the entry, a task.
    assert.doesNotMatch(text!, /qcdn-prewarm \[|\bqcdn-prewarm (status|quota|--)/, name);
    assert.doesNotMatch(text!, /deno run -A jsr:@qcdn\/prewarm\/cli/, name);
    assert.doesNotMatch(text!, /deno task cli\b/, name);
  }
  const readme = texts[0]![1]!;
  assert.ok(readme.includes(INSTALL), "the README shows the install line");
  const cli = texts.find(([name]) => name === "docs/cli.md")![1]!;
  assert.ok(cli.includes(INSTALL), "docs/cli.md shows the install line");
});

Deno.test("one name: the repository's tasks and the Action run it with the installed permissions", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const flags = (command: string) => command.split(" ").filter((w) => w.startsWith("--allow-"));
  assert.deepEqual(flags(config.tasks.prewarm.command), PERMISSIONS);
  assert.match(config.tasks.prewarm.command, /src\/cli\/main\.ts$/);
  assert.deepEqual(flags(config.tasks.start.command), PERMISSIONS);
  assert.equal(config.tasks.cli, undefined, "one task name: prewarm");
  const action = await Deno.readTextFile(`${ROOT}action/prewarm.sh`);
  assert.deepEqual(flags(/exec deno run ([^\\]+)/.exec(action)![1]!), PERMISSIONS);
});

Deno.test("install: deno install as documented gives prewarm every permission it uses, and only those", async () => {
  const root = await Deno.makeTempDir();
  await using served = serveSimulator({ domains: ["www.example.com"] });
  try {
    // The documented line, with this repository's source for the published package.
    const install = async (name: string, permissions: string[]) => {
      const args = INSTALL.replace(" -n prewarm ", ` --root ${root} -n ${name} `)
        .replace(PERMISSIONS.join(" "), permissions.join(" "))
        .replace("jsr:@qcdn/prewarm/cli", `--config ${ROOT}deno.json ${ROOT}src/cli/main.ts`)
        .split(" ").slice(1);
      const done = await run(Deno.execPath(), args);
      assert.equal(done.code, 0, done.stderr);
      return `${root}/bin/${name}`;
    };
    const work = await Deno.makeTempDir();
    await Deno.writeTextFile(`${work}/urls.txt`, "https://www.example.com/a.js\n");
    await Deno.mkdir(`${work}/dist`);
    await Deno.writeTextFile(`${work}/dist/a.html`, "a");
    // Each git step must succeed (the shared helper asserts it).
    await git(work, "init", "-q");
    await git(work, "add", "-A");
    await git(work, "commit", "-qm", "one");
    await Deno.writeTextFile(`${work}/dist/b.html`, "b");
    await git(work, "add", "-A");
    await git(work, "commit", "-qm", "two");
    const env = { ...SIMULATOR_ENV, TENCENTCLOUD_ENDPOINT: served.endpoint };

    // One command that needs every permission: a run (the network, the keys in the
    // environment) on a --file (read) and what changed since git's HEAD~1 (git), writing its
    // report (write).
    const args = [
      ...["--file", "urls.txt", "--report", "report.json"],
      ...["--dir", "dist", "--base", "https://www.example.com/", "--changed-since", "HEAD~1"],
    ];
    const prewarm = await install("prewarm", PERMISSIONS);
    const done = await run(prewarm, args, env, work);
    assert.equal(done.code, 0, `prewarm ${args.join(" ")}\n${done.stdout}\n${done.stderr}`);
    assert.match(done.stdout, /^2 URLs: 2 submitted, 0 not sent, 0 failed/m);
    assert.ok((await Deno.stat(`${work}/report.json`)).isFile);
    await Deno.remove(`${work}/report.json`);
    // Without any one of them it cannot run (deno run with the same permissions less one is
    // what such an install runs): none is there for nothing.
    for (const permission of PERMISSIONS) {
      const lacking = PERMISSIONS.filter((p) => p !== permission);
      const without = await run(
        Deno.execPath(),
        ["run", ...lacking, "--config", `${ROOT}deno.json`, `${ROOT}src/cli/main.ts`, ...args],
        env,
        work,
      );
      assert.notEqual(without.code, 0, `${permission}: ${without.stdout}`);
    }
    await Deno.remove(work, { recursive: true });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

/** `deno task NAME ARGS` in the repository, as a newcomer runs it. */
function task(name: string, args: readonly string[], env: Record<string, string> = {}) {
  return run(Deno.execPath(), ["task", "-q", name, ...args], env);
}

/** The summary's totals line, its timing left out. */
function totals(stdout: string): string {
  const line = stdout.split("\n").find((l) => /^\d+ URLs: /.test(l)) ?? "";
  return line.replace(/ in [\d.,]+ m?s/, "");
}

Deno.test("deno task start FILE runs the command line: the same counts and exit code as prewarm --file FILE", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/urls.txt`;
  // A line with blanks around it (trimmed by both), a duplicate, a line that is no URL.
  await Deno.writeTextFile(
    file,
    [
      "# a comment",
      "  https://www.example.com/a.js  ",
      "https://www.example.com/b.js",
      "https://www.example.com/a.js",
      "",
      "www.example.com/c.js",
    ].join("\n"),
  );
  try {
    const start = await task("start", [file]);
    const cli = await task("prewarm", ["--file", file, "--simulate"]);
    assert.equal(start.code, 1, start.stderr);
    assert.equal(cli.code, start.code);
    assert.equal(
      totals(start.stdout),
      "4 URLs: 2 submitted, 2 not sent, 0 failed; 1 request; SIMULATED: nothing was sent to Tencent Cloud.",
    );
    assert.equal(totals(cli.stdout), totals(start.stdout));
    // Progress is the command line's: batches settled, never a running total per batch.
    assert.match(start.stderr, /^Batches 1\/1: 2 submitted, 0 failed, 2 rejected/m);
    assert.doesNotMatch(start.stderr, /^batch \d+\/\d+:/m);

    const json = await task("start", [file, "--json"]);
    const viaCli = await task("prewarm", ["--file", file, "--simulate", "--json"]);
    assert.deepEqual(
      { ...JSON.parse(json.stdout).counts, requests: 0 },
      { ...JSON.parse(viaCli.stdout).counts, requests: 0 },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task start: a missing file is a one-line error, exit 2, no stack trace", async () => {
  const start = await task("start", ["nofile.txt"]);
  const cli = await task("prewarm", ["--file", "nofile.txt"]);
  assert.equal(start.code, 2, start.stderr);
  assert.equal(cli.code, 2);
  const errors = start.stderr.split("\n").filter((line) => line.startsWith("error: "));
  assert.deepEqual(errors, [
    "error: Cannot open --file nofile.txt: ENOENT: no such file or directory.",
  ]);
  assert.doesNotMatch(start.stderr, /^\s+at /m, "no stack trace");
  assert.equal(start.stdout, "");
});
