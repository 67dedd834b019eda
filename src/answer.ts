/**
 * Turns an HTTP answer that is not a Tencent Cloud JSON document into the right error.
 * @module
 */
import { localError, type TencentCloudError } from "./errors.ts";

/** The parts of an HTTP answer the parsers look at. */
export interface RawAnswer {
  /** HTTP status. */
  status: number;
  /** The `Content-Type` header, or an empty string. */
  contentType: string;
  /** The body text. */
  text: string;
}

/** The error for an HTTP answer that carries no Tencent Cloud error document. */
export function httpAnswerError(answer: RawAnswer, why: string): TencentCloudError {
  const { status } = answer;
  const kind = answer.contentType.split(";")[0]?.trim() || "no content type";
  const summary = `HTTP ${status} (${kind}): ${why}`;
  if (status === 429 || status === 503) {
    return localError("HttpError", "unavailable", summary, { httpStatus: status });
  }
  if (status >= 500) return localError("HttpError", "server", summary, { httpStatus: status });
  if (status >= 200 && status < 300) {
    // The server accepted the request and then said something unreadable: it may have acted.
    return localError("InvalidResponse", "server", summary, { httpStatus: status });
  }
  return localError("HttpError", "invalid-request", `${summary}; check the endpoint`, {
    httpStatus: status,
  });
}

/** Parses the body as a JSON object, or throws the error that fits the HTTP answer. */
export function readJsonObject(answer: RawAnswer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(answer.text);
  } catch {
    throw httpAnswerError(answer, "the body is not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw httpAnswerError(answer, "the body is not a JSON object");
  }
  return value as Record<string, unknown>;
}
