/**
 * The URL sources beyond arguments and files (`--sitemap`, `--dir`, changed files only), how
 * they are merged (each URL once, `--limit`), and what a run leaves for the next one:
 * `--remaining` (what can safely be sent later) and `--changed-manifest`.
 * @module
 */
import { stat } from "node:fs/promises";
import type { FlagSpec } from "./args.ts";
import { UsageError } from "./args.ts";
import type { Flags } from "./flags.ts";
import { InputError } from "./input.ts";
import { parseSince } from "./since.ts";
import { formatCount, plural } from "./text.ts";
import type { PrewarmReport, RejectReason } from "../rules/report.ts";
import { SourceError, type SourceWarning } from "../sources/errors.ts";
import { type DirectoryOptions, directoryUrls, pathUrls } from "../sources/directory.ts";
import { changedSince } from "../sources/changed.ts";
import {
  compareManifest,
  type ContentManifest,
  readManifest,
  writeManifest,
} from "../sources/manifest.ts";
import { type SitemapOptions, type SitemapOrder, sitemapUrls } from "../sources/sitemap.ts";

const PREWARM = ["prewarm"];

/** The flags of this module, merged into the command line's table. */
export const SOURCE_FLAGS: Record<string, FlagSpec> = {
  "sitemap": { takesValue: true, repeatable: true, commands: PREWARM },
  "order": { takesValue: true, commands: PREWARM },
  "dir": { takesValue: true, commands: PREWARM },
  "base": { takesValue: true, commands: PREWARM },
  "include": { takesValue: true, repeatable: true, commands: PREWARM },
  "exclude": { takesValue: true, repeatable: true, commands: PREWARM },
  "index": { takesValue: true, commands: PREWARM },
  "changed-since": { takesValue: true, commands: PREWARM },
  "changed-manifest": { takesValue: true, commands: PREWARM },
  "sitemap-max-files": { takesValue: true, commands: PREWARM },
  "sitemap-max-urls": { takesValue: true, commands: PREWARM },
  "sitemap-max-bytes": { takesValue: true, commands: PREWARM },
  "sitemap-host": { takesValue: true, repeatable: true, commands: PREWARM },
  "limit": { takesValue: true, commands: PREWARM },
  "remaining": { takesValue: true, commands: PREWARM },
  "report": { takesValue: true, commands: [...PREWARM, "verify"] },
};

/**
 * The flag for each option of `sitemapUrls()` the command line sets: people at a shell need
 * the flag where the library's messages would name the option.
 */
const SITEMAP_FLAGS = {
  maxSitemaps: "sitemap-max-files",
  maxUrls: "sitemap-max-urls",
  maxBytes: "sitemap-max-bytes",
  allowedHosts: "sitemap-host",
} as const satisfies Partial<Record<keyof SitemapOptions, string>>;

/** How the sitemaps' messages name an option: by its flag, where it has one. */
function sitemapFlag(option: keyof SitemapOptions): string {
  return Object.hasOwn(SITEMAP_FLAGS, option)
    ? `--${SITEMAP_FLAGS[option as keyof typeof SITEMAP_FLAGS]}`
    : option;
}

/** Most warnings shown one by one; the rest are counted. */
const WARNINGS_SHOWN = 10;

/** Rejections that are safe to send later: nothing of them was sent. */
export const DEFERRABLE_REASONS: ReadonlySet<RejectReason> = new Set([
  "daily-limit",
  "busy",
  "aborted",
]);

function deferrable(report: PrewarmReport): Set<string> {
  const urls = new Set<string>();
  for (const r of report.rejected) {
    if (DEFERRABLE_REASONS.has(r.reason)) urls.add(r.url.trim());
  }
  for (const f of report.failed) {
    if (!f.maybeSubmitted) { for (const url of f.urls) urls.add(url.trim()); }
  }
  return urls;
}

