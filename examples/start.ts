/**
 * `deno task start [FILE] [FLAGS...]`: the command line (`prewarm --file FILE`), with FILE
 * `examples/urls.txt` by default. It runs the command line's own code (`runProgram()`), so it
 * reads the file, counts, reports and exits exactly as `prewarm --file FILE` does; any flag of
 * the command line may follow (`--api v2`, `--dry-run`, `--json`, `--wait --verify`).
 *
 * With `TENCENTCLOUD_SECRET_ID` and `TENCENTCLOUD_SECRET_KEY` set it talks to Tencent Cloud (or
 * to `TENCENTCLOUD_ENDPOINT`, such as `deno task simulator`'s). Without them it adds `--simulate
 * --wait --verify`: the command line's in-process simulator answers, its tasks are done at once,
 * and its edge says whether each URL is served from the cache, so the whole loop, prewarm → wait
 * → verify, can be seen without an account (even in CI, where the command line alone would
 * refuse to run without keys).
 */
import { runProgram } from "../src/cli/main.ts";
import { CREDENTIAL_ENV_VARS } from "../src/transport/credentials.ts";

const DEFAULT_FILE = "examples/urls.txt";

const [first, ...rest] = Deno.args;
const named = first !== undefined && !first.startsWith("-");
const file = named ? first : DEFAULT_FILE;
const flags = named ? rest : Deno.args;
const { secretId, secretKey } = CREDENTIAL_ENV_VARS;
const keys = [secretId, secretKey].some((name) => Deno.env.get(name));
const simulate = !keys && !flags.some((flag) => /^--(simulate|endpoint|dry-run)\b/.test(flag));
const loop = ["--wait", "--verify"].filter((flag) => !flags.includes(flag));
if (simulate) {
  console.error(
    "No TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY set: simulating. To prewarm for real, set " +
      "them (docs/keys.md) and put your CDN's URLs in the file.",
  );
}
await runProgram(["--file", file, ...(simulate ? ["--simulate", ...loop] : []), ...flags]);
