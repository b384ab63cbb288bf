/**
 * The AWS query (and EC2 query) parameter conventions: `Name.member.N` lists, `Name.N` lists
 * (EC2 and flattened members), `Name.entry.N.key` / `.value` maps and dotted nested structures.
 * Values stay strings; each service's handlers coerce them.
 */

type Tree = { [segment: string]: Tree | string };

const isIndex = (segment: string): boolean => /^[1-9]\d*$/.test(segment);

function insert(tree: Tree, segments: readonly string[], value: string): void {
  let node = tree;
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i] as string;
    const child = node[segment];
    // A list sent empty (`Tags=`) and filled in the same request: the filled one wins.
    if (child === undefined || typeof child === "string") {
      const branch: Tree = {};
      node[segment] = branch;
      node = branch;
    } else {
      node = child;
    }
  }
  const last = segments[segments.length - 1] as string;
  if (typeof node[last] !== "object") node[last] = value;
}

function byIndex(node: Tree): (Tree | string)[] {
  return Object.keys(node)
    .sort((a, b) => Number(a) - Number(b))
    .map((key) => node[key] as Tree | string);
}

function entryKey(entry: Tree | string, name: "key" | "value"): Tree | string | undefined {
  if (typeof entry === "string") return undefined;
  return entry[name] ?? entry[name === "key" ? "Key" : "Value"];
}

function shape(node: Tree | string): unknown {
  if (typeof node === "string") return node;
  const keys = Object.keys(node);
  const only = keys.length === 1 ? node[keys[0] as string] : undefined;
  if (keys.length > 0 && keys.every(isIndex)) return byIndex(node).map(shape);
  if (keys[0] === "member" && only !== undefined && typeof only === "object" && Object.keys(only).every(isIndex)) {
    return byIndex(only).map(shape);
  }
  if (keys[0] === "entry" && only !== undefined && typeof only === "object" && Object.keys(only).every(isIndex)) {
    const map: Record<string, unknown> = {};
    for (const entry of byIndex(only)) {
      const key = entryKey(entry, "key");
      const value = entryKey(entry, "value");
      if (typeof key === "string" && value !== undefined) map[key] = shape(value);
    }
    return map;
  }
  const object: Record<string, unknown> = {};
  for (const key of keys) object[key] = shape(node[key] as Tree | string);
  return object;
}

/** Turns flat query parameters into nested params (lists, maps, structures). */
export function decodeQueryParams(entries: Iterable<[string, string]>): Record<string, unknown> {
  const tree: Tree = {};
  for (const [name, value] of entries) {
    if (name.length === 0) continue;
    insert(tree, name.split("."), value);
  }
  const decoded = shape(tree);
  return typeof decoded === "object" && decoded !== null && !Array.isArray(decoded) ? (decoded as Record<string, unknown>) : {};
}

/** The inverse, in awsQuery style (`.member.N`, 1-based), for tests and for tools that send query calls. */
export function encodeQueryParams(params: Record<string, unknown>, prefix = ""): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [key, value] of Object.entries(params)) {
    const name = prefix === "" ? key : `${prefix}.${key}`;
    pairs.push(...encodeValue(name, value));
  }
  return pairs;
}

function encodeValue(name: string, value: unknown): [string, string][] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) {
    if (value.length === 0) return [[name, ""]];
    return value.flatMap((item, index) => encodeValue(`${name}.member.${index + 1}`, item));
  }
  if (value instanceof Date) return [[name, value.toISOString()]];
  if (typeof value === "object") return encodeQueryParams(value as Record<string, unknown>, name);
  return [[name, String(value)]];
}
