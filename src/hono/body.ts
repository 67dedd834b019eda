/**
 * The `POST /prewarm` body: read with the size cap enforced while the bytes arrive, then
 * parsed (JSON or one URL per line) and checked before anything is sent upstream.
 * @module
 */
import type { Context, Env } from "hono";
import type { TencentApi } from "../api.ts";
import { type Area, AREAS } from "../rules/report.ts";
import {
  CALLER_OPTIONS,
  type CallerSettings,
  checkPurgeFirst,
  readCallerOptions,
  withCallerHeaders,
} from "./caller_options.ts";
import { RouterError } from "./errors.ts";
import { type Screened, screenHosts } from "./hosts.ts";
import type { RequestConfig, ResolvedRouterOptions } from "./options.ts";

/** What a `POST /prewarm` asked for. */
export interface PrewarmRequestBody {
  /** The URL strings, as given (blank and comment lines of a text body dropped). */
  urls: string[];
  /** The area, when the body names one. */
  area?: Area;
  /** The options the body set, among those the operator allows (`callerOptions`); once
   * checked against the configuration, `headers` holds the operator's headers as well. */
  options?: CallerSettings;
}

/** The two body formats. */
export type BodyFormat = "json" | "text";

const ACCEPTED_CHARSETS = new Set(["utf-8", "utf8", "us-ascii"]);

/**
 * Decides the body format from `Content-Type`.
 * @throws {RouterError} 415 for any other media type or a charset other than UTF-8.
 */
export function bodyFormat(contentType: string | undefined): BodyFormat {
  const [essence = "", ...params] = (contentType ?? "").split(";");
  const type = essence.trim().toLowerCase();
  const format: BodyFormat | undefined = type === "application/json" || type.endsWith("+json")
    ? "json"
    : type === "text/plain"
    ? "text"
    : undefined;
  if (format === undefined) {
    throw new RouterError(
      415,
      "unsupported-media-type",
      `Send the URLs as application/json ({"urls": [...]}) or as text/plain (one URL per line); got ${
        type === "" ? "no Content-Type" : `"${type.slice(0, 100)}"`
      }`,
    );
  }
  for (const param of params) {
    const [name = "", value = ""] = param.split("=");
    const charset = value.trim().replace(/^"|"$/g, "").toLowerCase();
    if (name.trim().toLowerCase() === "charset" && !ACCEPTED_CHARSETS.has(charset)) {
      throw new RouterError(
        415,
        "unsupported-media-type",
        `Send the body as UTF-8; got charset "${charset.slice(0, 40)}"`,
      );
    }
  }
  return format;
}

function tooLarge(maxBytes: number): RouterError {
  return new RouterError(
    413,
    "body-too-large",
    `The body is larger than ${maxBytes} bytes (maxBodyBytes); send fewer URLs per request`,
  );
}

function timedOut(timeoutMs: number): RouterError {
  return new RouterError(
    408,
    "body-timeout",
    `The body did not arrive within ${timeoutMs} ms (bodyTimeoutMs); send it again, all at once`,
    // The rest of the body is not read, so the connection cannot carry another request.
    { headers: { Connection: "close" } },
  );
}

/**
 * Reads the body as UTF-8 text, never holding more than `maxBytes` of it nor reading for
 * longer than `timeoutMs`: a declared `Content-Length` over the cap is refused before
 * reading, and every body is counted chunk by chunk and the stream cancelled as soon as it
 * passes the cap or the deadline (a body trickled a byte at a time would otherwise hold the
 * connection as long as its client likes). (Hono's `bodyLimit` is not used: within the Hono
 * versions this module accepts it changed from erroring the stream to buffering, it trusts a
 * declared length without counting, and it never cancels the stream.)
 * @throws {RouterError} 413 over the cap, 408 past the deadline, 400 when the body is not
 * UTF-8 or cannot be read.
 */
