import { describe, expect, it } from 'vitest';
import { summarizeTestCases, testReportStatus, truncateTestCases } from './report-summary.ts';
import type { TestCaseStatus } from './test-case.model.ts';

const c = (status: TestCaseStatus, durationInNanoSeconds = 1, id = '') => ({
  status,
  durationInNanoSeconds,
  id,
});

describe('summarizeTestCases', () => {
  it('counts every status, zero included, and sums durations', () => {
    expect(summarizeTestCases([c('SUCCEEDED', 10), c('FAILED', 5), c('SUCCEEDED', 1)])).toEqual({
      total: 3,
      statusCounts: { SUCCEEDED: 2, FAILED: 1, ERROR: 0, SKIPPED: 0, UNKNOWN: 0 },
      durationInNanoSeconds: 16,
    });
    expect(summarizeTestCases([])).toEqual({
      total: 0,
      statusCounts: { SUCCEEDED: 0, FAILED: 0, ERROR: 0, SKIPPED: 0, UNKNOWN: 0 },
      durationInNanoSeconds: 0,
    });
  });

  it('fails a report with a failed or errored case only', () => {
    expect(testReportStatus(summarizeTestCases([c('SUCCEEDED'), c('SKIPPED')]))).toBe('SUCCEEDED');
    expect(testReportStatus(summarizeTestCases([c('SUCCEEDED'), c('ERROR')]))).toBe('FAILED');
    expect(testReportStatus(summarizeTestCases([c('FAILED')]))).toBe('FAILED');
  });
});

describe('truncateTestCases', () => {
  it('keeps everything under the limit', () => {
    expect(truncateTestCases([c('SUCCEEDED')], 2)).toEqual({
      testCases: [c('SUCCEEDED')],
      truncated: false,
    });
  });

  it('keeps failures first, then the rest, in their original order', () => {
    const cases = [
      c('SUCCEEDED', 1, 'a'),
      c('FAILED', 1, 'b'),
      c('SKIPPED', 1, 'c'),
      c('ERROR', 1, 'd'),
      c('SUCCEEDED', 1, 'e'),
    ];
    expect(truncateTestCases(cases, 3)).toEqual({
      testCases: [c('SUCCEEDED', 1, 'a'), c('FAILED', 1, 'b'), c('ERROR', 1, 'd')],
      truncated: true,
    });
    expect(truncateTestCases(cases, 1).testCases.map((x) => x.id)).toEqual(['b']);
  });

  it('defaults to CodeBuild’s 500 cases per report', () => {
    const many = Array.from({ length: 501 }, () => c('SUCCEEDED'));
    const { testCases, truncated } = truncateTestCases(many);
    expect([testCases.length, truncated]).toEqual([500, true]);
  });
});
