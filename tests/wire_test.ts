import assert from "node:assert/strict";
import {
  buildV2PushRequest,
  parseV2PushAnswer,
  V2_ERRORS,
  v2PushParams,
} from "../src/transport/v2.ts";
import {
  buildV3Request,
  parseV3Answer,
  V3_CONTENT_TYPE,
  V3_ENDPOINT,
  v3TaskCall,
} from "../src/transport/v3.ts";
import { signV2, v2SourceString } from "../src/transport/v2_signature.ts";
import { TencentCloudError } from "../src/rules/errors.ts";
import { errorAdvice } from "../src/rules/advice.ts";
import { type RawAnswer, sendWithRetries } from "../src/transport/send.ts";
import { resolveCallOptions } from "../src/transport/call_options.ts";
import { MemoryCoordinator } from "../src/coordinator/memory.ts";

const credentials = {
  secretId: "AKIDT8G5AsY1D3MChWooNq1rFSw1fyBVCX9D",
  secretKey: "pxPgRWDbCy86ZYyqBTDk7WmeRZSmPco0",
};
const vectorInput = {
  credentials,
  urls: ["http://www.test.com/1.jpg", "http://www.test.com/2.jpg"],
  timestamp: 1462436277,
  nonce: 123456789,
  signatureMethod: "HmacSHA1" as const,
};

function decode(encoded: string): Map<string, string> {
  return new Map(new URLSearchParams(encoded));
}

Deno.test("v2 GET reproduces the spec's CdnOverseaPushser vector on the wire", () => {
  const request = buildV2PushRequest({ ...vectorInput, method: "GET" });
  const url = new URL(request.url);
  assert.equal(url.origin + url.pathname, "https://cdn.api.qcloud.com/v2/index.php");
  assert.equal(request.method, "GET");
  assert.equal(request.body, undefined);
  assert.equal(decode(url.search.slice(1)).get("Signature"), "U4MnXsXn93e4heT7wAgwggztC8Y=");
  // The signature's '=' is percent-encoded once, not twice.
  assert.match(request.url, /Signature=U4MnXsXn93e4heT7wAgwggztC8Y%3D$/);
  assert.match(request.url, /urls\.0=http%3A%2F%2Fwww\.test\.com%2F1\.jpg/);
  assert.equal(decode(url.search.slice(1)).has("SignatureMethod"), false);
});

Deno.test("v2 POST reproduces the spec's vector as a form body", () => {
  const request = buildV2PushRequest({ ...vectorInput, method: "POST" });
  assert.equal(request.url, "https://cdn.api.qcloud.com/v2/index.php");
  assert.equal(request.headers["Content-Type"], "application/x-www-form-urlencoded");
  const params = decode(request.body!);
  assert.equal(params.get("Signature"), "ZOyWFyJXq/Qw1sXZBlS87rWqVik=");
  assert.match(request.body!, /Signature=ZOyWFyJXq%2FQw1sXZBlS87rWqVik%3D/);
  assert.equal(request.signature, "ZOyWFyJXq/Qw1sXZBlS87rWqVik=");
});

Deno.test("v2 defaults: POST, HmacSHA256 announced, token sent and signed", () => {
  const request = buildV2PushRequest({
    credentials: { ...credentials, token: "tok en+/=" },
    urls: ["https://a.example.com/x"],
    timestamp: 1700000000,
    nonce: 42,
  });
  assert.equal(request.method, "POST");
  const params = decode(request.body!);
  assert.equal(params.get("SignatureMethod"), "HmacSHA256");
  assert.equal(params.get("Token"), "tok en+/=");
  const unsigned = Object.fromEntries([...params].filter(([k]) => k !== "Signature"));
  const source = v2SourceString("POST", "cdn.api.qcloud.com", "/v2/index.php", unsigned);
  assert.equal(params.get("Signature"), signV2(source, credentials.secretKey, "HmacSHA256"));
});

