/**
 * Why `@noble/hashes`' SHA-256 is slower in a bundle (issue 21), and what the options cost:
 * the same 22 KB body hashed by noble as its package ships it, bundled by tools/bundle.mjs
 * (esbuild, as Wrangler and `deno bundle` do), the same bundle with only its two round tables
 * (`SHA256_K`, `SHA256_W`) declared `const` again, inside the bundled core, and noble's
 * `webcrypto` entry (native SHA-256 through `crypto.subtle`, asynchronous), on Node, Deno,
 * Bun and workerd, each runtime's variants timed in the same passes.
 */
import { bundle as bundleWith, lastLine } from "./run.ts";
import type { Summary } from "./stats.mjs";

const root = new URL("../../", import.meta.url);
const outDir = new URL("tools/out/bench-noble/", root);

/** µs per hash of each variant, per runtime. */
export interface NobleResult {
  bodyBytes: number;
  runtimes: Array<{ runtime: string; times: Record<string, Summary> }>;
}

const SYNC_ENTRY = `import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
/** What src/transport/tc3.ts's sha256Hex does. */
export function sha256Hex(text) {
  return bytesToHex(sha256(utf8ToBytes(text)));
}
`;
const WEB_ENTRY = `import { sha256 } from "@noble/hashes/webcrypto.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
/** The same through crypto.subtle: a promise. */
export async function sha256Hex(text) {
  return bytesToHex(await sha256(utf8ToBytes(text)));
}
`;
const workerSource = (module: string) =>
  `import { sha256Hex } from "${module}";
const urls = Array.from({ length: 500 }, (_, i) => \`https://www.example.com/b0/asset-\${i}.js?v=1\`);
const body = JSON.stringify({ Urls: urls, Area: "overseas" });
export default {
  async fetch(request) {
    const n = Number(new URL(request.url).searchParams.get("n"));
    let hex = await sha256Hex(body);
    for (let i = 0; i < n; i++) hex = await sha256Hex(body);
    return new Response(hex);
  },
};
`;

/** The bundle with the two tables noble's SHA-256 loop reads declared `const` again. */
function withConstTables(bundle: string): string {
  const fixed = bundle.replace(/^var (SHA256_K|SHA256_W) = /gm, "const $1 = ");
  if ((fixed.match(/^const SHA256_[KW] = /gm) ?? []).length !== 2) {
    throw new Error(
      "The bundle does not declare SHA256_K and SHA256_W as expected",
    );
  }
  return fixed;
}

/** The last line `command` printed, run in tools/out/bench-noble/ (the variants' folder). */
const run = (command: string, args: string[]) => lastLine(command, args, outDir);

/** Builds the variants and measures them on every runtime. */
export async function measureNoble(): Promise<NobleResult> {
  await Deno.mkdir(outDir, { recursive: true });
  const file = (name: string) => new URL(name, outDir).pathname;
  await Deno.writeTextFile(file("unbundled.mjs"), SYNC_ENTRY);
  await Deno.writeTextFile(file("webcrypto.mjs"), WEB_ENTRY);
  const bundle = (entry: string, out: string) => bundleWith(entry, file(out), "--platform=browser");
  await bundle(file("unbundled.mjs"), "bundled.mjs");
  await bundle(file("webcrypto.mjs"), "webcrypto.bundled.mjs");
  await bundle(
    new URL("tools/bench/node_entry.ts", root).pathname,
    "core.bundled.mjs",
  );
  await Deno.writeTextFile(
    file("bundled-const.mjs"),
    withConstTables(await Deno.readTextFile(file("bundled.mjs"))),
  );
  await Deno.writeTextFile(
    file("core.bundled-const.mjs"),
    withConstTables(await Deno.readTextFile(file("core.bundled.mjs"))),
  );
  const variants = [
    "unbundled=./unbundled.mjs",
    "bundled=./bundled.mjs",
    "bundled, tables const=./bundled-const.mjs",
    "in the bundled core=./core.bundled.mjs",
    "in the bundled core, tables const=./core.bundled-const.mjs",
    "webcrypto=./webcrypto.mjs",
  ];
  const micro = new URL("tools/bench/noble_micro.mjs", root).pathname;
  const config = new URL("deno.json", root).pathname;
  const runtimes: NobleResult["runtimes"] = [];
  let bodyBytes = 0;
  const node = (await run("node", ["--version"])).trim();
  const bun = new URL("tools/node_modules/.bin/bun", root).pathname;
  for (
    const [runtime, command, args] of [
      [`Node ${node}`, "node", [micro]],
      [`Deno ${Deno.version.deno}`, Deno.execPath(), [
        "run",
        "-A",
        "--config",
        config,
        micro,
      ]],
      [`Bun ${(await run(bun, ["--version"])).trim()}`, bun, [micro]],
    ] as const
  ) {
    const result = JSON.parse(await run(command, [...args, ...variants]));
    bodyBytes = result.bodyBytes;
    runtimes.push({ runtime, times: result.times });
  }
  for (
    const [name, module] of Object.entries({
      bundled: "./bundled.mjs",
      "bundled, tables const": "./bundled-const.mjs",
      webcrypto: "./webcrypto.bundled.mjs",
    })
  ) {
    const slug = name.replace(/[^a-z]+/g, "-");
    await Deno.writeTextFile(file(`worker-${slug}.mjs`), workerSource(module));
    await bundle(file(`worker-${slug}.mjs`), `worker-${slug}.bundled.mjs`);
  }
  const workerd = JSON.parse(
    await run("node", [
      new URL("tools/bench/noble_workerd.mjs", root).pathname,
      `bundled=${file("worker-bundled.bundled.mjs")}`,
      `bundled, tables const=${file("worker-bundled-tables-const.bundled.mjs")}`,
      `webcrypto=${file("worker-webcrypto.bundled.mjs")}`,
    ]),
  );
  const version = JSON.parse(
    await Deno.readTextFile(
      new URL("tools/node_modules/miniflare/package.json", root),
    ),
  ).version;
  runtimes.push({
    runtime: `workerd (Miniflare ${version}), timed from outside`,
    times: workerd,
  });
  return { bodyBytes, runtimes };
}
