/**
 * The client's own cost per batch on Deno, with an in-process fetch that answers at once:
 * signing, encoding, parsing and the engine's bookkeeping, with no network and no server work.
 * Every operation is timed in the same passes (warm-up passes first); min and median.
 */
import { cdn, MemoryCoordinator, prewarm } from "../../mod.ts";
import { cdnV2 } from "../../src/apis/cdn_v2.ts";
import { buildV2PushRequest } from "../../src/transport/v2.ts";
import { buildV3Request } from "../../src/transport/v3.ts";
import { parseV2PushAnswer } from "../../src/transport/v2.ts";
import { parseV3Answer } from "../../src/transport/v3.ts";
import { microsPerOp, type Summary, timeSides } from "./stats.mjs";

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

// One pass of `prewarm()` over `batches` batches of `perBatch` URLs: µs per batch.
async function runPass(
  api: "v2" | "v3",
  batches: number,
  perBatch: number,
): Promise<number> {
  const input = Array.from({ length: batches }, (_, b) => urls(b, perBatch))
    .flat();
  const start = performance.now();
  const report = await prewarm(input, {
    credentials,
    api: api === "v2" ? cdnV2() : cdn(),
    batchSize: perBatch,
    fetch: instantFetch(api === "v2" ? V2_OK : V3_OK),
    maxRequestsPerSecond: Infinity,
    dailyLimit: Infinity,
    coordinator: new MemoryCoordinator(),
    concurrency: 4,
  });
  const us = ((performance.now() - start) * 1000) / batches;
  if (report.counts.submitted !== input.length) {
    throw new Error("Benchmark run lost URLs");
  }
  return us;
}

/** Rows of [operation, µs per operation (min and median over passes)], all in the same passes. */
export async function measureClientCost(): Promise<Array<[string, Summary]>> {
  const twenty = urls(0, 20);
  const answer = (text: string) => ({
    status: 200,
    contentType: "application/json",
    text,
  });
  const times = await timeSides({
    v2Sign: () =>
      microsPerOp(500, (i) =>
        buildV2PushRequest({
          credentials,
          urls: twenty,
          timestamp: 1_700_000_000 + i,
          nonce: i + 1,
        })),
    v3Sign: () =>
      microsPerOp(500, (i) =>
        buildV3Request({
          credentials,
          action: "PushUrlsCache",
          payload: { Urls: twenty, Area: "overseas" },
          timestamp: 1_700_000_000 + i,
        })),
    v2Parse: () => microsPerOp(5000, () => parseV2PushAnswer(answer(V2_OK))),
    v3Parse: () => microsPerOp(5000, () => parseV3Answer(answer(V3_OK))),
    v2Run: () => runPass("v2", 100, 20),
    v3Run: () => runPass("v3", 100, 20),
    v3Run500: () => runPass("v3", 10, 500),
  }, { warmup: 2, passes: 11 });
  return [
    ["API 2.0: sign + encode one 20-URL request", times.v2Sign],
    ["API 3.0: sign + encode one 20-URL request", times.v3Sign],
    ["API 2.0: parse one answer", times.v2Parse],
    ["API 3.0: parse one answer", times.v3Parse],
    ["API 2.0: prewarm(), per 20-URL batch (all steps)", times.v2Run],
    ["API 3.0: prewarm(), per 20-URL batch (all steps)", times.v3Run],
    ["API 3.0: prewarm(), per 500-URL batch (all steps)", times.v3Run500],
  ];
}
