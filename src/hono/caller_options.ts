/**
 * The `prewarm()` options a caller may set in a `POST /prewarm` body: only those the operator
 * lists in `callerOptions` (none by default); the rest come from the router's `prewarm`
 * options. A field the operator did not allow is refused with 400, never ignored.
 * @module
 */
import { PUSH_PARAMETERS, pushFields, type PushParameters } from "../push_parameters.ts";
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
