/**
 * The one error every source throws when it cannot give its URLs: it names the sitemap, folder
 * or git repository, and the problem.
 * @module
 */

/**
 * A source could not be read: a sitemap that is malformed, too big, looping or unreachable, a
 * folder that is missing, a git ref that does not exist.
 */
export class SourceError extends Error {
  /** The sitemap URL, file or folder path the problem is in. */
  readonly source: string;

  /**
   * Names the source and the problem: the message is `<source>: <problem>`.
   *
   * @param source The sitemap URL, file or folder path.
   * @param problem What is wrong, in a sentence without the source (it is prefixed).
   * @param options The underlying error, if any.
   */
  constructor(source: string, problem: string, options?: ErrorOptions) {
    super(`${source}: ${problem}`, options);
    this.name = "SourceError";
    this.source = source;
  }
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
