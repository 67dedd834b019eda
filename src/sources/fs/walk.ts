/**
 * Walking a folder on disk, for runtimes with a file system: regular files only, in name order,
 * symbolic links followed only where they stay inside the folder. Imported lazily.
 * @module
 */
import { nodeBuiltin } from "./builtin.ts";

type Dirent = import("node:fs").Dirent;

/** How {@linkcode walkFiles} walks. */
export interface WalkOptions {
  /** Include names that start with a dot. */
  dotfiles: boolean;
  /** Stops the walk: it throws the signal's reason. */
  signal?: AbortSignal;
  /** Told of each file or folder skipped because its name is not UTF-8 (a relative path). */
  onNotUtf8: (path: string, isDirectory: boolean) => void;
}

/** Files of one folder that come one after another in the walk, with no folder between them. */
export interface FileRun {
  /** The folder, relative to the root and `/`-separated (`""`: the root itself). */
  folder: string;
  /** The files' names, in name order. */
  names: string[];
}

/** What a runtime puts for bytes of a name that are not UTF-8. */
const REPLACEMENT = "\uFFFD";

/**
 * Folders listed before the walk reaches them, at most: a folder's subfolders are asked for as
 * soon as it is listed, so that the file system works while the files before them are handed
 * over (a walk that waits for each listing in turn spends most of its time waiting).
 */
const READ_AHEAD = 64;

/** A folder's entries in name order, and the listings of its subfolders asked for early. */
interface Listing {
  entries: Dirent[];
  /** `early[i]`: the listing of `entries[i]`, when it was asked for before the walk got there. */
  early: (Promise<Listing> | undefined)[];
}

/** A folder the walk is in, and how far through its entries it is. */
interface Frame {
  real: string;
  relative: string;
  ancestors: string[];
  listing: Listing;
  next: number;
  /** The name of the last entry looked at (dot names skipped aside): a repeat is not real. */
  previous?: string;
}

const byName = (a: Dirent, b: Dirent) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The files under `root`, sorted by name within each folder, as runs of names of one folder
 * (`/`-separated paths relative to `root` are `folder/name`). A link to a file or folder
 * outside `root`, a broken link and a link back to a folder being walked are skipped, and so is
 * a name that is not UTF-8 (Linux allows any bytes): the runtime hands it over with U+FFFD in
 * place of the bytes, a name no file has, so it can be neither opened nor requested by URL.
 * Each folder is walked in one loop (no generator per folder), and listings are read ahead.
 */
export async function* walkFiles(root: string, options: WalkOptions): AsyncGenerator<FileRun> {
  const { lstat, readdir, realpath, stat } = nodeBuiltin<typeof import("node:fs/promises")>(
    "node:fs/promises",
  );
  const { join, sep } = nodeBuiltin<typeof import("node:path")>("node:path");
  const top = await realpath(root);
  if (!(await stat(top)).isDirectory()) throw new Error("ENOTDIR: not a folder");
  const inside = (path: string) =>
    path === top || path.startsWith(top.endsWith(sep) ? top : top + sep);
  const skipped = (name: string) => !options.dotfiles && name.startsWith(".");

  let ahead = 0;
  const list = (real: string): Promise<Listing> => {
    const listing = readdir(real, { withFileTypes: true }).then((entries) => {
      entries.sort(byName);
      // A plain subfolder is always entered: its listing can be asked for now. Links and names
      // that are not UTF-8 are looked at first, when the walk gets there.
      const early = entries.map((entry) => {
        if (
          ahead >= READ_AHEAD || !entry.isDirectory() || skipped(entry.name) ||
          entry.name.includes(REPLACEMENT)
        ) return undefined;
        ahead++;
        return list(join(real, entry.name));
      });
      return { entries, early };
    });
    // Read ahead, it may never be awaited (the walk stops first): its failure is not lost,
    // the walk meets it when it gets there.
    listing.catch(() => {});
    return listing;
  };
  const enter = async (
    real: string,
    relative: string,
    ancestors: string[],
    early?: Promise<Listing>,
  ): Promise<Frame> => {
    options.signal?.throwIfAborted();
    if (early) ahead--;
    return { real, relative, ancestors, listing: await (early ?? list(real)), next: 0 };
  };
  async function exists(path: string): Promise<boolean> {
    return await lstat(path).then(() => true, () => false);
  }

  const stack = [await enter(top, "", [top])];
  while (stack.length > 0) {
    const frame = stack.at(-1)!;
    const { entries, early } = frame.listing;
    let names: string[] = [];
    let child: Frame | undefined;
    while (frame.next < entries.length && !child) {
      const i = frame.next++;
      const entry = entries[i]!;
      if (skipped(entry.name)) continue;
      // A name with U+FFFD is real only if a file of that name exists, and only once.
      const repeated = entry.name === frame.previous;
      frame.previous = entry.name;
      const path = frame.relative === "" ? entry.name : `${frame.relative}/${entry.name}`;
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      let full: string | undefined;
      if (entry.name.includes(REPLACEMENT)) {
        full = join(frame.real, entry.name);
        if (repeated || !(await exists(full))) {
          // Files before it are handed over first: the warning comes in walk order.
          if (names.length > 0) yield { folder: frame.relative, names };
          names = [];
          options.onNotUtf8(path, isDirectory);
          continue;
        }
      }
      if (entry.isSymbolicLink()) {
        try {
          full = await realpath(full ?? join(frame.real, entry.name));
          const target = await stat(full);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
        } catch {
          continue; // A broken link serves nothing.
        }
        if (!inside(full) || frame.ancestors.includes(full)) continue;
      }
      if (isDirectory) {
        full ??= join(frame.real, entry.name);
        if (names.length > 0) yield { folder: frame.relative, names };
        names = [];
        child = await enter(full, path, [...frame.ancestors, full], early[i]);
      } else if (isFile) names.push(entry.name);
    }
    if (names.length > 0) yield { folder: frame.relative, names };
    if (child) stack.push(child);
    else stack.pop();
  }
}
