/**
 * NUnit 2 XML (NUNITXML): `<test-results>` with `<test-suite>`s nesting through `<results>`,
 * and `<test-case name="Namespace.Class.Method" result="Success|Failure|Error|Ignored|…">`. The
 * prefix and name are the case's full name split at its last dot; the suite is the nearest
 * enclosing suite (the fixture, for ordinary tests).
 */
import type { ParsedTestCase, TestCaseStatus } from './test-case.model.ts';
import { joinMessage, secondsToNanos, splitQualifiedName } from './report-values.ts';
import { attribute, firstChild, type XmlElement } from './xml.ts';

const results: Readonly<Record<string, TestCaseStatus>> = {
  Success: 'SUCCEEDED',
  Failure: 'FAILED',
  Error: 'ERROR',
  NotRunnable: 'ERROR',
  Invalid: 'ERROR',
  Ignored: 'SKIPPED',
  Skipped: 'SKIPPED',
  Inconclusive: 'UNKNOWN',
  Cancelled: 'UNKNOWN',
};

export function parseNunit(root: XmlElement, rawDataPath: string): ParsedTestCase[] | string {
  if (root.name !== 'test-results') {
    return `not an NUnit 2 XML report: the root element is <${root.name}>, expected <test-results>`;
  }
  const cases: ParsedTestCase[] = [];
  const walk = (element: XmlElement, suiteName: string | undefined) => {
    for (const child of element.children) {
      if (child.name === 'test-suite') walk(child, attribute(child, 'name') ?? suiteName);
      else if (child.name === 'results') walk(child, suiteName);
      else if (child.name === 'test-case') cases.push(testCase(child, suiteName, rawDataPath));
    }
  };
  walk(root, undefined);
  return cases;
}

function testCase(
  element: XmlElement,
  suiteName: string | undefined,
  rawDataPath: string,
): ParsedTestCase {
  const result = attribute(element, 'result');
  let status: TestCaseStatus =
    result !== undefined && Object.hasOwn(results, result)
      ? (results[result] ?? 'UNKNOWN')
      : 'UNKNOWN';
  if (result === undefined) {
    if (attribute(element, 'executed') === 'False') status = 'SKIPPED';
    else if (attribute(element, 'success') === 'True') status = 'SUCCEEDED';
    else if (attribute(element, 'success') === 'False') status = 'FAILED';
  }
  const failure = firstChild(element, 'failure');
  const reason = firstChild(element, 'reason');
  const message = failure
    ? joinMessage(firstChild(failure, 'message')?.text, firstChild(failure, 'stack-trace')?.text)
    : reason && joinMessage(firstChild(reason, 'message')?.text);
  return {
    testRawDataPath: rawDataPath,
    ...splitQualifiedName(attribute(element, 'name') ?? ''),
    status,
    durationInNanoSeconds: secondsToNanos(attribute(element, 'time')),
    message,
    testSuiteName: suiteName,
  };
}
