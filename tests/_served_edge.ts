// A simulator and its edge, each served over real HTTP on 127.0.0.1, for the end-to-end tests
// of verify (the command line's and the router's): URLs on `origin` (`http://localhost:PORT`)
// reach the edge, whose rules make every URL with `nocache` in it uncacheable and every URL
// with `moved` in it a redirect to `/target.js`.
import { SimulatedEdge, type SimulatorOptions, TencentCdnSimulator } from "../src/testing/mod.ts";

/** What {@linkcode serveSimulatorAndEdge} serves. */
export interface ServedEdge {
  sim: TencentCdnSimulator;
  edge: SimulatedEdge;
  /** The simulator's API, as `TENCENTCLOUD_ENDPOINT` takes it (ends in `/`). */
  endpoint: string;
  /** The edge's origin, `http://localhost:PORT`: the simulator's `localhost` domain. */
  origin: string;
  /** The edge's port. */
  edgePort: number;
  /** Stops both servers. */
  shutdown(): Promise<void>;
}

/** Serves a simulator (with the domain `localhost` besides `options`) and its edge. */
export function serveSimulatorAndEdge(options: SimulatorOptions = {}): ServedEdge {
  const sim = new TencentCdnSimulator({ domains: ["localhost"], ...options });
  const edge = new SimulatedEdge(sim, {
    rules: [
      { match: /nocache/, cache: "uncacheable" },
      { match: /moved/, redirect: "/target.js" },
    ],
  });
  const api = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, sim.handle);
  const served = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, edge.handle);
  return {
    sim,
    edge,
    endpoint: `http://127.0.0.1:${api.addr.port}/`,
    origin: `http://localhost:${served.addr.port}`,
    edgePort: served.addr.port,
    shutdown: async () => {
      await api.shutdown();
      await served.shutdown();
    },
  };
}