export async function readCappedText(
  request: Request,
  maxBytes: number,
  timeoutMs: number,
): Promise<string> {
  const declared = request.headers.get("content-length")?.trim();
  if (declared && /^\d+$/.test(declared) && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (request.body === null) return "";
  const reader = request.body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"late">((resolve) => {
    timer = setTimeout(resolve, timeoutMs, "late");
  });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array> | "late";
      try {
        chunk = await Promise.race([reader.read(), deadline]);
      } catch {
        throw new RouterError(400, "invalid-body", "The body could not be read to its end");
      }
      if (chunk === "late") throw timedOut(timeoutMs);
      if (chunk.done) break;
      total += chunk.value.byteLength;
      if (total > maxBytes) throw tooLarge(maxBytes);
      chunks.push(chunk.value);
    }
  } catch (error) {
    // Not awaited: the refusal need not wait for the stream to be torn down.
    reader.cancel().catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new RouterError(400, "invalid-body", "The body is not valid UTF-8");
  }
}

function invalid(message: string): RouterError {
  return new RouterError(400, "invalid-body", message);
}

function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" ? "an object" : `a ${type}`;
}

/**
 * Checks an `area` value from the body (`"area"`) or the query string (`?area=`).
 * @throws {RouterError} 400 naming the value.
 */
export function checkArea(value: unknown, source: "body" | "query"): Area {
  if (typeof value === "string" && (AREAS as readonly string[]).includes(value)) {
    return value as Area;
  }
  const got = typeof value === "string" ? `"${value.slice(0, 40)}"` : kind(value);
  const allowed = AREAS.map((a) => `"${a}"`).join(", ");
  return source === "query"
    ? fail("invalid-query", `Expected ?area= to be one of ${allowed}; got ${got}`)
    : fail("invalid-body", `Expected "area" to be one of ${allowed}; got ${got}`);
}

function fail(code: "invalid-query" | "invalid-body", message: string): never {
  throw new RouterError(400, code, message);
}

/**
 * Parses a JSON body: an object with `urls` (an array of strings), optionally `area`, and the
 * options `allowed` lists (`callerOptions`). Messages say what was wrong and where, never
 * quoting more of the body than a field name.
 * @throws {RouterError} 400.
 */
export function parseJsonBody(
  text: string,
  allowed: ReadonlySet<string> = new Set(),
): PrewarmRequestBody {
  if (text.trim() === "") throw invalid('The body is empty; expected a JSON object with "urls"');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid('The body is not valid JSON; expected an object such as {"urls": ["https://…"]}');
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid(`Expected a JSON object with "urls"; got ${kind(value)}`);
  }
  const fields = value as Record<string, unknown>;
  const unknown = Object.keys(fields).find((name) =>
    name !== "urls" && name !== "area" && !(CALLER_OPTIONS as readonly string[]).includes(name)
  );
  if (unknown !== undefined) {
    throw invalid(
      `Unexpected field "${unknown.slice(0, 40)}"; the body takes "urls", optionally "area", ` +
        "and the options the router's callerOptions allows",
    );
  }
  const { urls } = fields;
  if (!Array.isArray(urls)) {
    throw invalid(
      `Expected "urls" to be an array of strings; ${
        urls === undefined ? "it is missing" : `got ${kind(urls)}`
      }`,
    );
  }
  const bad = urls.findIndex((item) => typeof item !== "string");
  if (bad >= 0) {
    throw invalid(`Expected "urls" to be an array of strings; item ${bad} is ${kind(urls[bad])}`);
  }
  const body: PrewarmRequestBody = { urls: urls as string[] };
  if (fields.area !== undefined) body.area = checkArea(fields.area, "body");
  const options = readCallerOptions(fields, allowed);
  if (Object.keys(options).length > 0) body.options = options;
  return body;
}

/** Parses a text body: one URL per line; blank lines and lines starting with `#` are skipped. */
export function parseTextBody(text: string): PrewarmRequestBody {
  const urls = text.split(/\r?\n/).map((line) => line.trim()).filter((line) =>
    line !== "" && !line.startsWith("#")
  );
  return { urls };
}

function chooseArea(fromBody: Area | undefined, fromQuery: string | undefined): Area | undefined {
  const query = fromQuery === undefined ? undefined : checkArea(fromQuery, "query");
  if (fromBody !== undefined && query !== undefined && fromBody !== query) {
    throw new RouterError(
      400,
      "invalid-body",
      `The body asks for area "${fromBody}" but the query string for "${query}"; give one`,
    );
  }
  return fromBody ?? query;
}

