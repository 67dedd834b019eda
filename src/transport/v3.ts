/**
 * API 3.0 calls, for every API 3.0 service (CDN, EdgeOne): building the signed request, reading
 * its answer, the call that creates a task, and reads through the account's gate, paged lists
 * included.
 * @module
 */
import type { Credentials } from "./credentials.ts";
import { localError, type TencentCloudError, upstreamError } from "../rules/errors.ts";
import { classifyV3Error, type ErrorRows } from "../rules/outcome.ts";
import {
  type Call,
  type CallContext,
  httpAnswerError,
  parseEndpoint,
  type RawAnswer,
  readJsonObject,
  sendWithRetries,
  type SignedRequest,
} from "./send.ts";
import {
  tc3Authorization,
  tc3CanonicalRequest,
  tc3Sign,
  tc3Signature,
  tc3StringToSign,
} from "./tc3.ts";

/** The API 3.0 endpoint (the international site is `https://cdn.intl.tencentcloudapi.com/`). */
export const V3_ENDPOINT = "https://cdn.tencentcloudapi.com/";

/** The CDN API version every call names. */
export const V3_VERSION = "2018-06-06";

/** The signing service. Fixed: never derived from a custom endpoint's host. */
export const V3_SERVICE = "cdn";

/** An API 3.0 service: the name its credential scope signs and the version its calls name. */
export interface V3Service {
  /** The service in the TC3 credential scope (`cdn`, `teo`). */
  service: string;
  /** `X-TC-Version`. */
  version: string;
  /** The error rows of its codes, on top of the shared ones (EdgeOne's zone codes). */
  errors?: ErrorRows;
}

/** The exact `Content-Type` sent and signed. */
export const V3_CONTENT_TYPE = "application/json; charset=utf-8";

/** Everything one signed API 3.0 request depends on. */
export interface V3RequestInput {
  /** The key pair (and token) that signs the request. */
  credentials: Credentials;
  /** The action, e.g. `PushUrlsCache`. */
  action: string;
  /** The JSON payload. */
  payload: Readonly<Record<string, unknown>>;
  /** Unix time in seconds. */
  timestamp: number;
  /** The endpoint; its `host` is signed. @default {V3_ENDPOINT} */
  endpoint?: string | URL;
  /** The service and version. @default {CDN: `cdn`, `2018-06-06`} */
  service?: V3Service;
}

/** Builds a signed API 3.0 request (TC3-HMAC-SHA256), synchronously. */
export function buildV3Request(input: V3RequestInput): SignedRequest {
  const { endpoint, service, body } = prepare(input);
  const canonical = tc3CanonicalRequest({
    host: endpoint.host,
    contentType: V3_CONTENT_TYPE,
    body,
  });
  const toSign = tc3StringToSign(canonical, input.timestamp, service.service);
  const signature = tc3Signature(
    input.credentials.secretKey,
    toSign,
    input.timestamp,
    service.service,
  );
  return signed(input, endpoint, service, body, signature);
}

/**
 * Builds the same signed API 3.0 request as {@linkcode buildV3Request}, hashed by the
 * platform's WebCrypto (`tc3Sign`): what the send path signs every request with.
 */
export async function signV3Request(input: V3RequestInput): Promise<SignedRequest> {
  const { endpoint, service, body } = prepare(input);
  const signature = await tc3Sign({
    host: endpoint.host,
    contentType: V3_CONTENT_TYPE,
    body,
    secretKey: input.credentials.secretKey,
    timestamp: input.timestamp,
    service: service.service,
  });
  return signed(input, endpoint, service, body, signature);
}

/** The endpoint, the service and the exact body of a request. */
function prepare(input: V3RequestInput): { endpoint: URL; service: V3Service; body: string } {
  const { service = V3_SERVICE, version = V3_VERSION } = input.service ?? {};
  return {
    endpoint: parseEndpoint(input.endpoint ?? V3_ENDPOINT),
    service: { service, version },
    body: JSON.stringify(input.payload),
  };
}

/** The request with its signature, as `fetch` sends it. */
function signed(
  input: V3RequestInput,
  endpoint: URL,
  { service, version }: V3Service,
  body: string,
  signature: string,
): SignedRequest {
  const headers: Record<string, string> = {
    "Authorization": tc3Authorization(
      input.credentials.secretId,
      signature,
      input.timestamp,
      service,
    ),
    "Content-Type": V3_CONTENT_TYPE,
    "X-TC-Action": input.action,
    "X-TC-Version": version,
    "X-TC-Timestamp": String(input.timestamp),
  };
  if (input.credentials.token) headers["X-TC-Token"] = input.credentials.token;
  return { url: endpoint.href, method: "POST", headers, body, signature };
}

/**
 * Reads an API 3.0 answer and returns its `Response` object. `read` marks an idempotent read
 * (its errors never say "may have been processed"); `rows` are the API's own error rows.
 * @throws {TencentCloudError} for an error answer or one that cannot be read.
 */
