/**
 * The router benchmark on Bun: bundled by tools/router-bench.ts, run with `bun`, prints one
 * JSON line `{runtime, rows}` for the driver to tabulate.
 */
import { measureRouterCost } from "./router-bench-core.ts";

// The part of Bun's global this file uses, declared so that Deno's tools can read it too.
declare const Bun: {
  version: string;
  serve(options: {
    hostname: string;
    port: number;
    fetch: (request: Request) => Response | Promise<Response>;
  }): {
    port: number;
    stop(closeActiveConnections?: boolean): void | Promise<void>;
  };
};

const rows = await measureRouterCost({
  serve: (handler) => {
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: handler,
    });
    return Promise.resolve({
      url: `http://127.0.0.1:${server.port}/`,
      close: async () => {
        await server.stop(true);
      },
    });
  },
});
console.log(JSON.stringify({ runtime: `Bun ${Bun.version}`, rows }));
