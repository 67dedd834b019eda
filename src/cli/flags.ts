/**
 * Typed, checked values of the flags on a command line: every mistake is a {@linkcode UsageError}
 * naming the flag and the value seen.
 * @module
 */
import { type ParsedArgs, UsageError } from "./args.ts";
import { parseDuration } from "./since.ts";

/** The values of a parsed command line, read by name and checked against what each flag takes. */
export class Flags {
  readonly #flags: ParsedArgs["flags"];

  /** @param flags The flags `splitArgs()` found. */
  constructor(flags: ParsedArgs["flags"]) {
    this.#flags = flags;
  }

  /** Whether the flag was given. */
  has(name: string): boolean {
    return this.#flags.has(name);
  }

  /** Every value given to the flag, in order. */
  all(name: string): string[] {
    const value = this.#flags.get(name);
    return Array.isArray(value) ? value : [];
  }

  /** The flag's last value. */
  string(name: string): string | undefined {
    return this.all(name).at(-1);
  }

  /** One of `allowed`, matched without case and returned as `allowed` writes it. */
  choice<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const match = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
    if (match === undefined) {
      throw new UsageError(`--${name} must be ${allowed.join(" or ")}, got "${value}"`);
    }
    return match;
  }

  /** An integer within `min`–`max`; with `off`, the word "off" gives `Infinity`. */
  integer(name: string, min: number, max = Infinity, off?: "off"): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (off && value.toLowerCase() === off) return Infinity;
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(n >= min && n <= max)) {
      const range = max === Infinity
        ? `an integer of at least ${min}`
        : `an integer from ${min} to ${max}`;
      throw new UsageError(
        `--${name} must be ${range}${off ? ` or "${off}"` : ""}, got "${value}"`,
      );
    }
    return n;
  }

  /** A positive number, or `Infinity` for "off". */
  rate(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (value.toLowerCase() === "off") return Infinity;
    const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
    if (!(n > 0)) {
      throw new UsageError(`--${name} must be a number above 0 or "off", got "${value}"`);
    }
    return n;
  }

  /** A duration in seconds (`15`, `2.5`, `15s`) or milliseconds (`500ms`), returned in ms. */
  milliseconds(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value.trim());
    const ms = match ? Number(match[1]) * (match[2] === "ms" ? 1 : 1000) : NaN;
    if (!(ms > 0)) {
      throw new UsageError(
        `--${name} must be a number of seconds above 0 (or "500ms"), got "${value}"`,
      );
    }
    return ms;
  }

  /** A duration in ms: `500ms`, `90s` (or a bare number of seconds), `30m`, `2h`, `1d`. */
  duration(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value.trim());
    const ms = match
      ? Number(match[1]) * (match[2] === "ms" ? 1 : 1000)
      : parseDuration(value) ?? NaN;
    if (!(ms > 0)) {
      throw new UsageError(
        `--${name} must be a duration above 0 such as 90s, 30m or 1h, got "${value}"`,
      );
    }
    return ms;
  }
}
