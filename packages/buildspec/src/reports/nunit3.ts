/**
 * NUnit 3 XML (NUNIT3XML): `<test-run>` with nested `<test-suite type="Assembly|TestSuite|
 * TestFixture|ParameterizedMethod|…">` and `<test-case result="Passed|Failed|Skipped|
 * Inconclusive|Warning" label="Error|Invalid|Cancelled|Ignored|…">`. A failure labelled Error,
 * Invalid or Cancelled is an ERROR, as NUnit itself reports it.
 */
import type { ParsedTestCase, TestCaseStatus } from './test-case.model.ts';
import { joinMessage, secondsToNanos, splitQualifiedName } from './report-values.ts';
import { attribute, firstChild, type XmlElement } from './xml.ts';

const errorLabels = new Set(['Error', 'Invalid', 'Cancelled']);

export function parseNunit3(root: XmlElement, rawDataPath: string): ParsedTestCase[] | string {
  if (root.name !== 'test-run') {
    return `not an NUnit 3 XML report: the root element is <${root.name}>, expected <test-run>`;
  }
  const cases: ParsedTestCase[] = [];
  const walk = (element: XmlElement, fixture: string | undefined) => {
    for (const child of element.children) {
      if (child.name === 'test-suite') {
        const isFixture = attribute(child, 'type') === 'TestFixture';
        walk(child, isFixture ? (attribute(child, 'name') ?? fixture) : fixture);
      } else if (child.name === 'test-case') {
        cases.push(testCase(child, fixture ?? attribute(element, 'name'), rawDataPath));
      }
    }
  };
  walk(root, undefined);
  return cases;
}

function statusOf(result: string | undefined, label: string | undefined): TestCaseStatus {
  if (result === 'Passed' || result === 'Warning') return 'SUCCEEDED';
  if (result === 'Failed')
    return label !== undefined && errorLabels.has(label) ? 'ERROR' : 'FAILED';
  if (result === 'Skipped') return 'SKIPPED';
  return 'UNKNOWN';
}

function testCase(
  element: XmlElement,
  suiteName: string | undefined,
  rawDataPath: string,
): ParsedTestCase {
  const split = splitQualifiedName(
    attribute(element, 'fullname') ?? attribute(element, 'name') ?? '',
  );
  const failure = firstChild(element, 'failure');
  const reason = firstChild(element, 'reason');
  const message = failure
    ? joinMessage(firstChild(failure, 'message')?.text, firstChild(failure, 'stack-trace')?.text)
    : reason && joinMessage(firstChild(reason, 'message')?.text);
  return {
    testRawDataPath: rawDataPath,
    prefix: attribute(element, 'classname') ?? split.prefix,
    name: attribute(element, 'name') ?? split.name,
    status: statusOf(attribute(element, 'result'), attribute(element, 'label')),
    durationInNanoSeconds: secondsToNanos(attribute(element, 'duration')),
    message,
    testSuiteName: suiteName,
  };
}
