import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { JumpableRandomGenerator } from "pure-rand/types/JumpableRandomGenerator";

/** Seeded randomness: every random choice in the emulator comes from here. */
export class Rng {
  readonly #generator: JumpableRandomGenerator;

  constructor(seed: number) {
    this.#generator = xoroshiro128plus(seed);
    // Small seeds leave xoroshiro's first outputs close to each other.
    for (let i = 0; i < 16; i++) uniformFloat64(this.#generator);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return uniformFloat64(this.#generator);
  }

  int(minInclusive: number, maxInclusive: number): number {
    return uniformInt(this.#generator, minInclusive, maxInclusive);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Rounds an expected count up or down at random so that the long-run mean is exact. */
  roundExpected(expected: number): number {
    const whole = Math.floor(expected);
    return whole + (this.chance(expected - whole) ? 1 : 0);
  }
}
