/**
 * The one place an API named as data becomes a value: the command line's `--api teo --zone Z`
 * (and `--area`, `--method`, the `PushUrlsCache` flags) and JSON configuration are an
 * {@linkcode ApiSpec}, and {@linkcode apiFromSpec} turns it into `cdn()`, `cdnV2()` or
 * `edgeOne()`. Nothing else reads an API's name to decide what to do.
 * @module
 */
import type { TencentApi } from "../api.ts";
import { edgeOne } from "./edgeone.ts";
import { checkZoneId, EDGEONE_ERRORS } from "./edgeone_zone.ts";
import { PURGE_ERRORS } from "./cdn_purge.ts";
import type { ErrorRows } from "../rules/outcome.ts";
import { V2_ERRORS } from "../transport/v2.ts";
import { oneOf } from "../rules/option_checks.ts";
import { cdn, type CdnOptions } from "./cdn.ts";
import { cdnV2, type CdnV2Options } from "./cdn_v2.ts";

/** The names an {@linkcode ApiSpec} may give as `api`. */
export const API_NAMES = ["v3", "v2", "teo"] as const;

/** An API named as data: its name, and the options of its factory. */
export interface ApiSpec extends CdnOptions, CdnV2Options {
  /** `"v3"` (`cdn()`), `"v2"` (`cdnV2()`) or `"teo"` (`edgeOne()`). @default {"v3"} */
  api?: (typeof API_NAMES)[number];
  /** EdgeOne's zone (`api: "teo"` only, where it is required). */
  zoneId?: string;
}

/**
 * Every API's own error rows in one table, for readers that say advice in their own words
 * about errors of any API (the command line, the router).
 */
export const KNOWN_ERROR_ROWS: ErrorRows = Object.freeze({
  categories: { ...PURGE_ERRORS.categories, ...EDGEONE_ERRORS.categories },
  advice: { ...V2_ERRORS.advice, ...PURGE_ERRORS.advice, ...EDGEONE_ERRORS.advice },
});

/** The fields each API's factory takes. */
const FIELDS: Record<(typeof API_NAMES)[number], readonly string[]> = {
  v3: cdn().settings!,
  v2: ["method", "signatureMethod", "area"],
  teo: ["zoneId"],
};

/**
 * Turns a spec into its API value. `name` says how a field is called where the spec came from
 * (`zoneId` is `--zone` on the command line), for the messages.
 * @throws {TypeError} for an unknown `api`, a field that API does not take, or EdgeOne without
 * a zone; and what the factory throws for a malformed value.
 */
export function apiFromSpec(
  spec: ApiSpec,
  name: (field: string) => string = (field) => `option ${field}`,
): TencentApi {
  // A zone names EdgeOne by itself.
  const api = oneOf("api", spec.api, API_NAMES, spec.zoneId !== undefined ? "teo" : "v3");
  const given = Object.keys(spec).filter((field) =>
    field !== "api" && (spec as Record<string, unknown>)[field] !== undefined
  );
  const foreign = given.find((field) => !FIELDS[api].includes(field));
  if (foreign !== undefined) {
    const owner = API_NAMES.find((other) => FIELDS[other].includes(foreign));
    throw new TypeError(
      `Invalid ${name(foreign)}: ${
        owner ? `it applies to ${name("api")} "${owner}" only, not "${api}"` : "unknown"
      }`,
    );
  }
  const { api: _, ...options } = spec;
  switch (api) {
    case "v3":
      return cdn(options);
    case "v2": {
      // API 2.0 takes an area only to be told it prefetches overseas.
      const { area, ...v2 } = options;
      const api = cdnV2(v2);
      return area === undefined ? api : api.configure!({ area });
    }
    case "teo":
      if (spec.zoneId === undefined) {
        throw new TypeError(
          `Missing ${name("zoneId")}: api "teo" needs the EdgeOne zone (site) id`,
        );
      }
      return edgeOne({ zoneId: checkZoneId(spec.zoneId, name("zoneId")) });
  }
}

/**
 * The API that reads the tasks of runs through `api`, and where: itself, or, for an API
 * without task reads (API 2.0), API 3.0 (`DescribePushTasks` lists the same account's tasks).
 * An API 2.0 `endpoint` ending in `/v2/index.php` (a stand-in) is read at that server's root.
 */
export function taskReader(
  api: TencentApi,
  endpoint?: string | URL,
): { api: TencentApi; endpoint?: string | URL } {
  if (api.readTask) return endpoint === undefined ? { api } : { api, endpoint };
  const reader = cdn();
  if (endpoint === undefined) return { api: reader };
  const url = new URL(endpoint);
  return {
    api: reader,
    endpoint: url.pathname.endsWith("/v2/index.php")
      ? new URL(url.pathname.slice(0, -"v2/index.php".length), url)
      : url,
  };
}
