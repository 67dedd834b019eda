/**
 * The token check's structure (not its timing): digests of fixed length, every configured
 * token visited, every byte compared.
 */
import assert from "node:assert/strict";
import {
  bearerToken,
  equalDigests,
  splitTokenList,
  tokenDigest,
  TokenDigests,
  tokenProblem,
} from "../src/hono/tokens.ts";

const TOKENS = [
  "a".repeat(16),
  "b".repeat(40),
  "c".repeat(300),
  "rotated-token-0123456789",
];

function spy() {
  const calls: Array<{ presented: number; configured: number; result: boolean }> = [];
  const compare = (presented: Uint8Array, configured: Uint8Array): boolean => {
    const result = equalDigests(presented, configured);
    calls.push({ presented: presented.length, configured: configured.length, result });
    return result;
  };
  return { calls, compare };
}

Deno.test("every configured token is compared, whether or not an earlier one matched", () => {
  const digests = new TokenDigests(TOKENS);
  for (const presented of [TOKENS[0]!, TOKENS[3]!, "nope", ""]) {
    const { calls, compare } = spy();
    const matched = digests.matches(presented, compare);
    assert.equal(calls.length, TOKENS.length, `all ${TOKENS.length} compared for ${presented}`);
    assert.equal(matched, TOKENS.includes(presented));
    assert.equal(calls.filter((c) => c.result).length, matched ? 1 : 0);
  }
});

Deno.test("digests of tokens of any length are compared at the same, fixed length", () => {
  const digests = new TokenDigests(TOKENS);
  for (const presented of ["x", "y".repeat(16), "z".repeat(5000), TOKENS[2]!]) {
    const { calls, compare } = spy();
    digests.matches(presented, compare);
    assert.ok(calls.every((c) => c.presented === 32 && c.configured === 32));
  }
  assert.equal(tokenDigest("").length, 32);
  assert.equal(tokenDigest("q".repeat(10_000)).length, 32);
});

Deno.test("the digest comparison reads every byte of both, wherever they differ", () => {
  const reads = (bytes: Uint8Array) => {
    let count = 0;
    const proxy = new Proxy(bytes, {
      get(target, key) {
        if (typeof key === "string" && /^\d+$/.test(key)) count++;
        return Reflect.get(target, key);
      },
    });
    return { proxy, count: () => count };
  };
  const base = tokenDigest("some-token-value-123");
  for (const differAt of [-1, 0, 15, 31]) {
    const other = base.slice();
    if (differAt >= 0) other[differAt]! ^= 1;
    const a = reads(base);
    const b = reads(other);
    assert.equal(equalDigests(a.proxy, b.proxy), differAt < 0);
    assert.equal(a.count(), 32, `all of a read when differing at ${differAt}`);
    assert.equal(b.count(), 32, `all of b read when differing at ${differAt}`);
  }
});

Deno.test("equalDigests: equal only for the same bytes and length", () => {
  const a = tokenDigest("token-number-one-000");
  assert.equal(equalDigests(a, a.slice()), true);
  assert.equal(equalDigests(a, tokenDigest("token-number-two-000")), false);
  assert.equal(equalDigests(a, a.subarray(0, 31)), false);
  assert.equal(equalDigests(new Uint8Array(0), new Uint8Array(0)), true);
  assert.equal(equalDigests(new Uint8Array([0]), new Uint8Array(0)), false);
});

Deno.test("the token set keeps digests only", () => {
  const digests = new TokenDigests(TOKENS);
  const rendered = JSON.stringify(digests) + Deno.inspect(digests, { depth: 10 });
  for (const token of TOKENS) assert.ok(!rendered.includes(token));
  assert.equal(digests.size, TOKENS.length);
});

Deno.test("bearerToken reads RFC 6750 headers and nothing else", () => {
  assert.equal(bearerToken("Bearer abc.DEF-_~+/="), "abc.DEF-_~+/=");
  assert.equal(bearerToken("bearer   abc  "), "abc");
  for (
    const header of [
      undefined,
      null,
      "",
      "Bearer",
      "Bearer ",
      "Basic abc",
      "Bearer a b",
      "Bearer a,b",
      "Bearerabc",
    ]
  ) {
    assert.equal(bearerToken(header), undefined, String(header));
  }
});

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
