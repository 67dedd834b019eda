/**
 * Everything the command line reads from or writes to its process, behind one interface so
 * tests can run it in-process, and the `node:process` implementation every runtime provides.
 * @module
 */
import process from "node:process";

/** The process around a command-line run. */
export interface CliIo {
  /** Writes to standard output: results. */
  stdout(text: string): void;
  /** Writes to standard error: progress, warnings, errors. */
  stderr(text: string): void;
  /** Whether standard error is a terminal, where progress is redrawn in place. */
  stderrIsTTY: boolean;
  /** Standard input's chunks; asked for only by `--file -`. */
  stdin(): AsyncIterable<Uint8Array | string>;
  /** Reads an environment variable (credentials are read from nowhere else). */
  env(name: string): string | undefined;
  /**
   * Aborts the run as Ctrl-C does: nothing new is sent, and the summary still prints. A reason
   * with `signal: "SIGTERM"` (or `"SIGHUP"`, `"SIGINT"`) is named in the message and makes the
   * exit status 128 + that signal's number; any other, 130.
   */
  interrupt?: AbortSignal;
  /** The fetch used to reach Tencent Cloud or `--endpoint`. @default {globalThis.fetch} */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** The wall clock in ms: signs requests, picks the quota day, times `--wait`. @default {Date.now} */
  now?: () => number;
  /** Pauses `--wait` between poll rounds; replace it (with `now`) to wait on a simulated clock.
   * @default {an abortable timer} */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * The process around one run as the commands use it: every optional part filled in, and the
 * output masked (`maskedIo` in `main.ts` makes it; its comment says what is masked where).
 */
export type RunIo = CliIo & {
  now: () => number;
  /** Masks the environment's secrets in text; `stdout` and `stderr` already do. */
  mask: (text: string) => string;
  /** An upstream value with every string masked, to be shown. */
  shown: <T>(value: T) => T;
  /** Writes a value as JSON on standard output, every string masked. */
  json: (value: unknown) => void;
};

let stdoutGuarded = false;
let stdinUsed = false;

/** Whether the run asked for standard input (`--file -`). */
export function stdinWasRead(): boolean {
  return stdinUsed;
}

function writeStdout(text: string): void {
  if (!stdoutGuarded) {
    // A closed pipe (`... | head`) must end the output quietly rather than crash the run.
    process.stdout.on?.("error", () => {});
    stdoutGuarded = true;
  }
  process.stdout.write(text);
}

/** The process's own standard streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: writeStdout,
    stderr: (text) => void process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
    stdin: () => {
      stdinUsed = true;
      return process.stdin;
    },
    env: (name) => {
      try {
        return process.env[name];
      } catch {
        return undefined; // Deno without --allow-env: the variable counts as unset.
      }
    },
  };
}
