/**
 * `deno task fuzz [RUNS]`: the long run of the property tests. `deno task test` runs each of
 * them once, with a fresh seed; this runs the files that draw seeds (`fuzzSeed()`) RUNS times
 * (default 200), each time with a new FUZZ_SEED, and stops at the first failure, printing the
 * line that reproduces it. Run it after touching what the properties cover (URL checks,
 * encoding, the accounting, the coordinators, the router's hosts, folder names).
 */
const TESTS = new URL("../tests/", import.meta.url);
const runs = Number(Deno.args[0] ?? 200);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(
    `deno task fuzz [RUNS]: RUNS is a whole number of runs, got ${Deno.args[0]}`,
  );
  Deno.exit(2);
}

const files = [...Deno.readDirSync(TESTS)]
  .filter((e) => e.isFile && e.name.endsWith("_test.ts"))
  .filter((e) => /\bfuzzSeed\(\)/.test(Deno.readTextFileSync(new URL(e.name, TESTS))))
  .map((e) => `tests/${e.name}`)
  .sort();

const started = performance.now();
for (let run = 1; run <= runs; run++) {
  const seed = crypto.getRandomValues(new Uint32Array(1))[0]!;
  const env = { ...Deno.env.toObject(), FUZZ_SEED: String(seed) };
  delete (env as Record<string, string | undefined>).TENCENTCLOUD_ENDPOINT;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["test", "--allow-all", "--parallel", ...files],
    cwd: new URL("..", import.meta.url),
    env,
    clearEnv: true,
  }).output();
  if (code !== 0) {
    const decoder = new TextDecoder();
    console.log(decoder.decode(stdout) + decoder.decode(stderr));
    console.error(
      `run ${run} of ${runs} failed; reproduce with: FUZZ_SEED=${seed} deno test -A ${
        files.join(" ")
      }`,
    );
    Deno.exit(1);
  }
  const seconds = Math.round((performance.now() - started) / 1000);
  console.error(`run ${run}/${runs} (FUZZ_SEED=${seed}) ok, ${seconds} s`);
}
console.log(
  `${runs} runs of ${files.length} files passed: ${files.join(", ")}`,
);
