/**
 * A small element tree over fast-xml-parser, configured for untrusted report files: well-formed
 * XML only (validated first, so a broken file gives a line and column), internal entities with
 * fast-xml-parser's expansion limits (no "billion laughs"), external entities refused, nesting
 * bounded, and every failure returned as a message rather than thrown.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The element's own text and CDATA, concatenated; child elements' text excluded. */
  readonly text: string;
}

export const maxXmlNesting = 200;

const parserOptions = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: maxXmlNesting,
  processEntities: {
    enabled: true,
    maxEntitySize: 10_000,
    maxEntityCount: 100,
    maxTotalExpansions: 1_000,
    maxExpandedLength: 100_000,
  },
  // Decodes numeric character references (`&#10;`), which test tools write into messages.
  htmlEntities: true,
} as const;

type OrderedNode = Record<string, unknown>;

export function parseXml(
  text: string,
): { ok: true; root: XmlElement } | { ok: false; error: string } {
  if (text.trim() === '') return { ok: false, error: 'the file is empty' };
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    const where = [`line ${line}`, ...(Number.isFinite(col) ? [`column ${col}`] : [])].join(', ');
    return { ok: false, error: `${where}: ${msg}` };
  }
  let nodes: unknown;
  try {
    // A parser per document: DOCTYPE entities of one file must not leak into the next.
    nodes = new XMLParser(parserOptions).parse(text);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const root = Array.isArray(nodes) ? elementsOf(nodes)[0] : undefined;
  return root === undefined
    ? { ok: false, error: 'the document has no root element' }
    : { ok: true, root };
}

function elementsOf(nodes: readonly unknown[]): XmlElement[] {
  const out: XmlElement[] = [];
  for (const node of nodes) {
    if (typeof node !== 'object' || node === null) continue;
    const element = toElement(node as OrderedNode);
    if (element !== undefined) out.push(element);
  }
  return out;
}

function toElement(node: OrderedNode): XmlElement | undefined {
  const name = Object.keys(node).find((k) => k !== ':@' && k !== '#text');
  if (name === undefined) return undefined;
  const content = node[name];
  const list: readonly unknown[] = Array.isArray(content) ? content : [];
  let text = '';
  for (const child of list) {
    if (typeof child === 'object' && child !== null && '#text' in child) {
      text += String((child as OrderedNode)['#text']);
    }
  }
  const rawAttributes = node[':@'];
  const attributes =
    typeof rawAttributes === 'object' && rawAttributes !== null
      ? Object.fromEntries(Object.entries(rawAttributes).map(([k, v]) => [k, String(v)]))
      : {};
  return { name, attributes, children: elementsOf(list), text };
}

/** The element's children of one name. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

export function firstChild(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

/** An attribute, undefined when absent (an own property only). */
export function attribute(element: XmlElement, name: string): string | undefined {
  return Object.hasOwn(element.attributes, name) ? element.attributes[name] : undefined;
}
