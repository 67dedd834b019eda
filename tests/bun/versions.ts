// Run by Bun from the repository: the versions of the packages the sources import, as Bun
// resolves them from here (tests/ is beside src/, so the walk up to node_modules is the same).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

declare const Bun: { resolveSync(specifier: string, from: string): string };

/** The version in the package.json of the package that `specifier` resolves into. */
function versionOf(specifier: string, name: string): string {
  let dir = path.dirname(Bun.resolveSync(specifier, import.meta.dirname!));
  while (dir !== path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) {
      const { name: found, version } = JSON.parse(readFileSync(manifest, "utf8"));
      if (found === name) return `${version} (${dir})`;
    }
    dir = path.dirname(dir);
  }
  throw new Error(`no package.json of ${name} above what ${specifier} resolves to`);
}

console.log(JSON.stringify({
  hono: versionOf("hono", "hono"),
  "@noble/hashes": versionOf("@noble/hashes/sha2.js", "@noble/hashes"),
  "@hono/node-server": versionOf("@hono/node-server", "@hono/node-server"),
}));
