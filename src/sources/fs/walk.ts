/**
 * Walking a folder on disk, for runtimes with a file system: regular files only, in name order,
 * symbolic links followed only where they stay inside the folder. Imported lazily.
 * @module
 */
import { nodeBuiltin } from "./builtin.ts";

/** How {@linkcode walkFiles} walks. */
export interface WalkOptions {
  /** Include names that start with a dot. */
  dotfiles: boolean;
  /** Stops the walk: it throws the signal's reason. */
  signal?: AbortSignal;
  /** Told of each file or folder skipped because its name is not UTF-8 (a relative path). */
  onNotUtf8: (path: string, isDirectory: boolean) => void;
}

/** What a runtime puts for bytes of a name that are not UTF-8. */
const REPLACEMENT = "\uFFFD";

/**
 * The files under `root`, as `/`-separated paths relative to it, sorted by name within each
 * folder. A link to a file or folder outside `root`, a broken link and a link back to a folder
 * being walked are skipped, and so is a name that is not UTF-8 (Linux allows any bytes): the
 * runtime hands it over with U+FFFD in place of the bytes, a name no file has, so it can be
 * neither opened nor requested by URL.
 */
export async function* walkFiles(root: string, options: WalkOptions): AsyncGenerator<string> {
  const { lstat, readdir, realpath, stat } = nodeBuiltin<typeof import("node:fs/promises")>(
    "node:fs/promises",
  );
  const { join, sep } = nodeBuiltin<typeof import("node:path")>("node:path");
  const top = await realpath(root);
  if (!(await stat(top)).isDirectory()) throw new Error("ENOTDIR: not a folder");
  const inside = (path: string) =>
    path === top || path.startsWith(top.endsWith(sep) ? top : top + sep);

  async function* walk(
    real: string,
    relative: string,
    ancestors: string[],
  ): AsyncGenerator<string> {
    options.signal?.throwIfAborted();
    const entries = await readdir(real, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let previous: string | undefined;
    for (const entry of entries) {
      if (!options.dotfiles && entry.name.startsWith(".")) continue;
      const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
      let full = join(real, entry.name);
      // A name with U+FFFD is real only if a file of that name exists, and only once.
      const repeated = entry.name === previous;
      previous = entry.name;
      if (entry.name.includes(REPLACEMENT) && (repeated || !(await exists(full)))) {
        options.onNotUtf8(path, entry.isDirectory());
        continue;
      }
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          full = await realpath(full);
          const target = await stat(full);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
        } catch {
          continue; // A broken link serves nothing.
        }
        if (!inside(full) || ancestors.includes(full)) continue;
      }
      if (isDirectory) yield* walk(full, path, [...ancestors, full]);
      else if (isFile) yield path;
    }
  }
  async function exists(path: string): Promise<boolean> {
    return await lstat(path).then(() => true, () => false);
  }
  yield* walk(top, "", [top]);
}
