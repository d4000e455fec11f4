/**
 * TestNG XML (TESTNGXML): `<testng-results>` → `<suite>` → `<test>` → `<class>` →
 * `<test-method status="PASS|FAIL|SKIP">`. Configuration methods (`is-config="true"`, the
 * @Before/@After hooks) are not test cases and are left out.
 */
import type { ParsedTestCase, TestCaseStatus } from './test-case.model.ts';
import { joinMessage, millisToNanos } from './report-values.ts';
import { attribute, childrenNamed, firstChild, type XmlElement } from './xml.ts';

const statuses: Readonly<Record<string, TestCaseStatus>> = {
  PASS: 'SUCCEEDED',
  FAIL: 'FAILED',
  SKIP: 'SKIPPED',
};

export function parseTestng(root: XmlElement, rawDataPath: string): ParsedTestCase[] | string {
  if (root.name !== 'testng-results') {
    return `not a TestNG XML report: the root element is <${root.name}>, expected <testng-results>`;
  }
  const cases: ParsedTestCase[] = [];
  for (const suite of childrenNamed(root, 'suite')) {
    const suiteName = attribute(suite, 'name');
    for (const test of childrenNamed(suite, 'test')) {
      for (const testClass of childrenNamed(test, 'class')) {
        for (const method of childrenNamed(testClass, 'test-method')) {
          if (attribute(method, 'is-config') === 'true') continue;
          cases.push(testCase(method, attribute(testClass, 'name') ?? '', suiteName, rawDataPath));
        }
      }
    }
  }
  return cases;
}

function testCase(
  method: XmlElement,
  className: string,
  suiteName: string | undefined,
  rawDataPath: string,
): ParsedTestCase {
  const status = (attribute(method, 'status') ?? '').toUpperCase();
  const exception = firstChild(method, 'exception');
  const message =
    exception &&
    joinMessage(
      firstChild(exception, 'message')?.text ?? attribute(exception, 'class'),
      firstChild(exception, 'full-stacktrace')?.text,
    );
  return {
    testRawDataPath: rawDataPath,
    prefix: className,
    name: attribute(method, 'name') ?? '',
    status: Object.hasOwn(statuses, status) ? (statuses[status] ?? 'UNKNOWN') : 'UNKNOWN',
    durationInNanoSeconds: millisToNanos(attribute(method, 'duration-ms')),
    message,
    testSuiteName: suiteName,
  };
}
