/** Wall-clock and memory measurement for benchmarks (the emulator itself never reads the wall clock). */

export interface Measured<T> {
  readonly result: T;
  readonly wallSeconds: number;
}

export const measure = <T>(work: () => T): Measured<T> => {
  const started = performance.now();
  const result = work();
  return { result, wallSeconds: (performance.now() - started) / 1000 };
};

/** The process's peak resident set size so far, in MB. */
export const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
