/**
 * EdgeOne's API 3.0 service: where it is, what it signs, and the zone id every call names.
 * @module
 */
import type { ErrorRows } from "../rules/outcome.ts";
import type { V3Service } from "../transport/v3.ts";

/** EdgeOne's endpoint (the international site is `https://teo.intl.tencentcloudapi.com/`). */
export const TEO_ENDPOINT = "https://teo.tencentcloudapi.com/";

const ZONE = "Check {zoneId}: no EdgeOne zone of this account has it.";

/**
 * EdgeOne's own error rows (docs/tencent-error-codes.md): its zone codes stop the run, a domain
 * missing from the zone stops that host, `BatchQuota` halves the batch.
 */
export const EDGEONE_ERRORS: ErrorRows = {
  categories: {
    "InvalidParameter.DomainNotFound": "domain",
    "LimitExceeded.BatchQuota": "batch-limit",
    "ResourceNotFound.ZoneNotFound": "account",
    "ResourceUnavailable.ZoneNotFound": "account",
    "InvalidParameter.ZoneNotFound": "account",
    "InvalidParameterValue.ZoneNotFound": "account",
  },
  advice: {
    "InvalidParameter.DomainNotFound": "Add the domain to the zone ({zoneId}), or drop these URLs.",
    "InvalidParameter.ZoneNotFound": ZONE,
    "InvalidParameterValue.ZoneNotFound": ZONE,
    "ResourceNotFound.ZoneNotFound": ZONE,
    "ResourceUnavailable.ZoneNotFound": ZONE,
  },
};

/** EdgeOne's TC3 service name and API version. */
export const TEO_SERVICE: Readonly<V3Service> = Object.freeze({
  service: "teo",
  version: "2022-09-01",
  errors: EDGEONE_ERRORS,
});

// EdgeOne zone ids look like `zone-2o0i2m9sk3li`; letters, digits, "-" and "_" cover them.
const ZONE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Checks a zone id. `"*"` (every zone, which `CreatePrefetchTask` accepts) is refused: the
 * budget and the quota are per zone, so a run names one.
 * @throws {TypeError} naming `name` and the value seen.
 */
export function checkZoneId(value: unknown, name = "option zoneId"): string {
  if (typeof value === "string" && ZONE_ID.test(value)) return value;
  const seen = typeof value === "string" ? `"${value.slice(0, 80)}"` : String(value);
  const why = value === "*"
    ? 'one zone\'s id (the budget and quota are per zone, so "*" is not taken)'
    : 'an EdgeOne zone id such as "zone-2o0i2m9sk3li" (letters, digits, "-", "_")';
  throw new TypeError(`Invalid ${name}: expected ${why}, got ${seen}`);
}
