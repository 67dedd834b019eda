/**
 * Bundles what tools/bench/peers.mjs needs and runs it under Node: client CPU per 500-URL
 * batch against the official SDK (instant transports), start-up time, cost per call against
 * the simulator over loopback, and whether each bundle starts in workerd.
 */
import type { Summary } from "./stats.mjs";
import { bundle, run } from "./run.ts";
const root = new URL("../../", import.meta.url);
const outDir = new URL("tools/out/bench-peers/", root);

/** µs per operation (or ms, as named), min and median over passes, for the parts of ours. */
export type CpuParts = Record<
  | "keyCached"
  | "keyDerived"
  | "signatureCached"
  | "signatureDerived"
  | "requestCached"
  | "requestDerived"
  | "requestWeb"
  | "bodyHashWeb"
  | "stringify"
  | "bodyHashNoble"
  | "bodyHashNative"
  | "requestCheck"
  | "urlFast"
  | "urlFull",
  Summary
>;

/** What peers.mjs prints. */
export interface PeerResults {
  /** Import time in ms, per module. */
  startup: Array<{ name: string } & Summary>;
  /** Client CPU per batch (µs), with instant transports on both sides. */
  cpu: {
    batch: number;
    batchesPerPass: number;
    bodyBytes: number;
    ours: Summary;
    /** Ours with its dependencies from their packages, as JSR's npm layer ships it. */
    oursNpm: Summary;
    sdk: Summary;
    /** The floor's parts: noble's SHA-256 of the body unbundled, the SDK's own hash of it. */
    nobleUnbundled: Summary;
    sdkBodyHash: Summary;
    /** noble unbundled + the SDK without its body hash (of the mins, of the medians). */
    floor: Summary;
    /** ours / SDK: of the mins, and of the medians. */
    ratio: Summary;
    parts: CpuParts;
  };
  /** ms per 20-URL call against the simulator over loopback. */
  clientCost: { ours: Summary; sdk: Summary };
  calls: number;
  workerd: Array<
    {
      name: string;
      starts: boolean;
      works: boolean;
      call: string;
      note: string;
    }
  >;
}

// One Worker per side, each making one PushUrlsCache call against env.ENDPOINT.
const WORKERS: Record<string, { call: string; source: string }> = {
  "@qcdn/prewarm": {
    call: "prewarm()",
    source: `import { prewarm } from "${new URL("mod.ts", root).pathname}";
export default { async fetch(_r, env) {
  const report = await prewarm(["https://www.example.com/w.js"], {
    credentials: { secretId: env.SECRET_ID, secretKey: env.SECRET_KEY }, endpoint: env.ENDPOINT });
  return new Response(JSON.stringify(report.counts), { status: report.counts.submitted ? 200 : 500 });
} };`,
  },
  "tencentcloud-sdk-nodejs-cdn": {
    call: "Client.PushUrlsCache()",
    source: `import { cdn } from "tencentcloud-sdk-nodejs-cdn";
export default { async fetch(_r, env) {
  const client = new cdn.v20180606.Client({ credential: { secretId: env.SECRET_ID, secretKey: env.SECRET_KEY },
    region: "", profile: { httpProfile: { endpoint: new URL(env.ENDPOINT).host, protocol: "http://" } } });
  try { return Response.json(await client.PushUrlsCache({ Urls: ["https://www.example.com/w.js"], Area: "overseas" })); }
  catch (e) { return new Response(String(e && e.message || e), { status: 500 }); }
} };`,
  },
  "@tencent-sdk/capi": {
    call: "Capi.request()",
    source: `import { Capi } from "@tencent-sdk/capi";
export default { async fetch(_r, env) {
  const url = new URL(env.ENDPOINT);
  const capi = new Capi({ ServiceType: "cdn", Region: "", SecretId: env.SECRET_ID, SecretKey: env.SECRET_KEY,
    protocol: "http", host: url.host });
  try { return Response.json(await capi.request({ Action: "PushUrlsCache", Version: "2018-06-06",
    Urls: ["https://www.example.com/w.js"], Area: "overseas" }, { host: url.host }, true)); }
  catch (e) { return new Response(String(e && e.message || e), { status: 500 }); }
} };`,
  },
};

/** Bundles, runs peers.mjs, returns its results. */
export async function measurePeers(): Promise<PeerResults> {
  await Deno.mkdir(outDir, { recursive: true });
  const out = (name: string) => new URL(name, outDir).pathname;
  await bundle(
    new URL("mod.ts", root).pathname,
    out("core.node.js"),
    "--platform=node",
  );
  await bundle(
    new URL("tools/bench/node_entry.ts", root).pathname,
    out("bench.node.js"),
    "--platform=node",
  );
  // As JSR's npm layer ships it: @noble/hashes stays its own package, resolved from
  // tools/node_modules (esbuild makes the top-level `const`s of what it bundles `var`s).
  await bundle(
    new URL("tools/bench/node_entry.ts", root).pathname,
    out("bench.npm.node.js"),
    "--platform=node",
    "--external=@noble/hashes/*",
  );
  await bundle(
    new URL("src/testing/mod.ts", root).pathname,
    out("sim.node.js"),
  );
  const workerd = [];
  for (const [name, { call, source }] of Object.entries(WORKERS)) {
    const slug = name.replace(/[^a-z0-9]+/gi, "-");
    await Deno.writeTextFile(out(`${slug}.worker.ts`), source);
    // The usual way to bundle for Workers: browser conditions, Node built-ins left to
    // nodejs_compat at run time.
    try {
      const entry = out(`${slug}.worker.ts`);
      await bundle(
        entry,
        out(`${slug}.worker.js`),
        "--platform=browser",
        "--external-builtins",
      );
      workerd.push({ name, call, file: out(`${slug}.worker.js`) });
    } catch (error) {
      workerd.push({
        name,
        call,
        file: "",
        bundleError: String(error).split("\n")[0],
      });
    }
  }
  await Deno.writeTextFile(
    out("workerd.json"),
    JSON.stringify(workerd.filter((w) => w.file)),
  );
  const { stdout, stderr } = await run("node", [
    new URL("tools/bench/peers.mjs", root).pathname,
    outDir.pathname,
  ]);
  const results = JSON.parse(stdout) as PeerResults;
  // workerd logs why a Worker failed to start; pair the reasons with the failures, in order.
  const reasons = [...stderr.matchAll(/Uncaught (\w*Error: [^\n]+)/g)].map((
    m,
  ) => m[1]!);
  for (const w of results.workerd.filter((w) => !w.starts)) {
    w.note = reasons.shift() ?? w.note;
  }
  for (const w of workerd.filter((w) => !w.file)) {
    results.workerd.push({
      name: w.name,
      starts: false,
      works: false,
      call: w.call,
      note: `esbuild: ${w.bundleError}`,
    });
  }
  return results;
}
