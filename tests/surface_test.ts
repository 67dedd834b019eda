import assert from "node:assert/strict";

// The root entry holds what a user calls; the signing steps live in ./sign, and what writing an
// API of one's own takes in ./api. A name added to the root should be one a user of prewarm()
// needs, and the count keeps that a decision: 40, endpointFromEnv() (the Workers counterpart of
// credentialsFromEnv(): Workers have no process environment for the default to read
// TENCENTCLOUD_ENDPOINT from), the four of the one seam (cdn, CdnApi, CdnOptions,
// TencentApi), errorAdvice() (what to do about an error: its text is no longer in every
// message, so that the core bundle carries none of it), and recoverLostTasks() (the lookup of
// lost answers, once inside prewarm(): a step of its own keeps prewarm() alone small).
const MAX_ROOT_NAMES = 47;

async function exportedNames(entry: string): Promise<string[]> {
  const { stdout, success } = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", entry],
    cwd: new URL("../", import.meta.url),
    stderr: "null",
  }).output();
  assert.ok(success, `deno doc --json ${entry}`);
  const { nodes } = JSON.parse(new TextDecoder().decode(stdout)) as {
    nodes: Record<string, { symbols: { name: string }[] }>;
  };
  return [...new Set(Object.values(nodes).flatMap((n) => n.symbols.map((s) => s.name)))].sort();
}

Deno.test(`the root entry exports at most ${MAX_ROOT_NAMES} names, none of them a signing step`, async () => {
  const names = await exportedNames("mod.ts");
  assert.ok(names.length <= MAX_ROOT_NAMES, `${names.length} names: ${names.join(", ")}`);
  for (const name of ["tc3CanonicalRequest", "v2SourceString", "sha256Hex", "defaultQuotaStore"]) {
    assert.ok(!names.includes(name), `${name} is not a root export`);
  }
  const sign = await exportedNames("src/sign.ts");
  for (const name of ["tc3CanonicalRequest", "v2SourceString", "sha256Hex", "buildV3Request"]) {
    assert.ok(sign.includes(name), `${name} is in ./sign`);
  }
});
