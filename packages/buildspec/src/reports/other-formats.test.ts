import { describe, expect, it } from 'vitest';
import type { TestReportFormat } from '../buildspec.model.ts';
import { parseTestReport } from './parse-test-report.ts';
import type { ParsedTestCase } from './test-case.model.ts';

function cases(format: TestReportFormat, text: string): readonly ParsedTestCase[] {
  const result = parseTestReport(format, text, { rawDataPath: 'out/report' });
  if (!result.ok) throw new Error(result.error);
  return result.testCases;
}

const summary = (c: ParsedTestCase) => [
  c.testSuiteName,
  c.prefix,
  c.name,
  c.status,
  c.durationInNanoSeconds,
  c.message,
];

describe('Cucumber JSON', () => {
  const report = [
    {
      uri: 'features/login.feature',
      name: 'Login',
      elements: [
        { type: 'background', name: 'bg', steps: [{ result: { status: 'passed', duration: 1 } }] },
        {
          type: 'scenario',
          name: 'good password',
          steps: [
            { result: { status: 'passed', duration: 1_000_000 } },
            { result: { status: 'passed', duration: 2_000_000 } },
          ],
        },
        {
          type: 'scenario',
          name: 'bad password',
          before: [{ result: { status: 'passed', duration: 5 } }],
          steps: [
            { result: { status: 'failed', duration: 10, error_message: 'expected 401' } },
            { result: { status: 'skipped' } },
          ],
        },
        { type: 'scenario', name: 'later', steps: [{ result: { status: 'skipped' } }] },
        { type: 'scenario', name: 'todo', steps: [{ result: { status: 'undefined' } }] },
        { type: 'scenario', name: 'twice', steps: [{ result: { status: 'ambiguous' } }] },
      ],
    },
  ];

  it('reads scenarios as cases and leaves backgrounds out', () => {
    expect(cases('CUCUMBERJSON', JSON.stringify(report)).map(summary)).toEqual([
      ['Login', 'features/login.feature', 'good password', 'SUCCEEDED', 3_000_000, undefined],
      ['Login', 'features/login.feature', 'bad password', 'FAILED', 15, 'expected 401'],
      ['Login', 'features/login.feature', 'later', 'SKIPPED', 0, undefined],
      ['Login', 'features/login.feature', 'todo', 'UNKNOWN', 0, undefined],
      ['Login', 'features/login.feature', 'twice', 'ERROR', 0, undefined],
    ]);
  });

  it('refuses text that is not JSON or not an array of features', () => {
    expect(parseTestReport('CUCUMBERJSON', '{', { rawDataPath: 'c.json' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^c\.json: not valid JSON: /) as unknown,
    });
    expect(parseTestReport('CUCUMBERJSON', '{"a":1}', { rawDataPath: 'c.json' })).toEqual({
      ok: false,
      error: 'c.json: not a Cucumber JSON report: expected an array of features',
    });
  });
});

describe('TestNG XML', () => {
  it('reads test methods and leaves configuration methods out', () => {
    const xml = `<testng-results skipped="1" failed="1" total="3" passed="1">
  <suite name="Regression" duration-ms="50">
    <test name="Smoke">
      <class name="com.example.LoginTest">
        <test-method status="PASS" signature="setUp()" name="setUp" is-config="true" duration-ms="3"/>
        <test-method status="PASS" name="logsIn" duration-ms="12"/>
        <test-method status="FAIL" name="rejects" duration-ms="7">
          <exception class="java.lang.AssertionError">
            <message><![CDATA[expected [401] but found [200]]]></message>
            <full-stacktrace><![CDATA[java.lang.AssertionError: expected [401]
	at LoginTest.rejects(LoginTest.java:20)]]></full-stacktrace>
          </exception>
        </test-method>
        <test-method status="SKIP" name="later" duration-ms="0"/>
      </class>
    </test>
  </suite>
</testng-results>`;
    expect(cases('TESTNGXML', xml).map(summary)).toEqual([
      ['Regression', 'com.example.LoginTest', 'logsIn', 'SUCCEEDED', 12_000_000, undefined],
      [
        'Regression',
        'com.example.LoginTest',
        'rejects',
        'FAILED',
        7_000_000,
        'expected [401] but found [200]\njava.lang.AssertionError: expected [401]\n\tat LoginTest.rejects(LoginTest.java:20)',
      ],
      ['Regression', 'com.example.LoginTest', 'later', 'SKIPPED', 0, undefined],
    ]);
  });
});

