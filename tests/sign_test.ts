import assert from "node:assert/strict";
import { signV2, v2SourceString } from "../src/transport/v2_signature.ts";
import {
  sha256Hex,
  tc3Authorization,
  tc3CanonicalRequest,
  tc3Date,
  tc3Sign,
  tc3Signature,
  tc3StringToSign,
} from "../src/transport/tc3.ts";
import { buildV3Request, signV3Request } from "../src/transport/v3.ts";
import { fuzzSeed, Random, reproduce } from "./_random.ts";
import { formEncode } from "../src/transport/v2.ts";

// Vectors from ../shared/spec/tencent-cdn-api.md §1 and §2.
const V2_ID = "AKIDT8G5AsY1D3MChWooNq1rFSw1fyBVCX9D";
const V2_KEY = "pxPgRWDbCy86ZYyqBTDk7WmeRZSmPco0";
const HOST = "cdn.api.qcloud.com";
const PATH = "/v2/index.php";

const describeHosts = (Nonce: string, Timestamp: string, extra: Record<string, string> = {}) => ({
  Action: "DescribeCdnHosts",
  Nonce,
  SecretId: V2_ID,
  Timestamp,
  limit: "10",
  offset: "0",
  ...extra,
});
const push = {
  Action: "CdnOverseaPushser",
  Nonce: "123456789",
  SecretId: V2_ID,
  Timestamp: "1462436277",
  "urls.0": "http://www.test.com/1.jpg",
  "urls.1": "http://www.test.com/2.jpg",
};

Deno.test("v2 vectors: source strings and signatures match the spec", () => {
  const cases = [
    {
      method: "GET" as const,
      params: describeHosts("13029", "1463122059"),
      alg: "HmacSHA1" as const,
      source:
        "GETcdn.api.qcloud.com/v2/index.php?Action=DescribeCdnHosts&Nonce=13029&SecretId=AKIDT8G5AsY1D3MChWooNq1rFSw1fyBVCX9D&Timestamp=1463122059&limit=10&offset=0",
      signature: "bWMMAR1eFGjZ5KWbfxTlBiLiNLc=",
    },
    {
      method: "POST" as const,
      params: describeHosts("13029", "1463122059"),
      alg: "HmacSHA1" as const,
      source:
        "POSTcdn.api.qcloud.com/v2/index.php?Action=DescribeCdnHosts&Nonce=13029&SecretId=AKIDT8G5AsY1D3MChWooNq1rFSw1fyBVCX9D&Timestamp=1463122059&limit=10&offset=0",
      signature: "i/KcLp6VaOtUmVtT0dqtLpKJOkg=",
    },
    {
      method: "GET" as const,
      params: describeHosts("48059", "1502197934", { SignatureMethod: "HmacSHA256" }),
      alg: "HmacSHA256" as const,
      source:
        "GETcdn.api.qcloud.com/v2/index.php?Action=DescribeCdnHosts&Nonce=48059&SecretId=AKIDT8G5AsY1D3MChWooNq1rFSw1fyBVCX9D&SignatureMethod=HmacSHA256&Timestamp=1502197934&limit=10&offset=0",
      signature: "b/HlnO7vWEtR/kf21BvF0fX4vGmIThwWxlaD5GQtlSM=",
    },
    {
      method: "GET" as const,
      params: push,
      alg: "HmacSHA1" as const,
      source:
        "GETcdn.api.qcloud.com/v2/index.php?Action=CdnOverseaPushser&Nonce=123456789&SecretId=AKIDT8G5AsY1D3MChWooNq1rFSw1fyBVCX9D&Timestamp=1462436277&urls.0=http://www.test.com/1.jpg&urls.1=http://www.test.com/2.jpg",
      signature: "U4MnXsXn93e4heT7wAgwggztC8Y=",
    },
    {
      method: "POST" as const,
      params: push,
      alg: "HmacSHA1" as const,
      source:
        "POSTcdn.api.qcloud.com/v2/index.php?Action=CdnOverseaPushser&Nonce=123456789&SecretId=AKIDT8G5AsY1D3MChWooNq1rFSw1fyBVCX9D&Timestamp=1462436277&urls.0=http://www.test.com/1.jpg&urls.1=http://www.test.com/2.jpg",
      signature: "ZOyWFyJXq/Qw1sXZBlS87rWqVik=",
    },
  ];
  for (const c of cases) {
    const source = v2SourceString(c.method, HOST, PATH, c.params);
    assert.equal(source, c.source);
    assert.equal(signV2(source, V2_KEY, c.alg), c.signature);
  }
});

Deno.test("v2 source string: byte-order sort, '_' becomes '.', Signature left out", () => {
  const params: Record<string, string> = { "urls.2": "b", "urls.10": "a", Action: "X", a_b: "1" };
  params.Signature = "ignored";
  assert.equal(
    v2SourceString("GET", "h:8080", "/p", params),
    "GETh:8080/p?Action=X&a.b=1&urls.10=a&urls.2=b",
  );
});

Deno.test("v2 signature defaults to HmacSHA256", () => {
  const source = "GEThost/p?a=1";
  assert.equal(signV2(source, V2_KEY), signV2(source, V2_KEY, "HmacSHA256"));
  assert.notEqual(signV2(source, V2_KEY), signV2(source, V2_KEY, "HmacSHA1"));
});

