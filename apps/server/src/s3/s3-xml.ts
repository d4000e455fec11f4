import { escapeXmlText, S3Errors } from './s3-errors.ts';

export const s3Namespace = 'http://s3.amazonaws.com/doc/2006-03-01/';

// ---------------------------------------------------------------------------------------------
// Writing

export type XmlScalar = string | number | boolean | Date;
export type XmlValue = XmlScalar | XmlObject | readonly XmlValue[] | undefined | null;
export interface XmlObject {
  readonly [element: string]: XmlValue;
}

/**
 * A response document: `<?xml…?><Root xmlns="…">…</Root>`. Object members become child
 * elements in key order, arrays repeat their element, `undefined`/`null` are left out, dates are
 * written as ISO 8601 with milliseconds. A scalar root is the root's text
 * (`<LocationConstraint>eu-west-1</LocationConstraint>`). Pass `null` for no namespace.
 */
export function xmlDocument(
  rootName: string,
  value: XmlValue,
  namespace: string | null = s3Namespace,
): string {
  const xmlns =
    namespace === null ? '' : ` xmlns="${escapeXmlText(namespace).replace(/"/g, '&quot;')}"`;
  const parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  writeElement(parts, rootName, value ?? '', xmlns);
  return parts.join('');
}

function writeElement(parts: string[], name: string, value: XmlValue, attributes = ''): void {
  if (value === undefined || value === null) return;
  if (isArray(value)) {
    for (const item of value) writeElement(parts, name, item, attributes);
    return;
  }
  parts.push(`<${name}${attributes}>`);
  if (value instanceof Date) parts.push(value.toISOString());
  else if (typeof value === 'object') {
    for (const [child, childValue] of Object.entries(value)) writeElement(parts, child, childValue);
  } else parts.push(escapeXmlText(String(value)));
  parts.push(`</${name}>`);
}

function isArray(value: XmlValue): value is readonly XmlValue[] {
  return Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Reading

/** An element of a parsed document: its local name (prefix dropped), children and own text. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** The element's own character data (text and CDATA), entities decoded, not trimmed. */
  readonly text: string;
}

export interface XmlReadLimits {
  /** Largest document accepted, in bytes (default 2 MiB: a 1000-key Delete fits). */
  readonly maxBytes?: number;
  readonly maxDepth?: number;
  readonly maxElements?: number;
}

const defaultLimits = { maxBytes: 2 * 1024 * 1024, maxDepth: 32, maxElements: 50_000 };

/**
 * A small, strict reader for the XML documents S3 clients send: elements, attributes, text,
 * CDATA, comments and processing instructions. No DTDs, so no external or custom entities:
 * only the five predefined ones and character references. Anything else, invalid UTF-8 or a
 * document over the limits throws S3 `MalformedXML`.
 */
export function parseXml(input: Uint8Array | string, limits: XmlReadLimits = {}): XmlElement {
  const { maxBytes, maxDepth, maxElements } = { ...defaultLimits, ...limits };
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  if (size > maxBytes) throw S3Errors.malformedXml();
  let text: string;
  try {
    text =
      typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    throw S3Errors.malformedXml();
  }
  return new XmlReader(text.replace(/^\uFEFF/, ''), maxDepth, maxElements).document();
}

class XmlReader {
  readonly #src: string;
  readonly #maxDepth: number;
  #elementsLeft: number;
  #pos = 0;

  constructor(src: string, maxDepth: number, maxElements: number) {
    this.#src = src;
    this.#maxDepth = maxDepth;
    this.#elementsLeft = maxElements;
  }

