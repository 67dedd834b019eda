// Tests of the Tencent CDN simulator alone: its verifiers against the spec's vectors, its
// limits, its clock, its faults, and serving over real HTTP. Requests are signed here by hand
// with WebCrypto; nothing is shared with the client's signer.

import assert from "node:assert/strict";
import {
  SIMULATOR_CREDENTIALS,
  type SimulatorCredential,
  type SimulatorFault,
  type SimulatorOptions,
  TencentCdnSimulator,
} from "../src/testing/mod.ts";
import { hmac, toBase64 } from "../src/testing/crypto.ts";
import { v2SourceString } from "../src/testing/verify_v2.ts";
import { tc3Signature } from "../src/testing/verify_tc3.ts";
import {
  callV3 as callV3Loose,
  Clock,
  hmacRaw,
  setup,
  type V3CallOptions,
  v3Request,
} from "./_simulator_client.ts";

// ---------------------------------------------------------------------------------------------
// Wire shapes

interface V2Body {
  code: number | string;
  message: string;
  codeDesc: string;
  data?: { task_id: number; date: string }[];
}

interface PushLog {
  TaskId: string;
  Url: string;
  Status: string;
  Percent: number;
  CreateTime: string;
  UpdateTime: string;
  Area: string;
}

interface V3Body {
  Response: {
    Error?: { Code: string; Message: string };
    RequestId: string;
    TaskId?: string;
    PushLogs?: PushLog[];
    TotalCount?: number;
    UrlPush?: { Area: string; Batch: number; Total: number; Available: number }[];
  };
}

// ---------------------------------------------------------------------------------------------
// Signing helpers (test code only)

const encoder = new TextEncoder();
const V2_ENDPOINT = "https://cdn.api.qcloud.com/v2/index.php";
const V3_ENDPOINT = "https://cdn.tencentcloudapi.com/";

let lastNonce = 1000;

interface V2CallOptions {
  method?: "GET" | "POST";
  /** Defaults to the simulated clock's second. */
  timestamp?: number;
  nonce?: string;
  credential?: SimulatorCredential;
  sha256?: boolean;
  /** Extra parameters, signed and sent. */
  extra?: Record<string, string>;
  /** Endpoint URL; its host (with port) is what gets signed unless `signedHost` is given. */
  endpoint?: string;
  signedHost?: string;
  fetcher?: typeof fetch;
  signal?: AbortSignal;
}

