import { MemoryCoordinator } from "../mod.ts";
import assert from "node:assert/strict";
import { HTTPException } from "hono/http-exception";
import { prewarmRouter, type PrewarmRouterOptions } from "../src/hono/mod.ts";
import { SIMULATOR_CREDENTIALS } from "../src/testing/mod.ts";
import {
  assertNotConfigured,
  AUTH,
  capturingLog,
  errorCode,
  NOW,
  setup,
  TOKEN,
} from "./router/setup.ts";

const BODY = {
  method: "POST",
  headers: { ...AUTH, "content-type": "text/plain" },
  body: "https://www.example.com/a.js",
};
const SIM_ENV = {
  TENCENTCLOUD_SECRET_ID: SIMULATOR_CREDENTIALS.secretId,
  TENCENTCLOUD_SECRET_KEY: SIMULATOR_CREDENTIALS.secretKey,
};
const VARIABLES = [
  "PREWARM_TOKENS",
  "PREWARM_ALLOWED_HOSTS",
  "TENCENTCLOUD_SECRET_ID",
  "TENCENTCLOUD_SECRET_KEY",
  "TENCENTCLOUD_SESSION_TOKEN",
  "TENCENTCLOUD_TOKEN",
];

/** Runs `fn` with the router's variables unset (or set as given), then restores them. */
async function withEnv(values: Record<string, string>, fn: () => Promise<void>): Promise<void> {
  const saved = new Map(VARIABLES.map((name) => [name, Deno.env.get(name)]));
  for (const name of VARIABLES) Deno.env.delete(name);
  for (const [name, value] of Object.entries(values)) Deno.env.set(name, value);
  try {
    await fn();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
  }
}

Deno.test("fail closed: no tokens anywhere means 503 on every authenticated route, nothing sent", async () => {
  await withEnv({}, async () => {
    const { app, sim } = setup({ tokens: undefined });
    const logged = await capturingLog(async () => {
      for (
        const [path, init] of [
          ["/prewarm", BODY],
          ["/quota", { headers: AUTH }],
          ["/tasks/1", { headers: AUTH }],
          ["/prewarm", BODY],
        ] as const
      ) {
        await assertNotConfigured(await app.request(path, init), path);
      }
    });
    assert.equal(sim.requests.length, 0);
    // The operator learns what to set, once, however many requests were refused.
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /not configured: No bearer tokens are configured: set PREWARM_TOKENS/);
  });
});

Deno.test("fail closed: an empty token list is closed too, and says so", async () => {
  for (const tokens of [[], "", " , "]) {
    const { app, sim } = setup({ tokens });
    const response = await app.request("/prewarm", BODY);
    assert.equal(response.status, 503);
    assert.equal(sim.requests.length, 0);
  }
});

Deno.test("fail closed: a default router with no environment at all answers 503", async () => {
  await withEnv({}, async () => {
    const app = prewarmRouter();
    assert.equal((await app.request("/prewarm", BODY)).status, 503);
    assert.equal((await app.request("/health")).status, 200);
  });
});

Deno.test("401 without an accepted token, with a Bearer challenge; nothing sent", async () => {
  const { app, sim } = setup();
  const attempts: Array<[Record<string, string>, string]> = [
    [{}, 'Bearer realm="prewarm"'],
    [{ authorization: `Basic ${btoa(`user:${TOKEN}`)}` }, 'Bearer realm="prewarm"'],
    [{ authorization: "Bearer" }, 'Bearer realm="prewarm"'],
    [{ authorization: "Bearer " }, 'Bearer realm="prewarm"'],
    [{ authorization: `Bearer ${TOKEN} extra` }, 'Bearer realm="prewarm"'],
    [
      { authorization: `Bearer ${TOKEN.toUpperCase()}` },
      'Bearer realm="prewarm", error="invalid_token"',
    ],
    [{ authorization: `Bearer ${TOKEN}x` }, 'Bearer realm="prewarm", error="invalid_token"'],
    [
      { authorization: `Bearer ${TOKEN.slice(1)}` },
      'Bearer realm="prewarm", error="invalid_token"',
    ],
  ];
  for (const [headers, challenge] of attempts) {
    const response = await app.request("/prewarm", {
      method: "POST",
      headers: { ...headers, "content-type": "text/plain" },
      body: "https://www.example.com/a.js",
    });
    assert.equal(response.status, 401, JSON.stringify(headers));
    assert.equal(response.headers.get("www-authenticate"), challenge);
    assert.equal(await errorCode(response), "unauthorized");
  }
  assert.equal((await app.request("/quota")).status, 401);
  assert.equal((await app.request("/tasks/1")).status, 401);
  assert.equal(sim.requests.length, 0);
});

