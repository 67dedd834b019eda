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
