/**
 * Injected failures: what each one looks like on the wire, and the checks that reject a fault
 * description the simulator could not honour.
 *
 * @module
 */

import { type ApiAnswer, v2Failure, v3Failure } from "./answers.ts";
import { utf8 } from "./crypto.ts";
import { describe } from "./options_check.ts";
import { sleep } from "./sleep.ts";

/**
 * A failure to inject into the next request (see {@linkcode TencentCdnSimulator.inject}).
 * "Not processed" means the request neither spends quota nor creates a task.
 */
export type SimulatorFault =
  /** A raw HTTP answer, as from a gateway; the request is not processed. */
  | {
    /** Discriminant. */
    type: "status";
    /** HTTP status, 200–599. */
    status: number;
    /** Body text. @default "" */
    body?: string;
    /** `Content-Type` of the body. @default "text/plain; charset=utf-8" */
    contentType?: string;
  }
  /** An HTML error page, as from a proxy; the request is not processed. */
  | {
    /** Discriminant. */
    type: "html";
    /** HTTP status, 200–599. @default 502 */
    status?: number;
  }
  /**
   * The API's own rate-limit answer (API 3.0 `RequestLimitExceeded`; API 2.0 code 4400 with
   * module code 9163); the request is not processed.
   */
  | {
    /** Discriminant. */
    type: "rate-limit";
  }
  /**
   * An API-shaped error; the request is not processed. API 3.0 answers `Error.Code = code`.
   * API 2.0 answers `code` as a number when it is numeric text (else 6000 with `codeDesc =
   * code`) and the message `"(moduleCode)message"`.
   */
  | {
    /** Discriminant. */
    type: "error";
    /** Error code: `"InternalError"`, `"6000"`, … */
    code: string;
    /** API 2.0 module code, shown in parentheses before the message. @default undefined */
    moduleCode?: string;
    /** Error message. @default "Injected fault" */
    message?: string;
  }
  /**
   * Waits (real time), then processes normally. The wait is not cut short when the client
   * aborts: quota is spent even if nobody reads the answer.
   */
  | {
    /** Discriminant. */
    type: "delay";
    /** Real milliseconds to wait. */
    ms: number;
  }
  /**
   * Processes normally (quota spent), then answers 200 with a body that breaks off after a few
   * bytes of JSON, like a connection reset mid-response. Works in-process and over real HTTP.
   */
  | {
    /** Discriminant. */
    type: "reset";
  }
  /**
   * The in-process `fetch` rejects with a `TypeError` like a refused connection (`cause.code`
   * `"ECONNREFUSED"`); the request is not processed. Through `handle` the returned promise
   * rejects the same way, which a server then turns into its own 500 page.
   */
  | {
    /** Discriminant. */
    type: "refuse";
  };

/** The kinds of {@linkcode SimulatorFault}. */
export type SimulatorFaultType = SimulatorFault["type"];

/** What a {@linkcode TencentCdnSimulator.faultPolicy} is told about a request. */
export interface FaultPolicyInfo {
  /** Which API the request is for. */
  api: "v2" | "v3";
  /** The action (`CdnOverseaPushser`, `PushUrlsCache`, …); `""` when the request has none. */
  action: string;
  /** `"teo"` for an EdgeOne request (`X-TC-Version: 2022-09-01`); unset for CDN requests. */
  service?: "teo";
  /** How many URLs the request carries. */
  urlCount: number;
  /** 0-based position of the request among all API requests since construction or `reset()`. */
  index: number;
}

const FAULT_TYPES: readonly SimulatorFaultType[] = [
  "status",
  "html",
  "rate-limit",
  "error",
  "delay",
  "reset",
  "refuse",
];
const NULL_BODY_STATUSES = new Set([204, 205, 304]);
// After the first bytes, wait this long before breaking the body, so that a real HTTP server
// flushes the status line and the partial JSON first: the client must see a response that breaks
// mid-body, not a missing response.
const RESET_AFTER_MS = 20;

