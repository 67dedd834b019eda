/**
 * Checks of the documents a newcomer follows (README.md, docs/*.md, the examples and their
 * READMEs): what they tell people to run must be safe and true as written.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);

/** README.md, docs/*.md and the Worker example's README, by path from the root. */
async function markdownFiles(): Promise<string[]> {
  const files = ["README.md", "examples/cloudflare-worker/README.md"];
  for await (const entry of Deno.readDir(new URL("docs/", ROOT))) {
    if (entry.isFile && entry.name.endsWith(".md")) files.push(`docs/${entry.name}`);
  }
  return files.sort();
}

/** The example programs, by path from the root. */
async function exampleFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const dir of ["examples/", "examples/cloudflare-worker/"]) {
    for await (const entry of Deno.readDir(new URL(dir, ROOT))) {
      if (entry.isFile && /\.(ts|mjs|js)$/.test(entry.name)) files.push(`${dir}${entry.name}`);
    }
  }
  return files.sort();
}

const read = (path: string) => Deno.readTextFile(new URL(path, ROOT));

/** The line (1-based) of `index` in `text`. */
const lineOf = (text: string, index: number) => text.slice(0, index).split("\n").length;

/**
 * Every call that starts a server (`Deno.serve(…)`, `Bun.serve(…)`, `serve(…)` of
 * `@hono/node-server`) in `text`, with its argument text up to the matching parenthesis.
 */