/** What a run did with its sources, for the summary and the CI outputs. */
export interface SourcesOutcome {
  /** URLs written to `--remaining`, or that would have been without it. */
  deferred: number;
  /** The `--remaining` file, when it was written. */
  remainingFile?: string;
  /** URLs beyond `--limit`, never handed to the run. */
  heldBack: number;
  /** Not sent, not failed-and-saved: what makes the exit status 1. */
  unresolved: number;
  /** Lines for the summary, each ending in a newline. */
  notes: string[];
  /**
   * For standard error, when a simulated run left `--remaining` or `--changed-manifest` as
   * they were: which, and why (one line).
   */
  untouched?: string;
}

/** The sources of one `prewarm` command, from its flags. */
export class InputSources {
  readonly #sitemaps: string[];
  readonly #order: SitemapOrder | undefined;
  readonly #since: number | undefined;
  readonly #sinceText: string | undefined;
  readonly #dir: string | undefined;
  readonly #base: string | undefined;
  readonly #directory: DirectoryOptions;
  readonly #changedSince: string | undefined;
  readonly #manifestFile: string | undefined;
  readonly #limit: number;
  readonly #remaining: string | undefined;
  readonly #sitemapOptions: SitemapOptions;
  /** What the sources read on without (an empty sitemap, a skipped name), for the notes. */
  readonly #warnings = new Set<string>();
  readonly #onWarning = (warning: SourceWarning) => {
    // Each warning is told once, whatever repeats it.
    this.#warnings.add(warning.message);
  };
  /** With `--changed-since`: the files git names as changed, picked out of the folder's walk. */
  #changed: Set<string> | undefined;
  /**
   * With `--changed-manifest`: the files the comparison found changed, in walk order; their
   * URLs are the folder's, with no second walk (which could find other files than the
   * manifest records).
   */
  #manifestChanged: string[] | undefined;
  #manifest: ContentManifest | undefined;
  /** The URLs handed to the run, in order; kept only for `--remaining`. */
  #handed: string[] | undefined;
  #heldBack: string[] = [];
  #heldBackCount = 0;
  #counts = { listed: 0, sitemap: 0, dir: 0, repeated: 0 };

  /** @throws {UsageError} for flags that do not fit together. */
  constructor(flags: Flags, now: number) {
    this.#sitemaps = flags.all("sitemap");
    this.#order = flags.choice("order", ["input", "priority", "lastmod"] as const);
    this.#sinceText = flags.string("since");
    this.#since = this.#sinceText === undefined ? undefined : parseSince(this.#sinceText, now);
    this.#dir = flags.string("dir");
    this.#base = flags.string("base");
    this.#changedSince = flags.string("changed-since");
    this.#manifestFile = flags.string("changed-manifest");
    this.#limit = flags.integer("limit", 1) ?? Infinity;
    this.#remaining = flags.string("remaining");
    this.#directory = {
      include: flags.all("include"),
      exclude: flags.all("exclude"),
      index: flags.choice("index", ["folder", "file", "both"] as const),
      onWarning: this.#onWarning,
    };
    this.#sitemapOptions = {
      order: this.#order,
      maxSitemaps: flags.integer(SITEMAP_FLAGS.maxSitemaps, 1, Infinity, "off"),
      maxUrls: flags.integer(SITEMAP_FLAGS.maxUrls, 1, Infinity, "off"),
      maxBytes: flags.integer(SITEMAP_FLAGS.maxBytes, 1, Infinity, "off"),
      allowedHosts: flags.all(SITEMAP_FLAGS.allowedHosts),
      onWarning: this.#onWarning,
      optionName: sitemapFlag,
    };
    const sitemapOnly = ["order", "since", ...Object.values(SITEMAP_FLAGS)].filter((name) =>
      flags.has(name)
    );
    if (this.#sitemaps.length === 0 && sitemapOnly.length > 0) {
      throw new UsageError(`--${sitemapOnly[0]} applies to sitemap URLs: add --sitemap URL|FILE`);
    }
    const dirOnly = ["base", "include", "exclude", "index", "changed-since", "changed-manifest"]
      .filter((name) => flags.has(name));
    if (this.#dir === undefined && dirOnly.length > 0) {
      throw new UsageError(`--${dirOnly[0]} applies to a build folder: add --dir DIR`);
    }
    if (this.#dir !== undefined && this.#base === undefined) {
      throw new UsageError(
        "--dir needs --base URL, the URL the folder is served at (e.g. https://www.example.com/)",
      );
    }
    if (this.#changedSince !== undefined && this.#manifestFile !== undefined) {
      throw new UsageError(
        "--changed-since and --changed-manifest cannot be combined: pick git history or the " +
          "manifest",
      );
    }
    if (this.#sitemaps.length > 0) {
      // Checks the sources and --sitemap-host now, before anything is read.
      try {
        sitemapUrls(this.#sitemaps, this.#sitemapOptions);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    }
    if (this.#dir !== undefined) {
      // Checks base, globs and --index now, before anything is read.
      try {
        directoryUrls(this.#dir, this.#base!, this.#directory);
      } catch (error) {
        throw new UsageError((error as Error).message.replace(/^Invalid (\w+)/, "Invalid --$1"));
      }
    }
    if (this.#remaining !== undefined && this.#remaining.trim() === "") {
      throw new UsageError("--remaining needs a file name");
    }
  }

  /** Whether a source other than arguments and `--file` was given. */
  get any(): boolean {
    return this.#sitemaps.length > 0 || this.#dir !== undefined;
  }

  /**
   * The `--file` list to open: the `--remaining` file is left out while it does not exist, so
   * the first run of `--file F --remaining F` needs no empty file made for it.
   */
  async files(files: readonly string[]): Promise<string[]> {
    const remaining = this.#remaining;
    if (remaining === undefined || !files.includes(remaining)) return [...files];
    // Only a file that is not there is skipped: any other problem shows when it is opened.
    const missing = await stat(remaining).then(
      () => false,
      (error) => (error as { code?: string }).code === "ENOENT",
    );
    return missing ? files.filter((file) => file !== remaining) : [...files];
  }

  /** Works out which files changed (git or the manifest), before the run reads its input. */
  async prepare(signal?: AbortSignal): Promise<void> {
    const dir = this.#dir;
    if (dir === undefined) return;
    try {
      if (this.#changedSince !== undefined) {
        this.#changed = new Set(
          await changedSince(dir, this.#changedSince, { onWarning: this.#onWarning }),
        );
      } else if (this.#manifestFile !== undefined) {
        const previous = await readManifest(this.#manifestFile);
        const { changed, current } = await compareManifest(dir, previous, {
          ...this.#directory,
          signal,
        });
        this.#manifestChanged = changed;
        this.#manifest = current;
      }
    } catch (error) {
      throw asInputError(error);
    }
  }

  /**
   * The run's input: `listed` (arguments and files) as it is, then every sitemap, then the
   * folder; a URL an earlier source gave is left out, and past `--limit` the rest is held back.
   */
  async *urls(
    listed: AsyncIterable<string>,
    signal?: AbortSignal,
    onEnd?: (count: number) => void,
  ): AsyncGenerator<string> {
    // Only what the flags need is kept: the URLs seen (with other sources) and handed (for
    // --remaining); a plain --file run keeps nothing here.
    const seen = this.any ? new Set<string>() : undefined;
    if (this.#remaining !== undefined) this.#handed = [];
    const counts = this.#counts;
    let handed = 0;
    const pass = (url: string, source: "listed" | "sitemap" | "dir"): boolean => {
      const key = url.trim();
      if (source !== "listed" && seen?.has(key)) {
        counts.repeated++;
        return false;
      }
      seen?.add(key);
      counts[source]++;
      if (handed >= this.#limit) {
        this.#heldBackCount++;
        if (this.#remaining !== undefined) this.#heldBack.push(url);
        return false;
      }
      handed++;
      this.#handed?.push(url);
      return true;
    };
    for await (const url of listed) if (pass(url, "listed")) yield url;
    if (signal?.aborted) return;
    try {
      if (this.#sitemaps.length > 0) {
        const options = { ...this.#sitemapOptions, signal, since: this.#sinceDate() };
        for await (const url of sitemapUrls(this.#sitemaps, options)) {
          if (pass(url, "sitemap")) yield url;
        }
      }
      if (this.#manifestChanged !== undefined) {
        for (const url of pathUrls(this.#manifestChanged, this.#base!, this.#directory.index)) {
          signal?.throwIfAborted();
          if (pass(url, "dir")) yield url;
        }
      } else if (this.#dir !== undefined) {
        const changed = this.#changed;
        const filter = changed && ((path: string) => changed.has(path));
        for await (
          const url of directoryUrls(this.#dir, this.#base!, { ...this.#directory, filter, signal })
        ) {
          if (pass(url, "dir")) yield url;
        }
      }
    } catch (error) {
      if (signal?.aborted) return;
      throw asInputError(error);
    }
    if (!signal?.aborted) onEnd?.(handed);
  }

  #sinceDate(): Date | undefined {
    return this.#since === undefined ? undefined : new Date(this.#since);
  }

  /** Where the URLs came from, for people. */
  #sourceLine(): string | undefined {
    if (!this.any) return undefined;
    const c = this.#counts;
    const parts: string[] = [];
    if (c.listed > 0) parts.push(`${formatCount(c.listed)} listed`);
    if (this.#sitemaps.length > 0) {
      const filters = [
        this.#order && this.#order !== "input" ? `by ${this.#order}` : "",
        this.#sinceText ? `lastmod since ${this.#sinceText}` : "",
      ].filter(Boolean).join(", ");
      parts.push(
        `${formatCount(c.sitemap)} from ${plural(this.#sitemaps.length, "sitemap")}` +
          (filters ? ` (${filters})` : ""),
      );
    }
    if (this.#dir !== undefined) {
      const which = this.#changedSince !== undefined
        ? ` (changed since ${this.#changedSince})`
        : this.#manifestFile !== undefined
        ? ` (changed since ${this.#manifestFile})`
        : "";
      parts.push(`${formatCount(c.dir)} from --dir ${this.#dir}${which}`);
    }
    const repeated = c.repeated > 0
      ? `; ${plural(c.repeated, "URL")} given by more than one source, sent once`
      : "";
    return `Sources: ${parts.join(", ")}${repeated}.\n`;
  }

  /** The sources' warnings, one a line, the first few in full. */
  #warningLines(): string[] {
    const lines = [...this.#warnings].slice(0, WARNINGS_SHOWN).map((w) => `warning: ${w}\n`);
    const more = this.#warnings.size - WARNINGS_SHOWN;
    if (more > 0) lines.push(`warning: ${plural(more, "more warning")} like these.\n`);
    return lines;
  }

  /** The notes of a dry run, which writes nothing. */
  planNotes(): string[] {
    const notes: string[] = [];
    const line = this.#sourceLine();
    if (line) notes.push(line);
    notes.push(...this.#warningLines());
    if (this.#heldBackCount > 0) notes.push(this.#heldBackLine());
    const kept = [this.#remaining && "--remaining", this.#manifest && "--changed-manifest"]
      .filter(Boolean);
    if (kept.length > 0) {
      notes.push(`A dry run writes nothing (${kept.map((flag) => `not ${flag}`).join(", ")}).\n`);
    }
    return notes.length > 0 ? ["\n", ...notes] : notes;
  }

  /**
   * After a run that read all of its input: writes `--remaining` (every URL that was not sent
   * and safely can be later, in input order, then those held back) and, when every URL was
   * sent or saved, `--changed-manifest`. A simulated run writes neither: they record what
   * reached Tencent Cloud, and a simulation sent nothing there (the queue would lose every URL
   * the simulator took, the manifest would mark their files as sent).
   * @param simulated The run went to the simulator.
   * @throws {InputError} when a file cannot be written.
   */
  async finish(report: PrewarmReport, simulated = false): Promise<SourcesOutcome> {
    const notes: string[] = [];
    const line = this.#sourceLine();
    if (line) notes.push(line);
    notes.push(...this.#warningLines());
    if (simulated) return this.#leftAsTheyWere(report, notes);
    const later = deferrable(report);
    const laterCount = later.size + this.#heldBackCount;
    const { counts } = report;
    let unresolved = counts.rejected + counts.failed;
    let written = 0;
    if (this.#remaining !== undefined) {
      const lines: string[] = [];
      for (const url of this.#handed ?? []) if (later.delete(url.trim())) lines.push(url.trim());
      // Never lose one: anything the input order did not place goes last.
      lines.push(...later, ...this.#heldBack.map((url) => url.trim()));
      await writeText(this.#remaining, lines.length > 0 ? lines.join("\n") + "\n" : "");
      written = lines.length;
      const deferredRejections = report.rejected.filter((r) => DEFERRABLE_REASONS.has(r.reason))
        .length;
      unresolved -= deferredRejections;
      notes.push(
        `Deferred: ${plural(written, "URL")} written to ${this.#remaining}` +
          (written > 0
            ? `, in order. Continue with: --file ${this.#remaining} --remaining ${this.#remaining}\n`
            : " (nothing is left for later).\n"),
      );
      if (counts.maybeSubmitted > 0) {
        notes.push(
          `  Not written there: ${plural(counts.maybeSubmitted, "URL")} that may have been ` +
            "submitted (see above); check them before sending them again.\n",
        );
      }
    } else if (laterCount > 0) {
      notes.push(
        `${plural(laterCount, "URL")} could be sent later; --remaining FILE keeps them for the ` +
          "next run.\n",
      );
    }
    if (this.#heldBackCount > 0) notes.push(this.#heldBackLine(this.#remaining));
    if (this.#manifest && this.#manifestFile) {
      const settled = counts.submitted + written +
        report.rejected.filter((r) => r.reason === "duplicate" || r.reason === "invalid-url")
          .length;
      const saved = this.#remaining !== undefined || this.#heldBackCount === 0;
      if (!report.aborted && counts.maybeSubmitted === 0 && settled >= counts.input && saved) {
        try {
          await writeManifest(this.#manifestFile, this.#manifest);
        } catch (error) {
          throw asInputError(error);
        }
        notes.push(
          `Manifest ${this.#manifestFile} updated (${
            plural(Object.keys(this.#manifest.files).length, "file")
          }).\n`,
        );
      } else {
        notes.push(
          `Manifest ${this.#manifestFile} left as it was: not every URL was submitted or ` +
            "saved for later, so the next run compares against the same files.\n",
        );
      }
    }
    if (notes.length > 0) notes.unshift("\n");
    return {
      deferred: written,
      remainingFile: this.#remaining,
      heldBack: this.#heldBackCount,
      unresolved,
      notes,
    };
  }

  /** The note on URLs past `--limit`, and the file they were written to. */
  #heldBackLine(file?: string): string {
    return `Held back by --limit ${formatCount(this.#limit)}: ${
      plural(this.#heldBackCount, "URL")
    }${file !== undefined ? ` (in ${file})` : ""}.\n`;
  }

  /** What a simulated run says instead of writing `--remaining` and `--changed-manifest`. */
  #leftAsTheyWere(report: PrewarmReport, notes: string[]): SourcesOutcome {
    const kept = [
      this.#remaining !== undefined && `${this.#remaining} (--remaining)`,
      this.#manifestFile !== undefined && `${this.#manifestFile} (--changed-manifest)`,
    ].filter(Boolean);
    if (this.#heldBackCount > 0) notes.push(this.#heldBackLine());
    if (notes.length > 0) notes.unshift("\n");
    return {
      deferred: 0,
      heldBack: this.#heldBackCount,
      unresolved: report.counts.rejected + report.counts.failed,
      notes,
      ...(kept.length > 0 && {
        untouched: `SIMULATED: left ${kept.join(" and ")} as ${
          kept.length > 1 ? "they were" : "it was"
        }: a simulated run writes no state.\n`,
      }),
    };
  }
}

async function writeText(path: string, text: string): Promise<void> {
  const { replaceFile } = await import("../sources/fs/files.ts");
  try {
    await replaceFile(path, text);
  } catch (error) {
    throw new InputError(`Cannot write ${path}: ${(error as Error).message}`);
  }
}

function asInputError(error: unknown): unknown {
  return error instanceof SourceError ? new InputError(error.message) : error;
}
