/**
 * Child processes for the end-to-end test: started with a clean environment, watched until
 * they print the URL they listen on, and always stopped, even when a test fails.
 */

/** A server running in a child process. */
export interface ServerProcess {
  /** The base URL it printed, ending in `/`. */
  url: string;
  /** Stops it and waits for it to exit; returns what it wrote to stderr. */
  stop(): Promise<string>;
  /** What it has written to stdout so far (a printed token, a `curl` line to try). */
  stdout(): string;
}

const LISTENING = /Listening on (http:\/\/[^\s]+)/;

/** How to start a server. */
export interface ServerCommand {
  /** The executable. */
  command: string;
  /** Its arguments. */
  args: string[];
  /** Variables on top of PATH and HOME (the rest of the environment is not passed). */
  env: Record<string, string>;
  /** The working directory. */
  cwd: string | URL;
  /** How long it may take to print its URL. */
  timeoutMs?: number;
}

/**
 * Starts a server and resolves once it prints `Listening on <url>`.
 * @throws when it exits first or prints nothing within `timeoutMs` (it is stopped then).
 */
export async function startServer(spec: ServerCommand): Promise<ServerProcess> {
  const { command, args, env, cwd, timeoutMs = 30_000 } = spec;
  // Only what the runtimes need, so a developer's own TENCENTCLOUD_* never leak into a run.
  const base: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "TMPDIR", "DENO_DIR"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) base[name] = value;
  }
  const child = new Deno.Command(command, {
    args,
    env: { ...base, NO_COLOR: "1", ...env },
    clearEnv: true,
    cwd,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();

  let stderr = "";
  let stdout = "";
  let announce!: (url: string) => void;
  const announced = new Promise<string>((resolve) => (announce = resolve));
  // `deno serve` announces itself on stderr.
  const stderrDone = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({
      write(chunk) {
        stderr += chunk;
        const match = LISTENING.exec(stderr);
        if (match) announce(match[1]!.endsWith("/") ? match[1]! : `${match[1]}/`);
      },
    }),
  ).catch(() => {});
  const stdoutDone = child.stdout.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({
      write(chunk) {
        stdout += chunk;
        const match = LISTENING.exec(stdout);
        if (match) announce(match[1]!.endsWith("/") ? match[1]! : `${match[1]}/`);
      },
    }),
  ).catch(() => {});

  let stopped: Promise<string> | undefined;
  const stop = (): Promise<string> => {
    stopped ??= (async () => {
      try {
        await child.stdin.close();
      } catch { /* already closed */ }
      try {
        child.kill("SIGTERM");
      } catch { /* already exited */ }
      // A child that ignores SIGTERM is killed outright after a grace period.
      const grace = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* exited meanwhile */ }
      }, 5_000);
      await child.status;
      clearTimeout(grace);
      await Promise.all([stdoutDone, stderrDone]);
      return stderr;
    })();
    return stopped;
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const failure = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${command} printed no URL within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.status.then((status) =>
      reject(new Error(`${command} exited (${status.code}) before listening`))
    );
  });
  try {
    const url = await Promise.race([announced, failure]);
    return { url, stop, stdout: () => stdout };
  } catch (error) {
    const output = await stop();
    throw new Error(`${(error as Error).message}\nstdout: ${stdout}\nstderr: ${output}`);
  } finally {
    clearTimeout(timer);
    failure.catch(() => {});
  }
}

/**
 * Starts a bundled Worker under workerd (Miniflare, tests/router/miniflare_host.mjs) with its
 * bindings and Miniflare options, and resolves once it listens.
 */
export function startWorker(
  worker: string,
  bindings: Record<string, string> = {},
  miniflareOptions?: Record<string, unknown>,
): Promise<ServerProcess> {
  return startServer({
    command: "node",
    args: [
      "tests/router/miniflare_host.mjs",
      worker,
      JSON.stringify(bindings),
      ...(miniflareOptions ? [JSON.stringify(miniflareOptions)] : []),
    ],
    env: {},
    cwd: new URL("../../", import.meta.url),
  });
}
