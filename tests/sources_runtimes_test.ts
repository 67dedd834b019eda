// The sources on every runtime: the command line's bundle on Node and Bun reads the same
// sitemaps (an index, a gzipped child) and build folder as Deno does, and a Worker bundle on
// workerd (without nodejs_compat) reads a sitemap by URL.
import assert from "node:assert/strict";
import { CLI_SOURCE, DENO, ROOT, runCli, type Runner, TOOLS_BIN } from "./cli/run.ts";
import { writeBuildFolder } from "./sources/build_folder.ts";
import { startWorker } from "./router/processes.ts";
import { gzip, serveDocuments, sitemapIndex, urlset } from "./sources/serve.ts";

const SITE = "https://www.example.com";

async function run(command: string, args: string[]): Promise<void> {
  const { code, stderr } = await new Deno.Command(command, { args, cwd: ROOT, stdout: "null" })
    .output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
}

async function sitemapSite() {
  const documents: Record<string, { body: string | Uint8Array }> = {};
  const served = serveDocuments(documents);
  documents["/index.xml"] = {
    body: sitemapIndex([`${served.origin}/pages.xml`, `${served.origin}/posts.xml.gz`]),
  };
  documents["/pages.xml"] = {
    body: urlset([
      { loc: `${SITE}/?a=1&amp;b=2`, priority: "0.2", lastmod: "2026-11-01" },
      { loc: `${SITE}/caf%C3%A9`, priority: "0.9", lastmod: "2026-11-28T09:00+08:00" },
    ]),
  };
  documents["/posts.xml.gz"] = {
    body: await gzip(urlset([{ loc: `${SITE}/post/1`, priority: "0.5", lastmod: "2026-10" }])),
  };
  return served;
}

Deno.test("sources: Deno, Node and Bun read the same sitemaps and build folder", async () => {
  await using site = await sitemapSite();
  const tmp = await writeBuildFolder();
  try {
    const outfile = `${tmp}/cli.mjs`;
    await run("node", ["tools/bundle.mjs", CLI_SOURCE, outfile, "--platform=node"]);
    const runners: Runner[] = [
      DENO,
      { name: "node", command: "node", prefix: [outfile] },
      { name: "bun", command: `${TOOLS_BIN}bun`, prefix: [outfile] },
    ];
    const args = [
      ...["--dry-run", "--json", "--sitemap", `${site.origin}/index.xml`, "--order", "lastmod"],
      ...["--since", "2026-10-15", "--dir", `${tmp}/dist`, "--base", `${SITE}/`],
    ];
    const answers: string[] = [];
    for (const runner of runners) {
      const result = await runCli(args, { runner });
      assert.equal(result.code, 0, `${runner.name}: ${result.stderr}`);
      answers.push(result.stdout);
    }
    const urls = JSON.parse(answers[0]!).batches.flatMap((b: { urls: string[] }) => b.urls);
    assert.deepEqual(urls.slice(0, 3), [
      `${SITE}/caf%C3%A9`,
      `${SITE}/?a=1&b=2`,
      `${SITE}/100%25%23%3F.txt`,
    ]);
    assert.equal(urls.length, 2 + 13);
    assert.equal(answers[1], answers[0], "node");
    assert.equal(answers[2], answers[0], "bun");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("sources: a Worker on workerd reads a sitemap by URL, with no nodejs_compat", async () => {
  await using site = await sitemapSite();
  const dir = await Deno.makeTempDir({ prefix: "sources-worker-" });
  const worker = `${dir}/worker.mjs`;
  await run("node", ["tools/bundle.mjs", "tests/sources/worker.ts", worker, "--platform=browser"]);
  const host = await startWorker(worker);
  try {
    const origin = host.url;
    const ask = async (query: string) => {
      const response = await fetch(`${origin}?${query}`);
      return { status: response.status, body: await response.json() };
    };
    const index = encodeURIComponent(`${site.origin}/index.xml`);
    assert.deepEqual(await ask(`sitemap=${index}&order=priority`), {
      status: 200,
      body: { urls: [`${SITE}/caf%C3%A9`, `${SITE}/post/1`, `${SITE}/?a=1&b=2`] },
    });
    const missing = await ask(`sitemap=${encodeURIComponent(`${site.origin}/missing.xml`)}`);
    assert.deepEqual(missing, {
      status: 500,
      body: {
        error: "SourceError",
        message: `${site.origin}/missing.xml: the server answered HTTP 404 Not Found`,
      },
    });
  } finally {
    await host.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sources: the manifest keeps a file named __proto__ on Deno, Node and Bun", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const dir = `${tmp}/dist`;
    await Deno.mkdir(dir);
    for (const name of ["__proto__", "constructor", "a.html"]) {
      await Deno.writeTextFile(`${dir}/${name}`, name);
    }
    const script = `${tmp}/manifest.mjs`;
    await run("node", ["tools/bundle.mjs", "tests/sources/manifest_roundtrip.ts", script]);
    const runtimes: [string, string[]][] = [
      [Deno.execPath(), [
        "run",
        "--allow-read",
        "--allow-write",
        "tests/sources/manifest_roundtrip.ts",
      ]],
      ["node", [script]],
      [`${TOOLS_BIN}bun`, [script]],
    ];
    for (const [command, prefix] of runtimes) {
      await Deno.remove(`${tmp}/m.json`).catch(() => {});
      const { code, stdout, stderr } = await new Deno.Command(command, {
        args: [...prefix, dir, `${tmp}/m.json`],
        cwd: ROOT,
      }).output();
      assert.equal(code, 0, new TextDecoder().decode(stderr));
      assert.deepEqual(JSON.parse(new TextDecoder().decode(stdout)), {
        first: ["__proto__", "a.html", "constructor"],
        written: ["__proto__", "a.html", "constructor"],
        second: [],
      }, command);
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
