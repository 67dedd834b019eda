/**
 * `directoryUrls()` over 100 000 files against tinyglobby listing the same tree (issue 21), on
 * Deno (in process; tinyglobby bundled by esbuild, as Deno cannot resolve its bare imports from
 * tools/node_modules) and on Node (tools/bench/directory_node.mjs; tinyglobby from its package).
 * The tree is made once in a temporary folder: 1000 leaf folders three levels deep, each with
 * an index.html and 99 other files, removed afterwards.
 */
import { directoryUrls } from "../../src/sources/mod.ts";
import type { Summary } from "./stats.mjs";
import { measureDirectoryWalk } from "./directory_walk.mjs";
import { bundle, lastLine } from "./run.ts";

const root = new URL("../../", import.meta.url);
const outDir = new URL("tools/out/bench-directory/", root);

/** ms per listing of each side, on one runtime. */
export interface DirectoryRow {
  runtime: string;
  ours: Summary;
  floor: Summary;
}

/** Makes the tree: `a0/b0/c0/index.html`, `a0/b0/c0/chunk-1.3f9a.js`, …; returns its path. */
async function makeTree(files: number): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "bench-directory-" });
  const perFolder = 100;
  const empty = new Uint8Array();
  for (let f = 0; f < files / perFolder; f++) {
    const folder = `${dir}/a${f % 10}/b${Math.floor(f / 10) % 10}/c${Math.floor(f / 100)}`;
    await Deno.mkdir(folder, { recursive: true });
    await Deno.writeFile(`${folder}/index.html`, empty);
    for (let i = 1; i < perFolder; i++) {
      await Deno.writeFile(
        `${folder}/chunk-${i}.${(f * 131 + i).toString(16)}.js`,
        empty,
      );
    }
  }
  return dir;
}

/** Both runtimes, over one tree of `files` files. */
export async function measureDirectory(
  files = 100_000,
): Promise<DirectoryRow[]> {
  await Deno.mkdir(outDir, { recursive: true });
  const sources = new URL("sources.node.js", outDir).pathname;
  await bundle(new URL("src/sources/mod.ts", root).pathname, sources);
  const tinyEntry = new URL("tinyglobby-entry.mjs", outDir).pathname;
  const tiny = new URL("tinyglobby.deno.js", outDir).pathname;
  await Deno.writeTextFile(tinyEntry, 'export { glob } from "tinyglobby";\n');
  await bundle(tinyEntry, tiny, "--platform=node");
  const { glob } = await import(tiny);
  const dir = await makeTree(files);
  try {
    const plan = { warmup: 2, passes: 9 };
    const deno = await measureDirectoryWalk(
      directoryUrls,
      glob,
      dir,
      files,
      plan,
    );
    const node = JSON.parse(
      await lastLine("node", [
        new URL("tools/bench/directory_node.mjs", root).pathname,
        sources,
        dir,
        String(files),
      ]),
    ) as DirectoryRow;
    return [{ runtime: `Deno ${Deno.version.deno}`, ...deno }, node];
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
