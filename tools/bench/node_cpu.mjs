// Client CPU per 500-URL API 3.0 batch on Node: this module's bundled core against the
// official Node SDK (tencentcloud-sdk-nodejs-cdn), both with a transport that answers at once,
// timed in the same passes, next to the floor (issue 21): @noble/hashes' SHA-256 of the body,
// unbundled, plus the SDK's own work without its body hash. Then the parts of ours (the request
// signed as prewarm() signs it, with WebCrypto; the body's WebCrypto digest; TC3 signing step
// by step with noble, as @qcdn/prewarm/sign does, with the cached and the derived key; the URL
// checks with and without their fast path).
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { microsPerAsyncOp, microsPerOp, timeSides } from "./stats.mjs";

const BATCH = 500;
const ANSWER = '{"Response":{"TaskId":"t-1","RequestId":"r-1"}}';
const credentials = {
  secretId: "AKIDbench000000000000000000000000000",
  secretKey: "bench-secret-key-000000000000000",
};
const batchUrls = (b) =>
  Array.from(
    { length: BATCH },
    (_, i) => `https://www.example.com/b${b}/asset-${i}.js?v=1`,
  );

// The same answer object on both sides: a WHATWG Response, built when the request arrives.
let answered = 0;
const instantFetch = () => {
  answered++;
  return Promise.resolve(
    new Response(ANSWER, { headers: { "content-type": "application/json" } }),
  );
};

/**
 * The SDK sends through its own `http/fetch.js` (node-fetch underneath) and takes no fetch
 * option, so its instant transport replaces that module's export, which the SDK reads at each
 * call. The stub counts calls: a request that went elsewhere would fail the check below.
 */
export function sdkWithInstantTransport(require, fetch = instantFetch) {
  const sdkRequire = createRequire(
    require.resolve("tencentcloud-sdk-nodejs-cdn"),
  );
  const transport = sdkRequire(
    "tencentcloud-sdk-nodejs-common/tencentcloud/common/http/fetch.js",
  );
  const real = transport.default;
  transport.default = fetch;
  const { cdn } = sdkRequire("tencentcloud-sdk-nodejs-cdn");
  const client = new cdn.v20180606.Client({
    credential: { ...credentials },
    region: "",
    profile: { httpProfile: { endpoint: "cdn.tencentcloudapi.com" } },
  });
  return { client, restore: () => (transport.default = real) };
}

/**
 * @param {any} ours the bundled tools/bench/node_entry.ts
 * @param {any} oursNpm the same entry bundled with @noble/hashes left to node_modules, as JSR's
 *   npm layer ships it (each module compiled on its own, dependencies from their packages)
 * @param {NodeRequire} require resolves the SDK from tools/node_modules
 */
export async function measureNodeCpu(ours, oursNpm, require) {
  const { client: sdk, restore } = sdkWithInstantTransport(require);
  try {
    return await measure(ours, oursNpm, sdk);
  } finally {
    restore(); // the rest of the run calls the SDK over loopback
  }
}

