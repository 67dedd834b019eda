/**
 * A seeded generator for property tests. The seed comes from FUZZ_SEED when set (to reproduce
 * a failure) or is drawn fresh; every failure message should carry it.
 */

/** A small, fast, seedable PRNG (mulberry32) with the helpers the property tests need. */
export class Random {
  #state: number;

  constructor(readonly seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T {
    return list[this.int(0, list.length - 1)]!;
  }

  /** A string of `length` characters drawn from `alphabet` (an array of code-point strings). */
  string(alphabet: readonly string[], length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += this.pick(alphabet);
    return out;
  }

  /** Arbitrary UTF-16: any code unit, lone surrogates included. */
  anyText(length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) {
      out += String.fromCharCode(this.chance(0.7) ? this.int(0, 0x7f) : this.int(0, 0xffff));
    }
    return out;
  }
}

/** The seed for this run: FUZZ_SEED if set, else a fresh one. */
export function fuzzSeed(): number {
  const fromEnv = Deno.env.get("FUZZ_SEED");
  return fromEnv ? Number(fromEnv) : crypto.getRandomValues(new Uint32Array(1))[0]!;
}

/** Prefix for assertion messages: how to rerun this exact case. */
export function reproduce(seed: number): string {
  return `reproduce with FUZZ_SEED=${seed}`;
}
