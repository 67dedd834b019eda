/**
 * Runs the command line as a subprocess, as users do, and serves the simulator on 127.0.0.1
 * for it to talk to.
 * @module
 */
import {
  SIMULATOR_CREDENTIALS,
  type SimulatorOptions,
  TencentCdnSimulator,
} from "../../src/testing/mod.ts";

/** The repository root: the subprocess runs there, so deno.json maps its imports. */
export const ROOT: string = new URL("../../", import.meta.url).pathname;
/** The command line's source. */
export const CLI_SOURCE: string = new URL("../../src/cli/main.ts", import.meta.url).pathname;
/** The tools directory, with Bun and esbuild. */
export const TOOLS_BIN: string = new URL("../../tools/node_modules/.bin/", import.meta.url)
  .pathname;

/** The simulator's key pair, as the environment variables the command line reads. */
export const SIMULATOR_ENV: Record<string, string> = {
  TENCENTCLOUD_SECRET_ID: SIMULATOR_CREDENTIALS.secretId,
  TENCENTCLOUD_SECRET_KEY: SIMULATOR_CREDENTIALS.secretKey,
};

/**
 * The test's environment without any Tencent Cloud credentials (a developer's real keys must
 * never reach a test run) and without `CI`, plus `extra`.
 */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = Deno.env.toObject();
  for (const name of Object.keys(env)) {
    // CI changes what a run without credentials does; tests set it when they mean to.
    if (name.startsWith("TENCENTCLOUD_") || name === "CI") delete env[name];
  }
  return { ...env, ...extra };
}

/** How to start the command line: Deno on the source, or another runtime on a bundle. */
export interface Runner {
  /** Name for messages. */
  name: string;
  /** The program. */
  command: string;
  /** Arguments before the command line's own. */
  prefix: string[];
}

/** Deno running the TypeScript source. */
export const DENO: Runner = {
  name: "deno",
  command: Deno.execPath(),
  prefix: ["run", "--allow-all", CLI_SOURCE],
};

/** Bundles the command line for Node and Bun (tools/bundle.mjs) into `dir`; returns the file. */
export async function bundleCli(dir: string): Promise<string> {
  const outfile = `${dir}/cli.mjs`;
  const { code, stderr } = await new Deno.Command("node", {
    args: ["tools/bundle.mjs", CLI_SOURCE, outfile, "--platform=node"],
    cwd: ROOT,
    stdout: "null",
  }).output();
  if (code !== 0) throw new Error(`bundling failed: ${new TextDecoder().decode(stderr)}`);
  return outfile;
}

/** Deno on the source, then Node and Bun on the bundle `bundle` (see {@linkcode bundleCli}). */
export function allRunners(bundle: string): Runner[] {
  return [
    DENO,
    { name: "node", command: "node", prefix: [bundle] },
    { name: "bun", command: `${TOOLS_BIN}bun`, prefix: [bundle] },
  ];
}

/** Options of {@linkcode runCli} and {@linkcode spawnCli}. */
export interface RunOptions {
  /** Written to the child's standard input, which is then closed. */
  stdin?: string;
  /** Variables added to the credential-free environment. */
  env?: Record<string, string>;
  /** The runtime. @default {DENO} */
  runner?: Runner;
}

/** What a finished run left behind. */
export interface CliResult {
  /** Exit status. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** Starts the command line; standard output and error are piped. */
export function spawnCli(args: readonly string[], options: RunOptions = {}): Deno.ChildProcess {
  const runner = options.runner ?? DENO;
  return new Deno.Command(runner.command, {
    args: [...runner.prefix, ...args],
    cwd: ROOT,
    env: childEnv(options.env),
    clearEnv: true,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Runs the command line to its end. */
export async function runCli(
  args: readonly string[],
  options: RunOptions = {},
): Promise<CliResult> {
  const child = spawnCli(args, options);
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const { code, stdout, stderr } = await child.output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

/** A simulator served over HTTP on 127.0.0.1. */
export interface ServedSimulator extends AsyncDisposable {
  /** The simulator, to inspect and to inject faults into. */
  sim: TencentCdnSimulator;
  /** Its API 3.0 endpoint, for `--endpoint`. */
  endpoint: string;
}

/**
 * Serves a simulator on a free port of 127.0.0.1 until disposed. `around`, when given, sees
 * each request first and decides when the simulator's answer (`answer()` starts handling it)
 * goes back: a test's hook for events such as "the third push arrived".
 */
export function serveSimulator(
  options: SimulatorOptions = {},
  around?: (request: Request, answer: () => Promise<Response>) => Promise<Response>,
): ServedSimulator {
  const sim = new TencentCdnSimulator(options);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    around ? (request) => around(request, () => sim.handle(request)) : sim.handle,
  );
  return {
    sim,
    endpoint: `http://127.0.0.1:${server.addr.port}/`,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

/** Reads a stream to its end as text, calling `onText` with everything read so far. */
export async function collectText(
  stream: ReadableStream<Uint8Array>,
  onText: (soFar: string) => void = () => {},
): Promise<string> {
  let text = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    text += chunk;
    onText(text);
  }
  return text;
}

/** What a run interrupted with SIGINT left behind, and whether the signal was sent. */
export interface InterruptedRun {
  stdout: string;
  stderr: string;
  code: number;
  interrupted: boolean;
}

/**
 * Reads a running child's output to its end, sending SIGINT once standard error first matches
 * `when` (for example the first progress line), as a user pressing Ctrl-C would.
 */
export async function interruptWhen(
  child: Deno.ChildProcess,
  when: RegExp,
): Promise<InterruptedRun> {
  let interrupted = false;
  const [stdout, stderr, status] = await Promise.all([
    collectText(child.stdout),
    collectText(child.stderr, (soFar) => {
      if (!interrupted && when.test(soFar)) {
        interrupted = true;
        child.kill("SIGINT");
      }
    }),
    child.status,
  ]);
  return { stdout, stderr, code: status.code, interrupted };
}

/** Every URL of a prewarm report (`--json`), however it ended. */
export interface JsonReport {
  simulated: boolean;
  aborted: boolean;
  tasks: { taskId: string; host: string; urls: string[]; recovered?: true }[];
  rejected: { url: string; reason: string; detail: string }[];
  failed: {
    host: string;
    urls: string[];
    maybeSubmitted: boolean;
    error: { code: string; category: string; message: string };
  }[];
  counts: Record<string, number>;
}

/** The URLs a report lists, each once per place it appears, sorted. */
export function reportedUrls(report: JsonReport): string[] {
  return [
    ...report.tasks.flatMap((t) => t.urls),
    ...report.rejected.map((r) => r.url),
    ...report.failed.flatMap((f) => f.urls),
  ].sort();
}
