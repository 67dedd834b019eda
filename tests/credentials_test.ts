import assert from "node:assert/strict";
import { credentialsFromEnv } from "../mod.ts";
import { checkCredentials } from "../src/transport/credentials.ts";

Deno.test("credentialsFromEnv reads a record such as a Worker's env", () => {
  assert.deepEqual(
    credentialsFromEnv({ TENCENTCLOUD_SECRET_ID: " AKID1 ", TENCENTCLOUD_SECRET_KEY: "k" }),
    { secretId: "AKID1", secretKey: "k" },
  );
  assert.deepEqual(
    credentialsFromEnv({
      TENCENTCLOUD_SECRET_ID: "AKID1",
      TENCENTCLOUD_SECRET_KEY: "k",
      TENCENTCLOUD_TOKEN: "t2",
    }),
    { secretId: "AKID1", secretKey: "k", token: "t2" },
  );
  assert.deepEqual(
    credentialsFromEnv({
      TENCENTCLOUD_SECRET_ID: "AKID1",
      TENCENTCLOUD_SECRET_KEY: "k",
      TENCENTCLOUD_SESSION_TOKEN: "t1",
      TENCENTCLOUD_TOKEN: "t2",
    })?.token,
    "t1",
  );
  assert.equal(credentialsFromEnv({}), undefined);
  assert.equal(
    credentialsFromEnv({ TENCENTCLOUD_SECRET_ID: {}, TENCENTCLOUD_SECRET_KEY: 1 }),
    undefined,
  );
});

Deno.test("credentialsFromEnv names the missing half of a pair, never the value", () => {
  assert.throws(
    () => credentialsFromEnv({ TENCENTCLOUD_SECRET_KEY: "very-secret" }),
    (e: Error) =>
      e instanceof TypeError && /TENCENTCLOUD_SECRET_ID is not set/.test(e.message) &&
      !e.message.includes("very-secret"),
  );
  assert.throws(
    () => credentialsFromEnv({ TENCENTCLOUD_SECRET_ID: "AKID" }),
    /TENCENTCLOUD_SECRET_KEY/,
  );
});

Deno.test("credentialsFromEnv falls back to the runtime environment", () => {
  const saved = ["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"].map((
    n,
  ) => [n, Deno.env.get(n)]);
  try {
    Deno.env.set("TENCENTCLOUD_SECRET_ID", "AKIDenv");
    Deno.env.set("TENCENTCLOUD_SECRET_KEY", "envkey");
    assert.deepEqual(credentialsFromEnv(), { secretId: "AKIDenv", secretKey: "envkey" });
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) Deno.env.delete(name!);
      else Deno.env.set(name!, value);
    }
  }
});

Deno.test("checkCredentials copies only known fields", () => {
  const checked = checkCredentials({ secretId: "AKID", secretKey: "k", extra: 1 });
  assert.deepEqual(checked, { secretId: "AKID", secretKey: "k" });
  assert.throws(() => checkCredentials("AKID:k"), /expected an object, got string/);
  assert.throws(
    () => checkCredentials({ secretId: "AKID", secretKey: "k", token: "a\nb" }),
    /line breaks/,
  );
});