/** Builds, signs and sends a `CdnOverseaPushser` request; returns the raw response. */
async function sendV2(
  sim: TencentCdnSimulator,
  clock: Clock,
  urls: string[],
  options: V2CallOptions = {},
): Promise<Response> {
  const method = options.method ?? "GET";
  const credential = options.credential ?? SIMULATOR_CREDENTIALS;
  const endpoint = new URL(options.endpoint ?? V2_ENDPOINT);
  const params: Record<string, string> = {
    Action: "CdnOverseaPushser",
    SecretId: credential.secretId,
    Timestamp: String(options.timestamp ?? clock.seconds),
    Nonce: options.nonce ?? String(++lastNonce),
    ...(options.sha256 ? { SignatureMethod: "HmacSHA256" } : {}),
    ...(credential.token ? { Token: credential.token } : {}),
    ...options.extra,
  };
  urls.forEach((url, index) => params[`urls.${index}`] = url);
  // Spec steps 2–4: `_` read as `.` in names, byte order (all names here are ASCII), raw values.
  const joined = Object.entries(params)
    .map(([name, value]) => [name.replaceAll("_", "."), value])
    .sort(([a = ""], [b = ""]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
  const source = `${method}${options.signedHost ?? endpoint.host}${endpoint.pathname}?${joined}`;
  const signature = toBase64Test(
    await hmacRaw(
      options.sha256 ? "SHA-256" : "SHA-1",
      encoder.encode(credential.secretKey),
      source,
    ),
  );
  const form = new URLSearchParams({ ...params, Signature: signature });
  const fetcher = options.fetcher ?? sim.fetch;
  if (method === "GET") return fetcher(`${endpoint}?${form}`, { signal: options.signal });
  return fetcher(endpoint, { method: "POST", body: form, signal: options.signal });
}

async function callV2(
  sim: TencentCdnSimulator,
  clock: Clock,
  urls: string[],
  options: V2CallOptions = {},
): Promise<V2Body> {
  return await (await sendV2(sim, clock, urls, options)).json();
}

function toBase64Test(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

async function callV3(
  sim: TencentCdnSimulator,
  clock: Clock,
  action: string,
  payload: unknown,
  options: V3CallOptions = {},
): Promise<V3Body> {
  return await callV3Loose(sim, clock, action, payload, options);
}

function errorCode(body: V3Body): string | undefined {
  return body.Response.Error?.Code;
}

function urlsOn(host: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `https://${host}/file-${index}.bin`);
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("Timed out waiting for the simulator");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

// ---------------------------------------------------------------------------------------------
// The spec's vectors

const SPEC_V2 = {
  secretId: "AKIDT8G5AsY1D3MChWooNq1rFSw1fyBVCX9D",
  secretKey: "pxPgRWDbCy86ZYyqBTDk7WmeRZSmPco0",
};
const SPEC_V2_QUERY = "Action=CdnOverseaPushser&SecretId=AKIDT8G5AsY1D3MChWooNq1rFSw1fyBVCX9D" +
  "&Timestamp=1462436277&Nonce=123456789" +
  "&urls.0=http%3A%2F%2Fwww.test.com%2F1.jpg&urls.1=http%3A%2F%2Fwww.test.com%2F2.jpg";

function specV2Simulator(): TencentCdnSimulator {
  return new TencentCdnSimulator({
    now: () => 1462436277000,
    credentials: [SPEC_V2],
    domains: ["www.test.com"],
  });
}

Deno.test("v2 vector: the GET CdnOverseaPushser request is accepted", async () => {
  const sim = specV2Simulator();
  const response = await sim.fetch(
    `${V2_ENDPOINT}?${SPEC_V2_QUERY}&Signature=U4MnXsXn93e4heT7wAgwggztC8Y%3D`,
  );
  assert.equal(response.status, 200);
  const body: V2Body = await response.json();
  assert.deepEqual(body, {
    code: 0,
    message: "",
    codeDesc: "Success",
    data: [{ task_id: body.data?.[0]?.task_id, date: "2016-05-05 16:17:57" }],
  });
  assert.equal(typeof body.data?.[0]?.task_id, "number");
  assert.equal(sim.quotaUsed("overseas"), 2);
  assert.deepEqual(sim.accepted, [{
    api: "v2",
    taskId: String(body.data?.[0]?.task_id),
    area: "overseas",
    host: "www.test.com",
    urls: ["http://www.test.com/1.jpg", "http://www.test.com/2.jpg"],
    at: 1462436277000,
  }]);
  assert.equal(sim.requests[0]?.outcome, "Success");
});

Deno.test("v2 vector: the POST request is accepted as a form body and as multipart", async () => {
  const sim = specV2Simulator();
  const formBody = `${SPEC_V2_QUERY}&Signature=ZOyWFyJXq%2FQw1sXZBlS87rWqVik%3D`;
  const urlEncoded: V2Body = await (await sim.fetch(V2_ENDPOINT, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: formBody,
  })).json();
  assert.equal(urlEncoded.code, 0, urlEncoded.message);

  sim.reset(); // the nonce may be used again once forgotten
  const multipart = new FormData();
  for (const [name, value] of new URLSearchParams(formBody)) multipart.append(name, value);
  const viaMultipart: V2Body = await (await sim.fetch(V2_ENDPOINT, {
    method: "POST",
    body: multipart,
  })).json();
  assert.equal(viaMultipart.code, 0, viaMultipart.message);
  assert.equal(sim.quotaUsed(), 2);
});

Deno.test("v2 vector: a one-character change to the signature answers 4100", async () => {
  const sim = specV2Simulator();
  const body: V2Body = await (await sim.fetch(
    `${V2_ENDPOINT}?${SPEC_V2_QUERY}&Signature=U4MnXsXn93e4heT7wAgwggztC8Z%3D`,
  )).json();
  assert.equal(body.code, 4100);
  // The GET signature does not sign a POST: the method is part of the source string.
  const asPost: V2Body = await (await sim.fetch(V2_ENDPOINT, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `${SPEC_V2_QUERY}&Signature=U4MnXsXn93e4heT7wAgwggztC8Y%3D`,
  })).json();
  assert.equal(asPost.code, 4100);
  assert.equal(sim.quotaUsed(), 0);
  assert.equal(sim.accepted.length, 0);
});

Deno.test("v2 verifier reproduces every v2 signature vector of the spec", async () => {
  const cases: [string, "SHA-1" | "SHA-256", string][] = [
    [
      "GET|Action=DescribeCdnHosts&Nonce=13029&SecretId=ID&Timestamp=1463122059&limit=10&offset=0",
      "SHA-1",
      "bWMMAR1eFGjZ5KWbfxTlBiLiNLc=",
    ],
    [
      "POST|Action=DescribeCdnHosts&Nonce=13029&SecretId=ID&Timestamp=1463122059&limit=10&offset=0",
      "SHA-1",
      "i/KcLp6VaOtUmVtT0dqtLpKJOkg=",
    ],
    [
      "GET|Action=DescribeCdnHosts&Nonce=48059&SecretId=ID&SignatureMethod=HmacSHA256" +
      "&Timestamp=1502197934&limit=10&offset=0",
      "SHA-256",
      "b/HlnO7vWEtR/kf21BvF0fX4vGmIThwWxlaD5GQtlSM=",
    ],
    [
      "GET|Action=CdnOverseaPushser&Nonce=123456789&SecretId=ID&Timestamp=1462436277" +
      "&urls.0=http://www.test.com/1.jpg&urls.1=http://www.test.com/2.jpg",
      "SHA-1",
      "U4MnXsXn93e4heT7wAgwggztC8Y=",
    ],
    [
      "POST|Action=CdnOverseaPushser&Nonce=123456789&SecretId=ID&Timestamp=1462436277" +
      "&urls.0=http://www.test.com/1.jpg&urls.1=http://www.test.com/2.jpg",
      "SHA-1",
      "ZOyWFyJXq/Qw1sXZBlS87rWqVik=",
    ],
  ];
  for (const [spec, hash, expected] of cases) {
    const [method = "", query = ""] = spec.replace("SecretId=ID", `SecretId=${SPEC_V2.secretId}`)
      .split("|");
    // Shuffle the parameters: the verifier must sort them itself.
    const pairs = query.split("&").map((pair) => pair.split("=") as [string, string]).reverse();
    const params = new Map([...pairs, ["Signature", "ignored"]]);
    const source = v2SourceString({
      method,
      host: "cdn.api.qcloud.com",
      path: "/v2/index.php",
      params,
    });
    assert.equal(
      source,
      `${method}cdn.api.qcloud.com/v2/index.php?${
        query.replace("SecretId=ID", `SecretId=${SPEC_V2.secretId}`)
      }`,
    );
    assert.equal(toBase64(await hmac(hash, SPEC_V2.secretKey, source)), expected, spec);
  }
});

const SPEC_TC3 = {
  secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
  secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
};
const SPEC_TC3_BODY = `{"Urls":["https://www.example.com/1.jpg"],"Area":"overseas"}`;

function specTc3Request(body: string): Request {
  return new Request(V3_ENDPOINT, {
    method: "POST",
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "X-TC-Action": "PushUrlsCache",
      "X-TC-Version": "2018-06-06",
      "X-TC-Timestamp": "1700000000",
      Authorization: "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/" +
        "2023-11-14/cdn/tc3_request, SignedHeaders=content-type;host, " +
        "Signature=85e1b6b73f16f3286e6a3aaee62faf7fd747e784e27a90e5e1a7ffd7bbf999f7",
    },
    body,
  });
}

Deno.test("TC3 vector 2: the hand-built PushUrlsCache request is accepted", async () => {
  const sim = new TencentCdnSimulator({ now: () => 1700000000000, credentials: [SPEC_TC3] });
  const body: V3Body = await (await sim.fetch(specTc3Request(SPEC_TC3_BODY))).json();
  assert.equal(errorCode(body), undefined, body.Response.Error?.Message);
  assert.match(body.Response.TaskId ?? "", /^1700000000-/);
  assert.match(body.Response.RequestId, /^[0-9a-f-]{36}$/);
  assert.equal(sim.quotaUsed("overseas"), 1);
  assert.equal(sim.quotaUsed("mainland"), 0);
  assert.deepEqual(sim.accepted.map(({ host, urls, area }) => ({ host, urls, area })), [
    { host: "www.example.com", urls: ["https://www.example.com/1.jpg"], area: "overseas" },
  ]);
});

