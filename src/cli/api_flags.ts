/**
 * The API a command line names: `--api`, `--zone`, `--area`, `--method`, `--signature-method`
 * and the `PushUrlsCache` flags become an `ApiSpec`, and the one mapping (`apiFromSpec`) makes
 * the value every command then uses without asking which API it is.
 * @module
 */
import type { TencentApi } from "../api.ts";
import { API_NAMES, apiFromSpec } from "../apis/spec.ts";
import { AREAS } from "../rules/report.ts";
import { UsageError } from "./args.ts";
import type { Flags } from "./flags.ts";
import { pushOptions } from "./push_flags.ts";

/** The flag that sets each spec field, for messages. */
const FLAG_OF: Record<string, string> = {
  api: "--api",
  zoneId: "--zone",
  signatureMethod: "--signature-method",
  userAgent: "--user-agent",
  parseM3U8: "--parse-m3u8",
  disableRange: "--disable-range",
  headers: "--header",
  urlEncode: "--url-encode",
};

/**
 * The API the flags name: `--api v3` (the default), `--api v2`, or `--api teo --zone ZONE` (a
 * zone alone names EdgeOne).
 * @throws {UsageError} for a flag the API does not take, EdgeOne without `--zone`, or a
 * malformed value.
 */
export function apiFromFlags(flags: Flags): TencentApi {
  const zoneId = flags.string("zone");
  try {
    return apiFromSpec({
      api: flags.choice("api", API_NAMES) ?? (zoneId !== undefined ? "teo" : undefined),
      zoneId,
      area: flags.choice("area", AREAS),
      signatureMethod: flags.choice("signature-method", ["HmacSHA256", "HmacSHA1"] as const),
      method: flags.choice("method", ["POST", "GET"] as const),
      ...pushOptions(flags),
    }, (field) => FLAG_OF[field] ?? `--${field}`);
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}
