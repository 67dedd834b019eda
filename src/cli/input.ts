/**
 * Where the URLs come from: arguments, files and standard input, read line by line so a large
 * list is never held as one string next to the URLs taken from it.
 * @module
 */
import { open } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import type { RejectedUrl } from "../rules/report.ts";
import { checkUrl } from "../rules/urls.ts";
import { UsageError } from "./args.ts";

/** One place URLs are read from, in the order given. */
export type UrlSource =
  | { kind: "arguments"; urls: readonly string[] }
  | { kind: "file"; path: string; handle: FileHandle }
  | { kind: "stdin" };

/** A file or standard input could not be read. Exit code 2, like any configuration mistake. */
export class InputError extends Error {
  /** @param message What could not be read, and why. */
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/**
 * Opens every `--file` now, so a missing file is reported before anything is sent.
 * `-` stands for standard input, which may be named once.
 */
export async function openSources(
  positionals: readonly string[],
  files: readonly string[],
): Promise<UrlSource[]> {
  const sources: UrlSource[] = [];
  if (positionals.length > 0) sources.push({ kind: "arguments", urls: positionals });
  if (files.filter((f) => f === "-").length > 1) {
    throw new UsageError("--file - (standard input) can be given only once");
  }
  try {
    for (const path of files) {
      if (path === "-") {
        sources.push({ kind: "stdin" });
        continue;
      }
      try {
        sources.push({ kind: "file", path, handle: await open(path, "r") });
      } catch (error) {
        throw new InputError(`Cannot open --file ${path}: ${reason(error)}`);
      }
    }
  } catch (error) {
    await closeSources(sources);
    throw error;
  }
  return sources;
}

/** Closes the files {@linkcode openSources} opened, ignoring errors in closing. */
export async function closeSources(sources: readonly UrlSource[]): Promise<void> {
  for (const source of sources) {
    if (source.kind === "file") await source.handle.close().catch(() => {});
  }
}

/**
 * Splits a stream of text chunks into lines (`\n` or `\r\n`; a UTF-8 byte order mark at the
 * start is dropped). Lines are cut straight out of each decoded chunk; only a line that spans
 * two chunks is joined, so no chunk is ever copied whole.
 */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { ignoreBOM: false });
  const withoutCR = (line: string) => line.endsWith("\r") ? line.slice(0, -1) : line;
  let carried = "";
  for await (const chunk of chunks) {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let end = text.indexOf("\n");
    if (end === -1) {
      carried += text;
      continue;
    }
    yield withoutCR(carried + text.slice(0, end));
    let start = end + 1;
    for (end = text.indexOf("\n", start); end !== -1; end = text.indexOf("\n", start)) {
      yield withoutCR(text.slice(start, end));
      start = end + 1;
    }
    carried = text.slice(start);
  }
  carried += decoder.decode();
  if (carried !== "") yield withoutCR(carried);
}

const CHUNK_BYTES = 64 * 1024;