Deno.test("v2 wire encoding: hard characters survive and the signature covers raw values", () => {
  const urls = [
    "http://a.com/p?x=1&y=2",
    "http://a.com/a+b%20c d",
    "http://a.com/路径/é?q=漢字",
  ];
  // Find a nonce whose signature holds both '+' and '/', to prove they are encoded.
  let nonce = 1;
  let request = buildV2PushRequest({ credentials, urls, timestamp: 1700000000, nonce });
  while (!/[+]/.test(request.signature) || !/\//.test(request.signature)) {
    request = buildV2PushRequest({ credentials, urls, timestamp: 1700000000, nonce: ++nonce });
  }
  for (const method of ["GET", "POST"] as const) {
    const r = buildV2PushRequest({ credentials, urls, timestamp: 1700000000, nonce, method });
    const encoded = method === "GET" ? new URL(r.url).search.slice(1) : r.body!;
    assert.match(encoded, /^[A-Za-z0-9%._~=&-]*$/, "only unreserved characters and escapes");
    const params = decode(encoded);
    urls.forEach((url, i) => assert.equal(params.get(`urls.${i}`), url));
    assert.equal(params.get("Signature"), r.signature);
    const unsigned = Object.fromEntries([...params].filter(([k]) => k !== "Signature"));
    const source = v2SourceString(method, "cdn.api.qcloud.com", "/v2/index.php", unsigned);
    assert.ok(source.includes("urls.1=http://a.com/a+b%20c d"), "raw value in source");
    assert.equal(r.signature, signV2(source, credentials.secretKey));
  }
});

Deno.test("v2 signed host keeps a non-default port and drops a default one", () => {
  const input = { ...vectorInput, method: "GET" as const };
  const withPort = buildV2PushRequest({ ...input, endpoint: "http://127.0.0.1:8787/v2/index.php" });
  const params = v2PushParams(input);
  const source = v2SourceString("GET", "127.0.0.1:8787", "/v2/index.php", params);
  assert.equal(withPort.signature, signV2(source, credentials.secretKey, "HmacSHA1"));
  const defaultPort = buildV2PushRequest({
    ...input,
    endpoint: "https://cdn.api.qcloud.com:443/v2/index.php",
  });
  assert.equal(defaultPort.signature, "U4MnXsXn93e4heT7wAgwggztC8Y=");
});

Deno.test("v2 urls.N past 9 are numbered in order", () => {
  const urls = Array.from({ length: 12 }, (_, i) => `https://a.com/${i}`);
  const params = v2PushParams({ credentials, urls, timestamp: 1, nonce: 1 });
  urls.forEach((url, i) => assert.equal(params[`urls.${i}`], url));
});

Deno.test("v3 request: the spec's PushUrlsCache vector, headers and exact body", () => {
  const request = buildV3Request({
    credentials: {
      secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
      secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    },
    action: "PushUrlsCache",
    payload: { Urls: ["https://www.example.com/1.jpg"], Area: "overseas" },
    timestamp: 1700000000,
  });
  assert.equal(request.url, "https://cdn.tencentcloudapi.com/");
  assert.equal(request.body, '{"Urls":["https://www.example.com/1.jpg"],"Area":"overseas"}');
  assert.equal(request.headers["Content-Type"], V3_CONTENT_TYPE);
  assert.equal(request.headers["X-TC-Action"], "PushUrlsCache");
  assert.equal(request.headers["X-TC-Version"], "2018-06-06");
  assert.equal(request.headers["X-TC-Timestamp"], "1700000000");
  assert.equal(request.headers["X-TC-Token"], undefined);
  assert.equal(
    request.headers.Authorization,
    "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2023-11-14/cdn/tc3_request, " +
      "SignedHeaders=content-type;host, " +
      "Signature=85e1b6b73f16f3286e6a3aaee62faf7fd747e784e27a90e5e1a7ffd7bbf999f7",
  );
});

