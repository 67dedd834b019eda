// Bundles a TypeScript entry of this repository into one ES module with esbuild, resolving
// the bare specifiers deno.json maps to npm: (`@noble/hashes/…`, `hono`, `hono/…`) from
// tools/node_modules. Used to run the same sources on Node, Bun and workerd, and to measure
// bundle sizes. Usage as a script:
//   node tools/bundle.mjs ENTRY OUTFILE [--platform=node|browser|neutral] [--minify]
//                         [--external-builtins]   (leave Node built-ins to the runtime)
//                         [--external=SPECIFIER]  (leave a package to node_modules; repeatable,
//                                                  `@noble/hashes/*` for all of its modules)
import { build } from "esbuild";
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

const toolsDir = path.dirname(fileURLToPath(import.meta.url));

/**
 * @param {{ entry: string, outfile?: string, platform?: "node" | "browser" | "neutral",
 *   minify?: boolean, write?: boolean, external?: string[] }} options
 * @returns {Promise<Uint8Array>} the bundle's bytes
 */
export async function bundle(options) {
  const platform = options.platform ?? "node";
  const result = await build({
    entryPoints: [options.entry],
    outfile: options.outfile ?? "bundle.js",
    write: options.write ?? Boolean(options.outfile),
    bundle: true,
    format: "esm",
    platform,
    target: "es2022",
    minify: options.minify ?? false,
    nodePaths: [path.join(toolsDir, "node_modules")],
    // workerd resolves like a browser; "workerd"/"worker" let packages pick their Worker build.
    conditions: platform === "browser" ? ["workerd", "worker", "browser"] : [],
    mainFields: platform === "neutral" ? ["module", "main"] : undefined,
    external: options.external ?? [],
    logLevel: "error",
  });
  return result.outputFiles?.[0]?.contents ?? new Uint8Array();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [entry, outfile, ...flags] = process.argv.slice(2);
  if (!entry || !outfile) {
    console.error(
      "usage: node tools/bundle.mjs ENTRY OUTFILE [--platform=node|browser|neutral] [--minify]",
    );
    process.exit(2);
  }
  const platform = flags.find((f) => f.startsWith("--platform="))?.split(
    "=",
  )[1];
  const external = flags.includes("--external-builtins")
    ? [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]
    : [];
  for (const flag of flags) {
    if (flag.startsWith("--external=")) {
      external.push(flag.slice("--external=".length));
    }
  }
  await bundle({
    entry,
    outfile,
    platform,
    minify: flags.includes("--minify"),
    external,
  });
}
