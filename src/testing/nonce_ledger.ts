/**
 * API 2.0 replay protection: a `Nonce` may not be reused by the same `SecretId` within the
 * timestamp window.
 *
 * @module
 */

/** Remembers which (SecretId, Nonce) pairs were used, and when, on the simulated clock. */
export class NonceLedger {
  readonly #usedAt = new Map<string, number>();

  /**
   * Claims a nonce for a SecretId at `now`. Returns `false` when the pair was already claimed
   * within `windowMs`; the earlier claim then stands.
   */
  claim(secretId: string, nonce: string, now: number, windowMs: number): boolean {
    for (const [key, at] of this.#usedAt) {
      if (now - at > windowMs) this.#usedAt.delete(key);
    }
    const key = `${secretId}\n${nonce}`;
    if (this.#usedAt.has(key)) return false;
    this.#usedAt.set(key, now);
    return true;
  }

  /** Forgets every nonce. */
  clear(): void {
    this.#usedAt.clear();
  }
}