/** Checks a fault description, so a typo fails at `inject` and not inside a request. */
export function checkFault(value: unknown): SimulatorFault {
  if (typeof value !== "object" || value === null) {
    throw new TypeError(`A fault must be an object; got ${describe(value)}`);
  }
  const fault = value as Record<string, unknown>;
  if (!FAULT_TYPES.includes(fault.type as SimulatorFaultType)) {
    throw new TypeError(
      `Fault type must be one of ${FAULT_TYPES.join(", ")}; got ${describe(fault.type)}`,
    );
  }
  switch (fault.type) {
    case "status":
      checkStatus(fault.status, "status");
      checkOptionalString(fault, "body");
      checkOptionalString(fault, "contentType");
      if (NULL_BODY_STATUSES.has(fault.status as number) && fault.body) {
        throw new RangeError(`Fault status ${fault.status} cannot carry a body`);
      }
      break;
    case "html":
      if (fault.status !== undefined) checkStatus(fault.status, "html");
      break;
    case "error":
      if (typeof fault.code !== "string" || fault.code === "") {
        throw new TypeError(
          `Fault "error" needs a non-empty string code; got ${describe(fault.code)}`,
        );
      }
      checkOptionalString(fault, "moduleCode");
      checkOptionalString(fault, "message");
      break;
    case "delay":
      if (typeof fault.ms !== "number" || !Number.isFinite(fault.ms) || fault.ms < 0) {
        throw new RangeError(
          `Fault "delay" needs ms as a finite number of at least 0; got ${describe(fault.ms)}`,
        );
      }
      break;
  }
  return value as SimulatorFault;
}

function checkStatus(status: unknown, type: string): void {
  if (typeof status !== "number" || !Number.isInteger(status) || status < 200 || status > 599) {
    throw new RangeError(
      `Fault "${type}" needs status as an integer from 200 to 599; got ${describe(status)}`,
    );
  }
}

function checkOptionalString(fault: Record<string, unknown>, field: string): void {
  const value = fault[field];
  if (value !== undefined && typeof value !== "string") {
    throw new TypeError(`Fault "${fault.type}" needs ${field} as a string; got ${describe(value)}`);
  }
}

/** The answer of a fault that replaces processing. */
export function faultAnswer(
  fault: Extract<SimulatorFault, { type: "status" | "html" | "rate-limit" | "error" }>,
  api: "v2" | "v3",
): ApiAnswer {
  const outcome = `fault:${fault.type}`;
  switch (fault.type) {
    case "status": {
      const text = NULL_BODY_STATUSES.has(fault.status) ? "" : fault.body ?? "";
      const contentType = fault.contentType ?? "text/plain; charset=utf-8";
      return { status: fault.status, contentType, text, outcome };
    }
    case "html": {
      const status = fault.status ?? 502;
      const title = `${status} ${status === 502 ? "Bad Gateway" : "Error"}`;
      const text = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n` +
        `<center><h1>${title}</h1></center>\r\n<hr><center>stgw</center>\r\n</body>\r\n</html>\r\n`;
      return { status, contentType: "text/html", text, outcome };
    }
    case "rate-limit": {
      const answer = api === "v3"
        ? v3Failure(
          "RequestLimitExceeded",
          "The request frequency exceeds the limit of this action. Please retry later.",
        )
        : v2Failure(4400, "Requests are too frequent, please retry later", "9163");
      return { ...answer, outcome };
    }
    case "error": {
      const message = fault.message ?? "Injected fault";
      if (api === "v3") return { ...v3Failure(fault.code, message), outcome };
      const numeric = /^-?\d+$/.test(fault.code);
      const answer = numeric
        ? v2Failure(Number(fault.code), message, fault.moduleCode)
        : v2Failure(6000, message, fault.moduleCode, fault.code);
      return { ...answer, outcome };
    }
  }
}

/** The error a real `fetch` rejects with when nothing listens on the port. */
export function connectionRefused(url: string): TypeError {
  const host = URL.canParse(url) ? new URL(url).host : url;
  const cause = Object.assign(new Error(`connect ECONNREFUSED ${host}`), {
    code: "ECONNREFUSED",
    errno: -111,
    syscall: "connect",
  });
  return new TypeError(
    `error sending request for url (${url}): client error (Connect): ` +
      "tcp connect error: Connection refused (os error 111)",
    { cause },
  );
}

/**
 * A body that yields the first few bytes of `text` and then fails, like a connection reset
 * mid-response. Served over real HTTP, the server aborts the connection at that point.
 */
export function breakingBody(text: string): ReadableStream<Uint8Array<ArrayBuffer>> {
  const bytes = utf8(text);
  const partial = bytes.slice(0, Math.max(1, Math.min(16, Math.floor(bytes.length / 2))));
  let sent = false;
  return new ReadableStream<Uint8Array<ArrayBuffer>>({
    // `pull`, not `start`: erroring a stream discards what is queued, so the partial bytes must
    // be read before the error is raised.
    async pull(controller): Promise<void> {
      if (!sent) {
        sent = true;
        controller.enqueue(partial);
        return;
      }
      await sleep(RESET_AFTER_MS);
      controller.error(connectionReset());
    },
  });
}

function connectionReset(): TypeError {
  const cause = Object.assign(new Error("read ECONNRESET"), {
    code: "ECONNRESET",
    errno: -104,
    syscall: "read",
  });
  return new TypeError(
    "error reading a body from connection: Connection reset by peer (os error 104)",
    { cause },
  );
}
