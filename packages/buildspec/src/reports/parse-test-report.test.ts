import { describe, expect, it } from 'vitest';
import { parseTestReport } from './parse-test-report.ts';

const options = { rawDataPath: 'r.xml' };

describe('parseTestReport', () => {
  it('refuses a file over the size limit before parsing it', () => {
    expect(parseTestReport('JUNITXML', '<testsuites/>', { ...options, maxLength: 5 })).toEqual({
      ok: false,
      error: 'r.xml: the file is longer than 5 characters',
    });
  });

  it('says plainly that coverage formats are not supported yet', () => {
    expect(parseTestReport('COBERTURAXML', '<coverage/>', options)).toEqual({
      ok: false,
      error: 'r.xml: code coverage reports (COBERTURAXML) are not supported yet',
    });
  });

  it('does not expand nested entities (billion laughs)', () => {
    const levels = ['<!ENTITY a0 "aaaaaaaaaa">'];
    for (let i = 1; i < 10; i++) {
      levels.push(`<!ENTITY a${i} "${`&a${i - 1};`.repeat(10)}">`);
    }
    const xml = `<?xml version="1.0"?><!DOCTYPE t [${levels.join('')}]><testsuite name="s"><testcase name="t"><failure message="&a9;"/></testcase></testsuite>`;
    // fast-xml-parser leaves an entity that refers to other entities unexpanded.
    const result = parseTestReport('JUNITXML', xml, options);
    expect(result.ok && result.testCases[0]?.message).toBe('&a9;');
  });

  it('refuses entity expansion past the size limit', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "${'a'.repeat(9000)}">]><testsuite name="s"><testcase name="t"><failure>${'&a;'.repeat(20)}</failure></testcase></testsuite>`;
    expect(parseTestReport('JUNITXML', xml, options)).toMatchObject({
      ok: false,
      error: expect.stringMatching(
        /^r\.xml: not well-formed XML: .*[Ee]xpanded content length limit exceeded/,
      ) as unknown,
    });
  });

  it('refuses external entities', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><testsuite><testcase name="&x;"/></testsuite>`;
    expect(parseTestReport('JUNITXML', xml, options)).toEqual({
      ok: false,
      error: 'r.xml: not well-formed XML: External entities are not supported',
    });
  });

  it('refuses nesting deeper than the limit', () => {
    const xml = `${'<testsuite>'.repeat(300)}${'</testsuite>'.repeat(300)}`;
    expect(parseTestReport('JUNITXML', xml, options)).toEqual({
      ok: false,
      error: 'r.xml: not well-formed XML: Maximum nested tags exceeded',
    });
  });

  it('says an empty file is empty', () => {
    expect(parseTestReport('NUNITXML', ' \n', options)).toEqual({
      ok: false,
      error: 'r.xml: not well-formed XML: the file is empty',
    });
  });

  it('reads a file with a byte order mark', () => {
    expect(parseTestReport('JUNITXML', '\uFEFF<testsuites/>', options)).toEqual({
      ok: true,
      testCases: [],
    });
  });

  it.each([
    ['not xml', "line 1, column 1: char 'n' is not expected."],
    [
      '<a><b></a>',
      "line 1, column 7: Expected closing tag 'b' (opened in line 1, col 4) instead of closing tag 'a'.",
    ],
    ['<<', "line 1, column 3: Tag '<' is an invalid name."],
    ['\0', "line 1, column 1: char '\0' is not expected."],
  ])('answers %j with an error, never a throw', (text, error) => {
    expect(parseTestReport('TESTNGXML', text, options)).toEqual({
      ok: false,
      error: `r.xml: not well-formed XML: ${error}`,
    });
  });
});
