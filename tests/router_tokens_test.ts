/**
 * Configured tokens: how lists are split and checked (never quoting a token), and that the
 * comparison (Hono's `bearerAuth`: hashed, constant time) follows the configured set as it
 * changes.
 */
import assert from "node:assert/strict";
import { prewarmRouter } from "../src/hono/mod.ts";
import { splitTokenList, tokenProblem } from "../src/hono/tokens.ts";
import { SIMULATOR_CREDENTIALS } from "../src/testing/mod.ts";

Deno.test("token lists split on commas and whitespace; problems never quote the token", () => {
  assert.deepEqual(splitTokenList(" a, b,,c\n d "), ["a", "b", "c", "d"]);
  assert.deepEqual(splitTokenList(""), []);
  const short = tokenProblem("hunter2", "tokens[0]");
  assert.equal(short, "tokens[0] is 7 characters long; at least 16 are required");
  const spaced = tokenProblem("has a space in it!!", "tokens[1]");
  assert.match(spaced!, /tokens\[1\] has characters a bearer token cannot carry/);
  assert.ok(!spaced!.includes("space in it"));
  assert.equal(tokenProblem("x".repeat(16), "t"), undefined);
});

Deno.test("tokens read per request: a rotated set takes effect at once, the old token is refused", async () => {
  const first = "first-token-0123456789abcdef";
  const second = "second-token-0123456789abcdef";
  const app = prewarmRouter({ credentials: { ...SIMULATOR_CREDENTIALS } });
  // /health needs no token; /prewarm with no body type answers 415 once the token is accepted.
  const status = async (token: string, tokens: string) =>
    (await app.request("/prewarm", {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    }, { PREWARM_TOKENS: tokens })).status;
  assert.equal(await status(first, first), 415);
  assert.equal(await status(second, first), 401);
  assert.equal(await status(second, second), 415);
  assert.equal(await status(first, second), 401);
  assert.equal(await status(first, `${second},${first}`), 415);
  assert.equal(await status("x".repeat(5000), first), 401);
});