async function measure(ours, oursNpm, sdk) {
  const BATCHES = 10; // per pass and side: short passes, so the min finds quiet moments
  const inputs = Array.from({ length: BATCHES }, (_, b) => batchUrls(b));
  const check = (ok, what) => {
    if (!ok) throw new Error(`Node CPU benchmark: ${what}`);
  };

  // --- the whole batch, ours against the SDK and the floor ------------------------------------
  const oursPass = (module) => () => {
    // A fresh coordinator per pass: the gate's bookkeeping is in, no earlier pass's history.
    const coordinator = new module.MemoryCoordinator();
    return microsPerAsyncOp(BATCHES, async (i) => {
      const before = answered;
      const report = await module.prewarm(inputs[i], {
        credentials,
        fetch: instantFetch,
        dailyLimit: Infinity,
        maxRequestsPerSecond: Infinity,
        coordinator,
      });
      check(
        report.counts.submitted === BATCH && answered === before + 1,
        "ours lost URLs",
      );
    });
  };
  const bodies = inputs.map((urls) => JSON.stringify({ Urls: urls, Area: "overseas" }));
  const batch = await timeSides({
    ours: oursPass(ours),
    oursNpm: oursPass(oursNpm),
    // The floor's parts: what the body's SHA-256 costs with @noble/hashes as its package ships
    // it, and what the SDK's own hash of it (node:crypto) costs, to take out of the SDK's time.
    nobleUnbundled: () =>
      microsPerOp(
        BATCHES,
        (i) => bytesToHex(nobleSha256(utf8ToBytes(bodies[i]))),
      ),
    sdkBodyHash: () =>
      microsPerOp(
        BATCHES,
        (i) => createHash("sha256").update(bodies[i]).digest("hex"),
      ),
    sdk: () =>
      microsPerAsyncOp(BATCHES, async (i) => {
        const before = answered;
        const answer = await sdk.PushUrlsCache({
          Urls: inputs[i],
          Area: "overseas",
        });
        check(
          answer.TaskId === "t-1" && answered === before + 1,
          "the SDK's stub was not used",
        );
      }),
  }, { warmup: 5, passes: 41 });

  // --- the parts of ours ------------------------------------------------------------------------
  const urls = inputs[0];
  const payload = { Urls: urls, Area: "overseas" };
  const body = JSON.stringify(payload);
  const T0 = 1_700_000_000;
  // More secrets than the signing-key cache holds (16), taken in turn: every call derives.
  const secrets = Array.from(
    { length: 64 },
    (_, i) => `${credentials.secretKey}-${i}`,
  );
  const toSign = ours.tc3StringToSign(
    ours.tc3CanonicalRequest({
      host: "cdn.tencentcloudapi.com",
      contentType: ours.V3_CONTENT_TYPE,
      body,
    }),
    T0,
    ours.V3_SERVICE,
  );
  const plan = { warmup: 2, passes: 11 };
  const signing = await timeSides({
    keyCached: () =>
      microsPerOp(
        20_000,
        () => ours.tc3SigningKey(credentials.secretKey, "2023-11-14", "cdn"),
      ),
    keyDerived: () =>
      microsPerOp(
        2_000,
        (i) => ours.tc3SigningKey(secrets[i % 64], "2023-11-14", "cdn"),
      ),
    signatureCached: () =>
      microsPerOp(
        2_000,
        () => ours.tc3Signature(credentials.secretKey, toSign, T0, "cdn"),
      ),
    signatureDerived: () =>
      microsPerOp(
        2_000,
        (i) => ours.tc3Signature(secrets[i % 64], toSign, T0, "cdn"),
      ),
    requestCached: () =>
      microsPerOp(
        200,
        (i) =>
          ours.buildV3Request({
            credentials,
            action: "PushUrlsCache",
            payload,
            timestamp: T0 + i,
          }),
      ),
    requestDerived: () =>
      microsPerOp(200, (i) =>
        ours.buildV3Request({
          credentials: { ...credentials, secretKey: secrets[i % 64] },
          action: "PushUrlsCache",
          payload,
          timestamp: T0 + i,
        })),
    // What prewarm() does per attempt: the request signed with WebCrypto (three awaited digests
    // and HMACs), and the body's digest alone.
    requestWeb: () =>
      microsPerAsyncOp(200, (i) =>
        ours.signV3Request({
          credentials,
          action: "PushUrlsCache",
          payload,
          timestamp: T0 + i,
        })),
    bodyHashWeb: () =>
      microsPerAsyncOp(200, async () => {
        await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
      }),
    stringify: () => microsPerOp(500, () => JSON.stringify(payload)),
    bodyHashNoble: () => microsPerOp(200, () => ours.sha256Hex(body)),
    bodyHashNative: () => microsPerOp(500, () => createHash("sha256").update(body).digest("hex")),
    // What src/transport/send.ts does before each attempt to catch a request fetch would refuse.
    requestCheck: () =>
      microsPerOp(500, () =>
        new Headers({
          "Content-Type": ours.V3_CONTENT_TYPE,
          "X-TC-Action": "PushUrlsCache",
          "X-TC-Version": "2018-06-06",
          "X-TC-Timestamp": String(T0),
        })),
  }, plan);
  check(
    ours.tc3Signature(secrets[3], toSign, T0, "cdn") !==
      ours.tc3Signature(secrets[4], toSign, T0, "cdn"),
    "the secrets do not change the signature",
  );

  const perUrl = (fn) => () => microsPerOp(20, () => urls.forEach(fn)) / urls.length;
  const urlChecks = await timeSides({
    urlFast: perUrl((url) => ours.checkUrl(url)),
    urlFull: perUrl((url) => ours.checkUrlFully(url)),
  }, plan);
  check(
    urls.every((url) => ours.checkUrl(url).host === "www.example.com"),
    "fast path rejects",
  );

  check(
    bytesToHex(nobleSha256(utf8ToBytes(body))) === ours.sha256Hex(body),
    "the floor's hash differs from ours",
  );

  const strip = ({ min, median, passes }) => ({ min, median, passes });
  // The floor: noble's hash, unbundled, plus the SDK without its own hash, of the mins and of
  // the medians (a sum of one pass's samples would carry each one's noise).
  const floor = {
    min: batch.nobleUnbundled.min + batch.sdk.min - batch.sdkBodyHash.min,
    median: batch.nobleUnbundled.median + batch.sdk.median -
      batch.sdkBodyHash.median,
    passes: batch.sdk.passes,
  };
  return {
    batch: BATCH,
    batchesPerPass: BATCHES,
    ours: strip(batch.ours),
    oursNpm: strip(batch.oursNpm),
    sdk: strip(batch.sdk),
    nobleUnbundled: strip(batch.nobleUnbundled),
    sdkBodyHash: strip(batch.sdkBodyHash),
    floor,
    // Of the mins (each side's cost at its quietest) and of the medians.
    ratio: {
      min: batch.ours.min / batch.sdk.min,
      median: batch.ours.median / batch.sdk.median,
      passes: batch.ours.passes,
    },
    bodyBytes: new TextEncoder().encode(body).length,
    parts: Object.fromEntries(
      Object.entries({ ...signing, ...urlChecks }).map((
        [name, times],
      ) => [name, strip(times)]),
    ),
  };
}
