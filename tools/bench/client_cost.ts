/**
 * The client's own cost per batch, with an in-process fetch that answers at once: signing,
 * encoding, parsing and the engine's bookkeeping, with no network and no server work.
 */
import { MemoryCoordinator, prewarm } from "../../mod.ts";
import { buildV2PushRequest } from "../../src/request_v2.ts";
import { buildV3Request } from "../../src/request_v3.ts";
import { parseV2PushAnswer } from "../../src/request_v2.ts";
import { parseV3Answer } from "../../src/request_v3.ts";

const credentials = {
  secretId: "AKIDbench000000000000000000000000000",
  secretKey: "bench-key",
};
const urls = (batch: number, n: number) =>
  Array.from(
    { length: n },
    (_, i) => `https://www.example.com/b${batch}/asset-${i}.js?v=1`,
  );

const V2_OK =
  '{"code":0,"message":"","codeDesc":"Success","data":[{"task_id":7,"date":"2026-11-28 12:00:00"}]}';
const V3_OK = '{"Response":{"TaskId":"t-1","RequestId":"r-1"}}';

// Answers every request at once. The body was already encoded and signed before fetch runs.
const instantFetch = (body: string) => (): Promise<Response> =>
  Promise.resolve(
    new Response(body, { headers: { "content-type": "application/json" } }),
  );

function timePerOp(ops: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(ops, 200); i++) fn(i); // warm-up
  const start = performance.now();
  for (let i = 0; i < ops; i++) fn(i);
  return ((performance.now() - start) * 1000) / ops;
}

async function timeRun(
  api: "v2" | "v3",
  batches: number,
  perBatch: number,
): Promise<number> {
  const input = Array.from({ length: batches }, (_, b) => urls(b, perBatch))
    .flat();
  const run = () =>
    prewarm(input, {
      credentials,
      api,
      batchSize: perBatch,
      fetch: instantFetch(api === "v2" ? V2_OK : V3_OK),
      maxRequestsPerSecond: Infinity,
      dailyLimit: Infinity,
      coordinator: new MemoryCoordinator(),
      concurrency: 4,
    });
  await run(); // warm-up
  const start = performance.now();
  const report = await run();
  if (report.counts.submitted !== input.length) {
    throw new Error("Benchmark run lost URLs");
  }
  return ((performance.now() - start) * 1000) / batches;
}

/** Rows of [operation, µs per batch]. */
export async function measureClientCost(): Promise<Array<[string, number]>> {
  const twenty = urls(0, 20);
  const v2Sign = timePerOp(
    2000,
    (i) =>
      buildV2PushRequest({
        credentials,
        urls: twenty,
        timestamp: 1_700_000_000 + i,
        nonce: i + 1,
      }),
  );
  const v3Sign = timePerOp(2000, (i) =>
    buildV3Request({
      credentials,
      action: "PushUrlsCache",
      payload: { Urls: twenty, Area: "overseas" },
      timestamp: 1_700_000_000 + i,
    }));
  const answer = (text: string) => ({
    status: 200,
    contentType: "application/json",
    text,
  });
  const v2Parse = timePerOp(20000, () => parseV2PushAnswer(answer(V2_OK)));
  const v3Parse = timePerOp(20000, () => parseV3Answer(answer(V3_OK)));
  return [
    ["API 2.0: sign + encode one 20-URL request", v2Sign],
    ["API 3.0: sign + encode one 20-URL request", v3Sign],
    ["API 2.0: parse one answer", v2Parse],
    ["API 3.0: parse one answer", v3Parse],
    [
      "API 2.0: prewarm(), per 20-URL batch (all steps)",
      await timeRun("v2", 200, 20),
    ],
    [
      "API 3.0: prewarm(), per 20-URL batch (all steps)",
      await timeRun("v3", 200, 20),
    ],
    [
      "API 3.0: prewarm(), per 500-URL batch (all steps)",
      await timeRun("v3", 20, 500),
    ],
  ];
}
