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

// Shorter values would mask ordinary words (and no real key, token or signature is this short).
const MIN_SECRET_LENGTH = 4;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/**
 * Makes a function that masks the given secrets in a string: every occurrence, in any letter
 * case, as written or percent-encoded, and every `Signature=` parameter value. Build it once
 * and apply it to every string field of an answer.
 *
 * @param secrets Secret key, session token, secret id, signatures; `undefined` entries and
 * entries shorter than 4 characters are ignored.
 * @returns A function from text to the same text with each secret replaced by `[redacted]`.
 */
export function secretRedactor(
  secrets: ReadonlyArray<string | undefined>,
): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
  }
  // Longest first, so a secret that contains another is masked whole.
  const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = alternatives.length > 0 ? new RegExp(alternatives.join("|"), "gi") : undefined;
  return (text) => {
    const masked = pattern ? text.replace(pattern, REDACTED) : text;
    return masked.replace(SIGNATURE_PARAMETER, `$1${REDACTED}`);
  };
}
