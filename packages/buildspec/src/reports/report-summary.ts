/**
 * Report totals and CodeBuild's per-report limit: a report keeps at most 500 test cases,
 * failures first, and is marked truncated when cases were dropped; the summary still counts
 * every case read.
 */
import {
  testCaseStatuses,
  type ParsedTestCase,
  type TestCaseStatus,
  type TestReportSummary,
} from './test-case.model.ts';

export const maxTestCasesPerReport = 500;

export function summarizeTestCases(
  cases: readonly Pick<ParsedTestCase, 'status' | 'durationInNanoSeconds'>[],
): TestReportSummary {
  const statusCounts = Object.fromEntries(testCaseStatuses.map((s) => [s, 0])) as Record<
    TestCaseStatus,
    number
  >;
  let durationInNanoSeconds = 0;
  for (const c of cases) {
    statusCounts[c.status] += 1;
    durationInNanoSeconds += c.durationInNanoSeconds;
  }
  return { total: cases.length, statusCounts, durationInNanoSeconds };
}

/** SUCCEEDED when nothing failed or errored (skipped cases pass), else FAILED. */
export function testReportStatus(summary: TestReportSummary): 'SUCCEEDED' | 'FAILED' {
  return summary.statusCounts.FAILED + summary.statusCounts.ERROR > 0 ? 'FAILED' : 'SUCCEEDED';
}

const failing = (c: { status: TestCaseStatus }) => c.status === 'FAILED' || c.status === 'ERROR';

/** At most `limit` cases, FAILED and ERROR ones kept first, in their original order. */
export function truncateTestCases<T extends { readonly status: TestCaseStatus }>(
  cases: readonly T[],
  limit: number = maxTestCasesPerReport,
): { testCases: T[]; truncated: boolean } {
  if (cases.length <= limit) return { testCases: [...cases], truncated: false };
  const kept = new Set<number>();
  for (const pass of [true, false]) {
    cases.forEach((c, i) => {
      if (kept.size < limit && failing(c) === pass) kept.add(i);
    });
  }
  return { testCases: cases.filter((_, i) => kept.has(i)), truncated: true };
}
