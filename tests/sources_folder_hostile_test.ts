// Build folders with names that are not what they seem: characters the URL parser keeps or
// escapes (a table, and a seeded fuzz against `new URL()`), names that are not UTF-8, a file
// named __proto__ in the manifest, and a changed git submodule.
import assert from "node:assert/strict";
import {
  changedSince,
  compareManifest,
  directoryUrls,
  readManifest,
  type SourceWarning,
  writeManifest,
} from "../src/sources/mod.ts";
import { encodeSegment } from "../src/sources/directory.ts";
import { collect } from "./sources/serve.ts";
import { fuzzSeed, Random, reproduce } from "./_random.ts";
import { git, HAS_GIT } from "./sources/git.ts";

const BASE = "https://www.example.com/site/";

/**
 * What the URL parser makes of a link to `name` in the folder `BASE`: its path segment. `./`
 * keeps a name like `a:b` from reading as a scheme, and the trailing `/` keeps trailing spaces.
 */
function parsed(name: string): string {
  const path = new URL(`./${name}/`, BASE).pathname;
  assert.ok(path.startsWith("/site/") && path.endsWith("/"), `${name} → ${path}`);
  return path.slice("/site/".length, -1);
}

/**
 * The URL Standard has percent-encoded `^` in paths since 2025 (whatwg/url#846), as Chrome,
 * Firefox, Safari and Bun do; Deno's and Node's parsers still keep it. We follow the Standard,
 * so where this runtime's parser lags, its `^` is read as the Standard's `%5E`.
 */
const PARSER_KEEPS_CARET = new URL("https://x/^").pathname === "/^";
const standard = (path: string) => PARSER_KEEPS_CARET ? path.replaceAll("^", "%5E") : path;

