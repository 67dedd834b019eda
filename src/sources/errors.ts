/**
 * The one error every source throws when it cannot give its URLs (it names the sitemap, folder
 * or git repository, and the problem), and the warnings a source gives when it reads on
 * without some of what it was given.
 * @module
 */

/** The per-read limits of `sitemapUrls()`, by the name of the option that changes each. */
export type SitemapLimit = "maxSitemaps" | "maxUrls" | "maxBytes";

/** Options of a {@linkcode SourceError}. */
export interface SourceErrorOptions extends ErrorOptions {
  /** The read limit that was reached, when that is the problem. */
  limit?: SitemapLimit;
}

/**
 * A source could not be read: a sitemap that is malformed, too big, looping or unreachable, a
 * folder that is missing, a git ref that does not exist.
 */
export class SourceError extends Error {
  /** The sitemap URL, file or folder path the problem is in. */
  readonly source: string;
  /**
   * The option whose limit the read reached (`maxUrls`, ...), so that callers can offer to
   * raise it without parsing the message; `undefined` for any other problem.
   */
  readonly limit: SitemapLimit | undefined;

  /**
   * Names the source and the problem: the message is `<source>: <problem>`.
   *
   * @param source The sitemap URL, file or folder path.
   * @param problem What is wrong, in a sentence without the source (it is prefixed).
   * @param options The underlying error, if any, and the limit reached, if that is the problem.
   */
  constructor(source: string, problem: string, options?: SourceErrorOptions) {
    super(`${source}: ${problem}`, options);
    this.name = "SourceError";
    this.source = source;
    this.limit = options?.limit;
  }
}

/**
 * What a warning is about, for callers that switch on it:
 * - `empty-sitemap`: a sitemap lists no URLs (or an index no sitemaps); valid, but often a
 *   mistake of the site's generator;
 * - `file-name-not-utf8`: a file or folder whose name is not UTF-8 has no URL, and was skipped;
 * - `submodule`: a changed git submodule (or a nested repository), whose files are not listed.
 */
export type SourceWarningCode = "empty-sitemap" | "file-name-not-utf8" | "submodule";

/** Something a source read on without: the URLs it gives are right, but not all you may expect. */
export interface SourceWarning {
  /** What kind of warning. */
  code: SourceWarningCode;
  /** The sitemap URL, file or folder path it is about. */
  source: string;
  /** For people: `<source>: <what happened>`. */
  message: string;
}

/** Where warnings go: the caller's `onWarning`, or else `console.warn`. */
export type WarningHandler = (warning: SourceWarning) => void;

/**
 * The caller's warning handler, checked; the default writes to `console.warn`.
 * @param name The option as the caller calls it, for the error.
 */
export function warningHandler(given: unknown, name = "onWarning"): WarningHandler {
  if (given === undefined) return (warning) => console.warn(`warning: ${warning.message}`);
  if (typeof given !== "function") {
    throw new TypeError(`Invalid ${name}: expected a function, got ${typeof given}`);
  }
  return given as WarningHandler;
}

/** A warning whose message is `<source>: <problem>`. */
export function sourceWarning(
  code: SourceWarningCode,
  source: string,
  problem: string,
): SourceWarning {
  return { code, source, message: `${source}: ${problem}` };
}

/** The message of an underlying error, for people: `ENOENT: no such file or directory`. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const first = error.message.split(/,|\n/)[0]!.trim();
    return typeof code === "string" && !first.includes(code) ? `${code}: ${first}` : first;
  }
  return String(error);
}