export function serverCalls(text: string): { at: number; call: string }[] {
  const calls: { at: number; call: string }[] = [];
  for (const match of text.matchAll(/\b(?:Deno\.serve|Bun\.serve|serve)\(/g)) {
    // `deno serve` commands and prose ("serve it with") have no parenthesis right after.
    let depth = 0;
    let end = match.index + match[0].length - 1;
    for (; end < text.length; end++) {
      if (text[end] === "(") depth++;
      else if (text[end] === ")" && --depth === 0) break;
    }
    calls.push({ at: match.index, call: text.slice(match.index, end + 1) });
  }
  return calls;
}

Deno.test("docs check: every server in the docs and examples binds 127.0.0.1, not every interface", async () => {
  const open: string[] = [];
  let seen = 0;
  for (const file of [...await markdownFiles(), ...await exampleFiles()]) {
    const text = await read(file);
    for (const { at, call } of serverCalls(text)) {
      seen++;
      // A server that names no hostname listens on every interface (0.0.0.0).
      if (!/\bhostname\b/.test(call)) open.push(`${file}:${lineOf(text, at)}: ${call}`);
    }
  }
  assert.ok(seen >= 8, `found only ${seen} server calls: is the finder still finding them?`);
  assert.deepEqual(open, [], 'name hostname: "127.0.0.1" (Deno Deploy and Workers ignore it)');
});

Deno.test("docs check: the server finder", () => {
  assert.deepEqual(
    serverCalls("Deno.serve({ port: 1 }, (r) => f(r)); deno serve x.ts; Bun.serve({ hostname })")
      .map((c) => c.call),
    ["Deno.serve({ port: 1 }, (r) => f(r))", "Bun.serve({ hostname })"],
  );
});

Deno.test("docs check: the README and docs/ name TENCENTCLOUD_ENDPOINT and the simulator task", async () => {
  const readme = await read("README.md");
  assert.match(readme, /TENCENTCLOUD_ENDPOINT/, "README.md names the endpoint variable");
  assert.match(readme, /deno task simulator/, "README.md shows the simulator task");
  assert.match(
    await read("docs/api.md"),
    /## The endpoint from the environment|### The endpoint from the environment/,
  );
  const config = JSON.parse(await read("deno.json"));
  assert.ok(config.tasks.simulator, "deno.json has the simulator task the docs name");
  const worker = await read("examples/cloudflare-worker/README.md");
  assert.match(
    worker,
    /TENCENTCLOUD_ENDPOINT/,
    "the Worker's README says how to reach the simulator",
  );
});

/** The `sh` blocks of a Markdown text: each command, continuation lines joined. */
export function shellCommands(markdown: string): string[] {
  const commands: string[] = [];
  for (const block of markdown.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```/gm)) {
    commands.push(
      ...block[1]!.replace(/\\\n\s*/g, " ").split("\n").map((line) => line.trim())
        .filter((line) => line !== "" && !line.startsWith("#")),
    );
  }
  return commands;
}

/** True when git ignores `path` (relative to the root). */
async function gitIgnored(path: string): Promise<boolean> {
  const { code } = await new Deno.Command("git", {
    args: ["check-ignore", "-q", "--no-index", path],
    cwd: ROOT,
  }).output();
  return code === 0;
}

Deno.test("docs check: no command in the docs writes into the repository outside git-ignored folders", async () => {
  const writes: string[] = [];
  for (const file of await markdownFiles()) {
    for (const command of shellCommands(await read(file))) {
      // What the repository's own scripts write: the bundler's output, and redirections.
      const bundle = /\btools\/bundle\.mjs\s+\S+\s+(\S+)/.exec(command);
      if (bundle) writes.push(`${file}\t${bundle[1]}\t${command}`);
      for (const [, target] of command.matchAll(/(?:^|\s)\d?>\s*([^\s&|;]+)/g)) {
        if (target !== "/dev/null" && !target!.startsWith("$")) {
          writes.push(`${file}\t${target}\t${command}`);
        }
      }
    }
  }
  assert.ok(
    writes.some((w) => w.startsWith("README.md\t")),
    "the README's bundle commands are seen",
  );
  const bad: string[] = [];
  for (const write of writes) {
    const [file, target, command] = write.split("\t") as [string, string, string];
    // Commands that run in a user's own project (no tools/ or examples/ in them) write there.
    if (!/\b(tools|examples)\//.test(command)) continue;
    if (!target.includes("/") || !await gitIgnored(target)) {
      bad.push(`${file}: ${command} writes ${target}`);
    }
  }
  assert.deepEqual(bad, [], "write into a git-ignored folder such as tools/out/");
});

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
export function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

/** The anchors of a Markdown text: its headings' (outside code blocks, repeats numbered) and
 * its HTML `id`s. */
function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  const counts = new Map<string, number>();
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, "");
  for (const [, heading] of prose.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const base = slug(heading!);
    const n = counts.get(base) ?? 0;
    counts.set(base, n + 1);
    found.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const [, id] of prose.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) found.add(id!);
  return found;
}

Deno.test("docs check: every relative link in the README and docs/ resolves, anchors too", async () => {
  const broken: string[] = [];
  let checked = 0;
  for (const file of await markdownFiles()) {
    const text = (await read(file)).replace(/^```[\s\S]*?^```/gm, "");
    for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1]!;
      if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
      checked++;
      const [path, anchor] = target.split("#") as [string, string | undefined];
      const url = path === "" ? new URL(file, ROOT) : new URL(path, new URL(file, ROOT));
      const where = `${file}:${lineOf(text, match.index)}: ${target}`;
      const stat = await Deno.stat(url).catch(() => undefined);
      if (!stat) {
        broken.push(`${where} (no such file)`);
        continue;
      }
      if (anchor !== undefined && url.pathname.endsWith(".md")) {
        if (!anchors(await Deno.readTextFile(url)).has(anchor)) {
          broken.push(`${where} (no heading with that anchor)`);
        }
      }
    }
  }
  assert.ok(checked >= 30, `checked only ${checked} links`);
  assert.deepEqual(broken, []);
});

Deno.test("docs check: the anchor rule", () => {
  assert.equal(
    slug("Purge, then prefetch (`@qcdn/prewarm/purge`)"),
    "purge-then-prefetch-qcdnprewarmpurge",
  );
  assert.equal(slug("The endpoint from the environment"), "the-endpoint-from-the-environment");
  assert.deepEqual([...anchors('# A\n```\n# not\n```\n## A\n<a id="x"></a>')], ["a", "a-1", "x"]);
});

Deno.test("docs check: the README is short and leaves the bundle size to docs/benchmarks.md", async () => {
  const readme = await read("README.md");
  const bytes = new TextEncoder().encode(readme).length;
  assert.ok(bytes < 15 * 1024, `README.md is ${bytes} bytes; details belong in docs/`);
  // One home for a measured size: docs/benchmarks.md, which `deno task bench` rewrites.
  assert.deepEqual(readme.match(/\d+(?:\.\d+)?\s?KB\b/g) ?? [], [], "no size figure in README.md");
  const firstScreen = readme.split("\n").slice(0, 30).join("\n");
  for (const internal of ["coordinator", "noble", "gzip"]) {
    assert.ok(!firstScreen.includes(internal), `the first screen talks about ${internal}`);
  }
  for (const command of ["npx deno@2 task start", "npx deno@2 task test"]) {
    assert.ok(readme.includes(command), `README.md shows ${command}`);
  }
});
