/**
 * The emulator's only notion of time. Nothing in emulator/ reads the wall clock:
 * time moves when a caller advances it (a Step Functions Wait, a test, the HTTP
 * server's pacing loop), so the same seed always gives the same run.
 */
export class VirtualClock {
  #nowMs: number;

  constructor(startEpochMs: number) {
    this.#nowMs = startEpochMs;
  }

  get nowMs(): number {
    return this.#nowMs;
  }

  get nowSeconds(): number {
    return this.#nowMs / 1000;
  }

  now(): Date {
    return new Date(this.#nowMs);
  }

  /** Only World.advance moves the clock, one physics step at a time. */
  setMs(epochMs: number): void {
    if (epochMs < this.#nowMs) throw new Error(`virtual clock cannot go back (${epochMs} < ${this.#nowMs})`);
    this.#nowMs = epochMs;
  }
}
