/**
 * `changedSince()`: the files of a folder that changed since a git ref.
 * @module
 */
import { SourceError } from "./errors.ts";

/**
 * The files under `dir` that differ from git ref `gitRef` (a commit, tag or branch), as
 * `/`-separated paths relative to `dir`, sorted: modified and added files, and new files git
 * does not ignore; deleted files are left out (there is nothing to prewarm). Give the list to
 * `directoryUrls()` as its `filter`. Needs git and a file system.
 *
 * In CI, check out enough history for the ref (`fetch-depth: 0`), or use the content manifest
 * (`compareManifest()`), which needs no history. A build folder git ignores has no history
 * either: use the manifest for it.
 *
 * @param dir A folder inside a git work tree.
 * @param gitRef What to compare with, e.g. `HEAD~1`, `v1.2.0`, `origin/main`.
 * @throws {TypeError} for an empty ref or one that starts with `-`.
 * @throws {SourceError} when git is missing, `dir` is not in a work tree, or the ref is unknown.
 *
 * @example
 * ```ts
 * import { changedSince, directoryUrls } from "@qcdn/prewarm/sources";
 *
 * const changed = new Set(await changedSince("public", "HEAD~1"));
 * const urls = directoryUrls("public", "https://www.example.com/", {
 *   filter: (path) => changed.has(path),
 * });
 * ```
 */
export async function changedSince(dir: string, gitRef: string): Promise<string[]> {
  if (typeof gitRef !== "string" || gitRef.trim() === "" || gitRef.startsWith("-")) {
    throw new TypeError(
      `Invalid git ref: expected a commit, tag or branch, got ${JSON.stringify(gitRef)}`,
    );
  }
  if (typeof dir !== "string" || dir === "") {
    throw new TypeError(`Invalid folder: expected a path, got ${JSON.stringify(dir)}`);
  }
  const { git } = await import("./fs/git.ts");
  const run = async (args: string[]) => {
    const result = await git(dir, args);
    if (result.missing) {
      throw new SourceError(
        dir,
        "git is not installed or not on PATH; install it, or compare with a content manifest " +
          "instead (--changed-manifest)",
      );
    }
    if (result.code !== 0 && /not a git repository/i.test(result.stderr)) {
      throw new SourceError(dir, "is not inside a git work tree");
    }
    if (result.code !== 0 && /cannot change to|no such file/i.test(result.stderr)) {
      throw new SourceError(dir, "cannot read the folder: it does not exist");
    }
    return result;
  };
  const verify = await run(["rev-parse", "--verify", "--quiet", `${gitRef}^{commit}`]);
  if (verify.code !== 0) {
    throw new SourceError(
      dir,
      `the git ref "${gitRef}" is not a commit of this repository (in CI, a shallow clone ` +
        "lacks older commits: check out with fetch-depth: 0)",
    );
  }
  const diff = await run([
    "diff",
    "--name-only",
    "-z",
    "--no-renames",
    "--diff-filter=d",
    "--relative",
    gitRef,
    "--",
  ]);
  const untracked = await run(["ls-files", "--others", "--exclude-standard", "-z", "--", "."]);
  for (const result of [diff, untracked]) {
    if (result.code !== 0) {
      throw new SourceError(dir, `git failed: ${result.stderr.trim().split("\n")[0]}`);
    }
  }
  const paths = new Set(
    [...diff.stdout.split("\0"), ...untracked.stdout.split("\0")].filter((p) => p !== ""),
  );
  return [...paths].sort();
}
