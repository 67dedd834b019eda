// Prints where prewarm() sends when no endpoint is given: bundled for Node and Bun.
import { endpointUsed } from "./probe.ts";

console.log(await endpointUsed());