const TC3_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
const JSON_TYPE = "application/json; charset=utf-8";

Deno.test("tc3 vectors: canonical request hash and signature match the spec", async () => {
  const cases = [
    {
      host: "cvm.tencentcloudapi.com",
      service: "cvm",
      timestamp: 1551113065,
      date: "2019-02-25",
      body:
        '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
      canonicalHash: "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
      signature: "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
    },
    {
      host: "cdn.tencentcloudapi.com",
      service: "cdn",
      timestamp: 1700000000,
      date: "2023-11-14",
      body: '{"Urls":["https://www.example.com/1.jpg"],"Area":"overseas"}',
      canonicalHash: "21998e2fce6dcc64d609b6ef66fbf0cb86462c9b2cc59cdb2d49ecaedfe92c9c",
      signature: "85e1b6b73f16f3286e6a3aaee62faf7fd747e784e27a90e5e1a7ffd7bbf999f7",
    },
  ];
  for (const c of cases) {
    assert.equal(tc3Date(c.timestamp), c.date);
    const canonical = tc3CanonicalRequest({ host: c.host, contentType: JSON_TYPE, body: c.body });
    assert.equal(sha256Hex(canonical), c.canonicalHash);
    const toSign = tc3StringToSign(canonical, c.timestamp, c.service);
    assert.equal(
      toSign,
      `TC3-HMAC-SHA256\n${c.timestamp}\n${c.date}/${c.service}/tc3_request\n${c.canonicalHash}`,
    );
    assert.equal(tc3Signature(TC3_KEY, toSign, c.timestamp, c.service), c.signature);
    // The send path's signer, hashed by the platform, gives the same signature.
    assert.equal(
      await tc3Sign({
        host: c.host,
        contentType: JSON_TYPE,
        body: c.body,
        secretKey: TC3_KEY,
        timestamp: c.timestamp,
        service: c.service,
      }),
      c.signature,
    );
  }
});

Deno.test("tc3: the send path's signer (WebCrypto) and the synchronous steps agree on any input", async () => {
  const seed = fuzzSeed();
  const random = new Random(seed);
  const alphabet = ["a", "Z", "0", " ", "\\", '"', "é", "路", "😀", "\n", "{", ":", "%"];
  for (let i = 0; i < 300; i++) {
    const input = {
      host: random.pick(["cdn.tencentcloudapi.com", "127.0.0.1:8787", "teo.tencentcloudapi.com"]),
      contentType: JSON_TYPE,
      body: random.string(alphabet, random.int(0, 3000)),
      secretKey: random.string(alphabet, random.int(1, 40)),
      timestamp: random.int(1_500_000_000, 1_900_000_000),
      service: random.pick(["cdn", "teo"]),
    };
    const toSign = tc3StringToSign(tc3CanonicalRequest(input), input.timestamp, input.service);
    assert.equal(
      await tc3Sign(input),
      tc3Signature(input.secretKey, toSign, input.timestamp, input.service),
      reproduce(seed),
    );
  }
  // buildV3Request (./sign) and signV3Request (the send path) build the same request.
  const request = {
    credentials: { secretId: "AKIDexample", secretKey: TC3_KEY, token: "t" },
    action: "PushUrlsCache",
    payload: { Urls: ["https://www.example.com/路径"], Area: "overseas" },
    timestamp: 1700000000,
  };
  assert.deepEqual(await signV3Request(request), buildV3Request(request));
});

Deno.test("tc3 canonical request layout: empty line before signed headers, body hash last", () => {
  const canonical = tc3CanonicalRequest({
    host: " Example.COM:8443 ",
    contentType: "A/B",
    body: "",
  });
  assert.equal(
    canonical,
    "POST\n/\n\ncontent-type:a/b\nhost:example.com:8443\n\ncontent-type;host\n" +
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
});

Deno.test("tc3 date is the UTC date, not local", () => {
  // 2023-11-14T23:59:59Z is already the 15th in Beijing; the scope must still say the 14th.
  assert.equal(tc3Date(1700006399), "2023-11-14");
  assert.equal(tc3Date(1700006400), "2023-11-15");
});

Deno.test("tc3 Authorization header format", () => {
  assert.equal(
    tc3Authorization("AKIDx", "abc", 1700000000, "cdn"),
    "TC3-HMAC-SHA256 Credential=AKIDx/2023-11-14/cdn/tc3_request, " +
      "SignedHeaders=content-type;host, Signature=abc",
  );
});

Deno.test("form encoding keeps reserved, percent, space and non-ASCII characters distinct", () => {
  const value = "http://a.com/x?a=1&b=2+3%20 /é漢/";
  const encoded = formEncode(value);
  assert.match(encoded, /^[A-Za-z0-9%._~-]*$/);
  assert.equal(new URLSearchParams(`v=${encoded}`).get("v"), value);
  // A signature's '+', '/' and '=' must not turn into a space or a separator.
  assert.equal(formEncode("a+b/c=="), "a%2Bb%2Fc%3D%3D");
  assert.throws(() => formEncode("\ud800"), URIError);
});
