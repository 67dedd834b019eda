/**
 * API 2.0 `CdnOverseaPushser`: building the signed request and reading its answer.
 * @module
 */
import type { Credentials } from "./credentials.ts";
import { upstreamError } from "../rules/errors.ts";
import type { ErrorCategory, ErrorRows } from "../rules/outcome.ts";
import { CODE_ADVICE } from "../rules/advice.ts";
import {
  httpAnswerError,
  parseEndpoint,
  type RawAnswer,
  readJsonObject,
  type SignedRequest,
} from "./send.ts";
import {
  signV2,
  type V2HttpMethod,
  type V2SignatureMethod,
  v2SourceString,
} from "./v2_signature.ts";

/** The API 2.0 endpoint of the documented system. */
export const V2_ENDPOINT = "https://cdn.api.qcloud.com/v2/index.php";

/** The API 2.0 action that submits overseas prefetch tasks. */
export const V2_PUSH_ACTION = "CdnOverseaPushser";

/** Everything one signed `CdnOverseaPushser` request depends on. */
export interface V2PushRequestInput {
  /** The key pair (and token) that signs the request. */
  credentials: Credentials;
  /** The URLs, sent as `urls.0…urls.N` in this order. */
  urls: readonly string[];
  /** Unix time in seconds. */
  timestamp: number;
  /** A random positive integer; with the timestamp it defeats replay. */
  nonce: number;
  /** The endpoint; its `host` (with a non-default port) and path are signed.
   * @default {V2_ENDPOINT} */
  endpoint?: string | URL;
  /** `POST` sends a form body, `GET` a query string. @default {"POST"} */
  method?: V2HttpMethod;
  /** The signature algorithm. @default {"HmacSHA256"} */
  signatureMethod?: V2SignatureMethod;
}

/**
 * The parameters of a push request before signing, as the source string covers them.
 * `SignatureMethod` is only sent for SHA-256: the server reads its absence as SHA-1.
 */
export function v2PushParams(
  input: V2PushRequestInput,
): Record<string, string> {
  const params: Record<string, string> = {
    Action: V2_PUSH_ACTION,
    Nonce: String(input.nonce),
    SecretId: input.credentials.secretId,
    Timestamp: String(input.timestamp),
  };
  if ((input.signatureMethod ?? "HmacSHA256") === "HmacSHA256") {
    params.SignatureMethod = "HmacSHA256";
  }
  if (input.credentials.token) params.Token = input.credentials.token;
  input.urls.forEach((url, i) => params[`urls.${i}`] = url);
  return params;
}

/**
 * Percent-encodes one value for a query string or an `application/x-www-form-urlencoded` body.
 *
 * Every byte outside `A–Z a–z 0–9 - _ . ~` is encoded from its UTF-8 form, so `+`, `/`, `=`,
 * `&`, `%`, spaces and non-ASCII all survive a round trip through any form decoder.
 *
 * @throws {URIError} when the string holds a lone surrogate (it has no UTF-8 form).
 */
export function formEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

/** Encodes `name=value` pairs, in the given order, as a form body or query string. */
export function formEncodePairs(
  pairs: ReadonlyArray<readonly [string, string]>,
): string {
  return pairs.map(([name, value]) => `${formEncode(name)}=${formEncode(value)}`).join("&");
}

/** Builds the signed `CdnOverseaPushser` request: every value URL-encoded once, signature too. */
export function buildV2PushRequest(input: V2PushRequestInput): SignedRequest {
  const endpoint = parseEndpoint(input.endpoint ?? V2_ENDPOINT);
  const method = input.method ?? "POST";
  const params = v2PushParams(input);
  const source = v2SourceString(
    method,
    endpoint.host,
    endpoint.pathname,
    params,
  );
  const signature = signV2(
    source,
    input.credentials.secretKey,
    input.signatureMethod,
  );
  const encoded = formEncodePairs([...Object.entries(params), [
    "Signature",
    signature,
  ]]);
  if (method === "GET") {
    return {
      url: `${endpoint.origin}${endpoint.pathname}?${encoded}`,
      method,
      headers: {},
      signature,
    };
  }
  return {
    url: endpoint.href,
    method,
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: encoded,
    signature,
  };
}

/** What {@linkcode pushV2Call} needs: everything of {@linkcode V2PushRequestInput} but the
 * timestamp and nonce, which are drawn when the request is sent. */
export type V2PushCallInput = Omit<V2PushRequestInput, "timestamp" | "nonce">;

/** A random positive 31-bit integer from the platform's CSPRNG. */
export function randomNonce(): number {
  return 1 + (crypto.getRandomValues(new Uint32Array(1))[0]! % 0x7fffffff);
}

