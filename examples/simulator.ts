/**
 * `deno task simulator [--port N] [--task-seconds S]`: Tencent Cloud's CDN API, simulated, on
 * http://127.0.0.1:8788/ (API 3.0 at `/`, API 2.0 at `/v2/index.php`), so that every part of
 * this repository can be tried without an account: the library, the command line, the router
 * (`deno task serve`, the Node and Bun examples) and the Worker under `wrangler dev`. On the
 * next port (8789) its account's edge answers as a CDN node would, with Tencent's
 * `X-Cache-Lookup` (a miss until a URL's prefetch is done, a hit after), for URLs on
 * `http://localhost:8789/`: prewarm those, wait, then verify.
 *
 * It prints what to export in another shell (the endpoint and the simulator's public test
 * keys) and what to put in the Worker example's `.dev.vars`, then one line per request it
 * answers. Its tasks and quota live as long as it runs.
 */
import { CREDENTIAL_ENV_VARS, ENDPOINT_ENV_VAR } from "../src/transport/credentials.ts";
import { SimulatedEdge, SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "../src/testing/mod.ts";

/** The port when `--port` is not given: next to the router's 8787 (and `wrangler dev`'s). */
const DEFAULT_PORT = 8788;
/** How long a prefetch task is `process` before it is `done`: long enough to see `--wait`. */
const DEFAULT_TASK_SECONDS = 10;
/** The account's domains: the hosts of examples/urls.txt and of the README's samples, and
 * `localhost`, where the edge serves them over HTTP. */
const DOMAINS = ["www.example.com", "static.example.com", "img.example.com", "localhost"];
/** URLs a day, as Tencent's documented overseas prefetch quota. */
const DAILY_LIMIT = 1000;
/** The token the Worker example's README sends with `curl`. */
const WORKER_DEV_TOKEN = "a-long-random-token-for-ci";

function usage(message: string): never {
  console.error(`error: ${message}\nusage: deno task simulator [--port N] [--task-seconds S]`);
  Deno.exit(2);
}

/** `--name N` or `--name=N` as a whole number in [min, max]. */
function numberFlag(args: string[], name: string, fallback: number, max: number): number {
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return fallback;
  const [flag] = args.splice(at, 1) as [string];
  const text = flag.includes("=") ? flag.slice(flag.indexOf("=") + 1) : args.splice(at, 1)[0];
  const value = Number(text);
  if (text === undefined || text.trim() === "" || !Number.isInteger(value) || value < 0) {
    usage(`--${name} needs a whole number, got ${text === undefined ? "nothing" : `"${text}"`}`);
  }
  if (value > max) usage(`--${name} must be at most ${max}, got ${value}`);
  return value;
}

const args = [...Deno.args];
const port = numberFlag(args, "port", DEFAULT_PORT, 65535);
const taskSeconds = numberFlag(args, "task-seconds", DEFAULT_TASK_SECONDS, 24 * 3600);
if (args.length > 0) usage(`unknown argument "${args[0]}"`);

const simulator = new TencentCdnSimulator({
  domains: DOMAINS,
  dailyLimit: DAILY_LIMIT,
  latencyMs: 30,
  taskDurationMs: taskSeconds * 1000,
});

/** Logs every request once it has its answer: when, what, how many URLs, and the outcome. */
let logged = 0;
function logAnswered(): void {
  const { requests } = simulator;
  while (logged < requests.length && requests[logged]!.finishedAt !== undefined) {
    const r = requests[logged++]!;
    const time = new Date(r.receivedAt).toISOString().slice(11, 19);
    const urls = r.urlCount > 0 ? ` ${r.urlCount} URL${r.urlCount === 1 ? "" : "s"}` : "";
    console.error(`${time}  ${r.action || r.api}${urls}: ${r.outcome}`);
  }
}

let server: Deno.HttpServer<Deno.NetAddr>;
try {
  server = Deno.serve({
    hostname: "127.0.0.1",
    port,
    onListen() {},
  }, async (request) => {
    const answer = await simulator.handle(request);
    logAnswered();
    return answer;
  });
} catch (error) {
  if (!(error instanceof Deno.errors.AddrInUse)) throw error;
  usage(`port ${port} is in use (another simulator?): pass --port with a free one`);
}

// The edge on the next port (any free one when the API's was picked freely).
let edgeServer: Deno.HttpServer<Deno.NetAddr>;
try {
  edgeServer = Deno.serve({
    hostname: "127.0.0.1",
    port: port === 0 ? 0 : port + 1,
    onListen() {},
  }, new SimulatedEdge(simulator).handle);
} catch (error) {
  if (!(error instanceof Deno.errors.AddrInUse)) throw error;
  usage(`port ${port + 1} (the edge's) is in use: pass --port with a free pair`);
}
const edgeOrigin = `http://localhost:${edgeServer.addr.port}`;

const endpoint = `http://127.0.0.1:${server.addr.port}/`;
const variables: [string, string][] = [
  [ENDPOINT_ENV_VAR, endpoint],
  [CREDENTIAL_ENV_VARS.secretId, SIMULATOR_CREDENTIALS.secretId],
  [CREDENTIAL_ENV_VARS.secretKey, SIMULATOR_CREDENTIALS.secretKey],
];
console.log(
  [
    `Tencent Cloud CDN API simulator on ${endpoint} (API 2.0 at ${endpoint}v2/index.php)`,
    `Its account serves ${DOMAINS.join(", ")}: ${DAILY_LIMIT} URLs a day, tasks done after ` +
    `${taskSeconds} s. Nothing reaches Tencent Cloud.`,
    `Its edge (a CDN node's cache headers) is on ${edgeOrigin}/: prewarm URLs there, then`,
    `prewarm --wait --verify ${edgeOrigin}/app.js (deno task prewarm here) says hit (docs/verify.md).`,
    "",
    "In another shell, point the library, the command line and the router examples at it:",
    "",
    ...variables.map(([name, value]) => `export ${name}=${value}`),
    "",
    "For the Worker example, put this in examples/cloudflare-worker/.dev.vars, then run",
    "`npx wrangler dev` there:",
    "",
    ...variables.map(([name, value]) => `${name}=${value}`),
    `PREWARM_TOKENS=${WORKER_DEV_TOKEN}`,
    "",
    "The keys are the simulator's public test keys. Requests it answers (Ctrl+C stops it):",
  ].join("\n"),
);