Deno.test("encodeSegment: a name is encoded as the URL parser encodes a link to it", () => {
  const table: [string, string][] = [
    ["a[b]c.html", "a[b]c.html"],
    ["x|y.js", "x|y.js"],
    ["caret^.txt", "caret%5E.txt"],
    ["a+b&c@d=e;f,g$h:i.js", "a+b&c@d=e;f,g$h:i.js"],
    ["it's (1)!*~.html", "it's%20(1)!*~.html"],
    ['q"<>`{}.txt', "q%22%3C%3E%60%7B%7D.txt"],
    ["about us.html", "about%20us.html"],
    ["café/menü".split("/")[0]!, "caf%C3%A9"],
    ["日本語.html", "%E6%97%A5%E6%9C%AC%E8%AA%9E.html"],
    ["emoji-😀.png", "emoji-%F0%9F%98%80.png"],
    ["del\x7f", "del%7F"],
    ["tab\tnew\nline", "tab%09new%0Aline"],
    [" lead and trail ", "%20lead%20and%20trail%20"],
    // A name must stay itself: % # ? \ are escaped though the parser would read them.
    ["100%#?.txt", "100%25%23%3F.txt"],
    ["%41.txt", "%2541.txt"],
    ["back\\slash", "back%5Cslash"],
    ["%2e%2E", "%252e%252E"],
  ];
  for (const [name, expected] of table) {
    assert.equal(encodeSegment(name), expected, JSON.stringify(name));
    assert.equal(decodeURIComponent(expected), name, "decodes back to the name");
  }
  // Where the parser reads a name as itself, it agrees with the table.
  for (const [name, expected] of table) {
    if (/[%#?\\\t\n]/.test(name) || name !== name.trim()) continue;
    assert.equal(standard(parsed(name)), expected, JSON.stringify(name));
  }
});

const ASCII = Array.from({ length: 0x7f }, (_, i) => String.fromCharCode(i + 1));
const OTHERS = ["é", "ü", "日", "ß", "\u00a0", "\u2028", "\ufeff", "\ufffd", "😀", "\u{10ffff}"];

Deno.test("encodeSegment: random names agree with new URL() (seeded fuzz)", () => {
  const seed = fuzzSeed();
  const random = new Random(seed);
  for (let run = 0; run < 400; run++) {
    // Any name a file may have: any character but "/" and NUL, well-formed Unicode, and
    // neither "." nor ".." (which name folders, not files).
    let name: string;
    do {
      name = random.string([...ASCII.filter((c) => c !== "/"), ...OTHERS], random.int(1, 12));
    } while (name === "." || name === "..");
    const encoded = encodeSegment(name);
    const context = `${JSON.stringify(name)} → ${encoded} (${reproduce(seed)})`;
    assert.equal(decodeURIComponent(encoded), name, `decodes back: ${context}`);
    // The parser leaves an encoded name as it is (nothing more to escape, nothing it resolves).
    assert.equal(standard(parsed(encoded)), encoded, `the parser keeps it: ${context}`);
    // Names the parser reads as one literal segment: it encodes them exactly so.
    // (The parser drops tabs and newlines anywhere, and controls and spaces at either end.)
    const trimmed = name.charCodeAt(0) <= 0x20 || name.charCodeAt(name.length - 1) <= 0x20;
    const literal = !/[%#?\\\t\n\r]/.test(name) && !trimmed;
    if (literal) assert.equal(standard(parsed(name)), encoded, `as the parser: ${context}`);
  }
});

/** A name with bytes that are not UTF-8, made by the shell (Deno's paths are strings). */
async function touchBytes(dir: string, ...names: string[]): Promise<void> {
  for (const name of names) {
    const { code, stderr } = await new Deno.Command("bash", {
      args: ["-c", `cd "$1" && ${name}`, "bash", dir],
      stderr: "piped",
    }).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
  }
}

Deno.test({
  name: "directoryUrls: a name that is not UTF-8 is skipped with a warning naming it",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(`${dir}/ok.html`, "ok");
      await Deno.writeTextFile(`${dir}/real\ufffd.html`, "a real U+FFFD");
      await touchBytes(
        dir,
        "touch $'caf\\xe9.html'",
        "mkdir $'bad\\xffdir'",
        "touch $'bad\\xffdir/x.html'",
      );
      const warnings: SourceWarning[] = [];
      const urls = await collect(
        directoryUrls(dir, BASE, { onWarning: (warning) => warnings.push(warning) }),
      );
      assert.deepEqual(urls, [`${BASE}ok.html`, `${BASE}real%EF%BF%BD.html`]);
      assert.deepEqual(warnings, [
        {
          code: "file-name-not-utf8",
          source: `${dir}/bad\ufffddir`,
          message: `${dir}/bad\ufffddir: the folder's name is not UTF-8, so none of its files ` +
            "has a URL: skipped (rename it)",
        },
        {
          code: "file-name-not-utf8",
          source: `${dir}/caf\ufffd.html`,
          message: `${dir}/caf\ufffd.html: the file's name is not UTF-8, so it has no URL: ` +
            "skipped (rename it)",
        },
      ]);
      // The manifest reads the same files, and is not stopped by the one it cannot open.
      const { changed } = await compareManifest(dir, await readManifest(`${dir}/none.json`), {
        onWarning: () => {},
      });
      assert.deepEqual(changed, ["ok.html", "real\ufffd.html"]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("manifest: a file named __proto__ is a file like any other", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const name of ["__proto__", "constructor", "hasOwnProperty", "a.html"]) {
      await Deno.writeTextFile(`${dir}/${name}`, name);
    }
    const first = await compareManifest(dir, await readManifest(`${dir}/m.json`), {
      exclude: ["m.json"],
    });
    assert.deepEqual(first.changed, ["__proto__", "a.html", "constructor", "hasOwnProperty"]);
    assert.deepEqual(Object.keys(first.current.files).sort(), first.changed);
    await writeManifest(`${dir}/m.json`, first.current);
    assert.match(await Deno.readTextFile(`${dir}/m.json`), /"__proto__": "[0-9a-f]{64}"/);
    const again = await compareManifest(dir, await readManifest(`${dir}/m.json`), {
      exclude: ["m.json"],
    });
    assert.deepEqual(again.changed, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "changedSince: a changed submodule, or a nested repository, is named in a warning",
  ignore: !HAS_GIT,
  async fn() {
    const tmp = await Deno.makeTempDir();
    try {
      await Deno.mkdir(`${tmp}/theme`);
      await git(`${tmp}/theme`, "init", "-q");
      await Deno.writeTextFile(`${tmp}/theme/a.css`, "v1");
      await git(`${tmp}/theme`, "add", "-A");
      await git(`${tmp}/theme`, "commit", "-qm", "v1");
      await Deno.mkdir(`${tmp}/site/public`, { recursive: true });
      await git(`${tmp}/site`, "init", "-q");
      await Deno.writeTextFile(`${tmp}/site/public/index.html`, "v1");
      await git(
        `${tmp}/site`,
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        `${tmp}/theme`,
        "public/theme",
      );
      await git(`${tmp}/site`, "add", "-A");
      await git(`${tmp}/site`, "commit", "-qm", "v1");
      await git(`${tmp}/site`, "tag", "v1");
      await Deno.writeTextFile(`${tmp}/site/public/theme/b.css`, "new");
      await git(`${tmp}/site/public/theme`, "add", "-A");
      await git(`${tmp}/site/public/theme`, "commit", "-qm", "v2");
      await Deno.writeTextFile(`${tmp}/site/public/index.html`, "v2");
      await git(`${tmp}/site`, "add", "-A");
      await git(`${tmp}/site`, "commit", "-qm", "v2");
      // A repository inside the folder that git does not track at all.
      await Deno.mkdir(`${tmp}/site/public/nested`);
      await git(`${tmp}/site/public/nested`, "init", "-q");
      await Deno.writeTextFile(`${tmp}/site/public/nested/n.html`, "n");
      await git(`${tmp}/site/public/nested`, "add", "-A");

      const warnings: SourceWarning[] = [];
      const public_ = `${tmp}/site/public`;
      const changed = await changedSince(public_, "v1", { onWarning: (w) => warnings.push(w) });
      assert.deepEqual(changed, ["index.html"], "no submodule entry posing as a file");
      const advice = "is a git submodule (or a nested repository) that changed; git lists it as " +
        "one entry, not its files, so none of its files is among the changed ones (compare the " +
        "folder with a content manifest instead: --changed-manifest)";
      assert.deepEqual(warnings, [
        { code: "submodule", source: `${public_}/nested`, message: `${public_}/nested: ${advice}` },
        { code: "submodule", source: `${public_}/theme`, message: `${public_}/theme: ${advice}` },
      ]);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
