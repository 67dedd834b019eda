/**
 * `deno task test`: the whole suite, its files in parallel (`deno test --parallel`: as many at
 * once as DENO_JOBS says, else as there are CPUs). Test files share one process there, so the
 * few that change the process itself (its environment, `Deno.env.set`; its directory,
 * `Deno.chdir`) would change it under the files running beside them: those run after the
 * others, one at a time. Arguments go to both runs (`deno task test --filter cli`).
 *
 * TENCENTCLOUD_ENDPOINT is cleared: the tests choose their endpoints.
 */
const TESTS = new URL("../tests/", import.meta.url);
const PROCESS_WIDE = /\bDeno\.env\.(set|delete)\(|\bDeno\.chdir\(|\bprocess\.chdir\(/;

const parallel: string[] = [];
const serial: string[] = [];
for (
  const entry of [...Deno.readDirSync(TESTS)].sort((a, b) => a.name < b.name ? -1 : 1)
) {
  if (!entry.isFile || !entry.name.endsWith("_test.ts")) continue;
  const file = `tests/${entry.name}`;
  const source = Deno.readTextFileSync(new URL(entry.name, TESTS));
  (PROCESS_WIDE.test(source) ? serial : parallel).push(file);
}

const env = Deno.env.toObject();
delete env.TENCENTCLOUD_ENDPOINT;
let failed = 0;
for (
  const [files, flags] of [[parallel, ["--parallel"]], [serial, []]] as const
) {
  if (files.length === 0) continue;
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: [
      "test",
      "--allow-all",
      "--v8-flags=--expose-gc",
      ...flags,
      ...Deno.args,
      ...files,
    ],
    cwd: new URL("..", import.meta.url),
    env,
    clearEnv: true,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  failed ||= code;
}
Deno.exit(failed);
