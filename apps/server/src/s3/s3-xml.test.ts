import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { S3Error } from './s3-errors.ts';
import { parseXml, xmlDocument, type XmlElement } from './s3-xml.ts';

function code(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof S3Error) return error.code;
    throw error;
  }
  return 'no error';
}

describe('xmlDocument', () => {
  it('writes nested objects, repeated arrays and the S3 namespace, leaving out undefined', () => {
    const xml = xmlDocument('ListBucketResult', {
      Name: 'b',
      Prefix: '',
      KeyCount: 2,
      IsTruncated: false,
      NextContinuationToken: undefined,
      Contents: [
        { Key: 'a', LastModified: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), Size: 1 },
        { Key: 'b', Size: 0, Owner: null },
      ],
      CommonPrefixes: [{ Prefix: 'p/' }],
    });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        '<Name>b</Name><Prefix></Prefix><KeyCount>2</KeyCount><IsTruncated>false</IsTruncated>' +
        '<Contents><Key>a</Key><LastModified>2026-01-02T03:04:05.000Z</LastModified><Size>1</Size></Contents>' +
        '<Contents><Key>b</Key><Size>0</Size></Contents>' +
        '<CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes>' +
        '</ListBucketResult>',
    );
  });

  it('writes a scalar root as its text, and no namespace when told', () => {
    expect(xmlDocument('LocationConstraint', 'eu-west-1')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>',
    );
    expect(xmlDocument('LocationConstraint', undefined, null)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint></LocationConstraint>',
    );
  });

  it('escapes markup and writes control characters as references', () => {
    expect(xmlDocument('K', 'a<b>&"\'\r\n\t\u0000\u001f', null)).toContain(
      '<K>a&lt;b&gt;&amp;"\'&#xD;\n\t&#x0;&#x1F;</K>',
    );
  });

  it('round-trips any key through the reader', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (key) => {
        const doc = parseXml(xmlDocument('Delete', { Object: { Key: key } }));
        expect(doc.children[0]?.children[0]?.text).toBe(key);
      }),
    );
  });
});

describe('parseXml', () => {
  it('reads elements, attributes, text, CDATA, comments and a declaration', () => {
    const doc = parseXml(
      '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- hi -->\n' +
        '<s3:Root xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/" a=\'1\'>' +
        '<A>x &amp; y &#65;&#x42; &lt;&gt;&quot;&apos;</A><B/><C><![CDATA[<raw> & ]]></C>' +
        '<?pi stuff?><!-- c --></s3:Root >  ',
    );
    const simplify = (e: XmlElement): unknown => ({
      name: e.name,
      text: e.text,
      children: e.children.map(simplify),
    });
    expect(doc.attributes.get('a')).toBe('1');
    expect(simplify(doc)).toEqual({
      name: 'Root',
      text: '',
      children: [
        { name: 'A', text: 'x & y AB <>"\'', children: [] },
        { name: 'B', text: '', children: [] },
        { name: 'C', text: '<raw> & ', children: [] },
      ],
    });
  });

  it('keeps whitespace in text, normalizing line ends as XML does', () => {
    expect(parseXml('<K>  a\r\nb\rc&#13;  </K>').text).toBe('  a\nb\nc\r  ');
  });

  it('reads UTF-8 bytes and rejects invalid UTF-8', () => {
    expect(parseXml(Buffer.from('<K>été</K>')).text).toBe('été');
    expect(
      code(() => parseXml(Buffer.from([0x3c, 0x4b, 0x3e, 0xff, 0x3c, 0x2f, 0x4b, 0x3e]))),
    ).toBe('MalformedXML');
  });

  it('rejects DTDs, entity declarations and unknown entities (no expansion attacks)', () => {
    const bombs = [
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>',
      '<!DOCTYPE r SYSTEM "file:///etc/passwd"><r/>',
      '<r><!ENTITY x "y"></r>',
      '<r>&xxe;</r>',
      '<r>&#0x41;</r>',
      '<r>&#xD800;</r>',
      '<r>&#x110000;</r>',
    ];
    for (const xml of bombs) expect(code(() => parseXml(xml))).toBe('MalformedXML');
  });

  it('rejects malformed documents', () => {
    const bad = [
      '',
      '   ',
      'text',
      '<a>',
      '<a></b>',
      '<a><b></a></b>',
      '<a/><b/>',
      '<a>x</a>trailing',
      '<a x="1" x="2"/>',
      '<a x=1/>',
      '<a x="<"/>',
      '<a>&</a>',
      '<a>&amp</a>',
      '<1a/>',
      '<a><![CDATA[x</a>',
      '<a><!-- x</a>',
    ];
    for (const xml of bad)
      expect(`${xml}: ${code(() => parseXml(xml))}`).toBe(`${xml}: MalformedXML`);
  });

  it('enforces size, depth and element-count limits', () => {
    expect(code(() => parseXml(`<a>${'x'.repeat(100)}</a>`, { maxBytes: 50 }))).toBe(
      'MalformedXML',
    );
    const deep = (n: number) => `${'<a>'.repeat(n)}${'</a>'.repeat(n)}`;
    expect(code(() => parseXml(deep(32)))).toBe('no error');
    expect(code(() => parseXml(deep(33)))).toBe('MalformedXML');
    expect(code(() => parseXml(`<r>${'<a/>'.repeat(10)}</r>`, { maxElements: 10 }))).toBe(
      'MalformedXML',
    );
  });

  it('never throws anything but MalformedXML on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(['no error', 'MalformedXML']).toContain(code(() => parseXml(text)));
      }),
    );
  });
});
