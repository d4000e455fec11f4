/**
 * CodeBuild's test report shapes (botocore codebuild TestCase and TestReportSummary), produced
 * by the report parsers here. The report ARN and expiry are the server's to assign, so parsers
 * return ParsedTestCase and the server completes each into a TestCase.
 */

export const testCaseStatuses = ['SUCCEEDED', 'FAILED', 'ERROR', 'SKIPPED', 'UNKNOWN'] as const;
export type TestCaseStatus = (typeof testCaseStatuses)[number];

export interface TestCase {
  readonly reportArn: string;
  /** The report file the case was read from, workspace-relative. */
  readonly testRawDataPath: string;
  /** Groups related cases; the class name for xUnit formats, the feature file for Cucumber. */
  readonly prefix: string;
  readonly name: string;
  readonly status: TestCaseStatus;
  readonly durationInNanoSeconds: number;
  /** Failure or skip message and stack trace, when the file gives one. */
  readonly message: string | undefined;
  /** Epoch milliseconds; CodeBuild expires test cases 30 days after the report. */
  readonly expired: number | undefined;
  readonly testSuiteName: string | undefined;
}

export type ParsedTestCase = Omit<TestCase, 'reportArn' | 'expired'>;

export interface TestReportSummary {
  /** Every case read, including any dropped by truncation. */
  readonly total: number;
  /** Every status, zero included. */
  readonly statusCounts: Readonly<Record<TestCaseStatus, number>>;
  readonly durationInNanoSeconds: number;
}
