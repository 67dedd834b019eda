/**
 * `changedSince()`: the files of a folder that changed since a git ref.
 * @module
 */
import { SourceError, type SourceWarning, sourceWarning, warningHandler } from "./errors.ts";

/** Options of {@linkcode changedSince}. */
export interface ChangedOptions {
  /**
   * Told of each changed git submodule (and each nested repository git does not track): git
   * lists it as one entry, not its files, so none of them is in the list
   * (`code: "submodule"`).
   * @default {undefined} `console.warn`
   */
  onWarning?: (warning: SourceWarning) => void;
}

/** git's mode for a submodule entry (a "gitlink"). */
const SUBMODULE_MODE = "160000";

/**
 * The files under `dir` that differ from git ref `gitRef` (a commit, tag or branch), as
 * `/`-separated paths relative to `dir`, sorted: modified and added files, and new files git
 * does not ignore; deleted files are left out (there is nothing to prewarm). Give the list to
 * `directoryUrls()` as its `filter`. Needs git and a file system. A changed submodule is one
 * entry to git, not its files: none of them is listed, and a warning names the submodule.
 *
 * In CI, check out enough history for the ref (`fetch-depth: 0`), or use the content manifest
 * (`compareManifest()`), which needs no history. A build folder git ignores has no history
 * either: use the manifest for it.
 *
 * @param dir A folder inside a git work tree.
 * @param gitRef What to compare with, e.g. `HEAD~1`, `v1.2.0`, `origin/main`.
 * @param options Where warnings go; see {@linkcode ChangedOptions}.
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
export async function changedSince(
  dir: string,
  gitRef: string,
  options: ChangedOptions = {},
): Promise<string[]> {
  const onWarning = warningHandler(options.onWarning);
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
  // --raw shows each entry's mode, which tells a submodule from a file.
  const diff = await run([
    "diff",
    "--raw",
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
  const paths = new Set<string>();
  const submodules: string[] = [];
  // ":old-mode new-mode old-sha new-sha status\0path\0", entry after entry.
  const raw = diff.stdout.split("\0");
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const [, newMode] = raw[i]!.slice(1).split(" ");
    if (newMode === SUBMODULE_MODE) submodules.push(raw[i + 1]!);
    else paths.add(raw[i + 1]!);
  }
  for (const path of untracked.stdout.split("\0")) {
    // A repository inside the work tree that git does not track is listed as its folder.
    if (path.endsWith("/")) submodules.push(path.slice(0, -1));
    else if (path !== "") paths.add(path);
  }
  for (const path of submodules.sort()) {
    onWarning(sourceWarning(
      "submodule",
      `${dir.replace(/\/+$/, "")}/${path}`,
      "is a git submodule (or a nested repository) that changed; git lists it as one entry, " +
        "not its files, so none of its files is among the changed ones (compare the folder " +
        "with a content manifest instead: --changed-manifest)",
    ));
  }
  return [...paths].sort();
}
