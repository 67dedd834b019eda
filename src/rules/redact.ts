/**
 * Masking secrets in text that came from upstream (or from anything that may echo a request):
 * the one place that decides what a secret looks like once it has been written down.
 * @module
 */

/** What a masked secret is replaced with. */
export const REDACTED = "[redacted]";

// A signature written as a parameter (`Signature=…`, as in a TC3 Authorization header or an
// API 2.0 query), whatever the case: the value runs to the next separator.
const SIGNATURE_PARAMETER = /(signature=)[^\s,;&"'<>]+/gi;

/**
 * Makes a function that masks the given secrets in a string: every occurrence, in any letter
 * case, as written or percent-encoded, and every `Signature=` parameter value. Build it once
 * and apply it to every string field of an answer.
 *
 * @param secrets Secret key, session token, secret id, signatures; `undefined` entries and
 * entries shorter than 4 characters (which would mask ordinary words) are ignored.
 * @returns A function from text to the same text with each secret replaced by `[redacted]`.
 */
export function secretRedactor(
  secrets: ReadonlyArray<string | undefined>,
): (text: string) => string {
  // Longest first, so a secret that contains another is masked whole. Every non-word character
  // is escaped (an identity escape outside `u` mode).
  const alternatives = secrets
    .flatMap((secret) => secret && secret.length > 3 ? [secret, encodeURIComponent(secret)] : [])
    .sort((a, b) => b.length - a.length)
    .map((form) => form.replace(/\W/g, "\\$&"));
  const pattern = RegExp(alternatives.join("|") || "(?!)", "gi");
  return (text) => text.replace(pattern, REDACTED).replace(SIGNATURE_PARAMETER, `$1${REDACTED}`);
}

/**
 * A value as `JSON.stringify` sees it (`toJSON()` applied, so an error becomes its fields),
 * copied with every string passed through `redact` (a {@linkcode secretRedactor}): upstream
 * answers masked before anything is built from them. Masking each string, not the serialized
 * text, keeps JSON valid whatever a string holds, and a secret whole before it is shortened or
 * escaped for display. Strings that hold nothing to mask are shared, not copied.
 *
 * @param value Plain data: strings, numbers, booleans, `null`, arrays, objects, `toJSON()`.
 * @param redact The mask for one string.
 * @returns The copy; object keys are kept as they are.
 */
export function redactJson<T>(value: T, redact: (text: string) => string): T {
  const walk = (item: unknown): unknown => {
    if (typeof item === "string") return redact(item);
    if (item === null || typeof item !== "object") return item;
    const toJSON = (item as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return walk(toJSON.call(item));
    if (Array.isArray(item)) return item.map(walk);
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(item)) copy[key] = walk(field);
    return copy;
  };
  return walk(value) as T;
}
