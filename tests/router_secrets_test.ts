/**
 * No secret in any answer: a run through every status the router gives, with every body and
 * header (and anything logged) searched for the secret key, the session token, the account id,
 * the router's token and every signature that was sent.
 */
import assert from "node:assert/strict";
import { cdnV2 } from "../src/apis/cdn_v2.ts";
import { prewarmRouter } from "../src/hono/mod.ts";
import { TencentCdnSimulator } from "../src/testing/mod.ts";
import { NOW } from "./router/setup.ts";

const credentials = {
  secretId: "AKIDrouterSecrets00000000000000000000",
  secretKey: "Router+Secret/Key=ThatMustNeverLeak",
  token: "RouterSessionTokenThatMustNeverLeak0123",
};
const routerToken = "router-token-that-must-never-leak-42";

Deno.test("no secret, token or signature in any response body, header or log line", async () => {
  const sim = new TencentCdnSimulator({ now: () => NOW, credentials: [credentials] });
  const signatures: string[] = [];
  const fetch = async (input: string, init: RequestInit): Promise<Response> => {
    const auth = new Headers(init.headers).get("authorization");
    const signature = auth && /Signature=([0-9a-f]+)/.exec(auth)?.[1];
    if (signature) signatures.push(signature);
    return await sim.fetch(input, init);
  };
  const common = {
    credentials,
    tokens: [routerToken],
    prewarm: {
      fetch,
      now: () => NOW,
      retries: 0,
      maxRequestsPerSecond: Infinity,
      dailyLimit: 6,
    },
  };
  const app = prewarmRouter({ ...common, maxUrls: 20, maxBodyBytes: 2048 });
  const v2 = prewarmRouter({ ...common, prewarm: { ...common.prewarm, api: cdnV2() } });
  const misconfigured = prewarmRouter({
    tokens: [routerToken],
    credentials: () => {
      throw new Error("secret store down");
    },
  });
  // A coordinator that fails at run time: a fault, not a configuration problem.
  const storeDown = () => {
    throw new Error("quota store down");
  };
  const downCoordinator = {
    schedule: storeDown,
    observe: storeDown,
    hold: storeDown,
    settle: storeDown,
    exhaust: storeDown,
    usage: storeDown,
  };
  const broken = prewarmRouter({
    ...common,
    prewarm: {
      ...common.prewarm,
      coordinator: downCoordinator,
    },
  });
  const closed = prewarmRouter({ credentials, tokens: [] });

  const auth = { authorization: `Bearer ${routerToken}` };
  const json = (body: unknown) => ({
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const seen: string[] = [];
  const statuses = new Set<number>();
  const logged: string[] = [];
  const originalError = console.error;
  console.error = (...args: unknown[]) =>
    void logged.push(args.map((a) => Deno.inspect(a)).join(" "));
  async function send(router: typeof app, path: string, init: RequestInit = {}) {
    const response = await router.request(path, init);
    statuses.add(response.status);
    seen.push(`${response.status} ${[...response.headers].join("\n")}\n${await response.text()}`);
  }
  try {
    const url = (i: number) => `https://www.example.com/s${i}.js`;
    await send(app, "/health");
    await send(app, "/prewarm", json({ urls: [url(1)] })); // 200
    await send(app, "/prewarm", json({ urls: [url(2), "https://unknown.example.org/x"] })); // 207
    await send(app, "/prewarm", json({ urls: [3] })); // 400
    await send(app, "/prewarm", json({ urls: ["not a url"] })); // 400 no-valid-urls
    await send(app, "/prewarm", { ...json({ urls: [url(4)] }), headers: {} }); // 401
    await send(app, "/prewarm", {
      ...json({ urls: [url(4)] }),
      headers: {
        authorization: `Bearer ${routerToken.slice(0, -1)}`,
        "content-type": "application/json",
      },
    }); // 401, nearly the token
    await send(app, "/nope", { headers: auth }); // 404
    await send(app, "/prewarm", { headers: auth }); // 405
    await send(app, "/prewarm", { method: "OPTIONS" }); // 204
    await send(app, "/prewarm", json({ urls: Array.from({ length: 21 }, (_, i) => url(i)) })); // 413
    await send(app, "/prewarm", json({ urls: [url(5)], area: "x".repeat(3000) })); // 413 body
    await send(app, "/prewarm", { ...json({}), headers: { ...auth, "content-type": "text/csv" } }); // 415
    // Upstream errors that quote the credentials, as a careless gateway might.
    sim.inject(
      { type: "error", code: "InternalError", message: `bad key ${credentials.secretKey}` },
      { type: "error", code: "AuthFailure.SecretIdNotFound", message: `${credentials.secretId}` },
    );
    await send(app, "/prewarm", json({ urls: [url(6), "https://static.example.com/y"] })); // 502
    sim.inject({ type: "error", code: "InternalError", message: `token ${credentials.token}` });
    await send(app, "/quota", { headers: auth }); // 200, upstream error
    await send(app, "/quota", { headers: auth }); // 200
    sim.inject({ type: "error", code: "InternalError", message: `id ${credentials.secretId}` });
    await send(app, "/tasks/abc", { headers: auth }); // 502
    await send(app, "/tasks/abc", { headers: auth }); // 404
    await send(app, "/prewarm", json({ urls: [7, 8, 9, 10, 11].map(url) })); // 207 (budget)
    await send(app, "/prewarm", json({ urls: [url(12)] })); // 429
    await send(v2, "/tasks/abc", { headers: auth }); // 501
    await send(closed, "/prewarm", json({ urls: [url(13)] })); // 503
    await send(misconfigured, "/quota", { headers: auth }); // 503
    await send(broken, "/quota", { headers: auth }); // 500
  } finally {
    console.error = originalError;
  }

  assert.deepEqual(
    [...statuses].sort(),
    [200, 204, 207, 400, 401, 404, 405, 413, 415, 429, 500, 501, 502, 503],
  );
  assert.ok(signatures.length >= 8, `signatures were recorded (${signatures.length})`);
  const everything = [...seen, ...logged].join("\n");
  const secrets = {
    secretKey: credentials.secretKey,
    sessionToken: credentials.token,
    secretId: credentials.secretId,
    routerToken,
    routerTokenPrefix: routerToken.slice(0, -1),
  };
  for (const [name, secret] of Object.entries(secrets)) {
    for (const form of [secret, encodeURIComponent(secret)]) {
      assert.ok(!everything.includes(form), `${name} appeared in a response or the log`);
    }
  }
  for (const signature of signatures) {
    assert.ok(!everything.includes(signature), "a signature appeared in a response or the log");
  }
  assert.ok(everything.includes("[redacted]"), "the echoed secrets were masked, not dropped");
});

Deno.test("upstream fields echoing secrets in any case are masked in every router answer", async () => {
  // A careless gateway that quotes the account's secrets in every field it answers with.
  const echoes = [
    credentials.secretKey,
    credentials.secretId.toLowerCase(),
    credentials.token.toUpperCase(),
    encodeURIComponent(credentials.secretKey).toLowerCase(),
  ];
  const signatureText = "Signature=9f8e7d6c5b4a39281706f5e4d3c2b1a0";
  let call = 0;
  const calls = new Map<string | null, number>();
  const fetch = (_input: string, init: RequestInit): Promise<Response> => {
    const action = new Headers(init.headers).get("x-tc-action");
    const echo = echoes[call++ % echoes.length]!;
    // Each action fails every other time (a failed push's lookup is a read of its own).
    calls.set(action, (calls.get(action) ?? 0) + 1);
    const fail = calls.get(action)! % 2 === 1;
    const Response_ = fail
      ? {
        Error: { Code: `InternalError.${echo}`, Message: `bad ${echo}, ${signatureText}` },
        RequestId: echo,
      }
      : action === "PushUrlsCache"
      ? { TaskId: `task-${echo}`, RequestId: echo }
      : action === "DescribePushQuota"
      ? {
        UrlPush: [{ Area: echo, Batch: 1, Total: 9, Available: 9 }],
        RequestId: `${signatureText} ${echo}`,
      }
      : {
        PushLogs: [{
          TaskId: echo,
          Url: `https://www.example.com/${echo}`,
          Status: "done",
          Percent: 100,
          CreateTime: echo,
          UpdateTime: "x",
          Area: "overseas",
        }],
        TotalCount: 1,
        RequestId: echo,
      };
    return Promise.resolve(new globalThis.Response(JSON.stringify({ Response: Response_ })));
  };
  const app = prewarmRouter({
    credentials,
    tokens: [routerToken],
    prewarm: { fetch, now: () => NOW, retries: 0, maxRequestsPerSecond: Infinity },
  });
  const headers = { authorization: `Bearer ${routerToken}` };
  const answers: string[] = [];
  for (let round = 0; round < 4; round++) {
    const prewarmed = await app.request("/prewarm", {
      method: "POST",
      headers: { ...headers, "content-type": "text/plain" },
      body: `https://www.example.com/r${round}.js`,
    });
    answers.push(await prewarmed.text());
    answers.push(await (await app.request("/quota", { headers })).text());
    answers.push(await (await app.request("/tasks/t1", { headers })).text());
  }
  const everything = answers.join("\n");
  assert.match(everything, /"taskId":"task-\[redacted\]"/, "a task's fields were masked");
  assert.match(everything, /"code":"InternalError.\[redacted\]"/, "Error.Code was masked");
  assert.match(everything, /"requestId":"\[redacted\]"/, "a RequestId was masked");
  assert.ok(everything.includes("Signature=[redacted]"), "Signature= text was masked");
  const lower = everything.toLowerCase();
  for (const secret of [credentials.secretKey, credentials.secretId, credentials.token]) {
    for (const form of [secret, encodeURIComponent(secret)]) {
      assert.ok(!lower.includes(form.toLowerCase()), `${form} appeared in some letter case`);
    }
  }
  assert.ok(!everything.includes("9f8e7d6c5b4a39281706f5e4d3c2b1a0"), "a Signature= value");
});

Deno.test("an upstream code echoing the SecretId is masked before any message is built from it", async () => {
  const sim = new TencentCdnSimulator({ now: () => NOW, credentials: [credentials] });
  const app = prewarmRouter({
    credentials,
    tokens: [routerToken],
    prewarm: { fetch: sim.fetch, now: () => NOW, retries: 0, maxRequestsPerSecond: Infinity },
  });
  const headers = { authorization: `Bearer ${routerToken}` };
  const code = `InternalError.${credentials.secretId}`;
  const answers: [string, Response][] = [];
  const ask = async (path: string, init: RequestInit = { headers }) => {
    sim.inject({ type: "error", code, message: "backend error" });
    answers.push([path, await app.request(path, init)]);
  };
  await ask("/tasks/abc");
  await ask("/tasks?ids=abc");
  await ask("/quota");
  await ask("/prewarm", {
    method: "POST",
    headers: { ...headers, "content-type": "text/plain" },
    body: "https://www.example.com/a.js",
  });
  for (const [path, response] of answers) {
    const text = await response.text();
    assert.ok(!text.includes(credentials.secretId), `${path}: the SecretId in ${text}`);
    assert.match(text, /InternalError\.\[redacted\]/, `${path}: the code, masked`);
  }
  assert.equal(answers[0]![1].status, 502);
});
