import {
  summarizeTestCases,
  testCaseStatuses,
  testReportStatus,
  truncateTestCases,
  type ParsedTestCase,
  type TestReportSummary,
} from '@slipway/buildspec';
import type { Scope } from '../source/source.deps.ts';
import type { Build } from './build.model.ts';
import type { NewReport } from './builds.ports.ts';
import {
  reportArn,
  reportGroupArn,
  reportGroupNameOf,
  reportLifetimeMs,
  type ReportGroup,
} from './report.model.ts';
import { isList, isOneOf, type Problems } from './problems.ts';

/** One report group's results from a build, as the runner parsed its report files. */
export interface ReportInput {
  /**
   * The buildspec's `reports` key: a report group ARN, or a name, which CodeBuild turns into
   * the group `<project>-<name>` and creates on first use ("Report group naming").
   */
  readonly reportGroup: string;
  readonly testCases: readonly ParsedTestCase[];
  /** Of every case read, when the runner dropped cases before sending; else computed here. */
  readonly summary?: TestReportSummary | undefined;
  readonly truncated?: boolean | undefined;
  /** INCOMPLETE when the report files were missing or unreadable. */
  readonly status?: 'INCOMPLETE' | undefined;
}

/** CodeBuild allows a project five report groups. */
export const maxReportsPerBuild = 5;
/** A bound on what a runner may send; CodeBuild keeps 500 of them. */
export const maxTestCasesSent = 100_000;
const maxCaseTextLength = 64 * 1024;

/** The report group a build's report goes to: its name, or undefined for a foreign ARN. */
export function reportGroupNameFor(scope: Scope, projectName: string, key: string) {
  if (key.startsWith('arn:')) return reportGroupNameOf(scope, key);
  return `${projectName}-${key}`;
}

/** A report group created on first use, as CodeBuild does from a buildspec. */
export function autoCreatedGroup(scope: Scope, name: string, now: number): ReportGroup {
  return {
    accountId: scope.accountId,
    region: scope.region,
    arn: reportGroupArn(scope, name),
    name,
    type: 'TEST',
    exportConfig: { exportConfigType: 'NO_EXPORT' },
    created: now,
    lastModified: now,
    tags: [],
    status: 'ACTIVE',
  };
}

export interface AssembleReportOptions {
  readonly build: Build;
  readonly group: ReportGroup;
  readonly input: ReportInput;
  readonly uuid: string;
  readonly now: number;
}

/**
 * The report: at most 500 cases, failures kept first, `truncated` when any were dropped; the
 * summary still counts every case read. SUCCEEDED when nothing failed or errored, FAILED
 * otherwise, INCOMPLETE when the runner could not read the reports.
 */
export function assembleReport(options: AssembleReportOptions): NewReport {
  const { build, group, input, now } = options;
  const arn = reportArn(build, group.name, options.uuid);
  const summary = input.summary ?? summarizeTestCases(input.testCases);
  const { testCases, truncated } = truncateTestCases(input.testCases);
  const expired = now + reportLifetimeMs;
  return {
    group,
    report: {
      accountId: build.accountId,
      region: build.region,
      arn,
      type: 'TEST',
      name: group.name,
      reportGroupArn: group.arn,
      executionId: build.arn,
      status: input.status ?? testReportStatus(summary),
      created: now,
      expired,
      exportConfig: group.exportConfig,
      truncated: truncated || input.truncated === true,
      testSummary: summary,
    },
    testCases: testCases.map((c) => ({
      reportArn: arn,
      testRawDataPath: c.testRawDataPath,
      prefix: c.prefix,
      name: c.name,
      status: c.status,
      durationInNanoSeconds: c.durationInNanoSeconds,
      message: c.message === undefined ? undefined : c.message.slice(0, maxCaseTextLength),
      expired,
      testSuiteName: c.testSuiteName,
    })),
  };
}

export function checkReportInputs(
  problems: Problems,
  path: string,
  reports: readonly ReportInput[],
): void {
  if (reports.length > maxReportsPerBuild) {
    problems.add(path, `at most ${maxReportsPerBuild} report groups per build`);
  }
  reports.forEach((report, i) => {
    const at = `${path}[${i}]`;
    if (typeof report.reportGroup !== 'string' || report.reportGroup === '') {
      problems.add(`${at}.reportGroup`, 'is required');
    }
    if (!isList(report.testCases)) {
      problems.add(`${at}.testCases`, 'must be a list');
      return;
    }
    if (report.testCases.length > maxTestCasesSent) {
      problems.add(`${at}.testCases`, `must hold at most ${maxTestCasesSent} cases`);
      return;
    }
    report.testCases.forEach((c, j) => {
      const problem = testCaseProblem(c);
      if (problem !== undefined) problems.add(`${at}.testCases[${j}]`, problem);
    });
  });
}

function testCaseProblem(c: ParsedTestCase): string | undefined {
  if (typeof c !== 'object' || c === null) return 'must be a test case';
  if (!isOneOf(testCaseStatuses, c.status))
    return `status must be one of ${testCaseStatuses.join(', ')}`;
  for (const field of ['name', 'prefix', 'testRawDataPath'] as const) {
    if (typeof c[field] !== 'string' || c[field].length > maxCaseTextLength) {
      return `${field} must be a string of at most ${maxCaseTextLength} characters`;
    }
  }
  const duration = c.durationInNanoSeconds;
  if (!Number.isSafeInteger(duration) || duration < 0) {
    return 'durationInNanoSeconds must be a whole number';
  }
  return undefined;
}
