/** One ramp of the clients' traffic shape (clients.ramps). */
export interface SessionRamp {
  readonly atSeconds: number;
  readonly durationSeconds: number;
  readonly sessions: number;
}

/** The sessions that want to be connected `elapsedSeconds` after the scenario's start. */
export function sessionsAt(initial: number, ramps: readonly SessionRamp[], elapsedSeconds: number): number {
  let level = initial;
  for (const ramp of ramps) {
    if (elapsedSeconds <= ramp.atSeconds) return level;
    const progress = ramp.durationSeconds === 0 ? 1 : Math.min(1, (elapsedSeconds - ramp.atSeconds) / ramp.durationSeconds);
    if (progress < 1) return Math.round(level + (ramp.sessions - level) * progress);
    level = ramp.sessions;
  }
  return level;
}

/**
 * Takes `leaving` connections off the instances in proportion to what each holds (largest
 * remainders first, so the total is exact). Returns how many were taken.
 */
export function takeProportionally(counts: number[], leaving: number): number {
  const total = Array.from(counts, (count) => count ?? 0).reduce((sum, count) => sum + count, 0);
  const wanted = Math.min(leaving, total);
  if (wanted <= 0) return 0;
  const shares = Array.from(counts, (count, index) => ({ index, exact: ((count ?? 0) * wanted) / total }));
  let taken = 0;
  for (const share of shares) {
    const whole = Math.floor(share.exact);
    counts[share.index] = (counts[share.index] ?? 0) - whole;
    taken += whole;
  }
  const byRemainder = shares.filter((share) => (counts[share.index] ?? 0) > 0).sort((a, b) => (b.exact % 1) - (a.exact % 1) || a.index - b.index);
  for (const share of byRemainder) {
    if (taken >= wanted) break;
    counts[share.index] = (counts[share.index] ?? 0) - 1;
    taken += 1;
  }
  return taken;
}

/** CPU utilization of an instance holding `connections` (app.cpu). */
export const cpuPercent = (connections: number, cpu: { readonly idlePercent: number; readonly percentPerThousandConnections: number }): number =>
  Math.min(100, cpu.idlePercent + (connections / 1000) * cpu.percentPerThousandConnections);
