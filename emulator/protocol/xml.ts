import { XMLBuilder } from "fast-xml-parser";

/** XML element content as fast-xml-parser's builder takes it. */
type XmlNode = string | XmlNode[] | { [name: string]: XmlNode };

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  processEntities: true,
  suppressEmptyNode: false,
});

/**
 * A handler's plain result as XML content: lists become `<member>` (query) or `<item>` (EC2)
 * elements, Dates ISO-8601, booleans "true"/"false"; undefined and null are left out.
 */
export function toXmlNode(value: unknown, listItemName: "member" | "item"): XmlNode | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.map((item) => toXmlNode(item, listItemName)).filter((item) => item !== undefined);
    return { [listItemName]: items };
  }
  if (typeof value === "object") {
    const element: { [name: string]: XmlNode } = {};
    for (const [key, child] of Object.entries(value)) {
      const node = toXmlNode(child, listItemName);
      if (node !== undefined) element[key] = node;
    }
    return element;
  }
  return String(value);
}

/** Serializes one root element; text is escaped by the builder. */
export function buildXml(rootName: string, content: Record<string, XmlNode | undefined>, xmlns?: string): string {
  const root: { [name: string]: XmlNode } = {};
  if (xmlns !== undefined) root["@_xmlns"] = xmlns;
  for (const [key, node] of Object.entries(content)) if (node !== undefined) root[key] = node;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [rootName]: root })}`;
}
