/**
 * The `prewarm()` options a caller may set in a `POST /prewarm` body: only those the operator
 * lists in `callerOptions` (none by default); the rest come from the router's `prewarm`
 * options. A field the operator did not allow is refused with 400, never ignored; so is a
 * caller header that would override what the operator decides ({@linkcode withCallerHeaders}).
 * @module
 */
import type { TencentApi } from "../api.ts";
import { isCdn } from "../apis/cdn.ts";
import { PUSH_PARAMETERS, pushFields, type PushParameters } from "../apis/push_parameters.ts";
import { RouterError } from "./errors.ts";

/** The body fields an operator may allow: the `PushUrlsCache` parameters and `purgeFirst`. */
export type CallerOption = keyof PushParameters | "purgeFirst";

/** Every {@linkcode CallerOption}. */
export const CALLER_OPTIONS: readonly CallerOption[] = [...PUSH_PARAMETERS, "purgeFirst"];

/** What a body set: the parameters, and whether to purge first. */
export type CallerSettings = PushParameters & { purgeFirst?: boolean };

/**
 * Checks the `callerOptions` router option.
 * @throws {TypeError} for anything but an array of {@linkcode CallerOption} names.
 */
export function checkCallerOptions(value: unknown): ReadonlySet<string> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value)) {
    throw new TypeError(
      `Invalid option callerOptions: expected an array of option names, got ${typeof value}`,
    );
  }
  for (const name of value) {
    if (!CALLER_OPTIONS.includes(name)) {
      throw new TypeError(
        `Invalid option callerOptions: expected names among ${CALLER_OPTIONS.join(", ")}, got ${
          JSON.stringify(name)
        }`,
      );
    }
  }
  return new Set(value);
}

function invalid(message: string): RouterError {
  return new RouterError(400, "invalid-body", message);
}

/**
 * Reads the caller options of a JSON body's fields, checked as `prewarm()` checks them.
 * @throws {RouterError} 400 for a field the operator did not allow or a value `prewarm()`
 * would refuse (the message says which and why).
 */
export function readCallerOptions(
  fields: Readonly<Record<string, unknown>>,
  allowed: ReadonlySet<string>,
): CallerSettings {
  const settings: Record<string, unknown> = {};
  for (const name of CALLER_OPTIONS) {
    if (!(name in fields)) continue;
    if (!allowed.has(name)) {
      throw invalid(
        `The body may not set "${name}" here: this router's operator decides it (callerOptions ` +
          `allows ${allowed.size === 0 ? "no field" : [...allowed].join(", ")})`,
      );
    }
    settings[name] = fields[name];
  }
  const { purgeFirst } = settings;
  if (purgeFirst !== undefined && typeof purgeFirst !== "boolean") {
    throw invalid(`Expected "purgeFirst" to be a boolean; got ${typeof purgeFirst}`);
  }
  try {
    pushFields(settings as PushParameters);
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    throw invalid(`Invalid body: ${error.message.replace(/^Invalid option /, "")}`);
  }
  return settings as CallerSettings;
}

/**
 * Refuses `purgeFirst: true` from a body when the router's API is not `cdn()`: purging first is
 * CDN API 3.0's (`PurgeUrlsCache`), so the request could only fail once it ran.
 * @throws {RouterError} 400 naming the field, the router's API and why.
 */
export function checkPurgeFirst(settings: CallerSettings, api: TencentApi): void {
  if (settings.purgeFirst === true && !isCdn(api)) {
    throw invalid(
      `The body may not set "purgeFirst" here: this router prefetches through ${api.title}, ` +
        "and purging first (PurgeUrlsCache) is CDN API 3.0's",
    );
  }
}

/** Why a header name is the operator's, not the caller's: lowercase name → the reason. */
const OPERATOR_HEADERS: ReadonlyMap<string, string> = new Map([
  // What the operator sets through the router's options.
  ["host", "the origin pull's Host is the URL's own host, the one allowedHosts checks"],
  ["user-agent", "the origin pull's User-Agent is the operator's (the userAgent option)"],
  ["range", "the operator decides whether origin pulls use ranges (the disableRange option)"],
  ["if-range", "the operator decides whether origin pulls use ranges (the disableRange option)"],
  // Hop-by-hop (RFC 9110 §7.6.1) and body framing: they describe one connection or a body,
  // not the origin pull, which has neither.
  ...[
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "expect",
  ].map((name) => [name, "it concerns one connection or a request body, not an origin pull"]),
  // Read by origins and frameworks as the client's address, or as the host, path or method
  // in place of the URL's: they would get around allowedHosts or the origin's own rules.
  ...[
    "forwarded",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
    "x-forwarded-port",
    "x-real-ip",
    "x-original-url",
    "x-rewrite-url",
    "x-http-method",
    "x-http-method-override",
    "x-method-override",
  ].map((name) => [name, "origins read it in place of the URL or of the client's address"]),
] as [string, string][]);

/**
 * Why a caller may not set this header in `headers` (`undefined` when it may): it is one of
 * {@linkcode OPERATOR_HEADERS}, a `Proxy-*` header, or one the operator set in the router's
 * `cdn({ headers })`.
 */
function operatorHeader(name: string, operator: Readonly<Record<string, string>>) {
  const lower = name.toLowerCase();
  if (Object.keys(operator).some((set) => set.toLowerCase() === lower)) {
    return "this router's operator sets it (cdn({ headers }))";
  }
  if (lower.startsWith("proxy-")) return "it is meant for a proxy, not the origin";
  return OPERATOR_HEADERS.get(lower);
}

/**
 * The caller's settings with the operator's headers kept: the caller's `headers`
 * are added to the operator's, never put in their place, and a name the operator decides is
 * refused (any letter case): `Host`, `User-Agent`, `Range`, the operator's own header names,
 * hop-by-hop and framing headers, `Proxy-*`, and the forwarding and override headers
 * (`X-Forwarded-*`, `Forwarded`, `X-Original-URL`, …).
 * @throws {RouterError} 400 naming the header and why, or when the two lists together are
 * more than `PushUrlsCache` takes.
 */
export function withCallerHeaders(
  settings: CallerSettings,
  operator: Readonly<Record<string, string>> = {},
  allowed: ReadonlySet<string> = new Set(),
): CallerSettings {
  if (settings.headers === undefined) return settings;
  for (const name of Object.keys(settings.headers)) {
    const why = operatorHeader(name, operator);
    if (why === undefined) continue;
    const instead = name.toLowerCase() === "user-agent" && allowed.has("userAgent")
      ? '; set "userAgent" instead'
      : "";
    throw invalid(
      `The body may not set the header "${name}" in "headers": ${why}${instead}`,
    );
  }
  const headers = { ...operator, ...settings.headers };
  try {
    pushFields({ headers });
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    throw invalid(
      `Invalid body: with the ${Object.keys(operator).length} headers this router's operator ` +
        `sets, ${error.message.replace(/^Invalid option /, "")}`,
    );
  }
  return { ...settings, headers };
}
