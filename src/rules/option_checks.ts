/**
 * The checks every option goes through: one wording for every mistake, naming the option and
 * the value seen (`RangeError` for a number out of range, `TypeError` for anything else).
 * @module
 */

/** The longest delay a timer takes: `setTimeout` clamps longer ones to 1 ms, so a longer
 * timeout would fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Throws the error for an option that is not what it should be: `RangeError` for a number out
 * of range, `TypeError` otherwise, naming the option and the value seen. */
export function fail(name: string, expected: string, value: unknown): never {
  const seen = typeof value === "string" ? `"${value}"` : String(value);
  const Kind = typeof value === "number" ? RangeError : TypeError;
  throw new Kind(`Invalid option ${name}: expected ${expected}, got ${seen}`);
}

/** Checks an integer option within `min`–`max` (`Infinity` allowed when `max` is). */
export function integer(
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max = Infinity,
): number {
  if (value === undefined) return fallback;
  if (value === Infinity && max === Infinity) return value;
  if (
    typeof value !== "number" || !Number.isInteger(value) || value < min ||
    value > max
  ) {
    fail(
      name,
      max === Infinity ? `an integer >= ${min}` : `an integer from ${min} to ${max}`,
      value,
    );
  }
  return value;
}

/** Checks a number option above 0 and at most `max`, or `Infinity`. */
export function positive(
  name: string,
  value: unknown,
  fallback: number,
  max = Infinity,
): number {
  if (value === undefined || value === Infinity) return value ?? fallback;
  if (typeof value !== "number" || !(value > 0) || value > max) {
    fail(
      name,
      max === Infinity ? "a number > 0" : `a number > 0 and <= ${max}, or Infinity`,
      value,
    );
  }
  return value;
}

/** Checks an option that takes one of a few strings. */
export function oneOf<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) {
    fail(
      name,
      allowed.map((a) => `"${a}"`).join(" or "),
      value,
    );
  }
  return value as T;
}

/** Checks an optional function option. */
export function optionalFunction<T>(name: string, value: unknown): T | undefined {
  if (value !== undefined && typeof value !== "function") {
    throw new TypeError(`Invalid option ${name}: expected a function, got ${typeof value}`);
  }
  return value as T | undefined;
}

/** Checks an optional boolean option (the kind seen is named, never the value). */
export function optionalBoolean(name: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== "boolean") {
    throw new TypeError(`Invalid option ${name}: expected a boolean, got ${typeof value}`);
  }
  return value;
}

/**
 * A caller's time, a `Date` or ms since the epoch, as ms.
 * @throws {TypeError} naming `name` for anything else (an invalid `Date`, `NaN`, a string).
 */
export function epochMs(value: unknown, name: string): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== "number" || !Number.isFinite(ms)) {
    throw new TypeError(`Invalid ${name}: expected a Date or ms since the epoch, got ${value}`);
  }
  return ms;
}
