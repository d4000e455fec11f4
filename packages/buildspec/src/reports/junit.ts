/**
 * JUnit XML (JUNITXML, CodeBuild's default report format): `<testsuites>` or a lone
 * `<testsuite>`, suites nested to any depth, `<testcase>` with `<failure>`, `<error>` or
 * `<skipped>`. The prefix is the case's `classname`, the suite name its innermost suite's name.
 */
import type { ParsedTestCase, TestCaseStatus } from './test-case.model.ts';
import { joinMessage, secondsToNanos } from './report-values.ts';
import { attribute, firstChild, type XmlElement } from './xml.ts';

const outcomes: readonly [string, TestCaseStatus][] = [
  ['error', 'ERROR'],
  ['failure', 'FAILED'],
  ['skipped', 'SKIPPED'],
];

export function parseJunit(root: XmlElement, rawDataPath: string): ParsedTestCase[] | string {
  if (root.name !== 'testsuites' && root.name !== 'testsuite') {
    return `not a JUnit XML report: the root element is <${root.name}>, expected <testsuites> or <testsuite>`;
  }
  const cases: ParsedTestCase[] = [];
  const walk = (element: XmlElement, suiteName: string | undefined) => {
    for (const child of element.children) {
      if (child.name === 'testsuite') walk(child, attribute(child, 'name') ?? suiteName);
      else if (child.name === 'testcase') cases.push(testCase(child, suiteName, rawDataPath));
    }
  };
  walk(root, attribute(root, 'name'));
  return cases;
}

function testCase(
  element: XmlElement,
  suiteName: string | undefined,
  rawDataPath: string,
): ParsedTestCase {
  let status: TestCaseStatus = 'SUCCEEDED';
  let message: string | undefined;
  for (const [tag, outcome] of outcomes) {
    const detail = firstChild(element, tag);
    if (detail === undefined) continue;
    status = outcome;
    message = joinMessage(attribute(detail, 'message'), detail.text);
    break;
  }
  return {
    testRawDataPath: rawDataPath,
    prefix: attribute(element, 'classname') ?? '',
    name: attribute(element, 'name') ?? '',
    status,
    durationInNanoSeconds: secondsToNanos(attribute(element, 'time')),
    message,
    testSuiteName: suiteName,
  };
}
