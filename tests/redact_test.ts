import assert from "node:assert/strict";
import { scrubSecrets, TencentCloudError } from "../src/rules/errors.ts";
import { REDACTED, redactJson, secretRedactor } from "../src/rules/redact.ts";

const secretId = "AKIDredactTest0000000000000000000000";
const secretKey = "Redact+Secret/Key=0123456789abcdef";
const token = "SessionTokenForRedactTests0123456789";

Deno.test("secretRedactor: every occurrence, in any case, as written or percent-encoded", () => {
  const redact = secretRedactor([secretId, secretKey, token, undefined]);
  const cases: Array<[string, string]> = [
    [`id ${secretId} and ${secretId}`, `id ${REDACTED} and ${REDACTED}`],
    [`lower ${secretId.toLowerCase()}`, `lower ${REDACTED}`],
    [`upper ${token.toUpperCase()}!`, `upper ${REDACTED}!`],
    [`encoded ${encodeURIComponent(secretKey)}`, `encoded ${REDACTED}`],
    [`encoded lower ${encodeURIComponent(secretKey).toLowerCase()}`, `encoded lower ${REDACTED}`],
    [`${secretKey}${token}`, `${REDACTED}${REDACTED}`],
    ["nothing secret here", "nothing secret here"],
  ];
  for (const [text, expected] of cases) assert.equal(redact(text), expected, text);
});

Deno.test("secretRedactor: Signature= values are masked without knowing them", () => {
  const redact = secretRedactor([]);
  assert.equal(
    redact("TC3-HMAC-SHA256 Credential=x/y, SignedHeaders=host, Signature=0a1b2c3d4e5f"),
    `TC3-HMAC-SHA256 Credential=x/y, SignedHeaders=host, Signature=${REDACTED}`,
  );
  assert.equal(
    redact("?Action=X&signature=abc%2Bdef%3D&Nonce=1"),
    `?Action=X&signature=${REDACTED}&Nonce=1`,
  );
  assert.equal(redact(`SIGNATURE="deadbeef"`), `SIGNATURE="deadbeef"`, "only a parameter value");
  assert.equal(redact(`Signature=${REDACTED}`), `Signature=${REDACTED}`, "idempotent");
});

Deno.test("secretRedactor: short or empty secrets mask nothing (no word is a secret)", () => {
  for (const secrets of [["", "x", "abc"], [], [undefined]]) {
    const redact = secretRedactor(secrets);
    assert.equal(redact("abc x abc"), "abc x abc");
    assert.equal(redact(""), "", "an empty string stays empty");
  }
  assert.equal(secretRedactor([secretId])(""), "");
});

Deno.test("scrubSecrets: every upstream string field, not only the message", () => {
  const error = new TencentCloudError({
    code: `InternalError.${secretId.toLowerCase()}`,
    moduleCode: token,
    requestId: secretKey.toUpperCase(),
    httpStatus: 500,
    category: "server",
    message: `failed, Signature=abcdef0123 for ${encodeURIComponent(token)}`,
  });
  const scrubbed = scrubSecrets(error, [secretId, secretKey, token]);
  assert.notEqual(scrubbed, error);
  assert.ok(scrubbed instanceof TencentCloudError);
  assert.equal(scrubbed.code, `InternalError.${REDACTED}`);
  assert.equal(scrubbed.moduleCode, REDACTED);
  assert.equal(scrubbed.requestId, REDACTED);
  assert.equal(scrubbed.message, `failed, Signature=${REDACTED} for ${REDACTED}`);
  assert.equal(scrubbed.category, "server");
  assert.equal(scrubbed.maybeSubmitted, true);
  assert.equal(scrubbed.httpStatus, 500);
});

Deno.test("scrubSecrets: the same error back when nothing needs masking", () => {
  const error = new TencentCloudError({ code: "InternalError", category: "server", message: "x" });
  assert.equal(scrubSecrets(error, [secretId, secretKey]), error);
});

Deno.test("redactJson: every string of a value, errors by their fields, JSON valid whatever a string holds", () => {
  const redact = secretRedactor([secretId, token]);
  const error = new TencentCloudError({
    code: "InternalError",
    category: "server",
    requestId: `req-${token}`,
    message: `backend saw ${secretId}`,
  });
  // A quote right after a Signature= value: masking the serialized text would eat the backslash
  // that escapes it.
  const hostile = `Signature=abc"}, "injected": "yes`;
  const value = {
    tasks: [{ taskId: `t-${secretId}`, urls: ["https://www.example.com/a.js"], n: 1 }],
    failed: [{ error, maybeSubmitted: true }],
    note: hostile,
    nothing: null,
  };
  const masked = redactJson(value, redact);
  assert.deepEqual(masked, {
    tasks: [{ taskId: `t-${REDACTED}`, urls: ["https://www.example.com/a.js"], n: 1 }],
    failed: [{
      error: {
        ...error.toJSON(),
        requestId: `req-${REDACTED}`,
        message: `backend saw ${REDACTED}`,
      },
      maybeSubmitted: true,
    }],
    note: `Signature=${REDACTED}"}, "injected": "yes`,
    nothing: null,
  });
  assert.equal(JSON.parse(JSON.stringify(masked)).note, masked.note, "still valid JSON");
  assert.equal(value.tasks[0]!.taskId, `t-${secretId}`, "the value itself is left alone");
  assert.equal(masked.tasks[0]!.urls[0], value.tasks[0]!.urls[0]);
});
