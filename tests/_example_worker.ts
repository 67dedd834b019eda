/**
 * What examples/cloudflare-worker/wrangler.toml configures, as Miniflare options: the tests
 * that run the example in workerd bind what `wrangler deploy` would.
 */
import assert from "node:assert/strict";

const TOML = new URL("../examples/cloudflare-worker/wrangler.toml", import.meta.url);

/** The example's Durable Object bindings and its allowed hosts, read from its wrangler.toml. */
export async function exampleWorkerConfig(): Promise<{
  miniflareOptions: { durableObjects: Record<string, { className: string; useSQLite: boolean }> };
  allowedHosts: string;
}> {
  const toml = await Deno.readTextFile(TOML);
  const allowedHosts = /^PREWARM_ALLOWED_HOSTS = "([^"]*)"$/m.exec(toml)?.[1];
  assert.ok(allowedHosts, "wrangler.toml sets PREWARM_ALLOWED_HOSTS");
  const sqlite = /^new_sqlite_classes = \[([^\]]*)\]$/m.exec(toml)?.[1] ?? "";
  const durableObjects: Record<string, { className: string; useSQLite: boolean }> = {};
  const bindings = toml.matchAll(
    /^\[\[durable_objects\.bindings\]\]\nname = "([^"]+)"\nclass_name = "([^"]+)"$/gm,
  );
  for (const [, name, className] of bindings) {
    durableObjects[name!] = { className: className!, useSQLite: sqlite.includes(`"${className}"`) };
  }
  assert.ok(durableObjects.PREWARM_COORDINATOR, "wrangler.toml binds PREWARM_COORDINATOR");
  assert.ok(durableObjects.PREWARM_COORDINATOR.useSQLite, "a migration creates its class");
  return { miniflareOptions: { durableObjects }, allowedHosts };
}