/** A `CdnOverseaPushser` call for the send path: signed with a fresh nonce at send time. */
export function pushV2Call(input: V2PushCallInput): {
  action: string;
  sign: (timestamp: number) => SignedRequest;
  parse: (answer: RawAnswer) => V2PushTask[];
} {
  return {
    action: V2_PUSH_ACTION,
    sign: (timestamp) => buildV2PushRequest({ ...input, timestamp, nonce: randomNonce() }),
    parse: parseV2PushAnswer,
  };
}

/** One task of a `CdnOverseaPushser` answer (the CDN makes one per domain). */
export interface V2PushTask {
  /** The task id, as an opaque string (it arrives as a number). */
  taskId: string;
  /** When the task was created, as Tencent wrote it (Beijing time). */
  date?: string;
}

/**
 * API 2.0's module codes (the `(NNNN)` before a message), which decide before the public
 * `code` does: those met in prefetch (docs/tencent-api.md §2).
 */
export const V2_MODULE_CATEGORIES: Readonly<Record<string, ErrorCategory>> = {
  __proto__: null as never, // a code named "constructor" is no category
  "23100": "batch-limit",
  "23101": "daily-limit",
  "21000": "daily-limit",
  "23103": "credentials",
  "9105": "domain",
  "9110": "domain",
  "9307": "domain",
  "25002": "domain",
  "28006": "domain",
  "28008": "domain",
  "9163": "rate-limit",
  "22063": "rate-limit",
  "9000": "server",
  "22800": "server",
  "-9015": "server",
};

/** API 2.0's own error rows: its numeric key and clock codes get the advice of their API 3.0
 * counterparts (`AuthFailure.*`). */
export const V2_ERRORS: ErrorRows = {
  advice: {
    "4100": CODE_ADVICE["AuthFailure.SignatureFailure"]!,
    "4104": CODE_ADVICE["AuthFailure.SecretIdNotFound"]!,
    "4105": CODE_ADVICE["AuthFailure.TokenFailure"]!,
    "4200": CODE_ADVICE["AuthFailure.SignatureExpire"]!,
    "4500": CODE_ADVICE["AuthFailure.SignatureExpire"]!,
  },
};

/** Decides what an API 2.0 answer means: on the module code when there is one, else `code`. */
export function classifyV2Error(code: string, moduleCode?: string): ErrorCategory {
  const known = moduleCode && V2_MODULE_CATEGORIES[moduleCode];
  if (known) return known;
  const n = Number(code);
  if (n === 4400) return "rate-limit";
  if ((n >= 4100 && n <= 4300) || n === 4500) return "credentials";
  if (n === 4000 || n === 4600 || n === 6100) return "invalid-request";
  if (n === 5000) return "domain";
  if (n === 5400 || n === 6000) return "server";
  if (n === 6200) return "unavailable";
  return "unknown";
}

/**
 * Reads a `CdnOverseaPushser` answer.
 * @throws {TencentCloudError} for an error answer or one that cannot be read.
 */
export function parseV2PushAnswer(answer: RawAnswer): V2PushTask[] {
  // API 2.0 answers 501 to a GET over 32 KB or a POST over 1 MB, before processing anything.
  if (answer.status === 501) {
    throw httpAnswerError(answer, "the request is larger than API 2.0 takes", false, "batch-limit");
  }
  const { code, message, data } = readJsonObject(answer);
  if (typeof code !== "number" && typeof code !== "string") {
    throw httpAnswerError(answer, "the body has no API 2.0 `code`");
  }
  const id = String(code).trim();
  if (id !== "0") {
    const text = typeof message === "string" ? message : "";
    const prefix = /^\s*\((-?\d+)\)\s*/.exec(text);
    const moduleCode = prefix?.[1];
    throw upstreamError(
      id,
      prefix ? text.slice(prefix[0].length) : text,
      classifyV2Error(id, moduleCode),
      answer.status,
      { moduleCode },
    );
  }
  const tasks = Array.isArray(data) ? data.flatMap(readTask) : [];
  if (tasks.length === 0) {
    throw httpAnswerError(answer, "success without a task id");
  }
  return tasks;
}

function readTask(entry: unknown): V2PushTask[] {
  if (typeof entry !== "object" || entry === null) return [];
  const { task_id: taskId, date } = entry as Record<string, unknown>;
  if (typeof taskId !== "number" && typeof taskId !== "string") return [];
  return [
    typeof date === "string" ? { taskId: String(taskId), date } : { taskId: String(taskId) },
  ];
}
