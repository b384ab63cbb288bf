/**
 * How the load balancer spreads a step's new connections over the targets that accept them.
 * Both functions add to `counts` (connections per launch index) in place.
 */

/** round_robin: even shares, the remainder going to the next targets in rotation; returns the next rotation start. */
export const spreadRoundRobin = (counts: number[], targets: readonly number[], connections: number, cursor: number): number => {
  const each = Math.floor(connections / targets.length);
  const remainder = connections - each * targets.length;
  for (let i = 0; i < targets.length; i++) {
    const index = targets[(cursor + i) % targets.length] ?? 0;
    counts[index] = (counts[index] ?? 0) + each + (i < remainder ? 1 : 0);
  }
  return (cursor + remainder) % targets.length;
};

/** least connections: water-filling, the emptiest targets first (ties by launch order). */
export const fillLeastConnections = (counts: number[], targets: readonly number[], connections: number): void => {
  const order = [...targets].sort((a, b) => (counts[a] ?? 0) - (counts[b] ?? 0) || a - b);
  let remaining = connections;
  let filled = 1;
  let level = counts[order[0] ?? 0] ?? 0;
  while (remaining > 0) {
    const next = filled < order.length ? (counts[order[filled] ?? 0] ?? 0) : Number.POSITIVE_INFINITY;
    const needed = (next - level) * filled;
    if (needed <= remaining) {
      remaining -= needed;
      level = next;
      filled += 1;
      continue;
    }
    const raise = Math.floor(remaining / filled);
    level += raise;
    remaining -= raise * filled;
    break;
  }
  for (let i = 0; i < filled && i < order.length; i++) {
    const index = order[i] ?? 0;
    counts[index] = level + (i < remaining ? 1 : 0);
  }
};
