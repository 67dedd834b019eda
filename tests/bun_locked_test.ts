/**
 * Bun runs the sources with the versions the lockfiles pin. Without a node_modules folder above
 * src/, Bun auto-installs the newest hono from npm instead, silently; `deno task tools` links
 * the root's node_modules to tools/node_modules (tools/link_node_modules.mjs) so it does not.
 */
import assert from "node:assert/strict";
import { childEnv, ROOT, TOOLS_BIN } from "./cli/run.ts";

const PACKAGES = ["hono", "@noble/hashes", "@hono/node-server"] as const;

/** The version of `name` in tools/package-lock.json, which `deno task tools` installs. */
async function npmLocked(name: string): Promise<string> {
  const lock = JSON.parse(await Deno.readTextFile(`${ROOT}tools/package-lock.json`));
  return lock.packages[`node_modules/${name}`].version;
}

/** The versions of `name` deno.lock pins for Deno. */
async function denoLocked(name: string): Promise<string[]> {
  const lock = JSON.parse(await Deno.readTextFile(`${ROOT}deno.lock`));
  return Object.keys(lock.npm).filter((key) => key.startsWith(`${name}@`))
    .map((key) => key.slice(name.length + 1).split("_")[0]!);
}

Deno.test("Bun resolves hono, @noble/hashes and @hono/node-server to the locked versions", async () => {
  const { code, stdout, stderr } = await new Deno.Command(`${TOOLS_BIN}bun`, {
    args: ["tests/bun/versions.ts"],
    cwd: ROOT,
    env: childEnv(),
    clearEnv: true,
    stdin: "null",
  }).output();
  const text = new TextDecoder();
  assert.equal(code, 0, text.decode(stderr));
  const resolved: Record<string, string> = JSON.parse(text.decode(stdout));
  for (const name of PACKAGES) {
    const [version, where] = resolved[name]!.split(" ");
    assert.equal(version, await npmLocked(name), `${name}: Bun resolved ${resolved[name]}`);
    assert.ok(
      (await denoLocked(name)).includes(version!),
      `${name} ${version} is what deno.lock pins too`,
    );
    // Bun names the real path: tools/node_modules, through the root's link.
    const installed = await Deno.realPath(`${ROOT}node_modules/${name}`).catch(() => "missing");
    assert.equal(
      where,
      `(${installed})`,
      `${name} comes from node_modules, not Bun's cache (\`deno task tools\` links node_modules)`,
    );
  }
});
