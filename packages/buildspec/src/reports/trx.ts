/**
 * Visual Studio TRX (VISUALSTUDIOTRX): `<TestRun>` with `<TestDefinitions>` (each `<UnitTest
 * id>` naming its `<TestMethod className name>`) and `<Results>` (each `<UnitTestResult testId
 * outcome duration>` with `<Output><ErrorInfo><Message/><StackTrace/>`). The class name, without
 * the assembly qualification TRX may append, is both prefix and suite.
 */
import type { ParsedTestCase, TestCaseStatus } from './test-case.model.ts';
import { joinMessage, timeSpanToNanos } from './report-values.ts';
import { attribute, childrenNamed, firstChild, type XmlElement } from './xml.ts';

const outcomes: Readonly<Record<string, TestCaseStatus>> = {
  Passed: 'SUCCEEDED',
  PassedButRunAborted: 'SUCCEEDED',
  Failed: 'FAILED',
  Error: 'ERROR',
  Timeout: 'ERROR',
  Aborted: 'ERROR',
  NotExecuted: 'SKIPPED',
  NotRunnable: 'SKIPPED',
};

export function parseTrx(root: XmlElement, rawDataPath: string): ParsedTestCase[] | string {
  if (root.name !== 'TestRun') {
    return `not a Visual Studio TRX report: the root element is <${root.name}>, expected <TestRun>`;
  }
  const classOf = new Map<string, string>();
  for (const definitions of childrenNamed(root, 'TestDefinitions')) {
    for (const unitTest of childrenNamed(definitions, 'UnitTest')) {
      const className = attribute(firstChild(unitTest, 'TestMethod') ?? unitTest, 'className');
      const id = attribute(unitTest, 'id');
      if (id !== undefined && className !== undefined)
        classOf.set(id, className.split(',')[0]?.trim() ?? '');
    }
  }
  const cases: ParsedTestCase[] = [];
  for (const results of childrenNamed(root, 'Results')) {
    for (const result of childrenNamed(results, 'UnitTestResult')) {
      const className = classOf.get(attribute(result, 'testId') ?? '') ?? '';
      const outcome = attribute(result, 'outcome') ?? '';
      const errorInfo = firstChild(firstChild(result, 'Output') ?? result, 'ErrorInfo');
      cases.push({
        testRawDataPath: rawDataPath,
        prefix: className,
        name: attribute(result, 'testName') ?? '',
        status: Object.hasOwn(outcomes, outcome) ? (outcomes[outcome] ?? 'UNKNOWN') : 'UNKNOWN',
        durationInNanoSeconds: timeSpanToNanos(attribute(result, 'duration')),
        message:
          errorInfo &&
          joinMessage(
            firstChild(errorInfo, 'Message')?.text,
            firstChild(errorInfo, 'StackTrace')?.text,
          ),
        testSuiteName: className === '' ? undefined : className,
      });
    }
  }
  return cases;
}