describe('NUnit 2 XML', () => {
  it('reads cases through nested suites', () => {
    const xml = `<test-results name="Tests.dll" total="3" failures="1">
  <test-suite type="Assembly" name="Tests.dll">
    <results>
      <test-suite type="TestFixture" name="MathTests">
        <results>
          <test-case name="Example.MathTests.Adds" executed="True" result="Success" success="True" time="0.015"/>
          <test-case name="Example.MathTests.Divides(1.5,0)" executed="True" result="Failure" success="False" time="0.002">
            <failure><message><![CDATA[Expected: 2]]></message><stack-trace><![CDATA[at MathTests.Divides()]]></stack-trace></failure>
          </test-case>
          <test-case name="Example.MathTests.Later" executed="False" result="Ignored">
            <reason><message><![CDATA[not yet]]></message></reason>
          </test-case>
        </results>
      </test-suite>
    </results>
  </test-suite>
</test-results>`;
    expect(cases('NUNITXML', xml).map(summary)).toEqual([
      ['MathTests', 'Example.MathTests', 'Adds', 'SUCCEEDED', 15_000_000, undefined],
      [
        'MathTests',
        'Example.MathTests',
        'Divides(1.5,0)',
        'FAILED',
        2_000_000,
        'Expected: 2\nat MathTests.Divides()',
      ],
      ['MathTests', 'Example.MathTests', 'Later', 'SKIPPED', 0, 'not yet'],
    ]);
  });
});

describe('NUnit 3 XML', () => {
  it('reads cases with their fixture and tells errors from failures by label', () => {
    const xml = `<test-run id="0" testcasecount="4" result="Failed">
  <test-suite type="Assembly" name="Tests.dll">
    <test-suite type="TestSuite" name="Example">
      <test-suite type="TestFixture" name="MathTests" fullname="Example.MathTests">
        <test-case name="Adds" fullname="Example.MathTests.Adds" classname="Example.MathTests" result="Passed" duration="0.010"/>
        <test-case name="Divides" fullname="Example.MathTests.Divides" classname="Example.MathTests" result="Failed" duration="0.020">
          <failure><message>Expected: 2</message><stack-trace>at Divides()</stack-trace></failure>
        </test-case>
        <test-case name="Throws" fullname="Example.MathTests.Throws" classname="Example.MathTests" result="Failed" label="Error" duration="0.001">
          <failure><message>System.Exception : boom</message></failure>
        </test-case>
        <test-case name="Later" fullname="Example.MathTests.Later" result="Skipped" label="Ignored">
          <reason><message>not yet</message></reason>
        </test-case>
      </test-suite>
    </test-suite>
  </test-suite>
</test-run>`;
    expect(cases('NUNIT3XML', xml).map(summary)).toEqual([
      ['MathTests', 'Example.MathTests', 'Adds', 'SUCCEEDED', 10_000_000, undefined],
      [
        'MathTests',
        'Example.MathTests',
        'Divides',
        'FAILED',
        20_000_000,
        'Expected: 2\nat Divides()',
      ],
      ['MathTests', 'Example.MathTests', 'Throws', 'ERROR', 1_000_000, 'System.Exception : boom'],
      ['MathTests', 'Example.MathTests', 'Later', 'SKIPPED', 0, 'not yet'],
    ]);
  });
});

describe('Visual Studio TRX', () => {
  it('reads results with their class from the definitions', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<TestRun id="1" name="run" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
  <Results>
    <UnitTestResult testId="t1" testName="Adds" outcome="Passed" duration="00:00:00.0150000"/>
    <UnitTestResult testId="t2" testName="Divides" outcome="Failed" duration="00:00:01.5">
      <Output><ErrorInfo><Message>Assert.AreEqual failed</Message><StackTrace>at Divides()</StackTrace></ErrorInfo></Output>
    </UnitTestResult>
    <UnitTestResult testId="t3" testName="Later" outcome="NotExecuted" duration="00:00:00"/>
  </Results>
  <TestDefinitions>
    <UnitTest id="t1" name="Adds"><TestMethod className="Example.MathTests, Tests, Version=1.0.0.0" name="Adds"/></UnitTest>
    <UnitTest id="t2" name="Divides"><TestMethod className="Example.MathTests" name="Divides"/></UnitTest>
  </TestDefinitions>
</TestRun>`;
    expect(cases('VISUALSTUDIOTRX', xml).map(summary)).toEqual([
      ['Example.MathTests', 'Example.MathTests', 'Adds', 'SUCCEEDED', 15_000_000, undefined],
      [
        'Example.MathTests',
        'Example.MathTests',
        'Divides',
        'FAILED',
        1_500_000_000,
        'Assert.AreEqual failed\nat Divides()',
      ],
      [undefined, '', 'Later', 'SKIPPED', 0, undefined],
    ]);
  });
});