Deno.test("v3 request: token header, service stays cdn on a custom endpoint", () => {
  const request = buildV3Request({
    credentials: { secretId: "AKIDx", secretKey: "k", token: "t" },
    action: "DescribePushQuota",
    payload: {},
    timestamp: 1700000000,
    endpoint: "http://127.0.0.1:9000/",
  });
  assert.equal(request.headers["X-TC-Token"], "t");
  assert.match(request.headers.Authorization!, /Credential=AKIDx\/2023-11-14\/cdn\/tc3_request/);
  assert.equal(request.url, "http://127.0.0.1:9000/");
});

const answer = (text: string, status = 200, contentType = "application/json"): RawAnswer => ({
  status,
  contentType,
  text,
});

function rejects(fn: () => unknown): TencentCloudError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof TencentCloudError, `expected TencentCloudError, got ${error}`);
    return error;
  }
  assert.fail("expected an error");
}

Deno.test("v2 answers: success with numeric task id, module codes, string codes", () => {
  assert.deepEqual(
    parseV2PushAnswer(answer(
      '{"code":0,"message":"","codeDesc":"Success","data":[{"task_id":7,"date":"2016-06-21 20:24:47"}]}',
    )),
    [{ taskId: "7", date: "2016-06-21 20:24:47" }],
  );
  const notFound = rejects(() =>
    parseV2PushAnswer(
      answer('{"code":4000,"message":"(9105)域名不存在","codeDesc":"InvalidParameter"}'),
    )
  );
  assert.equal(notFound.code, "4000");
  assert.equal(notFound.moduleCode, "9105");
  assert.equal(notFound.category, "domain");
  assert.equal(notFound.message, "域名不存在 (4000, module 9105)");
  assert.match(
    errorAdvice(notFound, { errors: V2_ERRORS }),
    /^Add the domain to this account's CDN/,
  );
  const quota = rejects(() =>
    parseV2PushAnswer(answer('{"code":"4000","message":"(23101)超过每日预热上限"}'))
  );
  assert.equal(quota.category, "daily-limit");
  const rate = rejects(() => parseV2PushAnswer(answer('{"code":4400,"message":"too many"}')));
  assert.equal(rate.category, "rate-limit");
  assert.equal(rate.retryable, true);
  const negative = rejects(() => parseV2PushAnswer(answer('{"code":6000,"message":"(-9015)x"}')));
  assert.equal(negative.moduleCode, "-9015");
  assert.equal(negative.maybeSubmitted, true);
});

Deno.test("v2 answers: unreadable bodies map to HTTP-aware errors", () => {
  const html = rejects(() =>
    parseV2PushAnswer(answer("<html>bad gateway</html>", 502, "text/html"))
  );
  assert.equal(html.code, "HttpError");
  assert.equal(html.httpStatus, 502);
  assert.equal(html.maybeSubmitted, true);
  assert.doesNotMatch(html.message, /bad gateway/, "bodies are not quoted");
  const busy = rejects(() => parseV2PushAnswer(answer("slow down", 429, "text/plain")));
  assert.equal(busy.retryable, true);
  const okGarbage = rejects(() => parseV2PushAnswer(answer("{", 200)));
  assert.equal(okGarbage.code, "InvalidResponse");
  assert.equal(okGarbage.maybeSubmitted, true);
  const noTask = rejects(() => parseV2PushAnswer(answer('{"code":0,"data":[]}')));
  assert.equal(noTask.code, "InvalidResponse");
  const noCode = rejects(() => parseV2PushAnswer(answer('{"hello":1}', 404)));
  assert.equal(noCode.category, "endpoint");
});

