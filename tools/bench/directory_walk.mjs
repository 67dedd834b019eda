// directoryUrls() over a folder of FILES files against tinyglobby listing the same tree
// (issue 21), in the same passes. Shared by the Deno side (tools/bench/directory.ts, in
// process) and the Node side (tools/bench/directory_node.mjs, a bundle of the sources).
import { timeSides } from "./stats.mjs";

/**
 * @param {(dir: string, base: string) => AsyncIterable<string>} directoryUrls
 * @param {(patterns: string[], options: { cwd: string }) => Promise<string[]>} glob
 * @param {string} dir the tree
 * @param {number} files how many files it holds (both sides must list them all)
 * @param {{ warmup: number, passes: number }} plan
 * @returns {Promise<{ ours: import("./stats.mjs").Summary, floor: import("./stats.mjs").Summary }>}
 *   ms per listing
 */
export async function measureDirectoryWalk(
  directoryUrls,
  glob,
  dir,
  files,
  plan,
) {
  const check = (ok, what) => {
    if (!ok) throw new Error(`Directory benchmark: ${what}`);
  };
  const times = await timeSides({
    ours: async () => {
      const start = performance.now();
      let n = 0;
      for await (const _url of directoryUrls(dir, "https://www.example.com/")) {
        n++;
      }
      const ms = performance.now() - start;
      check(n === files, `directoryUrls() listed ${n} of ${files} files`);
      return ms;
    },
    floor: async () => {
      const start = performance.now();
      const listed = await glob(["**/*"], { cwd: dir });
      const ms = performance.now() - start;
      check(
        listed.length === files,
        `tinyglobby listed ${listed.length} of ${files} files`,
      );
      return ms;
    },
  }, plan);
  const strip = ({ min, median, passes }) => ({ min, median, passes });
  return { ours: strip(times.ours), floor: strip(times.floor) };
}
