// The Node side of the router plan benchmark (tools/bench/router_plan.ts bundled for Node):
//   node tools/bench/router_plan_node.mjs BUNDLE.js   → one JSON line
import path from "node:path";
import { pathToFileURL } from "node:url";

const { measureRouterPlan } = await import(
  pathToFileURL(path.resolve(process.argv[2])).href
);
console.log(
  JSON.stringify({
    runtime: `Node ${process.version}`,
    ...await measureRouterPlan(),
  }),
);
