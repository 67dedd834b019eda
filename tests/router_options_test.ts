import assert from "node:assert/strict";
import { prewarmRouter, type PrewarmRouterOptions } from "../src/hono/mod.ts";

const ok = "a-good-token-0123456789";

function throwsWith(options: unknown, kind: typeof TypeError | typeof RangeError, message: string) {
  assert.throws(
    () => prewarmRouter(options as PrewarmRouterOptions),
    (error: Error) => {
      assert.equal(error.constructor, kind, error.message);
      assert.equal(error.message, message);
      return true;
    },
  );
}

Deno.test("options are checked once, when the router is made, naming the value seen", () => {
  throwsWith(null, TypeError, "Invalid options: expected an object, got null");
  throwsWith({ maxUrls: 0 }, RangeError, "Invalid option maxUrls: expected an integer >= 1, got 0");
  throwsWith(
    { maxUrls: 1.5 },
    RangeError,
    "Invalid option maxUrls: expected an integer >= 1, got 1.5",
  );
  throwsWith(
    { maxUrls: "5" },
    TypeError,
    'Invalid option maxUrls: expected an integer >= 1, got "5"',
  );
  throwsWith(
    { maxBodyBytes: -1 },
    RangeError,
    "Invalid option maxBodyBytes: expected an integer >= 1, got -1",
  );
  // A cap is never turned off: Infinity is refused like any number out of range.
  throwsWith(
    { maxUrls: Infinity },
    RangeError,
    "Invalid option maxUrls: expected an integer >= 1, got Infinity",
  );
  throwsWith(
    { bodyTimeoutMs: 2 ** 31 },
    RangeError,
    "Invalid option bodyTimeoutMs: expected an integer from 1 to 2147483647, got 2147483648",
  );
  throwsWith(
    { simulated: 1 },
    TypeError,
    "Invalid option simulated: expected a boolean, got number",
  );
  throwsWith(
    { prewarm: { purgeFirst: "yes" } },
    TypeError,
    "Invalid option prewarm.purgeFirst: expected a boolean, got string",
  );
  throwsWith(
    { allowedHosts: ["www.example.com", "*"] },
    RangeError,
    'Invalid option allowedHosts[1]: expected a hostname or "*.hostname", got "*"',
  );
  throwsWith(
    { authorize: true },
    TypeError,
    "Invalid option authorize: expected a function, got boolean",
  );
  throwsWith(
    { tokens: [ok, 42] },
    TypeError,
    "Invalid option tokens[1]: expected a string, got number",
  );
  throwsWith(
    { tokens: 42 },
    TypeError,
    "Invalid option tokens: expected a string or an array of strings, got number",
  );
  throwsWith(
    { credentials: { secretId: "AKIDx", secretKey: "" } },
    TypeError,
    "Invalid credentials.secretKey: expected a non-empty string",
  );
  throwsWith(
    { prewarm: "fast" },
    TypeError,
    "Invalid option prewarm: expected an object or a function, got string",
  );
  throwsWith(
    { prewarm: { batchSize: 0 } },
    RangeError,
    "Invalid option prewarm.batchSize: expected an integer from 1 to 10000, got 0",
  );
  throwsWith(
    { prewarm: { area: "asia" } as never },
    TypeError,
    "Invalid option prewarm.area: it is an option of the API; pass api: cdn({ area })",
  );
  throwsWith(
    { prewarm: { credentials: { secretId: "AKIDx", secretKey: "k" } } },
    TypeError,
    "Invalid option prewarm.credentials: the router sets it (pass credentials at the top level)",
  );
});

Deno.test("a weak token is refused at construction without being quoted", () => {
  for (const token of ["hunter2", "has spaces but long enough", "ünïcödé-token-0123456789"]) {
    assert.throws(
      () => prewarmRouter({ tokens: [ok, token] }),
      (error: Error) => {
        assert.ok(error instanceof TypeError);
        assert.match(
          error.message,
          /^Invalid option tokens\[1\] (is \d+ characters long|has characters)/,
        );
        assert.ok(!error.message.includes(token));
        return true;
      },
    );
  }
});

Deno.test("defaults: nothing is required to make a router", () => {
  const app = prewarmRouter();
  assert.equal(typeof app.fetch, "function");
  assert.equal(typeof prewarmRouter({}).request, "function");
});
