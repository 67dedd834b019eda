// A hand-written API 3.0 client for the simulator's tests: TC3-HMAC-SHA256 signing with
// WebCrypto, for the CDN (`cdn`, 2018-06-06) and EdgeOne (`teo`, 2022-09-01) services. Nothing
// is shared with the package's own signer, so a mistake there cannot be mirrored here.

import {
  SIMULATOR_CREDENTIALS,
  type SimulatorCredential,
  type SimulatorOptions,
  TencentCdnSimulator,
} from "../src/testing/mod.ts";

const encoder = new TextEncoder();

/** 2024-01-15 12:00:00 in Beijing. */
export const NOON_BEIJING = Date.UTC(2024, 0, 15, 4, 0, 0);

/** The two API 3.0 services: host, version and the service name in the credential scope. */
export const SERVICES = {
  cdn: { host: "cdn.tencentcloudapi.com", version: "2018-06-06" },
  teo: { host: "teo.tencentcloudapi.com", version: "2022-09-01" },
} as const;

/** A settable simulated clock. */
export class Clock {
  constructor(public ms: number = NOON_BEIJING) {}
  readonly now = (): number => this.ms;
  get seconds(): number {
    return Math.floor(this.ms / 1000);
  }
}

/** HMAC with raw key bytes. */
export async function hmacRaw(
  hash: "SHA-1" | "SHA-256",
  key: Uint8Array<ArrayBuffer>,
  text: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash }, false, [
    "sign",
  ]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(text)));
}

/** Lower-case hex. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Hex SHA-256 of UTF-8 text. */
export async function sha256(text: string): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text))));
}

/** How to build one signed API 3.0 request; everything defaults to a correct CDN request. */
export interface V3CallOptions {
  /** Which service's host and version to use. @default "cdn" */
  api?: keyof typeof SERVICES;
  timestamp?: number;
  credential?: SimulatorCredential;
  /** The service named in the credential scope. @default the api's name */
  service?: string;
  date?: string;
  version?: string;
  contentType?: string;
  /** Sent instead of the signed body. */
  sentBody?: string;
  signedHeaders?: string;
  signal?: AbortSignal;
}

/** Builds and signs an API 3.0 request (TC3-HMAC-SHA256). */
export async function v3Request(
  action: string,
  payload: unknown,
  clock: Clock,
  options: V3CallOptions = {},
): Promise<Request> {
  const api = options.api ?? "cdn";
  const { host, version } = SERVICES[api];
  const credential = options.credential ?? SIMULATOR_CREDENTIALS;
  const timestamp = options.timestamp ?? clock.seconds;
  const date = options.date ?? new Date(timestamp * 1000).toISOString().slice(0, 10);
  const service = options.service ?? api;
  const contentType = options.contentType ?? "application/json; charset=utf-8";
  const body = JSON.stringify(payload);
  const signedHeaders = options.signedHeaders ?? "content-type;host";
  const canonicalHeaders = signedHeaders.split(";")
    .map((name) =>
      `${name}:${
        name === "host" ? host : name === "content-type" ? contentType : action.toLowerCase()
      }\n`
    )
    .join("");
  const canonical = `POST\n/\n\n${canonicalHeaders}\n${signedHeaders}\n${await sha256(body)}`;
  const scope = `${date}/${service}/tc3_request`;
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${await sha256(canonical)}`;
  const kDate = await hmacRaw("SHA-256", encoder.encode(`TC3${credential.secretKey}`), date);
  const kService = await hmacRaw("SHA-256", kDate, service);
  const kSigning = await hmacRaw("SHA-256", kService, "tc3_request");
  const signature = hex(await hmacRaw("SHA-256", kSigning, toSign));
  const headers: Record<string, string> = {
    "Content-Type": contentType,
    "X-TC-Action": action,
    "X-TC-Version": options.version ?? version,
    "X-TC-Timestamp": String(timestamp),
    Authorization: `TC3-HMAC-SHA256 Credential=${credential.secretId}/${scope}, ` +
      `SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
  if (credential.token) headers["X-TC-Token"] = credential.token;
  return new Request(`https://${host}/`, {
    method: "POST",
    headers,
    body: options.sentBody ?? body,
    signal: options.signal,
  });
}

/** The `Response` object of an API 3.0 answer, loosely typed for assertions. */
// deno-lint-ignore no-explicit-any
export type V3Response = { Error?: { Code: string; Message: string }; RequestId: string } & any;

/** Signs, sends and reads one API 3.0 call. */
export async function callV3(
  sim: TencentCdnSimulator,
  clock: Clock,
  action: string,
  payload: unknown,
  options: V3CallOptions = {},
): Promise<{ Response: V3Response }> {
  return await (await sim.fetch(await v3Request(action, payload, clock, options))).json();
}

/** Signs and sends an EdgeOne call; returns its `Response`. */
export async function callTeo(
  sim: TencentCdnSimulator,
  clock: Clock,
  action: string,
  payload: unknown,
  options: V3CallOptions = {},
): Promise<V3Response> {
  return (await callV3(sim, clock, action, payload, { api: "teo", ...options })).Response;
}

/** A simulator on a settable clock. */
export function setup(options: SimulatorOptions = {}): { sim: TencentCdnSimulator; clock: Clock } {
  const clock = new Clock();
  return { sim: new TencentCdnSimulator({ now: clock.now, ...options }), clock };
}