/** Reads an open file from its current position to its end, one chunk at a time. */
export async function* fileChunks(handle: FileHandle): AsyncGenerator<Uint8Array> {
  for (;;) {
    // A fresh buffer each time: the consumer may still hold the previous chunk.
    const buffer = new Uint8Array(CHUNK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
    if (bytesRead === 0) return;
    yield buffer.subarray(0, bytesRead);
  }
}

/** True for the lines a URL list may hold that are not URLs: blank lines and `#` comments. */
export function isSkippedLine(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === "" || trimmed.startsWith("#");
}

/** Where a line of the input was read: the `--file` as given (`-`: standard input), 1-based. */
export interface InputLine {
  /** The file, as `--file` named it; `-` for standard input. */
  file: string;
  /** The line's number in it, counting blank lines and comments. */
  line: number;
}

/** What {@linkcode readUrls} reports as it goes. */
export interface ReadObserver {
  /** Called once every source is read to its end (not when reading stops on the signal). */
  onEnd?: (count: number) => void;
  /** Called for each URL before it is yielded, with where it was read (none for arguments). */
  onUrl?: (url: string, where: InputLine | undefined) => void;
}

/**
 * Where each input line that is not a URL was read, so that the summary and the JSON name the
 * file and line of each `invalid-url` rejection. `prewarm()` sees strings only: lines are noted
 * as they are read, with the check `prewarm()` makes (`checkUrl`), and matched back to its
 * rejections in input order (the same text twice is rejected twice, in that order). Only lines
 * that are not URLs are kept, not every line read.
 */
export class InvalidLines {
  readonly #waiting = new Map<string, (InputLine | undefined)[]>();

  /** Notes `url` when `prewarm()` will reject it as not a URL; `where` is absent for arguments. */
  note(url: string, where: InputLine | undefined): void {
    if (!("reason" in checkUrl(url))) return;
    const list = this.#waiting.get(url);
    if (list) list.push(where);
    else this.#waiting.set(url, [where]);
  }

  /**
   * The rejections, each `invalid-url` one read from a file with its `file` and `line`. Call it
   * once per run: each noted line is given to one rejection.
   */
  place<T extends RejectedUrl>(rejected: readonly T[]): (T & Partial<InputLine>)[] {
    return rejected.map((r) => {
      const where = r.reason === "invalid-url" ? this.#waiting.get(r.url)?.shift() : undefined;
      return where ? { ...r, ...where } : r;
    });
  }
}

/** `urls.txt:12` (`stdin:12` for standard input): where a line was read, as editors name it. */
export function lineName(where: InputLine): string {
  return `${where.file === "-" ? "stdin" : where.file}:${where.line}`;
}

/**
 * Yields the URLs of every source in order: arguments as given, file and stdin lines trimmed,
 * minus blank lines and comments. Stops early, quietly, when `signal` aborts.
 *
 * @param stdin Standard input's chunks, asked for only when a source is `stdin`.
 * @throws {InputError} when a file or standard input fails while being read.
 */
export async function* readUrls(
  sources: readonly UrlSource[],
  stdin: () => AsyncIterable<Uint8Array | string>,
  signal?: AbortSignal,
  observer: ReadObserver = {},
): AsyncGenerator<string> {
  let count = 0;
  for (const source of sources) {
    if (source.kind === "arguments") {
      for (const url of source.urls) {
        if (signal?.aborted) return;
        count++;
        observer.onUrl?.(url, undefined);
        yield url;
      }
      continue;
    }
    const name = source.kind === "file" ? `--file ${source.path}` : "standard input";
    const file = source.kind === "file" ? source.path : "-";
    let line = 0;
    const chunks = source.kind === "file" ? fileChunks(source.handle) : stdin();
    const lines = splitLines(chunks)[Symbol.asyncIterator]();
    try {
      while (!signal?.aborted) {
        let next: IteratorResult<string> | undefined;
        try {
          next = await nextUnlessInterrupted(lines, signal);
        } catch (error) {
          throw new InputError(`Cannot read ${name}: ${reason(error)}`);
        }
        if (next === undefined || next.done) break;
        line++;
        if (isSkippedLine(next.value)) continue;
        count++;
        const url = next.value.trim();
        observer.onUrl?.(url, { file, line });
        yield url;
      }
    } finally {
      // After an interrupt a read may still be pending, and return() would wait for it: the
      // caller closes files, and the program releases standard input.
      if (signal?.aborted) lines.return(undefined).catch(() => {});
      else await lines.return(undefined);
    }
    if (signal?.aborted) return;
  }
  observer.onEnd?.(count);
}

/**
 * The next line, or `undefined` as soon as the signal aborts: a read may wait for as long as a
 * terminal or a quiet pipe likes, an interrupt must not. The listener lives for one read only
 * (racing every read against one lasting promise would pile a reaction onto it per line).
 */
function nextUnlessInterrupted(
  lines: AsyncIterator<string>,
  signal: AbortSignal | undefined,
): Promise<IteratorResult<string> | undefined> {
  if (!signal) return lines.next();
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener("abort", onAbort, { once: true });
    lines.next().then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function reason(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    // Node-style messages repeat the path; the code and the first clause are enough.
    const first = error.message.split(",")[0]!;
    return typeof code === "string" && !first.includes(code) ? `${code}: ${first}` : first;
  }
  return String(error);
}