  document(): XmlElement {
    if (this.#src.startsWith('<?xml')) this.#skipPast('?>');
    this.#misc();
    const root = this.#element(1);
    this.#misc();
    if (this.#pos !== this.#src.length) fail();
    return root;
  }

  /** Whitespace, comments and processing instructions outside the root; no DOCTYPE. */
  #misc(): void {
    for (;;) {
      this.#pos = skipSpace(this.#src, this.#pos);
      if (this.#src.startsWith('<!--', this.#pos)) this.#comment();
      else if (this.#src.startsWith('<?', this.#pos)) this.#skipPast('?>');
      else return;
    }
  }

  #element(depth: number): XmlElement {
    if (depth > this.#maxDepth || --this.#elementsLeft < 0) fail();
    if (this.#src[this.#pos] !== '<') fail();
    this.#pos += 1;
    const qname = this.#name();
    const attributes = new Map<string, string>();
    for (;;) {
      const at = skipSpace(this.#src, this.#pos);
      if (this.#src.startsWith('/>', at)) {
        this.#pos = at + 2;
        return { name: localName(qname), attributes, children: [], text: '' };
      }
      if (this.#src[at] === '>') {
        this.#pos = at + 1;
        break;
      }
      if (at === this.#pos) fail(); // attributes are separated by whitespace
      this.#pos = at;
      const name = this.#name();
      this.#pos = skipSpace(this.#src, this.#pos);
      if (this.#src[this.#pos] !== '=') fail();
      this.#pos = skipSpace(this.#src, this.#pos + 1);
      const quote = this.#src[this.#pos];
      if (quote !== '"' && quote !== "'") fail();
      const end = this.#src.indexOf(quote, this.#pos + 1);
      if (end === -1 || attributes.has(name)) fail();
      const raw = this.#src.slice(this.#pos + 1, end);
      if (raw.includes('<')) fail();
      attributes.set(name, decodeText(raw));
      this.#pos = end + 1;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      const lt = this.#src.indexOf('<', this.#pos);
      if (lt === -1) fail();
      text += decodeText(this.#src.slice(this.#pos, lt));
      this.#pos = lt;
      if (this.#src.startsWith('</', lt)) {
        this.#pos = lt + 2;
        if (this.#name() !== qname) fail();
        this.#pos = skipSpace(this.#src, this.#pos);
        if (this.#src[this.#pos] !== '>') fail();
        this.#pos += 1;
        return { name: localName(qname), attributes, children, text };
      }
      if (this.#src.startsWith('<!--', lt)) this.#comment();
      else if (this.#src.startsWith('<![CDATA[', lt)) {
        const end = this.#src.indexOf(']]>', lt + 9);
        if (end === -1) fail();
        text += normalizeNewlines(this.#src.slice(lt + 9, end));
        this.#pos = end + 3;
      } else if (this.#src.startsWith('<?', lt)) this.#skipPast('?>');
      else if (this.#src.startsWith('<!', lt))
        fail(); // DOCTYPE, ENTITY and friends
      else children.push(this.#element(depth + 1));
    }
  }

  #name(): string {
    const match = /^[A-Za-z_][\w.:-]*/.exec(this.#src.slice(this.#pos, this.#pos + 256));
    if (match === null) fail();
    this.#pos += match[0].length;
    return match[0];
  }

  #comment(): void {
    const end = this.#src.indexOf('-->', this.#pos + 4);
    if (end === -1) fail();
    this.#pos = end + 3;
  }

  #skipPast(terminator: string): void {
    const end = this.#src.indexOf(terminator, this.#pos);
    if (end === -1) fail();
    this.#pos = end + terminator.length;
  }
}

function fail(): never {
  throw S3Errors.malformedXml();
}

function skipSpace(src: string, from: number): number {
  let i = from;
  while (
    i < src.length &&
    (src[i] === ' ' || src[i] === '\t' || src[i] === '\n' || src[i] === '\r')
  ) {
    i += 1;
  }
  return i;
}

function localName(qname: string): string {
  const colon = qname.lastIndexOf(':');
  return colon === -1 ? qname : qname.slice(colon + 1);
}

function normalizeNewlines(raw: string): string {
  return raw.replace(/\r\n?/g, '\n');
}

const namedEntities: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

/**
 * Character data with its references decoded. Numeric references may name any code point but
 * a surrogate (so a key with a control character S3 wrote as `&#x1;` comes back); a bare `&`
 * or an unknown entity is malformed.
 */
function decodeText(raw: string): string {
  const text = normalizeNewlines(raw);
  if (!text.includes('&')) return text;
  return text.replace(/&([^;&]{0,10});?/g, (whole, body: string) => {
    if (!whole.endsWith(';')) fail();
    const named = namedEntities[body];
    if (named !== undefined) return named;
    const match = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(body);
    if (match === null) fail();
    const code = match[1] !== undefined ? Number.parseInt(match[1], 16) : Number(match[2]);
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) fail();
    return String.fromCodePoint(code);
  });
}
