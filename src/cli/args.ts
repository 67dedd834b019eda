/**
 * Splits a command line into its command, positional arguments and flags, against a table of
 * the flags each command takes. Knows nothing of what the flags mean.
 * @module
 */

/** A mistake in how the command was called: reported with the usage hint, exit code 2. */
export class UsageError extends Error {
  /** @param message What was wrong, with the value seen. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** How one flag is written and which commands take it. */
export interface FlagSpec {
  /** `true` when the flag takes a value (`--name VALUE` or `--name=VALUE`). */
  takesValue: boolean;
  /** `true` when the flag may be given more than once, every value kept. */
  repeatable?: boolean;
  /** The commands that take it; every command when unset. */
  commands?: readonly string[];
  /** A one-letter alias, written `-x`. */
  short?: string;
}

/** A command line, split. */
export interface ParsedArgs {
  /** The command word, or the default command when none was written. */
  command: string;
  /** Arguments that are not flags, in order. */
  positionals: string[];
  /** Each flag given, by long name: `true` for flags without a value, else every value given. */
  flags: Map<string, true | string[]>;
}

// Credential-looking flags, compared without dashes, underscores or case.
const SECRET_FLAGS = new Set([
  "secret",
  "secretid",
  "secretkey",
  "token",
  "sessiontoken",
  "key",
  "apikey",
  "password",
  "credential",
  "credentials",
]);

/**
 * The message for a flag that would put a secret on the command line.
 * @param envAdvice Where secrets go instead, e.g. "Set TENCENTCLOUD_SECRET_ID and ... instead".
 */
export function secretFlagMessage(flag: string, envAdvice: string): string {
  return `${flag} is not accepted: secrets given as arguments stay in shell history and are ` +
    `visible to other users in the process list. ${envAdvice}`;
}

/**
 * Splits `argv` (without the program name). The first positional is taken as the command when
 * it is one of `commands`; a bare word that is not (no dot, slash or colon, so not a URL) is an
 * unknown command. `--` ends the flags.
 *
 * @throws {UsageError} for an unknown flag or command, a flag without its value, a value given
 * to a flag that takes none, a flag the command does not take, and any secret-looking flag.
 */
export function splitArgs(
  argv: readonly string[],
  specs: Readonly<Record<string, FlagSpec>>,
  commands: readonly string[],
  defaultCommand: string,
  secretAdvice: string,
): ParsedArgs {
  const shorts = new Map(
    Object.entries(specs).flatMap(([name, spec]) => spec.short ? [[spec.short, name]] : []),
  );
  const positionals: string[] = [];
  const flags = new Map<string, true | string[]>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (token === "-" || !token.startsWith("-")) {
      positionals.push(token);
      continue;
    }
    // Never echo what follows "=": it may be a secret typed in the wrong place.
    const equals = token.indexOf("=");
    const written = equals === -1 ? token : token.slice(0, equals);
    const inline = equals === -1 ? undefined : token.slice(equals + 1);
    if (SECRET_FLAGS.has(written.replace(/[-_]/g, "").toLowerCase())) {
      throw new UsageError(secretFlagMessage(written, secretAdvice));
    }
    const name = written.startsWith("--") ? written.slice(2) : shorts.get(written.slice(1));
    const spec = name === undefined ? undefined : specs[name];
    if (name === undefined || spec === undefined || (!written.startsWith("--") && !spec.short)) {
      throw new UsageError(`Unknown option ${written}`);
    }
    if (!spec.takesValue) {
      if (inline !== undefined) throw new UsageError(`${written} takes no value, got "${inline}"`);
      flags.set(name, true);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith("--") && next.length > 2)) {
        throw new UsageError(`${written} needs a value`);
      }
      value = next;
      i++;
    }
    const earlier = flags.get(name);
    // A later value replaces an earlier one, so a script can append an override.
    flags.set(name, spec.repeatable && Array.isArray(earlier) ? [...earlier, value] : [value]);
  }
  const first = positionals[0];
  let command = defaultCommand;
  if (first !== undefined && commands.includes(first)) {
    command = first;
    positionals.shift();
  } else if (first !== undefined && /^[a-z][a-z-]*$/i.test(first)) {
    throw new UsageError(
      `Unknown command "${first}": expected ${commands.join(", ")}, or URLs to prewarm`,
    );
  }
  for (const name of flags.keys()) {
    const allowed = specs[name]?.commands;
    if (allowed && !allowed.includes(command)) {
      throw new UsageError(`--${name} does not apply to the ${command} command`);
    }
  }
  return { command, positionals, flags };
}
