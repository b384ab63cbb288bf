/** Deterministic identifiers in AWS's shapes: the same scenario always names things the same. */

export const hex = (value: number, width: number): string => value.toString(16).padStart(width, "0");

export const instanceIdFor = (launchIndex: number): string => `i-${hex(launchIndex + 1, 16)}`;

/** 10.0.0.0/16 addresses, .0 and .1 of each /24 skipped like a VPC does. */
export const privateIpFor = (launchIndex: number): string => {
  const third = Math.floor(launchIndex / 250) % 256;
  return `10.0.${third}.${(launchIndex % 250) + 4}`;
};

/** FNV-1a over a name, as 16 hex digits (two rounds with different offsets). */
export const nameHash = (name: string, width = 16): string => {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193) >>> 0;
    b = Math.imul(b ^ code, 0x5bd1e995) >>> 0;
  }
  return (hex(a, 8) + hex(b, 8)).slice(0, width);
};

/** UUID-shaped ids from a per-kind sequence (lifecycle action tokens, refresh ids, activities). */
export const sequenceUuid = (kind: number, sequence: number): string =>
  `${hex(kind, 8)}-0000-4000-8000-${hex(sequence, 12)}`;

export const arn = (service: string, region: string, accountId: string, resource: string): string =>
  `arn:aws:${service}:${region}:${accountId}:${resource}`;