Deno.test("the scheme is case-insensitive; every configured token is accepted (rotation)", async () => {
  const other = "second-token-abcdefghijklmnop";
  const { app } = setup({ tokens: `${TOKEN}, ${other}` });
  for (const authorization of [`bearer ${TOKEN}`, `Bearer ${other}`, `BEARER   ${other}`]) {
    const response = await app.request("/quota", { headers: { authorization } });
    assert.equal(response.status, 200, authorization);
  }
});

Deno.test("tokens and credentials default to c.env (a Worker's bindings and secrets)", async () => {
  await withEnv({}, async () => {
    const { sim } = setup();
    const app = prewarmRouter({
      prewarm: {
        fetch: sim.fetch,
        now: () => NOW,
        maxRequestsPerSecond: Infinity,
        coordinator: new MemoryCoordinator(),
      },
    });
    const env = { ...SIM_ENV, PREWARM_TOKENS: `other-token-0123456789,${TOKEN}` };
    let response = await app.request("/prewarm", BODY, env);
    assert.equal(response.status, 200);
    response = await app.request("/prewarm", { ...BODY, headers: {} }, env);
    assert.equal(response.status, 401);
    // Without the bindings it is closed again.
    response = await app.request("/prewarm", BODY, {});
    assert.equal(response.status, 503);
  });
});

Deno.test("tokens and credentials fall back to the runtime environment", async () => {
  await withEnv({ ...SIM_ENV, PREWARM_TOKENS: TOKEN }, async () => {
    const { sim } = setup();
    const app = prewarmRouter({
      prewarm: {
        fetch: sim.fetch,
        now: () => NOW,
        maxRequestsPerSecond: Infinity,
        coordinator: new MemoryCoordinator(),
      },
    });
    // A Deno.serve-style env (no bindings) reads Deno.env.
    const response = await app.request("/prewarm", BODY, { remoteAddr: {} });
    assert.equal(response.status, 200);
    assert.equal(sim.accepted.length, 1);
  });
});

Deno.test("no credentials: 503 for an accepted token, still 401 for anyone else", async () => {
  await withEnv({}, async () => {
    const { app, sim } = setup({ credentials: undefined });
    let response: Response | undefined;
    const logged = await capturingLog(async () => {
      await assertNotConfigured(await app.request("/prewarm", BODY));
      response = await app.request("/prewarm", {
        ...BODY,
        headers: { "content-type": "text/plain" },
      });
    });
    assert.equal(response?.status, 401);
    assert.equal(sim.requests.length, 0);
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /No Tencent Cloud credentials: set TENCENTCLOUD_SECRET_ID/);
  });
});

Deno.test("half-set credentials: 503 with no detail; the log names the missing variable, never a value", async () => {
  await withEnv({}, async () => {
    const { app } = setup({ credentials: undefined });
    const logged = await capturingLog(async () => {
      for (let i = 0; i < 3; i++) {
        const response = await app.request("/quota", { headers: AUTH }, {
          TENCENTCLOUD_SECRET_ID: "AKIDhalf000000000000",
        });
        await assertNotConfigured(response);
      }
    });
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /TENCENTCLOUD_SECRET_KEY is not set/);
    assert.ok(!logged[0]!.includes("AKIDhalf"));
  });
});

Deno.test("a weak token in PREWARM_TOKENS: callers get a bare 503, the operator one log line", async () => {
  await withEnv({}, async () => {
    const { app } = setup({ tokens: undefined });
    const env = { PREWARM_TOKENS: `${TOKEN},short` };
    const logged = await capturingLog(async () => {
      for (const authorization of ["Bearer short", `Bearer ${TOKEN}`, ""]) {
        const response = await app.request("/quota", { headers: { authorization } }, env);
        await assertNotConfigured(response, authorization);
      }
    });
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /PREWARM_TOKENS\[1\] is 5 characters long; at least 16/);
    assert.ok(!logged[0]!.includes("short"), "the token itself is not quoted, even in the log");
  });
});

Deno.test("tokens and credentials may be functions of the context", async () => {
  const { sim } = setup();
  const app = prewarmRouter<{ Bindings: { T: string } }>({
    tokens: (c) => [c.env.T],
    credentials: async () => await Promise.resolve({ ...SIMULATOR_CREDENTIALS }),
    prewarm: {
      fetch: sim.fetch,
      now: () => NOW,
      maxRequestsPerSecond: Infinity,
      coordinator: new MemoryCoordinator(),
    },
  });
  assert.equal((await app.request("/prewarm", BODY, { T: TOKEN })).status, 200);
  assert.equal(
    (await app.request("/prewarm", BODY, { T: "another-token-0123456789" })).status,
    401,
  );
});

