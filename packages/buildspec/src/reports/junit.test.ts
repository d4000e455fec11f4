import { describe, expect, it } from 'vitest';
import { parseTestReport } from './parse-test-report.ts';
import type { ParsedTestCase } from './test-case.model.ts';

function cases(xml: string): readonly ParsedTestCase[] {
  const result = parseTestReport('JUNITXML', xml, { rawDataPath: 'reports/junit.xml' });
  if (!result.ok) throw new Error(result.error);
  return result.testCases;
}

describe('JUnit XML', () => {
  it('reads passed, failed, errored and skipped cases with their times and messages', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="all" time="3.5">
  <testsuite name="com.example.CalculatorTest" tests="4" failures="1" errors="1" skipped="1" time="3.5">
    <testcase classname="com.example.CalculatorTest" name="adds" time="0.125"/>
    <testcase classname="com.example.CalculatorTest" name="divides" time="1.5">
      <failure message="expected:&lt;2&gt; but was:&lt;3&gt;" type="AssertionError">java.lang.AssertionError: expected:&lt;2&gt; but was:&lt;3&gt;&#10;  at Calc.divide(Calc.java:10)</failure>
    </testcase>
    <testcase classname="com.example.CalculatorTest" name="connects" time="1,234.5">
      <error message="refused"><![CDATA[java.net.ConnectException: refused <here>]]></error>
      <system-out>log line</system-out>
    </testcase>
    <testcase classname="com.example.CalculatorTest" name="later">
      <skipped message="not today"/>
    </testcase>
  </testsuite>
</testsuites>`;
    expect(cases(xml)).toEqual([
      {
        testRawDataPath: 'reports/junit.xml',
        prefix: 'com.example.CalculatorTest',
        name: 'adds',
        status: 'SUCCEEDED',
        durationInNanoSeconds: 125_000_000,
        message: undefined,
        testSuiteName: 'com.example.CalculatorTest',
      },
      {
        testRawDataPath: 'reports/junit.xml',
        prefix: 'com.example.CalculatorTest',
        name: 'divides',
        status: 'FAILED',
        durationInNanoSeconds: 1_500_000_000,
        message:
          'expected:<2> but was:<3>\njava.lang.AssertionError: expected:<2> but was:<3>\n  at Calc.divide(Calc.java:10)',
        testSuiteName: 'com.example.CalculatorTest',
      },
      {
        testRawDataPath: 'reports/junit.xml',
        prefix: 'com.example.CalculatorTest',
        name: 'connects',
        status: 'ERROR',
        durationInNanoSeconds: 1_234_500_000_000,
        message: 'refused\njava.net.ConnectException: refused <here>',
        testSuiteName: 'com.example.CalculatorTest',
      },
      {
        testRawDataPath: 'reports/junit.xml',
        prefix: 'com.example.CalculatorTest',
        name: 'later',
        status: 'SKIPPED',
        durationInNanoSeconds: 0,
        message: 'not today',
        testSuiteName: 'com.example.CalculatorTest',
      },
    ]);
  });

  it('reads a lone testsuite root and names cases after their innermost suite', () => {
    const xml = `<testsuite name="outer">
  <testcase classname="a" name="top"/>
  <testsuite name="inner">
    <testsuite><testcase classname="b" name="deep"/></testsuite>
  </testsuite>
</testsuite>`;
    expect(cases(xml).map((c) => [c.testSuiteName, c.prefix, c.name])).toEqual([
      ['outer', 'a', 'top'],
      ['inner', 'b', 'deep'],
    ]);
  });

  it('uses the message attribute alone when the body repeats it or is empty', () => {
    const xml = `<testsuite name="s"><testcase name="t"><failure message="boom">boom</failure></testcase>
<testcase name="u"><failure>  </failure></testcase></testsuite>`;
    expect(cases(xml).map((c) => [c.message, c.status, c.prefix])).toEqual([
      ['boom', 'FAILED', ''],
      [undefined, 'FAILED', ''],
    ]);
  });

  it('accepts an empty report', () => {
    expect(cases('<testsuites/>')).toEqual([]);
  });

  it('refuses another root element and malformed XML with a clear error', () => {
    expect(parseTestReport('JUNITXML', '<html/>', { rawDataPath: 'r.xml' })).toEqual({
      ok: false,
      error:
        'r.xml: not a JUnit XML report: the root element is <html>, expected <testsuites> or <testsuite>',
    });
    expect(
      parseTestReport('JUNITXML', '<testsuite>\n<testcase>\n</testsuite>', {
        rawDataPath: 'r.xml',
      }),
    ).toEqual({
      ok: false,
      error:
        "r.xml: not well-formed XML: line 3, column 1: Expected closing tag 'testcase' (opened in line 2, col 1) instead of closing tag 'testsuite'.",
    });
  });
});
