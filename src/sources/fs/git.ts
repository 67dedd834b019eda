/**
 * Asking git which files changed, for runtimes that can start processes. Imported lazily.
 * @module
 */
import { nodeBuiltin } from "./builtin.ts";

/** What a git command left behind; `missing` when git itself could not be started. */
export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
  missing: boolean;
}

/** Runs `git -C cwd ...args` to its end; never throws. */
export function git(cwd: string, args: readonly string[]): Promise<GitResult> {
  const { execFile } = nodeBuiltin<typeof import("node:child_process")>("node:child_process");
  return new Promise((resolve) => {
    execFile(
      "git",
      ["-C", cwd, ...args],
      { maxBuffer: 256 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({
          code: error ? (typeof code === "number" ? code : -1) : 0,
          stdout: String(stdout ?? ""),
          stderr: String(stderr ?? ""),
          missing: code === "ENOENT",
        });
      },
    );
  });
}
