/**
 * The server side of the end-to-end benchmark, in its own process so that its work (checking
 * signatures, parsing 500-URL bodies) does not run on the client's thread:
 *
 *   deno run --allow-net --config deno.json tools/bench/e2e_server.ts LATENCY_MS RATE
 *
 * Prints `{"port": …}`: the control port on 127.0.0.1. `POST /` there starts a fresh simulator
 * (`latencyMs`, `requestsPerSecond` on the real clock) on a new port and answers `{"port": …}`;
 * `DELETE /PORT` stops it and answers what it saw: the most requests in flight and each
 * request's time from arrival to answer. One process serves every run, so its code is warm.
 */
import { TencentCdnSimulator } from "../../src/testing/mod.ts";

const [latencyMs, requestsPerSecond] = Deno.args.map(Number);
const running = new Map<number, () => Promise<Response>>();

function startSimulator(): number {
  const sim = new TencentCdnSimulator({
    domains: ["*.example.com"],
    latencyMs,
    requestsPerSecond,
    dailyLimit: 1_000_000_000,
  });
  const handlingMs: number[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      const start = performance.now();
      const response = await sim.handle(request);
      handlingMs.push(performance.now() - start);
      return response;
    },
  );
  running.set(server.addr.port, async () => {
    await server.shutdown();
    return Response.json({ maxInFlight: sim.maxInFlight, handlingMs });
  });
  return server.addr.port;
}

const control = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen() {} },
  (request) => {
    if (request.method === "POST") {
      return Response.json({
        port: startSimulator(),
      });
    }
    const port = Number(new URL(request.url).pathname.slice(1));
    const stop = running.get(port);
    running.delete(port);
    return stop ? stop() : new Response("no such simulator", { status: 404 });
  },
);
console.log(JSON.stringify({ port: control.addr.port }));
