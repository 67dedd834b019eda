/**
 * The optional `PushUrlsCache` parameters, checked as documented: `UserAgent` a string,
 * `Layer` only `"middle"`, `ParseM3U8`/`DisableRange`/`UrlEncode` booleans, `Headers` at most
 * 20 `{Name, Value}` with a name of at most 128 bytes and a value of at most 1024 bytes.
 *
 * @module
 */

import { utf8 } from "./crypto.ts";
import { describe } from "./options_check.ts";
import type { PushHeader, PushUrlsCacheParameters } from "./push_tasks.ts";

/** Most custom headers one request may carry. */
export const MAX_PUSH_HEADERS = 20;
/** Longest header name, in UTF-8 bytes. */
export const MAX_HEADER_NAME_BYTES = 128;
/** Longest header value, in UTF-8 bytes. */
export const MAX_HEADER_VALUE_BYTES = 1024;

const BOOLEANS = ["ParseM3U8", "DisableRange", "UrlEncode"] as const;

/** The parameters the request carried, or a sentence saying which one is wrong and how. */
export function readPushParameters(
  input: Record<string, unknown>,
): PushUrlsCacheParameters | string {
  const parameters: PushUrlsCacheParameters = {};
  const { UserAgent, Layer, Headers } = input;
  if (UserAgent !== undefined) {
    if (typeof UserAgent !== "string") {
      return `UserAgent must be a string; got ${describe(UserAgent)}`;
    }
    parameters.UserAgent = UserAgent;
  }
  if (Layer !== undefined) {
    if (Layer !== "middle") return `Layer may only be "middle"; got ${describe(Layer)}`;
    parameters.Layer = Layer;
  }
  for (const name of BOOLEANS) {
    const value = input[name];
    if (value === undefined) continue;
    if (typeof value !== "boolean") return `${name} must be a boolean; got ${describe(value)}`;
    parameters[name] = value;
  }
  if (Headers !== undefined) {
    const headers = readHeaders(Headers, CDN_HEADER_LIMITS);
    if (typeof headers === "string") return headers;
    parameters.Headers = headers;
  }
  return parameters;
}

/** Size limits on custom headers; EdgeOne documents none. */
export interface HeaderLimits {
  /** Most headers. */
  count: number;
  /** Longest name, in UTF-8 bytes. */
  nameBytes: number;
  /** Longest value, in UTF-8 bytes. */
  valueBytes: number;
}

const CDN_HEADER_LIMITS: HeaderLimits = {
  count: MAX_PUSH_HEADERS,
  nameBytes: MAX_HEADER_NAME_BYTES,
  valueBytes: MAX_HEADER_VALUE_BYTES,
};
const NO_LIMITS: HeaderLimits = { count: Infinity, nameBytes: Infinity, valueBytes: Infinity };

/** Reads `Headers` as `[{Name, Value}]` within the limits, or says what is wrong. */
export function readHeaders(
  value: unknown,
  limits: HeaderLimits = NO_LIMITS,
): PushHeader[] | string {
  if (!Array.isArray(value)) return `Headers must be an array; got ${describe(value)}`;
  if (value.length > limits.count) {
    return `Headers may hold at most ${limits.count} headers; got ${value.length}`;
  }
  const headers: PushHeader[] = [];
  for (const [index, header] of value.entries()) {
    const where = `Headers.${index}`;
    if (typeof header !== "object" || header === null || Array.isArray(header)) {
      return `${where} must be an object {Name, Value}; got ${describe(header)}`;
    }
    const extra = Object.keys(header).find((key) => key !== "Name" && key !== "Value");
    if (extra !== undefined) return `${where} has an unknown field ${extra}`;
    const { Name, Value } = header as Record<string, unknown>;
    if (typeof Name !== "string" || Name === "") {
      return `${where}.Name must be a non-empty string; got ${describe(Name)}`;
    }
    if (typeof Value !== "string") return `${where}.Value must be a string; got ${describe(Value)}`;
    const nameBytes = utf8(Name).length;
    if (nameBytes > limits.nameBytes) {
      return `${where}.Name is ${nameBytes} bytes; at most ${limits.nameBytes} are allowed`;
    }
    const valueBytes = utf8(Value).length;
    if (valueBytes > limits.valueBytes) {
      return `${where}.Value is ${valueBytes} bytes; at most ${limits.valueBytes} are allowed`;
    }
    headers.push({ Name, Value });
  }
  return headers;
}
