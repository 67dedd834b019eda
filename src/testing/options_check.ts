/**
 * Checks shared by every option of the simulator: numbers in range, and how a bad value is shown
 * in the error message.
 *
 * @module
 */

/** Checks an integer option of at least `minimum` (or `Infinity` when allowed). */
export function integerOption(
  name: string,
  value: unknown,
  fallback: number,
  minimum: number,
  allowInfinity = false,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") {
    throw new TypeError(`Option "${name}" must be a number; got ${describe(value)}`);
  }
  const acceptable = (Number.isInteger(value) && value >= minimum) ||
    (allowInfinity && value === Infinity);
  if (!acceptable) {
    const kind = minimum === 0 ? "a non-negative integer" : `an integer of at least ${minimum}`;
    const orInfinity = allowInfinity ? " (or Infinity)" : "";
    throw new RangeError(`Option "${name}" must be ${kind}${orInfinity}; got ${describe(value)}`);
  }
  return value;
}

/** Checks a duration option: a finite number of at least 0. */
export function durationOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") {
    throw new TypeError(`Option "${name}" must be a number; got ${describe(value)}`);
  }
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `Option "${name}" must be a finite number of at least 0; got ${describe(value)}`,
    );
  }
  return value;
}

/** Shows a value in an error message: strings quoted, other primitives as written. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  return typeof value === "function" ? "a function" : `an ${typeof value}`;
}
