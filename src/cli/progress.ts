/**
 * The progress shown on standard error while URLs are sent and while `--wait` waits for the
 * tasks: redrawn in place on a terminal, written as plain lines (at most about one a second)
 * when standard error is a file or a CI log.
 * @module
 */
import type { PrewarmProgress } from "../rules/report.ts";
import type { UrlStatus } from "../engine/wait.ts";
import { formatCount, plural } from "./text.ts";
import { formatWaitProgress } from "./wait_view.ts";

/** Carriage return, then erase the line: the next write replaces what was shown. */
const CLEAR_LINE = "\r\x1b[2K";

/** Least time between two redraws on a terminal, and between two plain lines otherwise. */
const TTY_INTERVAL_MS = 100;
const PLAIN_INTERVAL_MS = 1000;

/** Writes progress lines for one run. */
export class ProgressDisplay {
  readonly #write: (text: string) => void;
  readonly #tty: boolean;
  readonly #now: () => number;
  #sendingSince: number | undefined;
  #lastShown = -Infinity;
  #pending: string | undefined;
  #onScreen = false;

  /**
   * @param write Writes to standard error.
   * @param tty Whether standard error is a terminal.
   * @param now A monotonic clock in ms, for the rate and the throttling.
   */
  constructor(write: (text: string) => void, tty: boolean, now: () => number) {
    this.#write = write;
    this.#tty = tty;
    this.#now = now;
  }

  /** The input is read: sending starts now, and the rate is measured from here. */
  inputRead(urls: number): void {
    this.#sendingSince = this.#now();
    this.#show(urls === 0 ? "Read no URLs" : `Read ${plural(urls, "URL")}; sending`, true);
  }

  /** After each batch settles (the `onProgress` of `prewarm()`). */
  update(progress: PrewarmProgress): void {
    const now = this.#now();
    const since = this.#sendingSince ??= now;
    const done = progress.submitted + progress.failed;
    const seconds = (now - since) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    const line = `Batches ${formatCount(progress.batchesDone)}/` +
      `${formatCount(progress.batchesTotal)}: ${formatCount(progress.submitted)} submitted, ` +
      `${formatCount(progress.failed)} failed, ${formatCount(progress.rejected)} rejected, ` +
      `${formatCount(rate)} URLs/s`;
    // The first and the last batch always show; the ones between are thinned out.
    const last = progress.batchesDone >= progress.batchesTotal;
    this.#show(line, last || progress.batchesDone === 1);
  }

  /** After each poll round of a wait: every round shows (rounds are seconds apart). */
  waiting(counts: Readonly<Record<UrlStatus, number>>, elapsedMs: number): void {
    this.#show(formatWaitProgress(counts, elapsedMs), true);
  }

  /** Any other progress line (verifying), thinned out like batches unless `always`. */
  line(text: string, always = false): void {
    this.#show(text, always);
  }

  /** Before the summary: shows the latest state if it was held back, and ends the line. */
  finish(): void {
    if (this.#pending !== undefined) this.#show(this.#pending, true);
    if (this.#onScreen) this.#write("\n");
    this.#onScreen = false;
  }

  #show(line: string, always: boolean): void {
    const now = this.#now();
    const interval = this.#tty ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS;
    if (!always && now - this.#lastShown < interval) {
      this.#pending = line;
      return;
    }
    this.#pending = undefined;
    this.#lastShown = now;
    if (this.#tty) {
      this.#write(CLEAR_LINE + line);
      this.#onScreen = true;
    } else {
      this.#write(line + "\n");
    }
  }
}