Deno.test("authorize replaces token checking: true lets through, false is 401", async () => {
  const { sim } = setup();
  const app = prewarmRouter({
    tokens: [],
    credentials: { ...SIMULATOR_CREDENTIALS },
    authorize: (c) => c.req.header("x-team") === "web",
    prewarm: {
      fetch: sim.fetch,
      now: () => NOW,
      maxRequestsPerSecond: Infinity,
      coordinator: new MemoryCoordinator(),
    },
  });
  const post = (headers: Record<string, string>) =>
    app.request("/prewarm", {
      method: "POST",
      headers: { ...headers, "content-type": "text/plain" },
      body: "https://www.example.com/a.js",
    });
  assert.equal((await post({ "x-team": "web" })).status, 200);
  const refused = await post({ "x-team": "ops", ...AUTH });
  assert.equal(refused.status, 401);
  assert.match(refused.headers.get("www-authenticate") ?? "", /^Bearer/);
});

Deno.test("authorize may answer otherwise by throwing an HTTPException", async () => {
  const app = prewarmRouter({
    credentials: { ...SIMULATOR_CREDENTIALS },
    authorize: (c) => {
      if (c.req.header("x-custom")) {
        throw new HTTPException(418, { res: new Response("teapot", { status: 418 }) });
      }
      throw new HTTPException(403, { message: "This team may not prewarm" });
    },
  });
  let response = await app.request("/quota");
  assert.equal(response.status, 403);
  assert.deepEqual(await response.json(), {
    error: { code: "forbidden", message: "This team may not prewarm" },
  });
  response = await app.request("/quota", { headers: { "x-custom": "1" } });
  assert.equal(response.status, 418);
  assert.equal(await response.text(), "teapot");
});

Deno.test("an option function that throws: 503 not-configured on every route, details logged once", async () => {
  const throwing = () => {
    throw new Error("vault unreachable");
  };
  const { sim } = setup();
  const base = {
    tokens: [TOKEN],
    credentials: { ...SIMULATOR_CREDENTIALS },
    prewarm: { fetch: sim.fetch, now: () => NOW, maxRequestsPerSecond: Infinity },
  };
  const routers: Array<[string, PrewarmRouterOptions]> = [
    ["credentials", { ...base, credentials: throwing }],
    ["tokens", { ...base, tokens: throwing }],
    ["allowedHosts", { ...base, allowedHosts: throwing }],
    ["prewarm", { ...base, prewarm: throwing }],
    ["authorize", { ...base, authorize: throwing }],
  ];
  for (const [name, options] of routers) {
    const app = prewarmRouter(options);
    const logged = await capturingLog(async () => {
      for (const [path, init] of [["/prewarm", BODY], ["/quota", { headers: AUTH }]] as const) {
        for (let i = 0; i < 2; i++) await assertNotConfigured(await app.request(path, init), name);
      }
      const tasks = await app.request("/tasks/1", { headers: AUTH });
      await assertNotConfigured(tasks, name);
    });
    assert.equal(logged.length, 1, `${name}: one log line for five refusals`);
    assert.match(
      logged[0]!,
      new RegExp(`the ${name} option function threw.*vault unreachable`, "s"),
    );
  }
  assert.equal(sim.requests.length, 0);
});

Deno.test("prewarm options from a function are checked per request: DAILY_LIMIT=abc is 503 everywhere", async () => {
  const { sim } = setup();
  const app = prewarmRouter<{ Bindings: { DAILY_LIMIT: string } }>({
    tokens: [TOKEN],
    credentials: { ...SIMULATOR_CREDENTIALS },
    prewarm: (c) => ({
      fetch: sim.fetch,
      now: () => NOW,
      maxRequestsPerSecond: Infinity,
      dailyLimit: Number(c.env.DAILY_LIMIT),
    }),
  });
  const logged = await capturingLog(async () => {
    for (const [path, init] of [["/prewarm", BODY], ["/quota", { headers: AUTH }]] as const) {
      await assertNotConfigured(await app.request(path, init, { DAILY_LIMIT: "abc" }), path);
    }
    const quota = await app.request("/quota", { headers: AUTH }, { DAILY_LIMIT: "7" });
    assert.equal(quota.status, 200);
    assert.equal((await quota.json()).limit, 7);
  });
  assert.equal(logged.length, 1);
  assert.match(logged[0]!, /Invalid option prewarm\.dailyLimit: .*got NaN/);
  assert.equal(sim.requests.length, 1, "only the DescribePushQuota of the configured request");
});
