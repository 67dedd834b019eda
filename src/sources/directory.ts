/**
 * `directoryUrls()`: the URLs a build folder will be served at.
 * @module
 */
import {
  reasonOf,
  SourceError,
  type SourceWarning,
  sourceWarning,
  warningHandler,
} from "./errors.ts";
import { globMatcher } from "./glob.ts";
import type { FileRun } from "./fs/walk.ts";

/** What `index.html` stands for. */
export type IndexUrls = "folder" | "file" | "both";

/** Which files of a folder count, shared by {@linkcode directoryUrls} and the manifest. */
export interface FileSelection {
  /**
   * Globs a file must match one of to count (see {@linkcode globMatcher}): a pattern without
   * `/` matches the file name anywhere (`*.html`), one with `/` the path from the folder
   * (`docs/**`).
   * @default {undefined} every file
   */
  include?: readonly string[];
  /** Globs of files to leave out; they win over `include`. @default {[]} */
  exclude?: readonly string[];
  /** Count files and folders whose name starts with a dot (`.well-known/`). @default {false} */
  dotfiles?: boolean;
  /** Stops the walk: the iteration throws the signal's reason. */
  signal?: AbortSignal;
  /**
   * Told of each file or folder skipped because its name is not UTF-8 (possible on Linux): it
   * has no URL, and cannot be opened by name (`code: "file-name-not-utf8"`).
   * @default {undefined} `console.warn`
   */
  onWarning?: (warning: SourceWarning) => void;
}

/** Options of {@linkcode directoryUrls}. */
export interface DirectoryOptions extends FileSelection {
  /**
   * What `index.html` maps to: `folder` gives `/docs/` for `docs/index.html`, `file` gives
   * `/docs/index.html`, `both` gives the two (folder first).
   * @default {"folder"}
   */
  index?: IndexUrls;
  /**
   * Called with each selected file's path (relative, `/`-separated); a file counts only when
   * it returns true. The changed-files sources plug in here.
   * @default {undefined} every selected file
   */
  filter?: (path: string) => boolean | Promise<boolean>;
}

/** The files of a folder that {@linkcode FileSelection} selects. */
export async function* selectedFiles(
  dir: string,
  selection: FileSelection = {},
): AsyncGenerator<string> {
  for await (const { folder, names } of selectedRuns(dir, selection)) {
    for (const name of names) yield folder === "" ? name : `${folder}/${name}`;
  }
}

/**
 * {@linkcode selectedFiles} as the walk finds them: runs of files of one folder, in walk order
 * (a run per folder at least, cut where a subfolder comes between files).
 */
async function* selectedRuns(
  dir: string,
  selection: FileSelection,
): AsyncGenerator<FileRun> {
  const include = (selection.include ?? []).map(globMatcher);
  const exclude = (selection.exclude ?? []).map(globMatcher);
  if (typeof dir !== "string" || dir === "") {
    throw new TypeError(`Invalid folder: expected a path, got ${JSON.stringify(dir)}`);
  }
  const onWarning = warningHandler(selection.onWarning);
  const { walkFiles } = await import("./fs/walk.ts");
  const runs = walkFiles(dir, {
    dotfiles: selection.dotfiles ?? false,
    signal: selection.signal,
    onNotUtf8: (path, isDirectory) =>
      onWarning(sourceWarning(
        "file-name-not-utf8",
        `${dir.replace(/\/+$/, "")}/${path}`,
        isDirectory
          ? "the folder's name is not UTF-8, so none of its files has a URL: skipped (rename it)"
          : "the file's name is not UTF-8, so it has no URL: skipped (rename it)",
      )),
  });
  const selects = (path: string) =>
    (include.length === 0 || include.some((match) => match(path))) &&
    !exclude.some((match) => match(path));
  for (;;) {
    let next: IteratorResult<FileRun>;
    try {
      next = await runs.next();
    } catch (error) {
      if (selection.signal?.aborted) throw error;
      throw new SourceError(dir, `cannot read the folder: ${reasonOf(error)}`, { cause: error });
    }
    if (next.done) return;
    const run = next.value;
    if (include.length === 0 && exclude.length === 0) yield run;
    else {
      const names = run.names.filter((name) =>
        selects(run.folder === "" ? name : `${run.folder}/${name}`)
      );
      if (names.length > 0) yield { folder: run.folder, names };
    }
  }
}

/**
 * The URLs the files of a build folder will be served at, under `base`: `docs/a b.html` under
 * `https://www.example.com/` is `https://www.example.com/docs/a%20b.html`. Each path segment is
 * percent-encoded as a browser requests a link to it, by the URL Standard's parser: spaces,
 * `"#%<>?\^\`{}`, controls and non-ASCII characters (as UTF-8) are escaped, and
 * `[]|$&+,;=:@!'()*~` kept (see {@linkcode encodeSegment}). `index.html` stands for its folder
 * (see `index`). Files are listed in name order within each folder; names starting with a dot
 * are skipped unless `dotfiles`; a symbolic link is followed only when it points inside the
 * folder; a name that is not UTF-8 is skipped with a warning. Needs a file system.
 *
 * @param dir The folder, e.g. `dist`.
 * @param base The URL the folder is served at, e.g. `https://www.example.com/` (a path
 * without a trailing slash is a folder all the same).
 * @param options Which files, and what `index.html` maps to; see {@linkcode DirectoryOptions}.
 * @throws {TypeError} at once for a malformed `base`, glob or option.
 *
 * @example
 * ```ts
 * import { directoryUrls } from "@qcdn/prewarm/sources";
 *
 * for await (const url of directoryUrls("dist", "https://www.example.com/", { exclude: ["*.map"] })) {
 *   console.log(url);
 * }
 * ```
 */
