/**
 * API 3.0 authentication: TC3-HMAC-SHA256 from the `Authorization` header, rebuilt from the
 * headers and body bytes exactly as received, then the timestamp window and session token.
 *
 * Structural problems with the header answer `AuthFailure.InvalidAuthorization`. A credential
 * scope naming another service than the endpoint's (`cdn`, or `teo` for EdgeOne), or a date
 * other than the UTC date of `X-TC-Timestamp`, answers `AuthFailure.SignatureFailure`: the
 * server derives its key from the right scope, so such a signature cannot match.
 *
 * @module
 */

import { type ApiAnswer, v3Failure } from "./answers.ts";
import { utcDate } from "./beijing_time.ts";
import type { ApiContext } from "./context.ts";
import { hmac, sameSignature, sha256Hex, toHex } from "./crypto.ts";
import type { SimulatorCredential } from "./options.ts";

/** The request as the signature sees it. */
export interface Tc3SignedRequest {
  /** HTTP method (always `POST` here). */
  method: string;
  /** The request URL; its `host` (with a non-default port) is the signed `host`. */
  url: URL;
  /** Headers as received. */
  headers: Headers;
  /** The body bytes as received. */
  body: Uint8Array<ArrayBuffer>;
}

/** Who sent the request, or the answer that rejects it. */
export type Tc3AuthResult =
  | { ok: true; credential: Readonly<SimulatorCredential> }
  | { ok: false; answer: ApiAnswer };

/** The parts of `Authorization: TC3-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. */
export interface Tc3Authorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const ALGORITHM = "TC3-HMAC-SHA256";

/** Splits the `Authorization` header, or says what is wrong with it. */
export function parseTc3Authorization(header: string): Tc3Authorization | string {
  if (!header.startsWith(`${ALGORITHM} `)) return `Authorization must start with "${ALGORITHM} "`;
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length + 1).split(",")) {
    const [name = "", ...rest] = part.trim().split("=");
    fields.set(name, rest.join("="));
  }
  const credential = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!credential || !signedHeaders || !signature) {
    return "Authorization needs Credential=, SignedHeaders= and Signature=";
  }
  const [secretId = "", date = "", service = "", terminator, ...extra] = credential.split("/");
  if (secretId === "" || terminator !== "tc3_request" || extra.length > 0) {
    return `Credential must be <SecretId>/<date>/<service>/tc3_request; got ${credential}`;
  }
  return { secretId, date, service, signedHeaders: signedHeaders.split(";"), signature };
}

/** Checks who signed the request for `service` (`cdn` or `teo`), and that it is fresh. */
export async function authenticateTc3(
  context: ApiContext,
  request: Tc3SignedRequest,
  now: number,
  service: string,
): Promise<Tc3AuthResult> {
  const header = request.headers.get("authorization");
  if (header === null) return reject("AuthFailure.InvalidAuthorization", "Missing Authorization");
  const authorization = parseTc3Authorization(header);
  if (typeof authorization === "string") {
    return reject("AuthFailure.InvalidAuthorization", authorization);
  }
  const timestamp = request.headers.get("x-tc-timestamp");
  if (timestamp === null) return reject("MissingParameter", "Missing header X-TC-Timestamp");
  if (!/^\d{1,12}$/.test(timestamp)) {
    return reject("InvalidParameter", `X-TC-Timestamp must be Unix seconds; got ${timestamp}`);
  }
  const headerProblem = signedHeadersProblem(authorization.signedHeaders, request.headers);
  if (headerProblem !== undefined) {
    return reject("AuthFailure.InvalidAuthorization", headerProblem);
  }
  const credential = context.options.credentials.get(authorization.secretId);
  if (credential === undefined) {
    return reject("AuthFailure.SecretIdNotFound", `SecretId ${authorization.secretId} not found`);
  }
  if (authorization.service !== service) {
    return reject(
      "AuthFailure.SignatureFailure",
      `Credential scope names service ${authorization.service}; this endpoint is ${service}`,
    );
  }
  const expectedDate = utcDate(Number(timestamp));
  if (authorization.date !== expectedDate) {
    return reject(
      "AuthFailure.SignatureFailure",
      `Credential date ${authorization.date} is not the UTC date of X-TC-Timestamp ` +
        `${timestamp} (${expectedDate})`,
    );
  }
  const expected = await tc3Signature(credential.secretKey, authorization, timestamp, request);
  if (!sameSignature(expected, authorization.signature)) {
    return reject("AuthFailure.SignatureFailure", "The request signature does not match");
  }
  const windowSeconds = context.options.timestampWindowSeconds;
  const skew = Number(timestamp) - Math.floor(now / 1000);
  if (Math.abs(skew) > windowSeconds) {
    return reject(
      "AuthFailure.SignatureExpire",
      `X-TC-Timestamp ${timestamp} is ${Math.abs(skew)} s ${skew < 0 ? "behind" : "ahead of"} ` +
        `server time (window ${windowSeconds} s)`,
    );
  }
  // Absent and empty mean the same: no session token.
  if ((request.headers.get("x-tc-token") ?? "") !== (credential.token ?? "")) {
    return reject("AuthFailure.TokenFailure", "X-TC-Token is invalid for this SecretId");
  }
  return { ok: true, credential };
}

function signedHeadersProblem(names: readonly string[], headers: Headers): string | undefined {
  for (const [index, name] of names.entries()) {
    if (name === "" || name !== name.toLowerCase()) {
      return `SignedHeaders must be lower-case names; got ${names.join(";")}`;
    }
    const previous = names[index - 1];
    if (previous !== undefined && previous >= name) {
      return `SignedHeaders must be sorted and distinct; got ${names.join(";")}`;
    }
    if (name !== "host" && !headers.has(name)) {
      return `Signed header ${name} is not in the request`;
    }
  }
  for (const required of ["content-type", "host"]) {
    if (!names.includes(required)) return `SignedHeaders must include ${required}`;
  }
  return undefined;
}

/** The hex TC3-HMAC-SHA256 signature the request should carry under the given scope. */
export async function tc3Signature(
  secretKey: string,
  authorization: Tc3Authorization,
  timestamp: string,
  request: Tc3SignedRequest,
): Promise<string> {
  const canonicalHeaders = authorization.signedHeaders
    .map((name) => {
      const value = name === "host" ? request.url.host : request.headers.get(name) ?? "";
      return `${name}:${value.trim().toLowerCase()}\n`;
    })
    .join("");
  // POST requests carry no query: the canonical query string is always empty.
  const canonicalRequest = `${request.method}\n/\n\n${canonicalHeaders}\n` +
    `${authorization.signedHeaders.join(";")}\n${await sha256Hex(request.body)}`;
  const scope = `${authorization.date}/${authorization.service}/tc3_request`;
  const stringToSign = `${ALGORITHM}\n${timestamp}\n${scope}\n${await sha256Hex(
    canonicalRequest,
  )}`;
  const dateKey = await hmac("SHA-256", `TC3${secretKey}`, authorization.date);
  const serviceKey = await hmac("SHA-256", dateKey, authorization.service);
  const signingKey = await hmac("SHA-256", serviceKey, "tc3_request");
  return toHex(await hmac("SHA-256", signingKey, stringToSign));
}

function reject(code: string, message: string): Tc3AuthResult {
  return { ok: false, answer: v3Failure(code, message) };
}
