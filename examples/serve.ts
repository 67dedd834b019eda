/**
 * `deno task serve`: the prewarm router on http://127.0.0.1:8787 (`PORT` to change it).
 *
 * With `TENCENTCLOUD_SECRET_ID` and `TENCENTCLOUD_SECRET_KEY` set it talks to Tencent Cloud, or
 * to `TENCENTCLOUD_ENDPOINT` when that is set too (what `deno task simulator` prints). Without
 * them it starts a simulator of its own on 127.0.0.1 and talks to that instead, so the proxy
 * can be tried without an account; then `POST /verify` (and the console's cache check) asks
 * that simulator's edge, for its hosts (`*.example.com`, unless `PREWARM_ALLOWED_HOSTS` says
 * otherwise). Tokens come from `PREWARM_TOKENS`; when it is unset a token is generated for this
 * run and printed with a `curl` line to try.
 */
import { credentialsFromEnv } from "../mod.ts";
import { ALLOWED_HOSTS_ENV_VAR, prewarmRouter, TOKENS_ENV_VAR } from "../src/hono/mod.ts";
import { SimulatedEdge, SIMULATOR_CREDENTIALS, TencentCdnSimulator } from "../src/testing/mod.ts";

const port = Number(Deno.env.get("PORT") ?? 8787);
const credentials = credentialsFromEnv();
let endpoint: string | undefined;
let edge: SimulatedEdge | undefined;
if (!credentials) {
  const simulator = new TencentCdnSimulator({ latencyMs: 30 });
  edge = new SimulatedEdge(simulator, { latencyMs: 10 });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, simulator.handle);
  endpoint = `http://127.0.0.1:${server.addr.port}/`;
  console.error(
    "No TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY set: prewarming through the local " +
      `simulator at ${endpoint} (its account serves www., static. and img.example.com).`,
  );
}

const configuredTokens = Deno.env.get(TOKENS_ENV_VAR)?.trim();
// 24 random bytes, base64url: a bearer token nobody can guess, valid until this process ends.
const devToken = configuredTokens ? undefined : btoa(
  String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24))),
).replaceAll("+", "-").replaceAll("/", "_");

let app: ReturnType<typeof prewarmRouter>;
try {
  app = prewarmRouter({
    credentials: credentials ?? { ...SIMULATOR_CREDENTIALS },
    tokens: devToken ?? configuredTokens,
    console: true,
    // Without credentials it fronts the simulator started above: the answers and the console say so.
    simulated: !credentials,
    prewarm: endpoint ? { endpoint } : {},
    // In front of the simulator, the cache check asks its edge, for the simulator's hosts.
    ...(edge && {
      verify: { fetch: edge.fetch },
      ...(!Deno.env.get(ALLOWED_HOSTS_ENV_VAR) && { allowedHosts: ["*.example.com"] }),
    }),
  });
} catch (error) {
  // The router checks its options once, here: a bad setting is the operator's to fix, so say
  // what it is (the message names the value's problem, never the value) without a stack trace.
  if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
  console.error(
    `error: ${error.message}` +
      (configuredTokens ? ` (the tokens come from ${TOKENS_ENV_VAR})` : "") + ".",
  );
  Deno.exit(2);
}

Deno.serve({
  hostname: "127.0.0.1",
  port,
  onListen: ({ port }) => {
    const base = `http://127.0.0.1:${port}`;
    const bearer = devToken ?? "$PREWARM_TOKEN";
    console.log(`Listening on ${base}/ (open it in a browser for the console)`);
    if (devToken) console.log(`Dev token for this run (${TOKENS_ENV_VAR} is unset): ${devToken}`);
    console.log(
      `Try:\n  curl -sS -X POST ${base}/prewarm -H "Authorization: Bearer ${bearer}" ` +
        `-H "Content-Type: text/plain" --data-binary @examples/urls.txt\n` +
        `  curl -sS ${base}/quota -H "Authorization: Bearer ${bearer}"`,
    );
  },
}, app.fetch);