Deno.test("v3 answers: Response, Error codes, HTTP-aware fallbacks", () => {
  assert.deepEqual(
    parseV3Answer(answer('{"Response":{"TaskId":"t-1","RequestId":"r-1"}}')),
    { TaskId: "t-1", RequestId: "r-1" },
  );
  const cases: [string, string, boolean, boolean][] = [
    ["RequestLimitExceeded", "rate-limit", true, false],
    ["RequestLimitExceeded.UinLimitExceeded", "rate-limit", true, false],
    ["LimitExceeded.CdnHostOpTooOften", "rate-limit", true, false],
    ["UnauthorizedOperation.OperationTooOften", "rate-limit", true, false],
    ["LimitExceeded.CdnPushExceedDayLimit", "daily-limit", false, false],
    ["LimitExceeded.CdnPushExceedBatchLimit", "batch-limit", false, false],
    ["ResourceNotFound.CdnHostNotExists", "domain", false, false],
    ["UnauthorizedOperation.CdnHostUnauthorized", "domain", false, false],
    ["ResourceUnavailable.CdnHostIsNotOnline", "domain", false, false],
    ["InvalidParameter.CdnPushWildcardNotAllowed", "invalid-request", false, false],
    ["AuthFailure.SignatureFailure", "credentials", false, false],
    ["AuthFailure.SignatureExpire", "credentials", false, false],
    ["InternalError", "server", false, true],
    ["InternalError.CdnSystemError", "server", false, true],
    ["ServiceUnavailable", "unavailable", true, false],
    ["OperationDenied.ProductUpgraded", "account", false, false],
    ["Something.New", "unknown", false, false],
  ];
  for (const [code, category, retryable, maybeSubmitted] of cases) {
    const error = rejects(() =>
      parseV3Answer(answer(
        JSON.stringify({ Response: { Error: { Code: code, Message: "m" }, RequestId: "r" } }),
      ))
    );
    assert.deepEqual(
      [error.code, error.category, error.retryable, error.maybeSubmitted, error.requestId],
      [code, category, retryable, maybeSubmitted, "r"],
      code,
    );
  }
  const expire = rejects(() =>
    parseV3Answer(
      answer('{"Response":{"Error":{"Code":"AuthFailure.SignatureExpire","Message":"x"}}}'),
    )
  );
  assert.match(errorAdvice(expire), /clock/);
  const upgraded = rejects(() =>
    parseV3Answer(answer('{"Response":{"Error":{"Code":"OperationDenied.ProductUpgraded"}}}'))
  );
  assert.match(errorAdvice(upgraded), /EdgeOne/);
  const gateway = rejects(() => parseV3Answer(answer("<html/>", 503, "text/html")));
  assert.equal(gateway.category, "unavailable");
  const noResponse = rejects(() => parseV3Answer(answer("[1]", 200)));
  assert.equal(noResponse.code, "InvalidResponse");
});

Deno.test("errors serialize every field and nothing else", () => {
  const error = rejects(() =>
    parseV3Answer(
      answer(
        '{"Response":{"Error":{"Code":"InternalError","Message":"boom"},"RequestId":"r"}}',
        200,
      ),
    )
  );
  const json = JSON.parse(JSON.stringify(error));
  assert.deepEqual(Object.keys(json).sort(), [
    "category",
    "code",
    "httpStatus",
    "maybeSubmitted",
    "message",
    "name",
    "requestId",
    "retryable",
    "summary",
  ]);
  assert.equal(json.name, "TencentCloudError");
  assert.equal(json.summary, "boom (InternalError)");
  assert.equal(String(error), "TencentCloudError: boom (InternalError)");
});

Deno.test("send: a signal aborted while the request is being signed sends nothing", async () => {
  const controller = new AbortController();
  const sent: string[] = [];
  const context = resolveCallOptions({
    credentials,
    signal: controller.signal,
    coordinator: new MemoryCoordinator(),
    fetch: (url) => {
      sent.push(url);
      return Promise.resolve(Response.json({ Response: { TaskId: "t-1", RequestId: "r" } }));
    },
  }, V3_ENDPOINT);
  const call = v3TaskCall(context, "PushUrlsCache", { Urls: ["https://www.example.com/a"] });
  const reason = new Error("stopped while signing");
  const aborted = sendWithRetries(context, {
    ...call,
    // Signing is asynchronous (WebCrypto): the run may be stopped meanwhile.
    sign: async (timestamp) => {
      const request = await call.sign(timestamp);
      controller.abort(reason);
      return request;
    },
  });
  await assert.rejects(aborted, (error) => error === reason);
  assert.deepEqual(sent, []);
});
