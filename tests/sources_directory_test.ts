// directoryUrls(), globs, changedSince() against a real git repository, and the content manifest.
import assert from "node:assert/strict";
import {
  changedSince,
  compareManifest,
  directoryUrls,
  globMatcher,
  readManifest,
  SourceError,
  writeManifest,
} from "../src/sources/mod.ts";
import { checkUrl } from "../src/rules/urls.ts";
import { pathUrls, selectedFiles } from "../src/sources/directory.ts";
import { collect } from "./sources/serve.ts";
import { expectedUrls, writeBuildFolder } from "./sources/build_folder.ts";
import { git, HAS_GIT } from "./sources/git.ts";

const BASE = "https://www.example.com/site/";

Deno.test("directoryUrls: index.html as folders, browser encoding, dotfiles and links", async () => {
  const tmp = await writeBuildFolder();
  try {
    const dist = `${tmp}/dist`;
    const urls = await collect(directoryUrls(dist, "https://www.example.com/site"));
    assert.deepEqual(urls, expectedUrls(BASE));
    for (const url of urls) assert.ok(!("reason" in checkUrl(url)), url);
    // Names a link can hold literally come out as a browser resolves the link.
    for (const path of ["about us.html", "café/menü.html", "a+b&c@d.js"]) {
      assert.ok(urls.includes(new URL(path, BASE).href), path);
    }

    assert.deepEqual(
      await collect(directoryUrls(dist, BASE, { index: "both", include: ["docs/**"] })),
      [
        `${BASE}docs/guide/`,
        `${BASE}docs/guide/index.html`,
        `${BASE}docs/guide/intro.html`,
        `${BASE}docs/`,
        `${BASE}docs/index.html`,
      ],
    );
    assert.deepEqual(
      await collect(directoryUrls(dist, BASE, {
        index: "file",
        dotfiles: true,
        exclude: ["*.map", "link-*", "link-dir/**", "*.{txt,js}", "docs/**"],
      })),
      [
        `${BASE}.DS_Store`,
        `${BASE}about%20us.html`,
        `${BASE}caf%C3%A9/men%C3%BC.html`,
        `${BASE}index.html`,
      ],
      ".well-known/security.txt is excluded by *.txt",
    );
    const seen: string[] = [];
    assert.deepEqual(
      await collect(directoryUrls(dist, "http://127.0.0.1:8080/", {
        filter: (path) => (seen.push(path), path.startsWith("café/")),
      })),
      ["http://127.0.0.1:8080/caf%C3%A9/men%C3%BC.html"],
    );
    assert.equal(seen.length, 13, "the filter sees every selected file");

    await assert.rejects(
      collect(directoryUrls(`${tmp}/nope`, BASE)),
      (e: Error) =>
        e instanceof SourceError && e.source === `${tmp}/nope` &&
        /nope: cannot read the folder: ENOENT/.test(e.message),
    );
    await assert.rejects(
      collect(directoryUrls(`${tmp}/outside.html`, BASE)),
      /outside\.html: cannot read the folder: ENOTDIR/,
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("pathUrls: the URLs of selected paths are directoryUrls' own, for each index mode", async () => {
  const tmp = await writeBuildFolder();
  try {
    const dist = `${tmp}/dist`;
    const paths = await collect(selectedFiles(dist, { dotfiles: true }));
    for (const index of ["folder", "file", "both"] as const) {
      assert.deepEqual(
        [...pathUrls(paths, "https://www.example.com/site", index)],
        await collect(directoryUrls(dist, BASE, { dotfiles: true, index })),
        index,
      );
    }
    // In any order, a folder's files need not come together.
    assert.deepEqual([...pathUrls(["docs/index.html", "index.html", "docs/a b.html"], BASE)], [
      `${BASE}docs/`,
      BASE,
      `${BASE}docs/a%20b.html`,
    ]);
    assert.throws(() => [...pathUrls(["a.html"], "ftp://x/")], /^TypeError: Invalid base/);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
Deno.test("directoryUrls: base and options are checked at the call", () => {
  assert.throws(
    () => directoryUrls("dist", "www.example.com"),
    /Invalid base: expected an http\(s\) URL .* got "www\.example\.com"/,
  );
  assert.throws(() => directoryUrls("dist", "ftp://x/"), /Invalid base/);
  assert.throws(
    () => directoryUrls("dist", "https://x/?v=1"),
    /without query, fragment or credentials/,
  );
  assert.throws(
    () => directoryUrls("dist", BASE, { index: "all" as "both" }),
    /Invalid index: .* got "all"/,
  );
  assert.throws(
    () => directoryUrls("dist", BASE, { include: ["[abc"] }),
    /Invalid glob "\[abc": unclosed \[/,
  );
  assert.throws(
    () => directoryUrls("dist", BASE, { exclude: ["{a,b"] }),
    /Invalid glob "\{a,b": unclosed \{/,
  );
});

Deno.test("globMatcher: names anywhere without a slash, paths from the root with one", () => {
  const cases: [string, string, boolean][] = [
    ["*.map", "app.js.map", true],
    ["*.map", "deep/dir/app.js.map", true],
    ["*.map", "app.js", false],
    ["docs/*", "docs/a.html", true],
    ["docs/*", "docs/x/a.html", false],
    ["docs/**", "docs/x/a.html", true],
    ["/docs/**", "docs/a.html", true],
    ["**/index.html", "index.html", true],
    ["**/index.html", "a/b/index.html", true],
    ["a/**/z.js", "a/z.js", true],
    ["a/**/z.js", "a/b/c/z.js", true],
    ["a/**/z.js", "ab/z.js", false],
    ["?.js", "a.js", true],
    ["?.js", "ab.js", false],
    ["[ab].js", "b.js", true],
    ["[!ab].js", "b.js", false],
    ["[!ab].js", "c.js", true],
    ["*.{css,js}", "x.css", true],
    ["*.{css,js}", "x.json", false],
    ["a+b(1).js", "a+b(1).js", true],
    ["\\*.js", "*.js", true],
    ["\\*.js", "x.js", false],
  ];
  for (const [glob, path, expected] of cases) {
    assert.equal(globMatcher(glob)(path), expected, `${glob} ~ ${path}`);
  }
  assert.throws(() => globMatcher(""), /Invalid glob: expected a non-empty pattern, got ""/);
});

Deno.test({
  name: "changedSince: modified, added and untracked files under the folder; errors name the ref",
  ignore: !HAS_GIT,
  async fn() {
    const repo = await Deno.makeTempDir();
    try {
      await git(repo, "init", "-q");
      await git(repo, "config", "user.email", "test@example.com");
      await git(repo, "config", "user.name", "Test");
      const write = async (path: string, text: string) => {
        await Deno.mkdir(`${repo}/${path}`.replace(/\/[^/]+$/, ""), { recursive: true });
        await Deno.writeTextFile(`${repo}/${path}`, text);
      };
      for (
        const path of [
          "public/index.html",
          "public/old.html",
          "public/keep.css",
          "public/café/a b.html",
          "src/main.ts",
        ]
      ) {
        await write(path, "v1");
      }
      await write(".gitignore", "*.log\n");
      await git(repo, "add", "-A");
      await git(repo, "commit", "-qm", "v1");
      await git(repo, "tag", "v1");
      await write("public/index.html", "v2");
      await write("public/café/a b.html", "v2");
      await write("public/new/page.html", "v2");
      await write("src/main.ts", "v2"); // outside the folder
      await Deno.remove(`${repo}/public/old.html`);
      await git(repo, "add", "-A");
      await git(repo, "commit", "-qm", "v2");
      await write("public/draft.html", "untracked");
      await write("public/debug.log", "ignored");

      assert.deepEqual(await changedSince(`${repo}/public`, "v1"), [
        "café/a b.html",
        "draft.html",
        "index.html",
        "new/page.html",
      ]);
      assert.deepEqual(await changedSince(`${repo}/public`, "HEAD"), ["draft.html"]);
      const changed = new Set(await changedSince(`${repo}/public`, "v1"));
      assert.deepEqual(
        await collect(directoryUrls(`${repo}/public`, BASE, { filter: (p) => changed.has(p) })),
        [`${BASE}caf%C3%A9/a%20b.html`, `${BASE}draft.html`, `${BASE}`, `${BASE}new/page.html`],
      );

      await assert.rejects(
        changedSince(`${repo}/public`, "v9"),
        (e: Error) =>
          e instanceof SourceError &&
          e.message === `${repo}/public: the git ref "v9" is not a commit of this repository ` +
              "(in CI, a shallow clone lacks older commits: check out with fetch-depth: 0)",
      );
      const outside = await Deno.makeTempDir();
      await assert.rejects(changedSince(outside, "v1"), /: is not inside a git work tree$/);
      await Deno.remove(outside);
      await assert.rejects(changedSince(`${repo}/nope`, "v1"), /nope: cannot read the folder/);
      await assert.rejects(
        changedSince(repo, "--output=/tmp/x"),
        /Invalid git ref: .* got "--output=\/tmp\/x"/,
      );

      // Without git on PATH: a subprocess, so this test's own PATH stays as it is.
      const script = `import { changedSince } from "${
        new URL("../src/sources/mod.ts", import.meta.url).href
      }";
        try { await changedSince(${
        JSON.stringify(repo)
      }, "v1"); } catch (e) { console.log(e.message); }`;
      const { stdout } = await new Deno.Command(Deno.execPath(), {
        args: ["eval", script],
        env: { PATH: "/nonexistent" },
        clearEnv: true,
        cwd: new URL("..", import.meta.url).pathname,
      }).output();
      assert.equal(
        new TextDecoder().decode(stdout).trim(),
        `${repo}: git is not installed or not on PATH; install it, or compare with a content ` +
          "manifest instead (--changed-manifest)",
      );
    } finally {
      await Deno.remove(repo, { recursive: true });
    }
  },
});

Deno.test("manifest: the first run sees every file, the next only what changed", async () => {
  const tmp = await writeBuildFolder();
  try {
    const dist = `${tmp}/dist`;
    const manifestPath = `${tmp}/manifest.json`;
    const empty = await readManifest(manifestPath);
    assert.deepEqual(empty, { version: 1, files: Object.create(null) });
    const first = await compareManifest(dist, empty, { exclude: ["link-*", "link-dir/**"] });
    assert.deepEqual(first.changed, [
      "100%#?.txt",
      "a+b&c@d.js",
      "about us.html",
      "app.js.map",
      "café/menü.html",
      "docs/guide/index.html",
      "docs/guide/intro.html",
      "docs/index.html",
      "index.html",
    ]);
    // The hash is the SHA-256 of the contents.
    const digest = new Uint8Array(
      await crypto.subtle.digest("SHA-256", new TextEncoder().encode("<h1>home</h1>")),
    );
    assert.equal(
      first.current.files["index.html"],
      [...digest].map((b) => b.toString(16).padStart(2, "0")).join(""),
    );

    await writeManifest(manifestPath, first.current);
    const text = await Deno.readTextFile(manifestPath);
    assert.ok(text.startsWith('{\n  "version": 1,\n  "files": {\n    "100%#?.txt": "'), text);
    const again = await readManifest(manifestPath);
    assert.deepEqual(again, first.current);
    assert.deepEqual(
      (await compareManifest(dist, again, { exclude: ["link-*", "link-dir/**"] })).changed,
      [],
    );

    await Deno.writeTextFile(`${dist}/docs/index.html`, "docs, edited");
    await Deno.writeTextFile(`${dist}/docs/new.html`, "new");
    await Deno.remove(`${dist}/app.js.map`);
    const next = await compareManifest(dist, again, { exclude: ["link-*", "link-dir/**"] });
    assert.deepEqual(next.changed, ["docs/index.html", "docs/new.html"]);
    assert.equal(next.current.files["app.js.map"], undefined, "a deleted file leaves the manifest");

    await Deno.writeTextFile(manifestPath, '{"version": 1, "files": {"a": "nothex"}}');
    await assert.rejects(
      readManifest(manifestPath),
      (e: Error) =>
        e instanceof SourceError && /manifest\.json: is not a manifest: expected/.test(e.message),
    );
    await Deno.writeTextFile(manifestPath, "{");
    await assert.rejects(readManifest(manifestPath), /manifest\.json: is not a manifest: /);
    const leftovers = [...Deno.readDirSync(tmp)].map((e) => e.name).filter((n) =>
      n.endsWith(".tmp")
    );
    assert.deepEqual(leftovers, [], "writing leaves no temporary file behind");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