/** How many URLs one request may list, and how its 413 names that limit. */
export interface UrlLimit {
  /** The most URLs one body may list. */
  maxUrls: number;
  /** The option that sets it, as the 413 names it (`maxUrls`, `verify.maxUrls`). */
  name: string;
  /** What the route does with them, as the 413 says it ("accepted", "probed"). */
  verb: string;
}

/**
 * Reads a body that lists URLs (of `POST /prewarm`, `/prewarm/plan` and `/verify`): its format
 * from the `Content-Type`, its bytes under the size cap and time limit, parsed and counted.
 * @throws {RouterError} 400 `no-urls`, 413 `too-many-urls` past `limit.maxUrls`, and what
 * reading and parsing the body throw (400, 408, 413, 415).
 */
export async function readUrlBody<E extends Env>(
  c: Context<E>,
  options: ResolvedRouterOptions<E>,
  limit: UrlLimit,
): Promise<PrewarmRequestBody> {
  const format = bodyFormat(c.req.header("content-type"));
  const text = await readCappedText(c.req.raw, options.maxBodyBytes, options.bodyTimeoutMs);
  const body = format === "json" ? parseJsonBody(text, options.callerOptions) : parseTextBody(text);
  if (body.urls.length === 0) {
    throw new RouterError(400, "no-urls", "The body lists no URLs");
  }
  if (body.urls.length > limit.maxUrls) {
    throw new RouterError(
      413,
      "too-many-urls",
      `The body lists ${body.urls.length} URLs; at most ${limit.maxUrls} are ${limit.verb} ` +
        `per request (${limit.name}): split them`,
    );
  }
  return body;
}

/** A `POST /prewarm` (or `/prewarm/plan`) request, read, checked and screened. */
export interface UrlRequest {
  /** The configuration of the request. */
  config: RequestConfig;
  /** The body. */
  body: PrewarmRequestBody;
  /** The API it will prefetch through: the router's, with the body's (or `?area=`'s) area and
   * the caller options it set. */
  api: TencentApi;
  /** Its URLs split by the allow-list. */
  screened: Screened;
}

/**
 * Reads the configuration and the body of `POST /prewarm` (and of its dry run,
 * `POST /prewarm/plan`), checks the body and screens its hosts: everything about the request
 * is checked before a single upstream call.
 * @throws {RouterError} 503 when not configured; 400, 408, 413 or 415 saying what is wrong.
 */
export async function readUrlRequest<E extends Env>(
  c: Context<E>,
  options: ResolvedRouterOptions<E>,
): Promise<UrlRequest> {
  const config = await options.configure(c);
  const body = await readUrlBody(c, options, {
    maxUrls: options.maxUrls,
    name: "maxUrls",
    verb: "accepted",
  });
  if (body.options) {
    // The operator's headers are those of the router's API (`cdn({ headers })`).
    const operator = config.api.options?.headers as Readonly<Record<string, string>> | undefined;
    body.options = withCallerHeaders(body.options, operator, options.callerOptions);
    checkPurgeFirst(body.options, config.api);
  }
  const asked = chooseArea(body.area, c.req.query("area"));
  const { purgeFirst: _, ...settings } = body.options ?? {};
  const api = configureApi(config.api, {
    ...(asked !== undefined && { area: asked }),
    ...settings,
  });
  return { config, body, api, screened: screenHosts(body.urls, config.allowedHosts) };
}

/**
 * The router's API with a caller's settings (an area, `PushUrlsCache` parameters), checked as
 * its factory checks them; the API itself when there are none.
 * @throws {RouterError} 400 when the API takes none of them (EdgeOne's zone decides its area)
 * or one is malformed.
 */
export function configureApi(
  api: TencentApi,
  settings: Readonly<Record<string, unknown>>,
  where: "body" | "query" = "body",
): TencentApi {
  const names = Object.keys(settings);
  if (names.length === 0) return api;
  const code = where === "body" ? "invalid-body" : "invalid-query";
  const refused = names.find((name) => !api.settings?.includes(name));
  if (refused !== undefined || !api.configure) {
    throw new RouterError(
      400,
      code,
      `This router prefetches through ${api.title}, which takes no ${
        refused ?? names[0]
      } from a request`,
    );
  }
  try {
    return api.configure(settings);
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    throw new RouterError(400, code, `Invalid ${where}: ${error.message}`);
  }
}