export function parseV3Answer(
  answer: RawAnswer,
  read = false,
  rows?: ErrorRows,
): Record<string, unknown> {
  const response = readJsonObject(answer, read).Response;
  if (
    typeof response !== "object" || response === null || Array.isArray(response)
  ) {
    throw httpAnswerError(answer, "the body has no API 3.0 `Response`", read);
  }
  const { Error: error, RequestId } = response as Record<string, unknown>;
  const requestId = typeof RequestId === "string" ? RequestId : undefined;
  if (error !== undefined) {
    const { Code, Message } = (error ?? {}) as Record<string, unknown>;
    return throwV3(Code, Message, requestId, answer, read, rows);
  }
  if (answer.status < 200 || answer.status >= 300) {
    throw httpAnswerError(answer, "a Response without an Error", read);
  }
  return response as Record<string, unknown>;
}

function throwV3(
  code: unknown,
  message: unknown,
  requestId: string | undefined,
  answer: RawAnswer,
  read: boolean,
  rows: ErrorRows | undefined,
): never {
  if (typeof code !== "string" || code === "") {
    throw httpAnswerError(answer, "an Error without a Code", read);
  }
  const text = typeof message === "string" ? message : "";
  throw upstreamError(code, text, classifyV3Error(code, rows), answer.status, {
    requestId,
    read,
  });
}

/** What a call that creates a task answers: its id, and the `RequestId`. */
export interface Submission {
  /** Tencent's task id. */
  taskId: string;
  /** API 2.0: the creation time as Tencent wrote it. */
  date?: string;
  /** API 3.0: the `RequestId`. */
  requestId?: string;
  /**
   * URLs of the request the service refused although it created the task (EdgeOne's
   * `FailedList`), each group with the error that says why. They are reported as failed, not
   * submitted; every other URL of the request is in the task.
   */
  failed?: { urls: string[]; error: TencentCloudError }[];
}

/** An API 3.0 call that creates a task (`PushUrlsCache`, `PurgeUrlsCache`): its answer must
 * carry a `TaskId`. `rows` are the API's own error rows (purge's batch limits). */
export function v3TaskCall(
  context: { credentials: Credentials; endpoint: URL },
  action: string,
  payload: Readonly<Record<string, unknown>>,
  rows?: ErrorRows,
): Call<Submission> {
  const { credentials, endpoint } = context;
  return {
    action,
    sign: (timestamp) => signV3Request({ credentials, endpoint, action, payload, timestamp }),
    parse: (answer) => {
      const { TaskId, RequestId } = parseV3Answer(answer, false, rows);
      if (typeof TaskId !== "string" || TaskId === "") {
        throw localError("InvalidResponse", "server", `${action} answered without a TaskId`);
      }
      return typeof RequestId === "string"
        ? { taskId: TaskId, requestId: RequestId }
        : { taskId: TaskId };
    },
  };
}

/**
 * Calls an API 3.0 read through the gate, retrying whatever may succeed on a second try.
 * `service` names another service than CDN (EdgeOne).
 */
export function readV3(
  context: CallContext,
  action: string,
  payload: Readonly<Record<string, unknown>>,
  service?: V3Service,
): Promise<Record<string, unknown>> {
  const { credentials, endpoint } = context;
  return sendWithRetries(context, {
    action,
    read: true,
    sign: (timestamp) =>
      signV3Request({ credentials, endpoint, action, payload, timestamp, service }),
    parse: (answer) => parseV3Answer(answer, true, service?.errors),
  });
}

/** A string field of an answer (a number as its digits); anything else is empty. */
export function text(value: unknown): string {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
}

/** A number field of an answer (numeric text too); anything else is 0. */
export function count(value: unknown): number {
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
}

/**
 * A list field of an answer (null or missing: empty).
 * @throws {TencentCloudError} when it is there but not a list.
 */
export function list(
  response: Record<string, unknown>,
  field: string,
  action: string,
): unknown[] {
  const value = response[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw localError(
      "InvalidResponse",
      "unknown",
      `${action} answered with a malformed ${field}`,
    );
  }
  return value;
}

/** The answer's `RequestId`, as a field to spread into a result. */
export function requestIdOf(
  response: Record<string, unknown>,
): { requestId?: string } {
  return typeof response.RequestId === "string" ? { requestId: response.RequestId } : {};
}

/** The largest `Limit` a page of a paged list asks for (CDN documents none; EdgeOne's
 * documented maximum is 1000, and a task holds at most 500 URLs). */
export const PAGE_LIMIT = 1000;

/**
 * Every entry of a paged API 3.0 list (`DescribePushTasks`'s `PushLogs`,
 * `DescribePurgeTasks`'s `PurgeLogs`, EdgeOne's `DescribePrefetchTasks` `Tasks` with its
 * `service`), page by page until `TotalCount` entries were read. The
 * offset moves by the entries each page held, so a server that pages in smaller steps than
 * asked is still read in full; at most 100 pages.
 */
export async function readAllPages(
  context: CallContext,
  action: string,
  field: string,
  payload: Readonly<Record<string, unknown>>,
  service?: V3Service,
): Promise<{ entries: unknown[]; totalCount: number; requestId?: string }> {
  const entries: unknown[] = [];
  for (let page = 0;; page++) {
    const response = await readV3(context, action, {
      ...payload,
      Offset: entries.length,
      Limit: PAGE_LIMIT,
    }, service);
    const lines = list(response, field, action);
    entries.push(...lines);
    const totalCount = count(response.TotalCount);
    if (lines.length === 0 || entries.length >= totalCount || page >= 99) {
      return { entries, totalCount, ...requestIdOf(response) };
    }
  }
}