Deno.test("TC3 vector 2: an altered body answers AuthFailure.SignatureFailure", async () => {
  const sim = new TencentCdnSimulator({ now: () => 1700000000000, credentials: [SPEC_TC3] });
  const altered = SPEC_TC3_BODY.replace("1.jpg", "2.jpg");
  const body: V3Body = await (await sim.fetch(specTc3Request(altered))).json();
  assert.equal(errorCode(body), "AuthFailure.SignatureFailure");
  assert.equal(sim.quotaUsed("overseas"), 0);
  // Whitespace changes the bytes too: the body is hashed exactly as received.
  const spaced = SPEC_TC3_BODY.replace(",", ", ");
  assert.equal(
    errorCode(await (await sim.fetch(specTc3Request(spaced))).json()),
    "AuthFailure.SignatureFailure",
  );
});

Deno.test("TC3 verifier reproduces vector 1 (cvm, escaped body)", async () => {
  const body =
    `{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}`;
  const signature = await tc3Signature(
    SPEC_TC3.secretKey,
    {
      secretId: SPEC_TC3.secretId,
      date: "2019-02-25",
      service: "cvm",
      signedHeaders: ["content-type", "host"],
      signature: "",
    },
    "1551113065",
    {
      method: "POST",
      url: new URL("https://cvm.tencentcloudapi.com/"),
      headers: new Headers({ "content-type": "application/json; charset=utf-8" }),
      body: encoder.encode(body),
    },
  );
  assert.equal(signature, "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
});

// ---------------------------------------------------------------------------------------------
// Authentication failures

Deno.test("v2 authentication: expiry, replay, unknown SecretId, token, SHA-256", async () => {
  const temporary = { secretId: "AKIDtemporary", secretKey: "temporary-key", token: "tok-1" };
  const { sim, clock } = setup({ credentials: [SIMULATOR_CREDENTIALS, temporary] });
  const url = ["https://www.example.com/a.js"];

  assert.equal((await callV2(sim, clock, url, { timestamp: clock.seconds - 301 })).code, 4200);
  assert.equal((await callV2(sim, clock, url, { timestamp: clock.seconds + 301 })).code, 4200);
  assert.equal((await callV2(sim, clock, url, { timestamp: clock.seconds - 300 })).code, 0);

  assert.equal((await callV2(sim, clock, url, { nonce: "777" })).code, 0);
  const replay = await callV2(sim, clock, url, { nonce: "777", timestamp: clock.seconds - 1 });
  assert.equal(replay.code, 4500);
  clock.ms += 301_000; // past the window the nonce may be used again
  assert.equal((await callV2(sim, clock, url, { nonce: "777" })).code, 0);

  const stranger = { secretId: "AKIDnobody", secretKey: "whatever" };
  assert.equal((await callV2(sim, clock, url, { credential: stranger })).code, 4104);

  assert.equal((await callV2(sim, clock, url, { credential: temporary })).code, 0);
  const wrongToken = { ...temporary, token: "tok-2" };
  assert.equal((await callV2(sim, clock, url, { credential: wrongToken })).code, 4105);
  const noToken = { secretId: temporary.secretId, secretKey: temporary.secretKey };
  assert.equal((await callV2(sim, clock, url, { credential: noToken })).code, 4105);
  const unexpectedToken = { ...SIMULATOR_CREDENTIALS, token: "tok-1" };
  assert.equal((await callV2(sim, clock, url, { credential: unexpectedToken })).code, 4105);

  assert.equal((await callV2(sim, clock, url, { sha256: true })).code, 0);
  assert.equal((await callV2(sim, clock, url, { method: "POST", sha256: true })).code, 0);
  assert.equal(sim.quotaUsed(), 6);
});

Deno.test("v2 authentication: missing and malformed common parameters answer 4000", async () => {
  const { sim, clock } = setup();
  const url = ["https://www.example.com/a.js"];
  assert.equal((await callV2(sim, clock, url, { nonce: "-5" })).code, 4000);
  assert.equal((await callV2(sim, clock, url, { nonce: "abc" })).code, 4000);
  const noSignature: V2Body = await (await sim.fetch(
    `${V2_ENDPOINT}?Action=CdnOverseaPushser&SecretId=x&Timestamp=1&Nonce=1&urls.0=x`,
  )).json();
  assert.equal(noSignature.code, 4000);
  assert.match(noSignature.message, /Signature/);
  const otherAction: V2Body = await (await sim.fetch(`${V2_ENDPOINT}?Action=DescribeCdnHosts`))
    .json();
  assert.deepEqual([otherAction.code, otherAction.codeDesc], [4000, "InvalidAction"]);
  const textBody: V2Body = await (await sim.fetch(V2_ENDPOINT, { method: "POST", body: "x=1" }))
    .json();
  assert.equal(textBody.code, 4000);
  assert.equal(sim.quotaUsed(), 0);
});

Deno.test("v3 authentication: expiry, unknown SecretId, token, scope, header shape", async () => {
  const temporary = { secretId: "AKIDtemporary", secretKey: "temporary-key", token: "tok-1" };
  const { sim, clock } = setup({ credentials: [SIMULATOR_CREDENTIALS, temporary] });
  const push = { Urls: ["https://www.example.com/a.js"], Area: "overseas" };
  const code = async (options: V3CallOptions): Promise<string | undefined> =>
    errorCode(await callV3(sim, clock, "PushUrlsCache", push, options));

  assert.equal(await code({ timestamp: clock.seconds - 301 }), "AuthFailure.SignatureExpire");
  assert.equal(await code({ timestamp: clock.seconds + 301 }), "AuthFailure.SignatureExpire");
  assert.equal(await code({ timestamp: clock.seconds - 300 }), undefined);
  assert.equal(
    await code({ credential: { secretId: "AKIDnobody", secretKey: "x" } }),
    "AuthFailure.SecretIdNotFound",
  );
  assert.equal(
    await code({ credential: { ...SIMULATOR_CREDENTIALS, secretKey: "wrong" } }),
    "AuthFailure.SignatureFailure",
  );
  assert.equal(await code({ credential: temporary }), undefined);
  assert.equal(
    await code({ credential: { ...temporary, token: "tok-2" } }),
    "AuthFailure.TokenFailure",
  );
  assert.equal(
    await code({ credential: { secretId: temporary.secretId, secretKey: temporary.secretKey } }),
    "AuthFailure.TokenFailure",
  );
  assert.equal(await code({ service: "cvm" }), "AuthFailure.SignatureFailure");
  // The scope date must be the UTC date of the timestamp, not the Beijing one.
  const lateEvening = new Clock(Date.UTC(2024, 0, 15, 20, 0, 0)); // 04:00 next day in Beijing
  const late = new TencentCdnSimulator({ now: lateEvening.now });
  const beijingDate = errorCode(
    await callV3(late, lateEvening, "PushUrlsCache", push, { date: "2024-01-16" }),
  );
  assert.equal(beijingDate, "AuthFailure.SignatureFailure");
  assert.equal(
    errorCode(await callV3(late, lateEvening, "PushUrlsCache", push, { date: "2024-01-15" })),
    undefined,
  );
  assert.equal(await code({ signedHeaders: "content-type" }), "AuthFailure.InvalidAuthorization");
  assert.equal(
    await code({ signedHeaders: "content-type;host;x-tc-action" }),
    undefined,
    "extra signed headers are verified from the received values",
  );

  const mangled = await v3Request("PushUrlsCache", push, clock);
  mangled.headers.set("Authorization", "TC3-HMAC-SHA256 Credential=x, Signature=y");
  assert.equal(
    errorCode(await (await sim.fetch(mangled)).json()),
    "AuthFailure.InvalidAuthorization",
  );
  assert.equal(sim.quotaUsed("overseas"), 3);
});

Deno.test("v3 gatekeeping: version, action, content type, body, unknown parameter", async () => {
  const { sim, clock } = setup();
  const push = { Urls: ["https://www.example.com/a.js"], Area: "overseas" };
  assert.equal(
    errorCode(await callV3(sim, clock, "PushUrlsCache", push, { version: "2017-01-01" })),
    "NoSuchVersion",
  );
  // Not served (directory purges), and an EdgeOne action under the CDN version.
  assert.equal(errorCode(await callV3(sim, clock, "PurgePathCache", push)), "InvalidAction");
  assert.equal(errorCode(await callV3(sim, clock, "CreatePrefetchTask", push)), "InvalidAction");
  assert.equal(
    errorCode(await callV3(sim, clock, "PushUrlsCache", push, { contentType: "text/plain" })),
    "InvalidParameter",
  );
  assert.equal(
    errorCode(await callV3(sim, clock, "PushUrlsCache", { ...push, area: "overseas" })),
    "UnknownParameter",
  );
  assert.equal(errorCode(await callV3(sim, clock, "PushUrlsCache", [push])), "InvalidParameter");
  assert.equal(sim.quotaUsed("overseas"), 0);
  assert.ok(sim.requests.every((request) => request.outcome !== "Success"));
});

// ---------------------------------------------------------------------------------------------
// URL and batch rules

Deno.test("batch limits: 21 URLs over v2 and 501 over v3 are refused whole", async () => {
  const { sim, clock } = setup();
  const v2TooMany = await callV2(sim, clock, urlsOn("www.example.com", 21));
  assert.equal(v2TooMany.code, 4000);
  assert.match(v2TooMany.message, /^\(23100\)/);
  assert.equal((await callV2(sim, clock, urlsOn("www.example.com", 20))).code, 0);

  const v3TooMany = await callV3(sim, clock, "PushUrlsCache", {
    Urls: urlsOn("static.example.com", 501),
    Area: "overseas",
  });
  assert.equal(errorCode(v3TooMany), "LimitExceeded.CdnPushExceedBatchLimit");
  const v3Full = await callV3(sim, clock, "PushUrlsCache", {
    Urls: urlsOn("static.example.com", 500),
    Area: "overseas",
  });
  assert.equal(errorCode(v3Full), undefined);
  assert.equal(sim.quotaUsed("overseas"), 520);
});

Deno.test("URL rules: foreign and offline domains, wildcards, bad URLs fail the whole request", async () => {
  const { sim, clock } = setup({
    domains: ["www.example.com", "*.cdn.example.net"],
    offlineDomains: ["old.example.com", "down.cdn.example.net"],
  });
  const good = "https://www.example.com/ok.js";
  const v2 = async (url: string): Promise<V2Body> => await callV2(sim, clock, [good, url]);
  const v3 = async (url: string, area = "overseas"): Promise<string | undefined> =>
    errorCode(await callV3(sim, clock, "PushUrlsCache", { Urls: [good, url], Area: area }));

  const foreign = await v2("https://www.other.com/x.js");
  assert.deepEqual([foreign.code, foreign.message.slice(0, 6)], [4000, "(9105)"]);
  assert.match((await v2("https://old.example.com/x.js")).message, /^\(28006\)/);
  assert.equal((await v2("https://www.example.com/*.js")).code, 4000);
  assert.equal((await v2("ftp://www.example.com/x.js")).code, 4000);
  assert.equal((await v2("www.example.com/x.js")).code, 4000);
  // A wildcard pattern covers subdomains only, and offline wins over it.
  assert.match((await v2("https://cdn.example.net/x.js")).message, /^\(9105\)/);
  assert.match((await v2("https://down.cdn.example.net/x.js")).message, /^\(28006\)/);
  assert.equal((await v2("https://a.cdn.example.net/x.js")).code, 0);

  assert.equal(await v3("https://www.other.com/x.js"), "ResourceNotFound.CdnHostNotExists");
  assert.equal(await v3("https://old.example.com/x.js"), "ResourceUnavailable.CdnHostIsNotOnline");
  assert.equal(
    await v3("https://www.example.com/*"),
    "InvalidParameter.CdnPushWildcardNotAllowed",
  );
  assert.equal(await v3("https://www.example.com/a b.js"), "InvalidParameter.CdnParamError");
  assert.equal(await v3("mailto:someone@www.example.com"), "InvalidParameter.CdnParamError");
  assert.equal(await v3(good, "europe"), "InvalidParameter.CdnParamError");
  assert.equal(
    errorCode(await callV3(sim, clock, "PushUrlsCache", { Urls: [], Area: "overseas" })),
    "InvalidParameter.CdnParamError",
  );

  // Only the one fully valid request was spent, and it was split by host.
  assert.equal(sim.quotaUsed("overseas"), 2);
  assert.deepEqual(sim.accepted.map((task) => task.host), ["www.example.com", "a.cdn.example.net"]);
});

Deno.test("v2 urls.n must run from 0 without gaps", async () => {
  const { sim, clock } = setup();
  const gap = await callV2(sim, clock, [], {
    extra: { "urls.0": "https://www.example.com/a", "urls.2": "https://www.example.com/b" },
  });
  assert.equal(gap.code, 4000);
  const none = await callV2(sim, clock, []);
  assert.equal(none.code, 4000);
  // PHP reads `urls_0` as `urls.0`; both are the same parameter.
  const underscored = await callV2(sim, clock, [], {
    extra: { "urls_0": "https://www.example.com/a" },
  });
  assert.equal(underscored.code, 0, underscored.message);
  assert.equal(sim.quotaUsed(), 1);
});

Deno.test("v3 Area: omitted counts against mainland, global spends both areas", async () => {
  const { sim, clock } = setup();
  const omitted = await callV3(sim, clock, "PushUrlsCache", {
    Urls: ["https://www.example.com/a.js"],
  });
  assert.equal(errorCode(omitted), undefined);
  assert.deepEqual([sim.quotaUsed("mainland"), sim.quotaUsed("overseas")], [1, 0]);
  assert.equal(sim.accepted[0]?.area, "mainland");

  const global = await callV3(sim, clock, "PushUrlsCache", {
    Urls: ["https://www.example.com/b.js", "https://www.example.com/c.js"],
    Area: "global",
  });
  assert.equal(errorCode(global), undefined);
  assert.deepEqual([sim.quotaUsed("mainland"), sim.quotaUsed("overseas")], [3, 2]);
});

Deno.test("v2 splits a request into one task per hostname", async () => {
  const { sim, clock } = setup();
  const body = await callV2(sim, clock, [
    "https://www.example.com/1.js",
    "https://img.example.com/1.png",
    "https://www.example.com/2.js",
  ]);
  assert.equal(body.code, 0);
  assert.equal(body.data?.length, 2);
  assert.notEqual(body.data?.[0]?.task_id, body.data?.[1]?.task_id);
  assert.equal(body.data?.[0]?.date, "2024-01-15 12:00:00");
  assert.deepEqual(sim.accepted.map(({ taskId, host, urls }) => ({ taskId, host, urls })), [
    {
      taskId: String(body.data?.[0]?.task_id),
      host: "www.example.com",
      urls: ["https://www.example.com/1.js", "https://www.example.com/2.js"],
    },
    {
      taskId: String(body.data?.[1]?.task_id),
      host: "img.example.com",
      urls: ["https://img.example.com/1.png"],
    },
  ]);
  assert.equal(sim.quotaUsed(), 3);
});

Deno.test("v3 records one task per host of a mixed batch, sharing the TaskId", async () => {
  const { sim, clock } = setup();
  const body = await callV3(sim, clock, "PushUrlsCache", {
    Urls: ["https://www.example.com/1.js", "https://img.example.com/1.png"],
    Area: "overseas",
  });
  assert.deepEqual(sim.accepted.map((task) => [task.taskId, task.host]), [
    [body.Response.TaskId, "www.example.com"],
    [body.Response.TaskId, "img.example.com"],
  ]);
});

// ---------------------------------------------------------------------------------------------
// Quota, the Beijing day, and the describe actions

Deno.test("daily quota holds across requests and resets at Beijing midnight", async () => {
  const clock = new Clock(Date.UTC(2024, 0, 15, 15, 59, 0)); // 23:59:00 in Beijing
  const sim = new TencentCdnSimulator({ now: clock.now, dailyLimit: 5 });
  assert.equal((await callV2(sim, clock, urlsOn("www.example.com", 3))).code, 0);
  const over = await callV2(sim, clock, urlsOn("www.example.com", 3));
  assert.equal(over.code, 4000);
  assert.match(over.message, /^\(23101\)/);
  assert.equal(sim.quotaUsed(), 3, "a refused request spends nothing");
  assert.equal((await callV2(sim, clock, urlsOn("www.example.com", 2))).code, 0);
  const v3Over = await callV3(sim, clock, "PushUrlsCache", {
    Urls: urlsOn("www.example.com", 1),
    Area: "overseas",
  });
  assert.equal(errorCode(v3Over), "LimitExceeded.CdnPushExceedDayLimit");
  // Mainland has its own quota.
  const mainland = await callV3(sim, clock, "PushUrlsCache", {
    Urls: urlsOn("www.example.com", 5),
    Area: "mainland",
  });
  assert.equal(errorCode(mainland), undefined);
  const global = await callV3(sim, clock, "PushUrlsCache", {
    Urls: urlsOn("www.example.com", 1),
    Area: "global",
  });
  assert.equal(errorCode(global), "LimitExceeded.CdnPushExceedDayLimit");

  const quota = await callV3(sim, clock, "DescribePushQuota", {});
  assert.deepEqual(quota.Response.UrlPush, [
    { Area: "mainland", Batch: 500, Total: 5, Available: 0 },
    { Area: "overseas", Batch: 500, Total: 5, Available: 0 },
  ]);

  clock.ms += 59_000; // 23:59:59: still the same Beijing day
  assert.equal(sim.quotaUsed(), 5);
  clock.ms += 1_000; // 00:00:00 in Beijing, 16:00 UTC the same UTC day
  assert.equal(sim.quotaUsed(), 0);
  assert.equal((await callV2(sim, clock, urlsOn("www.example.com", 4))).code, 0);
  const fresh = await callV3(sim, clock, "DescribePushQuota", {});
  assert.deepEqual(
    fresh.Response.UrlPush?.map((area) => [area.Area, area.Available]),
    [["mainland", 5], ["overseas", 1]],
  );
});

Deno.test("DescribePushTasks reports process, then done, for v3 and v2 tasks", async () => {
  const { sim, clock } = setup({ taskDurationMs: 60_000, v3BatchLimit: 50 });
  const pushed = await callV3(sim, clock, "PushUrlsCache", {
    Urls: ["https://www.example.com/1.js", "https://www.example.com/2.js"],
    Area: "overseas",
  });
  const taskId = pushed.Response.TaskId;
  const early = await callV3(sim, clock, "DescribePushTasks", { TaskId: taskId });
  assert.equal(early.Response.TotalCount, 2);
  assert.deepEqual(early.Response.PushLogs?.[0], {
    TaskId: taskId,
    Url: "https://www.example.com/1.js",
    Status: "process",
    Percent: 0,
    CreateTime: "2024-01-15 12:00:00",
    UpdateTime: "2024-01-15 12:00:00",
    Area: "overseas",
  });

  clock.ms += 30_000;
  const v2 = await callV2(sim, clock, ["https://img.example.com/a.png"]);
  clock.ms += 30_000; // the v3 task is now 60 s old, the v2 task 30 s
  const done = await callV3(sim, clock, "DescribePushTasks", { TaskId: taskId });
  assert.deepEqual(
    done.Response.PushLogs?.map((log) => [log.Status, log.Percent, log.UpdateTime]),
    [["done", 100, "2024-01-15 12:01:00"], ["done", 100, "2024-01-15 12:01:00"]],
  );

  const byTime = await callV3(sim, clock, "DescribePushTasks", {
    StartTime: "2024-01-15 00:00:00",
    EndTime: "2024-01-15 23:59:59",
    Limit: 2,
  });
  assert.equal(byTime.Response.TotalCount, 3);
  assert.deepEqual(byTime.Response.PushLogs?.[0], {
    TaskId: String(v2.data?.[0]?.task_id),
    Url: "https://img.example.com/a.png",
    Status: "process",
    Percent: 50, // 30 s of its 60 s

    CreateTime: "2024-01-15 12:00:30",
    UpdateTime: "2024-01-15 12:00:30",
    Area: "overseas",
  });
  assert.equal(byTime.Response.PushLogs?.length, 2);
  const page2 = await callV3(sim, clock, "DescribePushTasks", {
    StartTime: "2024-01-15 00:00:00",
    EndTime: "2024-01-15 23:59:59",
    Offset: 2,
  });
  assert.deepEqual(page2.Response.PushLogs?.map((log) => log.Url), [
    "https://www.example.com/2.js",
  ]);
  const yesterday = await callV3(sim, clock, "DescribePushTasks", {
    StartTime: "2024-01-14 00:00:00",
    EndTime: "2024-01-14 23:59:59",
  });
  assert.equal(yesterday.Response.TotalCount, 0);
  assert.equal(
    errorCode(await callV3(sim, clock, "DescribePushTasks", {})),
    "InvalidParameter.CdnParamError",
  );
});

// ---------------------------------------------------------------------------------------------
// Rate limit

Deno.test("rate limit: per action, over a sliding second of the simulated clock", async () => {
  const { sim, clock } = setup({ requestsPerSecond: 3 });
  const quota = async (): Promise<string | undefined> =>
    errorCode(await callV3(sim, clock, "DescribePushQuota", {}));
  assert.deepEqual([await quota(), await quota(), await quota()], [
    undefined,
    undefined,
    undefined,
  ]);
  assert.equal(await quota(), "RequestLimitExceeded");
  // Another action has its own window.
  const push = await callV3(sim, clock, "PushUrlsCache", {
    Urls: ["https://www.example.com/a.js"],
    Area: "overseas",
  });
  assert.equal(errorCode(push), undefined);
  clock.ms += 999;
  assert.equal(await quota(), "RequestLimitExceeded");
  clock.ms += 1;
  assert.equal(await quota(), undefined);

  for (let i = 0; i < 3; i++) {
    assert.equal((await callV2(sim, clock, urlsOn("www.example.com", 1))).code, 0);
  }
  const limited = await callV2(sim, clock, urlsOn("www.example.com", 1));
  assert.equal(limited.code, 4400);
  assert.match(limited.message, /^\(9163\)/);
  assert.equal(sim.quotaUsed("overseas"), 4, "rate-limited requests spend nothing");
});

// ---------------------------------------------------------------------------------------------
// Faults

const ONE_URL = ["https://www.example.com/a.js"];

async function pushV3(
  sim: TencentCdnSimulator,
  clock: Clock,
  signal?: AbortSignal,
): Promise<Response> {
  return sim.fetch(
    await v3Request("PushUrlsCache", { Urls: ONE_URL, Area: "overseas" }, clock, { signal }),
  );
}

Deno.test("fault status: a raw HTTP answer, not processed", async () => {
  const { sim, clock } = setup();
  sim.inject({ type: "status", status: 503, body: "busy", contentType: "text/plain" });
  const response = await pushV3(sim, clock);
  assert.equal(response.status, 503);
  assert.equal(await response.text(), "busy");
  assert.equal(sim.quotaUsed(), 0);
  const next = await pushV3(sim, clock);
  assert.equal(next.status, 200);
  assert.equal(errorCode(await next.json()), undefined);
  assert.deepEqual(sim.requests.map((request) => request.outcome), ["fault:status", "Success"]);
});

Deno.test("fault html: an HTML error page (502 by default), not processed", async () => {
  const { sim, clock } = setup();
  sim.inject({ type: "html" }, { type: "html", status: 504 });
  const first = await sendV2(sim, clock, ONE_URL);
  assert.equal(first.status, 502);
  assert.match(first.headers.get("content-type") ?? "", /text\/html/);
  assert.match(await first.text(), /<html>/);
  assert.equal((await pushV3(sim, clock)).status, 504);
  await (await pushV3(sim, clock)).body?.cancel();
  assert.equal(sim.quotaUsed(), 1);
  assert.deepEqual(sim.requests.map((request) => request.fault), ["html", "html", undefined]);
});

Deno.test("fault rate-limit: the API's own answer, not processed", async () => {
  const { sim, clock } = setup();
  sim.inject({ type: "rate-limit" }, { type: "rate-limit" });
  assert.equal(errorCode(await (await pushV3(sim, clock)).json()), "RequestLimitExceeded");
  const v2 = await callV2(sim, clock, ONE_URL);
  assert.equal(v2.code, 4400);
  assert.match(v2.message, /^\(9163\)/);
  assert.equal(sim.quotaUsed(), 0);
  assert.equal(sim.accepted.length, 0);
});

Deno.test("fault error: API-shaped errors for both APIs, not processed", async () => {
  const { sim, clock } = setup();
  sim.inject(
    { type: "error", code: "OperationDenied.ProductUpgraded", message: "Moved to EdgeOne" },
    { type: "error", code: "6000", moduleCode: "9000", message: "system error" },
    { type: "error", code: "InternalError" },
  );
  const v3: V3Body = await (await pushV3(sim, clock)).json();
  assert.deepEqual(v3.Response.Error, {
    Code: "OperationDenied.ProductUpgraded",
    Message: "Moved to EdgeOne",
  });
  assert.deepEqual(
    await callV2(sim, clock, ONE_URL),
    { code: 6000, message: "(9000)system error", codeDesc: "InternalError" },
  );
  const named = await callV2(sim, clock, ONE_URL);
  assert.deepEqual([named.code, named.codeDesc], [6000, "InternalError"]);
  assert.equal(sim.quotaUsed(), 0);
});

Deno.test("fault delay: waits, then processes normally", async () => {
  const { sim, clock } = setup();
  sim.inject({ type: "delay", ms: 30 });
  const started = performance.now();
  const response = await pushV3(sim, clock);
  assert.ok(performance.now() - started >= 25);
  assert.equal(errorCode(await response.json()), undefined);
  assert.equal(sim.quotaUsed(), 1);
  assert.deepEqual(
    [sim.requests[0]?.outcome, sim.requests[0]?.processedOutcome],
    ["fault:delay", "Success"],
  );
});

Deno.test("fault delay + client abort: fetch rejects at once, quota is still spent", async () => {
  const { sim, clock } = setup();
  // Ordered by events, not by timing: abort once the request has arrived, long before the
  // delay ends, and check that the rejection came while the request was still in hand.
  sim.inject({ type: "delay", ms: 500 });
  const controller = new AbortController();
  const pending = pushV3(sim, clock, controller.signal);
  await until(() => sim.requests.length === 1);
  controller.abort(new Error("client timeout"));
  await assert.rejects(pending, /client timeout/);
  assert.equal(sim.requests[0]!.finishedAt, undefined, "the abort is not held up by the delay");
  assert.equal(sim.quotaUsed(), 0, "not processed yet");
  await until(() => sim.requests[0]?.finishedAt !== undefined);
  assert.equal(sim.quotaUsed(), 1, "processed after the client gave up");
  assert.equal(sim.accepted.length, 1);

  // An already-aborted signal sends nothing.
  await assert.rejects(pushV3(sim, clock, AbortSignal.abort(new Error("early"))), /early/);
  assert.equal(sim.requests.length, 1);
});

Deno.test("fault reset: processed, then the body breaks after partial JSON", async () => {
  const { sim, clock } = setup();
  sim.inject({ type: "reset" }, { type: "reset" });
  const response = await pushV3(sim, clock);
  assert.equal(response.status, 200);
  const reader = response.body!.getReader();
  const first = await reader.read();
  assert.match(new TextDecoder().decode(first.value), /^\{"Response":/);
  await assert.rejects(reader.read(), (error: Error) => {
    assert.ok(error instanceof TypeError);
    assert.equal((error.cause as { code?: string }).code, "ECONNRESET");
    return true;
  });
  assert.equal(sim.quotaUsed(), 1);

  const v2 = await sendV2(sim, clock, ONE_URL);
  await assert.rejects(v2.json());
  assert.equal(sim.quotaUsed(), 2);
  assert.deepEqual(
    sim.requests.map((request) => [request.outcome, request.processedOutcome]),
    [["fault:reset", "Success"], ["fault:reset", "Success"]],
  );
});

Deno.test("fault refuse: fetch rejects like a refused connection, not processed", async () => {
  const { sim, clock } = setup();
  sim.inject({ type: "refuse" });
  await assert.rejects(pushV3(sim, clock), (error: Error) => {
    assert.ok(error instanceof TypeError);
    assert.match(error.message, /Connection refused/);
    assert.equal((error.cause as { code?: string }).code, "ECONNREFUSED");
    return true;
  });
  assert.equal(sim.quotaUsed(), 0);
  assert.equal(sim.requests[0]?.outcome, "fault:refuse");
  assert.notEqual(sim.requests[0]?.finishedAt, undefined);
});

Deno.test("faults are taken first in first out, before faultPolicy", async () => {
  const { sim, clock } = setup();
  const seen: unknown[] = [];
  sim.faultPolicy = (info) => {
    seen.push(info);
    return info.index % 2 === 1 ? { type: "rate-limit" } : undefined;
  };
  sim.inject({ type: "html" }, { type: "status", status: 429 });
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) {
    const response = await pushV3(sim, clock);
    statuses.push(response.status);
    await response.body?.cancel();
  }
  assert.deepEqual(statuses, [502, 429, 200, 200, 200]);
  assert.deepEqual(sim.requests.map((request) => request.outcome), [
    "fault:html",
    "fault:status",
    "Success",
    "fault:rate-limit",
    "Success",
  ]);
  assert.deepEqual(
    seen,
    [2, 3, 4].map((index) => ({
      api: "v3",
      action: "PushUrlsCache",
      urlCount: 1,
      index,
    })),
  );
  assert.equal(sim.quotaUsed(), 2);
});

Deno.test("faultPolicy sees v2 requests with their action and URL count", async () => {
  const { sim, clock } = setup();
  const seen: unknown[] = [];
  sim.faultPolicy = (info) => {
    seen.push(info);
    return { type: "error", code: "6200", message: "try later" };
  };
  const body = await callV2(sim, clock, urlsOn("www.example.com", 3), { method: "POST" });
  assert.equal(body.code, 6200);
  assert.deepEqual(seen, [{ api: "v2", action: "CdnOverseaPushser", urlCount: 3, index: 0 }]);
  assert.deepEqual(
    [sim.requests[0]?.action, sim.requests[0]?.urlCount, sim.requests[0]?.method],
    ["CdnOverseaPushser", 3, "POST"],
  );
});

Deno.test("inject rejects fault descriptions the simulator cannot honour", () => {
  const sim = new TencentCdnSimulator();
  const bad: unknown[] = [
    { type: "explode" },
    { type: "status", status: 99 },
    { type: "status", status: 204, body: "x" },
    { type: "delay", ms: -1 },
    { type: "error", code: "" },
    null,
  ];
  for (const fault of bad) {
    assert.throws(
      () => sim.inject(fault as SimulatorFault),
      (error: Error) => error instanceof TypeError || error instanceof RangeError,
    );
  }
  sim.faultPolicy = () => ({ type: "delay", ms: Number.NaN });
  return assert.rejects(
    sim.fetch(V3_ENDPOINT, {
      method: "POST",
      headers: { "X-TC-Action": "DescribePushQuota" },
    }),
    RangeError,
  );
});

// ---------------------------------------------------------------------------------------------
// Bookkeeping, routing and options

Deno.test("latency counts toward maxInFlight; reset clears the state", async () => {
  const { sim, clock } = setup({ latencyMs: 20 });
  const responses = await Promise.all([pushV3(sim, clock), pushV3(sim, clock), pushV3(sim, clock)]);
  await Promise.all(responses.map((response) => response.body?.cancel()));
  assert.equal(sim.maxInFlight, 3);
  const record = sim.requests[0];
  assert.ok(record?.finishedAt !== undefined && record.finishedAt - record.receivedAt >= 15);
  assert.equal(record.at, clock.ms);

  sim.inject({ type: "html" });
  sim.reset();
  assert.deepEqual([sim.requests.length, sim.accepted.length, sim.quotaUsed()], [0, 0, 0]);
  assert.equal(sim.maxInFlight, 0);
  const after = await pushV3(sim, clock);
  assert.equal(after.status, 200, "the queued fault was cleared");
  await after.body?.cancel();
});

Deno.test("routing: anything but the two API shapes is a 404 and is not recorded", async () => {
  const sim = new TencentCdnSimulator();
  const notFound = [
    sim.fetch("https://cdn.tencentcloudapi.com/"),
    sim.fetch("https://cdn.tencentcloudapi.com/", { method: "POST", body: "{}" }),
    sim.fetch("https://cdn.api.qcloud.com/v2/index.php", { method: "PUT", body: "" }),
    sim.fetch("https://cdn.api.qcloud.com/v2/other.php"),
  ];
  for (const response of await Promise.all(notFound)) {
    assert.equal(response.status, 404);
    await response.body?.cancel();
  }
  assert.equal(sim.requests.length, 0);
});

Deno.test("v2 answers HTTP 501 for a GET over 32 KB", async () => {
  const { sim, clock } = setup();
  const response = await sendV2(sim, clock, ONE_URL, { extra: { padding: "x".repeat(33_000) } });
  assert.equal(response.status, 501);
  await response.body?.cancel();
  assert.equal(sim.quotaUsed(), 0);
});

Deno.test("bad options throw TypeError or RangeError naming the value", () => {
  const cases: [SimulatorOptions, ErrorConstructor | RangeErrorConstructor, RegExp][] = [
    [{ dailyLimit: -1 }, RangeError, /dailyLimit.*-1/],
    [{ v2BatchLimit: 0 }, RangeError, /v2BatchLimit.*0/],
    [{ requestsPerSecond: 2.5 }, RangeError, /requestsPerSecond.*2\.5/],
    [{ latencyMs: Infinity }, RangeError, /latencyMs.*Infinity/],
    [{ now: 5 as unknown as () => number }, TypeError, /now.*5/],
    [{ domains: ["bad domain"] }, RangeError, /domains\[0\].*"bad domain"/],
    [{ credentials: [{ secretId: "", secretKey: "k" }] }, TypeError, /secretId.*""/],
    [{ dailyLimit: "10" as unknown as number }, TypeError, /dailyLimit.*"10"/],
  ];
  for (const [options, type, message] of cases) {
    assert.throws(() => new TencentCdnSimulator(options), (error: Error) => {
      assert.ok(error instanceof type, `${error}`);
      assert.match(error.message, message);
      assert.match(error.message, /^[A-Z]/);
      return true;
    });
  }
  assert.throws(
    () => new TencentCdnSimulator().quotaUsed("global" as "overseas"),
    RangeError,
  );
  assert.equal(new TencentCdnSimulator({ requestsPerSecond: Infinity }).quotaUsed(), 0);
});

// ---------------------------------------------------------------------------------------------
// Over real HTTP

Deno.test("over real HTTP: the signed host carries the port, and reset breaks the body", async () => {
  const { sim, clock } = setup();
  const server = Deno.serve(
    {
      hostname: "127.0.0.1",
      port: 0,
      onListen: () => {},
      onError: () => new Response(null, { status: 500 }),
    },
    sim.handle,
  );
  try {
    const endpoint = `http://127.0.0.1:${server.addr.port}/v2/index.php`;
    const http = { endpoint, fetcher: fetch };
    const accepted = await callV2(sim, clock, ONE_URL, http);
    assert.equal(accepted.code, 0, accepted.message);
    const withoutPort = await callV2(sim, clock, ONE_URL, { ...http, signedHost: "127.0.0.1" });
    assert.equal(withoutPort.code, 4100);
    const posted = await callV2(sim, clock, ONE_URL, { ...http, method: "POST" });
    assert.equal(posted.code, 0, posted.message);

    sim.inject({ type: "reset" });
    const broken = await sendV2(sim, clock, ONE_URL, http);
    assert.equal(broken.status, 200);
    await assert.rejects(broken.text());
    assert.equal(sim.quotaUsed(), 3, "the reset request was processed");
  } finally {
    await server.shutdown();
  }
});

Deno.test("API 3.0 and EdgeOne answers say Content-Type application/json exactly, as Tencent does", async () => {
  // The official Python SDK recognises an error answer only by this exact header.
  const { sim, clock } = setup({ teoZones: [{ zoneId: "zone-a", domains: ["www.example.com"] }] });
  const typeOf = async (request: Request | Promise<Request>) => {
    const response = await sim.fetch(await request);
    const body = await response.json();
    return [response.headers.get("content-type"), body.Response?.Error?.Code ?? "ok"];
  };
  const push = { Urls: ["https://www.example.com/a.js"], Area: "overseas" };
  const teo = { api: "teo" } as const;
  const answers = [
    await typeOf(v3Request("DescribePushQuota", {}, clock)),
    await typeOf(v3Request("PushUrlsCache", push, clock)),
    await typeOf(v3Request("PushUrlsCache", { Urls: ["https://*.example.com/a.js"] }, clock)),
    await typeOf(v3Request("NoSuchAction", {}, clock)),
    await typeOf(v3Request("DescribeContentQuota", { ZoneId: "zone-a" }, clock, teo)),
    await typeOf(v3Request("CreatePrefetchTask", { ZoneId: "zone-b", Targets: ["x"] }, clock, teo)),
  ];
  sim.inject({ type: "error", code: "InternalError" });
  answers.push(await typeOf(v3Request("PushUrlsCache", push, clock)));
  sim.inject({ type: "rate-limit" });
  answers.push(await typeOf(v3Request("DescribePushQuota", {}, clock)));
  assert.deepEqual(answers, [
    ["application/json", "ok"],
    ["application/json", "ok"],
    ["application/json", "InvalidParameter.CdnPushWildcardNotAllowed"],
    ["application/json", "InvalidAction"],
    ["application/json", "ok"],
    ["application/json", "InvalidParameter.ZoneNotFound"],
    ["application/json", "InternalError"],
    ["application/json", "RequestLimitExceeded"],
  ]);

  // Served over real HTTP, the header goes out as set (the request is signed for another host,
  // so the answer is an error: the one the Python SDK would otherwise miss).
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    sim.handle,
  );
  try {
    const signed = await v3Request("DescribePushQuota", {}, clock);
    const response = await fetch(`http://127.0.0.1:${server.addr.port}/`, {
      method: "POST",
      headers: signed.headers,
      body: await signed.text(),
    });
    assert.equal(response.headers.get("content-type"), "application/json");
    assert.equal((await response.json()).Response.Error.Code, "AuthFailure.SignatureFailure");
  } finally {
    await server.shutdown();
  }
});
