/**
 * The shapes of the two APIs' answers, built as plain data first so that the simulator can still
 * decide how to deliver them (whole, or cut short by a `reset` fault).
 *
 * @module
 */

/** An answer before it becomes a `Response`, with the outcome recorded for the request. */
export interface ApiAnswer {
  /** HTTP status. Both APIs answer errors with 200 too. */
  readonly status: number;
  /** `Content-Type` of the body. */
  readonly contentType: string;
  /** The body text. */
  readonly text: string;
  /** `"Success"` or the error code, as recorded in `ReceivedRequest.outcome`. */
  readonly outcome: string;
}

const JSON_TYPE = "application/json; charset=utf-8";
// API 3.0 (CDN and EdgeOne) answers with exactly this, success or error: the official Python SDK
// (`_check_error` in tencentcloud/common/abstract_client.py) reads an error only from an answer
// whose Content-Type is exactly "application/json" or "text/plain"; with any other it sees success.
const V3_JSON_TYPE = "application/json";

// API 2.0 `codeDesc` per public code; business errors name their module problem instead.
const V2_CODE_DESCRIPTIONS: Readonly<Record<number, string>> = {
  4000: "InvalidParameter",
  4100: "AuthFailure",
  4104: "SecretIdNotFound",
  4105: "TokenFailure",
  4200: "RequestExpired",
  4300: "AccessDenied",
  4400: "RequestLimitExceeded",
  4500: "ReplayAttack",
  4600: "UnsupportedProtocol",
  5000: "ResourceNotFound",
  6000: "InternalError",
};

/** An API 2.0 failure: `code` ≠ 0 and, when given, the module code in parentheses. */
export function v2Failure(
  code: number,
  message: string,
  moduleCode?: string,
  codeDesc?: string,
): ApiAnswer {
  const body = {
    code,
    message: moduleCode === undefined ? message : `(${moduleCode})${message}`,
    codeDesc: codeDesc ?? V2_CODE_DESCRIPTIONS[code] ?? "Failure",
  };
  const outcome = moduleCode === undefined ? String(code) : `${code}(${moduleCode})`;
  return { status: 200, contentType: JSON_TYPE, text: JSON.stringify(body), outcome };
}

/** An API 2.0 success carrying `data`. */
export function v2Success(data: unknown): ApiAnswer {
  const body = { code: 0, message: "", codeDesc: "Success", data };
  return { status: 200, contentType: JSON_TYPE, text: JSON.stringify(body), outcome: "Success" };
}

/** An API 3.0 failure: `{"Response":{"Error":{Code,Message},"RequestId"}}` with HTTP 200. */
export function v3Failure(code: string, message: string): ApiAnswer {
  const body = { Response: { Error: { Code: code, Message: message }, RequestId: requestId() } };
  return { status: 200, contentType: V3_JSON_TYPE, text: JSON.stringify(body), outcome: code };
}

/** The CDN's generic bad-parameter failure, `InvalidParameter.CdnParamError`. */
export function cdnParamError(message: string): ApiAnswer {
  return v3Failure("InvalidParameter.CdnParamError", message);
}

/**
 * The `UnknownParameter` failure for the first field of `input` not in `known`, as the real
 * API answers a misspelt field; `undefined` when every field is known.
 */
export function unknownParameter(
  input: Record<string, unknown>,
  known: ReadonlySet<string>,
): ApiAnswer | undefined {
  const unknown = Object.keys(input).find((name) => !known.has(name));
  return unknown === undefined
    ? undefined
    : v3Failure("UnknownParameter", `The parameter ${unknown} is not recognized`);
}

/** An API 3.0 success: the fields plus a fresh `RequestId`, inside `Response`. */
export function v3Success(fields: Record<string, unknown>): ApiAnswer {
  const body = { Response: { ...fields, RequestId: requestId() } };
  return {
    status: 200,
    contentType: V3_JSON_TYPE,
    text: JSON.stringify(body),
    outcome: "Success",
  };
}

/** A plain-text answer outside either API's envelope (404, HTTP 501 for oversized requests). */
export function plainAnswer(status: number, text: string): ApiAnswer {
  return { status, contentType: "text/plain; charset=utf-8", text, outcome: `HTTP ${status}` };
}

/** Turns an answer into a whole `Response`. */
export function toResponse(answer: ApiAnswer): Response {
  return new Response(answer.text, {
    status: answer.status,
    headers: { "content-type": answer.contentType },
  });
}

function requestId(): string {
  return crypto.randomUUID();
}
