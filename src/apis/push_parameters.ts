/**
 * The optional `PushUrlsCache` parameters: checked before anything is sent, and written the
 * way Tencent documents them (docs/tencent-api.md §1).
 * @module
 */

/** The optional `PushUrlsCache` parameters: options of `cdn()`. */
export interface PushParameters {
  /** `UserAgent`: the `User-Agent` of the origin pull. @default {"TencentCdn"} (Tencent's) */
  userAgent?: string;
  /** `Layer`: `"middle"` warms the mid-tier only (overseas warms edge nodes by default, and
   * that edge traffic is billed). @default {undefined} (Tencent's default per area) */
  layer?: "middle";
  /**
   * `ParseM3U8`: also prefetch the segments of HLS playlists (up to 3 levels). Segments spend
   * the daily quota too, how many is unknown in advance, and Tencent skips them silently once
   * the quota runs out: the report warns, and with `checkQuota` the local budget is reconciled
   * with `DescribePushQuota` after the run. @default {false}
   */
  parseM3U8?: boolean;
  /** `DisableRange`: pull from the origin without `Range` (in gray release). @default {false} */
  disableRange?: boolean;
  /** `Headers` of the origin pull, name → value: at most 20, names HTTP tokens of at most 128
   * bytes, values at most 1024 bytes without CR, LF or NUL. @default {{}} */
  headers?: Record<string, string>;
  /** `UrlEncode`: let Tencent encode non-ASCII characters. @default {true} for a batch holding a
   * URL with non-ASCII characters, else unset */
  urlEncode?: boolean;
}

const TOKEN = /^[-!#$%&'*+.^_`|~\w]{1,128}$/;
const BREAKS = /[\r\n\0]/;
// deno-lint-ignore no-control-regex -- non-ASCII is what this looks for.
const NON_ASCII = /[^\x00-\x7f]/;

function invalid(name: string, expected: string, seen: unknown, Kind = TypeError): never {
  throw new Kind(`Invalid option ${name}: expected ${expected}, got ${JSON.stringify(seen)}`);
}

// A value is never quoted back: a header may carry a token for the origin.
function headerValue(name: string, value: unknown): string {
  if (typeof value !== "string") invalid(name, "a string", typeof value);
  if (BREAKS.test(value)) invalid(name, "no CR, LF or NUL", "a value with one");
  const bytes = new TextEncoder().encode(value).length;
  if (bytes > 1024) invalid(name, "at most 1024 bytes", bytes, RangeError);
  return value;
}

/** The names of the {@linkcode PushParameters}, in `PushUrlsCache`'s order. */
export const PUSH_PARAMETERS: readonly (keyof PushParameters)[] = [
  "userAgent",
  "layer",
  "parseM3U8",
  "disableRange",
  "headers",
  "urlEncode",
];

function headerList(value: unknown): { Name: string; Value: string }[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    invalid("headers", "an object of header names to values", value);
  }
  const entries = Object.entries(value);
  if (entries.length > 20) {
    invalid("headers", "at most 20 headers", entries.length, RangeError);
  }
  return entries.map(([name, value]) => {
    if (!TOKEN.test(name)) invalid("headers", "names that are HTTP tokens of 1 to 128 bytes", name);
    return { Name: name, Value: headerValue(`headers["${name}"]`, value) };
  });
}

/**
 * Checks the parameters and returns their `PushUrlsCache` fields (only those set; the wire name
 * is the option's name capitalized).
 * @throws {TypeError} for a value of the wrong kind.
 * @throws {RangeError} for too many headers, or a name or value too long.
 */
export function pushFields(options: PushParameters): Record<string, unknown> {
  const given = PUSH_PARAMETERS.filter((name) => options[name] !== undefined);
  const fields: Record<string, unknown> = {};
  for (const name of given) {
    const value = options[name];
    fields[name[0]!.toUpperCase() + name.slice(1)] = name === "userAgent"
      ? headerValue(name, value === "" ? invalid(name, "a non-empty string", value) : value)
      : name === "headers"
      ? headerList(value)
      : name === "layer"
      ? value === "middle" ? value : invalid(name, '"middle"', value)
      : typeof value === "boolean"
      ? value
      : invalid(name, "a boolean", value);
  }
  return fields;
}

/**
 * Adds `UrlEncode: true` to a payload whose URLs hold a non-ASCII character (a Chinese path,
 * say), which Tencent supports only encoded, unless the caller set `UrlEncode` either way.
 */
export function withUrlEncode(
  payload: Record<string, unknown>,
  urls: readonly string[],
): Record<string, unknown> {
  // One scan of the joined URLs: a regular expression per URL costs more than the join.
  return payload.UrlEncode === undefined && NON_ASCII.test(urls.join(""))
    ? { ...payload, UrlEncode: true }
    : payload;
}