export function directoryUrls(
  dir: string,
  base: string | URL,
  options: DirectoryOptions = {},
): AsyncIterable<string> {
  const prefix = baseUrl(base);
  const index = options.index ?? "folder";
  if (!["folder", "file", "both"].includes(index)) {
    throw new TypeError(`Invalid index: expected folder, file or both, got "${String(index)}"`);
  }
  if (options.filter !== undefined && typeof options.filter !== "function") {
    throw new TypeError(`Invalid filter: expected a function, got ${typeof options.filter}`);
  }
  for (const glob of [...(options.include ?? []), ...(options.exclude ?? [])]) globMatcher(glob);
  warningHandler(options.onWarning);
  const { filter } = options;
  return (async function* () {
    for await (const { folder, names } of selectedRuns(dir, options)) {
      // The folder's part of the URL is encoded once for all of its files.
      const folderUrl = folderUrlOf(prefix, folder);
      for (const name of names) {
        if (filter && !(await filter(folder === "" ? name : `${folder}/${name}`))) continue;
        for (const url of fileUrls(folderUrl, name, index)) yield url;
      }
    }
  })();
}

/**
 * The URLs of files already selected (relative `/`-separated paths, e.g. what
 * `compareManifest()` found changed), as {@linkcode directoryUrls} gives them, in their order:
 * for a caller that has walked the folder once and need not walk it again.
 * @param paths The files; a run of files of one folder (as a walk gives them) shares its encoding.
 * @param base As for {@linkcode directoryUrls}.
 * @param index What `index.html` maps to, as for {@linkcode directoryUrls}.
 * @throws {TypeError} for a malformed `base`.
 */
export function* pathUrls(
  paths: Iterable<string>,
  base: string | URL,
  index: IndexUrls = "folder",
): Generator<string> {
  const prefix = baseUrl(base);
  let folder: string | undefined;
  let folderUrl = prefix;
  for (const path of paths) {
    const slash = path.lastIndexOf("/");
    const pathFolder = slash === -1 ? "" : path.slice(0, slash);
    // Files of one folder come together in walk order: it is encoded once for them.
    if (pathFolder !== folder) {
      folder = pathFolder;
      folderUrl = folderUrlOf(prefix, folder);
    }
    yield* fileUrls(folderUrl, path.slice(slash + 1), index);
  }
}

/** The URL of a folder (relative, `""` for the top) under `prefix`, which ends in `/`. */
function folderUrlOf(prefix: string, folder: string): string {
  return folder === "" ? prefix : `${prefix}${encodePath(folder)}/`;
}

/**
 * The URLs of the file `name` of the folder served at `folderUrl`: `index.html` stands for its
 * folder, unless `index` says otherwise.
 */
function* fileUrls(folderUrl: string, name: string, index: IndexUrls): Generator<string> {
  if (name !== INDEX || index === "file") yield folderUrl + encodeSegment(name);
  else {
    yield folderUrl;
    if (index === "both") yield folderUrl + INDEX;
  }
}

/** `base` as an `http(s)` URL ending in `/`, without query or fragment. @throws {TypeError} */
export function baseUrl(base: string | URL): string {
  let url: URL | undefined;
  try {
    url = new URL(base);
  } catch {
    // Reported below.
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new TypeError(
      `Invalid base: expected an http(s) URL such as https://www.example.com/, got ${
        JSON.stringify(String(base))
      }`,
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new TypeError(
      `Invalid base: expected a URL without query, fragment or credentials, got "${url.origin}${url.pathname}..."`,
    );
  }
  return url.origin + (url.pathname.endsWith("/") ? url.pathname : `${url.pathname}/`);
}

const INDEX = "index.html";

/** A `/`-separated relative path as URL path segments ({@linkcode encodeSegment} each). */
function encodePath(path: string): string {
  return path.split("/").map(encodeSegment).join("/");
}

/**
 * The ASCII characters a name keeps as is in a URL path: what the URL Standard's parser leaves
 * alone in a path (it percent-encodes the rest of its path percent-encode set: controls, space,
 * `"#<>?^\`{}`, DEL and every non-ASCII character, as UTF-8), less the three a name must not
 * keep to stay itself: `%` (the parser would take `%41` in a name for `A`), `\\` (a path
 * separator in http(s) URLs) and `/`. `^` is encoded as the Standard has done since 2025 and
 * browsers do (some runtimes' parsers, Deno's and Node's, still keep it).
 */
const KEPT_IN_PATH = /^[A-Za-z0-9!$&'()*+,\-.:;=@[\]_|~]$/;
/** A name made only of {@linkcode KEPT_IN_PATH}'s characters: the common case, kept whole. */
const ALL_KEPT = /^[A-Za-z0-9!$&'()*+,\-.:;=@[\]_|~]*$/;

/**
 * A file or folder name as a URL path segment, as a browser requests a link to it: what the
 * URL parser keeps stays (`[]|$&+,;=:@!'()*~`), the rest is percent-encoded as UTF-8 (names
 * come decoded from UTF-8, so they are well-formed Unicode).
 */
export function encodeSegment(name: string): string {
  if (ALL_KEPT.test(name)) return name;
  let out = "";
  // encodeURIComponent() escapes every character that is not kept, and as UTF-8.
  for (const char of name) out += KEPT_IN_PATH.test(char) ? char : encodeURIComponent(char);
  return out;
}
