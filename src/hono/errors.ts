/**
 * The router's error answers: one class for every refusal, turned into the JSON body
 * `{error: {code, message}}` (plus the report when `prewarm()` ran) in one place,
 * {@linkcode renderError}.
 * @module
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { StatusCode } from "hono/utils/http-status";
import type { PrewarmReport } from "../rules/report.ts";

/** The stable codes of the router's error answers. */
export type RouterErrorCode =
  | "invalid-body"
  | "invalid-query"
  | "no-urls"
  | "no-valid-urls"
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "task-not-found"
  | "method-not-allowed"
  | "body-too-large"
  | "body-timeout"
  | "too-many-urls"
  | "unsupported-media-type"
  | "daily-limit"
  | "busy"
  | "internal-error"
  | "unsupported-api"
  | "upstream-failed"
  | "not-configured"
  | "allowed-hosts-required"
  | "error";

/** The JSON body of every error answer. */
export interface RouterErrorBody {
  /** What went wrong. */
  error: {
    /** A stable code to branch on. */
    code: RouterErrorCode;
    /** What went wrong and what to do about it, in a sentence or two. */
    message: string;
  };
  /** The report of the run, when `prewarm()` ran (429, 502, and 400 `no-valid-urls`). */
  report?: PrewarmReport;
  /** `GET /tasks/:id`: the error Tencent Cloud answered with. */
  upstream?: unknown;
}

/** A refusal with its HTTP status, code, message and any headers or extra body fields. */
export class RouterError extends Error {
  /** The HTTP status. */
  readonly status: number;
  /** The stable code. */
  readonly code: RouterErrorCode;
  /** Headers to add, such as `WWW-Authenticate`, `Allow` or `Retry-After`. */
  readonly headers: Readonly<Record<string, string>>;
  /** Fields to add to the body next to `error`. */
  readonly extra: Omit<RouterErrorBody, "error">;

  /** Creates the refusal; nothing is sent until the router's error handler renders it. */
  constructor(
    status: number,
    code: RouterErrorCode,
    message: string,
    options: { headers?: Record<string, string>; extra?: Omit<RouterErrorBody, "error"> } = {},
  ) {
    super(message);
    this.name = "RouterError";
    this.status = status;
    this.code = code;
    this.headers = options.headers ?? {};
    this.extra = options.extra ?? {};
  }

  /** The JSON body. */
  body(): RouterErrorBody {
    return { error: { code: this.code, message: this.message }, ...this.extra };
  }
}

const CODES_BY_STATUS: Record<number, RouterErrorCode> = {
  400: "invalid-body",
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  405: "method-not-allowed",
  408: "body-timeout",
  413: "body-too-large",
  415: "unsupported-media-type",
};

/**
 * Turns anything a route or middleware threw into the answer: a {@linkcode RouterError} as its
 * JSON body, an `HTTPException` as its own response (or as JSON when it has none), anything
 * else as a 500 whose cause goes to the log only.
 */
export function renderError(c: Context, error: unknown): Response {
  if (error instanceof RouterError) {
    // Status and headers set apart from c.json(): types every Hono 4 release accepts.
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    c.status(error.status as StatusCode);
    return c.json(error.body());
  }
  if (error instanceof HTTPException) {
    // An `authorize` (or a user's middleware) chose its own answer: keep it.
    if (error.res) return error.getResponse();
    const body: RouterErrorBody = {
      error: {
        code: CODES_BY_STATUS[error.status] ?? "error",
        message: error.message || `HTTP ${error.status}`,
      },
    };
    return c.json(body, error.status);
  }
  // Only unexpected failures (a bug) get here. Its message is not shown: the client learns
  // that it failed, the operator reads why in the log.
  console.error("prewarm router: unexpected error:", error);
  const body: RouterErrorBody = {
    error: { code: "internal-error", message: "The prewarm router failed; see the server log" },
  };
  return c.json(body, 500);
}
