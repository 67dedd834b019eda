/**
 * Runs the command line in-process, as the tests that give it a simulator's fetch or a fake
 * clock do: `main()` with everything it writes kept.
 * @module
 */
import { type CliIo, main } from "../../src/cli/main.ts";

/** What an in-process run wrote, and its exit status. */
export interface MainResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `main(args)` with its output kept, standard error not a terminal, no environment (a
 * developer's real keys never reach a test) and an empty standard input, unless `io` says
 * otherwise.
 */
export async function runMain(
  args: readonly string[],
  io: Partial<CliIo> = {},
): Promise<MainResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    stderrIsTTY: false,
    env: () => undefined,
    stdin: () => (async function* () {})(),
    ...io,
  });
  return { code, stdout, stderr };
}
