/**
 * How the benchmarks start what they measure: a command run to its end, a script that prints
 * its results as JSON on its last line, and tools/bundle.mjs (esbuild, run by Node, which
 * resolves the packages of tools/node_modules).
 */
const root = new URL("../../", import.meta.url);
const bundler = new URL("tools/bundle.mjs", root).pathname;

/**
 * Runs `command` to its end, in `cwd` (the repository's root unless given).
 * @throws {Error} naming the command, with what it wrote to standard error, when it fails.
 */
export async function run(
  command: string,
  args: readonly string[],
  cwd: URL = root,
): Promise<{ stdout: string; stderr: string }> {
  const output = await new Deno.Command(command, { args: [...args], cwd })
    .output();
  const text = new TextDecoder();
  const stderr = text.decode(output.stderr);
  if (output.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed:\n${stderr}`);
  }
  return { stdout: text.decode(output.stdout), stderr };
}

/** The last line `command` printed, trimmed: a version, or a script's results as JSON. */
export async function lastLine(
  command: string,
  args: readonly string[],
  cwd?: URL,
): Promise<string> {
  return (await run(command, args, cwd)).stdout.trim().split("\n").at(-1)!;
}

/** Bundles `entry` into `out` with tools/bundle.mjs; `flags` as it takes them (`--platform=node`). */
export async function bundle(
  entry: string,
  out: string,
  ...flags: string[]
): Promise<void> {
  await run("node", [bundler, entry, out, ...flags]);
}
