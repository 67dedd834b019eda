import { MemoryCoordinator } from "../mod.ts";
import assert from "node:assert/strict";
import { HTTPException } from "hono/http-exception";
import { prewarmRouter } from "../src/hono/mod.ts";
import { SIMULATOR_CREDENTIALS } from "../src/testing/mod.ts";
import { AUTH, errorCode, NOW, setup, TOKEN } from "./router/setup.ts";

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
    for (
      const [path, init] of [
        ["/prewarm", BODY],
        ["/quota", { headers: AUTH }],
        ["/tasks/1", { headers: AUTH }],
      ] as const
    ) {
      const response = await app.request(path, init);
      assert.equal(response.status, 503, path);
      const body = await response.json();
      assert.equal(body.error.code, "not-configured");
      assert.match(body.error.message, /PREWARM_TOKENS/);
    }
    assert.equal(sim.requests.length, 0);
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
    let response = await app.request("/prewarm", BODY);
    assert.equal(response.status, 503);
    assert.match((await response.json()).error.message, /TENCENTCLOUD_SECRET_ID/);
    response = await app.request("/prewarm", {
      ...BODY,
      headers: { "content-type": "text/plain" },
    });
    assert.equal(response.status, 401);
    assert.equal(sim.requests.length, 0);
  });
});

Deno.test("half-set credentials: 503 naming the missing variable, never a value", async () => {
  await withEnv({}, async () => {
    const { app } = setup({ credentials: undefined });
    const response = await app.request("/quota", { headers: AUTH }, {
      TENCENTCLOUD_SECRET_ID: "AKIDhalf000000000000",
    });
    assert.equal(response.status, 503);
    const text = await response.text();
    assert.match(text, /TENCENTCLOUD_SECRET_KEY is not set/);
    assert.ok(!text.includes("AKIDhalf"));
  });
});

Deno.test("a weak token in PREWARM_TOKENS closes the router without quoting it", async () => {
  await withEnv({}, async () => {
    const { app } = setup({ tokens: undefined });
    const response = await app.request("/quota", { headers: { authorization: "Bearer short" } }, {
      PREWARM_TOKENS: `${TOKEN},short`,
    });
    assert.equal(response.status, 503);
    const text = await response.text();
    assert.match(text, /PREWARM_TOKENS\[1\] is 5 characters long; at least 16/);
    assert.ok(!text.includes('short"'));
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

Deno.test("an option function that throws: 500 with a generic message, details only in the log", async () => {
  const logged: unknown[][] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void logged.push(args);
  try {
    const app = prewarmRouter({
      tokens: [TOKEN],
      credentials: () => {
        throw new Error("vault unreachable");
      },
    });
    const response = await app.request("/quota", { headers: AUTH });
    assert.equal(response.status, 500);
    const text = await response.text();
    assert.equal(JSON.parse(text).error.code, "internal-error");
    assert.ok(!text.includes("vault"));
    assert.equal(logged.length, 1);
    assert.match(String(logged[0]![1]), /vault unreachable/);
  } finally {
    console.error = original;
  }
});
