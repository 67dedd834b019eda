/**
 * The content manifest: which files changed since the last run, by SHA-256, without git history.
 * Read it before a run, compare, and write the new one only once the run succeeded, so a failed
 * run is tried again in full.
 * @module
 */
import { type FileSelection, selectedFiles } from "./directory.ts";
import { reasonOf, SourceError } from "./errors.ts";

/** What the previous run saw: each file's SHA-256 (lower-case hex) by its relative path. */
export interface ContentManifest {
  /** The manifest format; this module writes 1. */
  version: 1;
  /**
   * SHA-256 of each file, by `/`-separated path relative to the folder. The functions here
   * make it an object without a prototype, so that any name is a plain key: a file named
   * `__proto__` (or `constructor`) is a file like any other.
   */
  files: Record<string, string>;
}

/** An empty `files` record: no prototype, so no name is special. */
function noPrototype(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

/** The outcome of {@linkcode compareManifest}. */
export interface ManifestComparison {
  /** Files that are new or whose contents differ from the previous manifest, in walk order. */
  changed: string[];
  /** The manifest of the folder as it is now: write it once the run has succeeded. */
  current: ContentManifest;
}

/**
 * Reads a manifest written by {@linkcode writeManifest}. A missing file is an empty manifest
 * (the first run: every file counts as changed).
 * @throws {SourceError} when the file cannot be read or is not a manifest.
 */
export async function readManifest(path: string): Promise<ContentManifest> {
  const { readTextIfExists } = await import("./fs/files.ts");
  let text: string | undefined;
  try {
    text = await readTextIfExists(path);
  } catch (error) {
    throw new SourceError(path, `cannot read the manifest: ${reasonOf(error)}`, { cause: error });
  }
  if (text === undefined) return { version: 1, files: noPrototype() };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SourceError(path, `is not a manifest: ${reasonOf(error)}`);
  }
  const files = (parsed as Partial<ContentManifest> | null)?.files;
  const valid = (parsed as Partial<ContentManifest> | null)?.version === 1 &&
    typeof files === "object" && files !== null && !Array.isArray(files) &&
    Object.values(files).every((hash) => typeof hash === "string" && /^[0-9a-f]{64}$/.test(hash));
  if (!valid) {
    throw new SourceError(
      path,
      'is not a manifest: expected {"version": 1, "files": {"path": "<sha-256 hex>"}}',
    );
  }
  // JSON.parse makes "__proto__" an own key; copying by assignment into a plain object would
  // call the prototype setter instead, and lose it.
  return { version: 1, files: Object.assign(noPrototype(), files) };
}

/**
 * Hashes every selected file of `dir` and lists those that are new or changed since `previous`.
 * @throws {SourceError} when the folder or a file cannot be read.
 */
export async function compareManifest(
  dir: string,
  previous: ContentManifest,
  selection: FileSelection = {},
): Promise<ManifestComparison> {
  const { sha256File, within } = await import("./fs/files.ts");
  const current: ContentManifest = { version: 1, files: noPrototype() };
  const changed: string[] = [];
  for await (const path of selectedFiles(dir, selection)) {
    let hash: string;
    try {
      hash = await sha256File(within(dir, path));
    } catch (error) {
      throw new SourceError(dir, `cannot read ${path}: ${reasonOf(error)}`, { cause: error });
    }
    current.files[path] = hash;
    // Only the manifest's own keys: a plain object answers "__proto__" with its prototype.
    if (!Object.hasOwn(previous.files, path) || previous.files[path] !== hash) changed.push(path);
  }
  return { changed, current };
}

/**
 * Writes a manifest, replacing the file at once (never half-written), keys sorted so that it
 * diffs well if committed.
 * @throws {SourceError} when it cannot be written.
 */
export async function writeManifest(path: string, manifest: ContentManifest): Promise<void> {
  const { replaceFile } = await import("./fs/files.ts");
  const files = Object.fromEntries(
    Object.entries(manifest.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  try {
    await replaceFile(path, JSON.stringify({ version: 1, files }, null, 2) + "\n");
  } catch (error) {
    throw new SourceError(path, `cannot write the manifest: ${reasonOf(error)}`, {
      cause: error,
    });
  }
}
