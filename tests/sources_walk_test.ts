// directoryUrls() over trees of many folders: the walk lists folders ahead of where it is and
// hands files over in runs, and must still give exactly what a walk of one folder at a time
// gives (name order within each folder, depth first, the filter called in that order).
import assert from "node:assert/strict";
import { directoryUrls, encodeSegment } from "../src/sources/directory.ts";
import { collect } from "./sources/serve.ts";
import { fuzzSeed, Random, reproduce } from "./_random.ts";

const BASE = "https://www.example.com/";
// Names that sort between each other's folders and files, some needing encoding, some dotted.
const NAMES = ["a", "b", "index.html", "z z", "é", ".hidden", "m.js", "B", "_", "0"];

/** Writes a random tree; returns how many folders it has. */
async function writeTree(random: Random, dir: string, depth: number): Promise<number> {
  let folders = 0;
  const names = new Set<string>();
  const count = random.int(1, depth === 0 ? 4 : 8);
  for (let i = 0; i < count; i++) names.add(random.pick(NAMES) + (random.chance(0.5) ? i : ""));
  for (const name of names) {
    if (depth < 4 && random.chance(0.45)) {
      await Deno.mkdir(`${dir}/${name}`);
      folders += 1 + await writeTree(random, `${dir}/${name}`, depth + 1);
    } else await Deno.writeTextFile(`${dir}/${name}`, name);
  }
  return folders;
}

/** The paths a walk of one folder at a time gives: what directoryUrls() has always listed. */
async function referenceWalk(dir: string, relative = ""): Promise<string[]> {
  const entries = [];
  for await (const entry of Deno.readDir(dir)) entries.push(entry);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const paths: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory) paths.push(...await referenceWalk(`${dir}/${entry.name}`, path));
    else paths.push(path);
  }
  return paths;
}

function urlsOf(paths: string[]): string[] {
  return paths.map((path) => {
    const url = BASE + path.split("/").map(encodeSegment).join("/");
    return url.endsWith("/index.html") ? url.slice(0, -"index.html".length) : url;
  });
}

Deno.test("directoryUrls: trees of many folders come out in walk order, read ahead or not (seeded)", async () => {
  const seed = fuzzSeed();
  const random = new Random(seed);
  for (let round = 0; round < 12; round++) {
    const dir = await Deno.makeTempDir();
    try {
      // A wide top level too, so that more folders wait to be walked than are read ahead.
      let folders = 0;
      for (let i = 0; i < random.int(1, 90); i++) {
        await Deno.mkdir(`${dir}/d${i}`);
        folders += 1 + await writeTree(random, `${dir}/d${i}`, 1);
      }
      folders += await writeTree(random, dir, 0);
      const paths = await referenceWalk(dir);
      const seen: string[] = [];
      const urls = await collect(
        directoryUrls(dir, BASE, { filter: (path) => (seen.push(path), true) }),
      );
      const where = `round ${round}, ${folders} folders, ${reproduce(seed)}`;
      assert.deepEqual(seen, paths, `the filter sees every file in walk order (${where})`);
      assert.deepEqual(urls, urlsOf(paths), where);
      const some = await collect(directoryUrls(dir, BASE, { exclude: ["*.js", "a*/**"] }));
      assert.deepEqual(
        some,
        urlsOf(paths.filter((p) => !p.endsWith(".js") && !/^a[^/]*\//.test(p))),
        where,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});
