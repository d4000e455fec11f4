import type { ParsedTestCase } from '@slipway/buildspec';
import {
  aProjectInput,
  buildsHarness,
  claimNextBuild,
  expectAppError,
  fakeClockStart,
  type BuildsHarness,
} from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppErrorKind } from '../errors/app-error.ts';

const groupArn = (name: string) => `arn:aws:codebuild:us-east-1:123456789012:report-group/${name}`;
let h: BuildsHarness;
beforeEach(async () => {
  h = buildsHarness();
  await h.service.createProject(h.scope, aProjectInput());
});

const aCase = (
  name: string,
  status: ParsedTestCase['status'],
  prefix = 'suite',
): ParsedTestCase => ({
  testRawDataPath: 'junit.xml',
  prefix,
  name,
  status,
  durationInNanoSeconds: 5,
  message: undefined,
  testSuiteName: undefined,
});

/** Runs one build that reports `cases` into `reportGroup`; returns the report's ARN. */
async function reportOf(reportGroup: string, cases: ParsedTestCase[], status?: 'INCOMPLETE') {
  await h.service.startBuild(h.scope, { projectName: 'app', initiator: 'a' });
  const claimed = await claimNextBuild(h);
  const build = await h.service.completeBuild({
    buildId: claimed.build.id,
    leaseId: claimed.lease.leaseId,
    outcome: { buildStatus: 'SUCCEEDED', reports: [{ reportGroup, testCases: cases, status }] },
  });
  return build.reportArns[0] ?? '';
}

describe('report groups', () => {
  it('creates, gets and lists report groups', async () => {
    const created = await h.service.createReportGroup(h.scope, {
      name: 'unit',
      type: 'TEST',
      exportConfig: { exportConfigType: 'NO_EXPORT' },
      tags: [{ key: 'team', value: 'core' }],
    });
    expect(created).toEqual({
      accountId: '123456789012',
      region: 'us-east-1',
      arn: groupArn('unit'),
      name: 'unit',
      type: 'TEST',
      exportConfig: { exportConfigType: 'NO_EXPORT' },
      created: fakeClockStart,
      lastModified: fakeClockStart,
      tags: [{ key: 'team', value: 'core' }],
      status: 'ACTIVE',
    });
    h.clock.advance(10);
    await h.service.createReportGroup(h.scope, { name: 'e2e', type: 'TEST', exportConfig: {} });
    const got = await h.service.batchGetReportGroups(h.scope, [groupArn('unit'), groupArn('nope')]);
    expect(got).toEqual({ reportGroups: [created], reportGroupsNotFound: [groupArn('nope')] });
    expect((await h.service.listReportGroups(h.scope)).arns).toEqual([
      groupArn('e2e'),
      groupArn('unit'),
    ]);
    expect(
      (
        await h.service.listReportGroups(h.scope, {
          sortBy: 'NAME',
          sortOrder: 'ASCENDING',
          maxResults: 1,
        })
      ).arns,
    ).toEqual([groupArn('e2e')]);
  });

  it('refuses a taken name, bad names, and what Slipway does not implement', async () => {
    await h.service.createReportGroup(h.scope, { name: 'unit', type: 'TEST', exportConfig: {} });
    await expectAppError(
      h.service.createReportGroup(h.scope, { name: 'unit', type: 'TEST', exportConfig: {} }),
      AppErrorKind.AlreadyExists,
    );
    for (const [input, resource] of [
      [{ name: 'x', type: 'TEST', exportConfig: {} }, 'report-group-input'],
      [{ name: 'a:b', type: 'TEST', exportConfig: {} }, 'report-group-input'],
      [{ name: 'cov', type: 'CODE_COVERAGE', exportConfig: {} }, 'unsupported'],
      [{ name: 'exp', type: 'TEST', exportConfig: { exportConfigType: 'S3' } }, 'unsupported'],
    ] as const) {
      const error = await expectAppError(
        h.service.createReportGroup(h.scope, input),
        AppErrorKind.InvalidInput,
      );
      expect(error.resource).toBe(resource);
    }
  });

  it('deletes a group only with its reports, when told to', async () => {
    const report = await reportOf('unit', [aCase('a', 'SUCCEEDED')]);
    const arn = groupArn('app-unit');
    const error = await expectAppError(
      h.service.deleteReportGroup(h.scope, arn),
      AppErrorKind.InvalidInput,
    );
    expect(error.resource).toBe('report-group-not-empty');
    await h.service.deleteReportGroup(h.scope, arn, true);
    expect((await h.service.batchGetReports(h.scope, [report])).reportsNotFound).toEqual([report]);
    expect((await h.service.batchGetReportGroups(h.scope, [arn])).reportGroupsNotFound).toEqual([
      arn,
    ]);
    await h.service.deleteReportGroup(h.scope, arn);
  });
});

describe('reports and test cases', () => {
  it('uses an existing group named by ARN, and lists reports newest first, by status', async () => {
    await h.service.createReportGroup(h.scope, { name: 'shared', type: 'TEST', exportConfig: {} });
    const passed = await reportOf(groupArn('shared'), [aCase('a', 'SUCCEEDED')]);
    h.clock.advance(1);
    const failed = await reportOf(groupArn('shared'), [aCase('b', 'FAILED')]);
    h.clock.advance(1);
    const incomplete = await reportOf('other', [], 'INCOMPLETE');
    expect((await h.service.listReports(h.scope)).arns).toEqual([incomplete, failed, passed]);
    expect(
      (await h.service.listReports(h.scope, { sortOrder: 'ASCENDING', maxResults: 1 })).arns,
    ).toEqual([passed]);
    expect(
      (
        await h.service.listReportsForReportGroup(h.scope, groupArn('shared'), {
          filter: { status: 'FAILED' },
        })
      ).arns,
    ).toEqual([failed]);
    const [report] = (await h.service.batchGetReports(h.scope, [incomplete])).reports;
    expect(report).toMatchObject({ status: 'INCOMPLETE', name: 'app-other' });
    await expectAppError(
      h.service.listReportsForReportGroup(h.scope, groupArn('nope')),
      AppErrorKind.NotFound,
    );
  });

  it('describes test cases with status and keyword filters and pages', async () => {
    const arn = await reportOf('unit', [
      aCase('adds', 'SUCCEEDED', 'math'),
      aCase('divides', 'FAILED', 'math'),
      aCase('parses', 'SUCCEEDED', 'text'),
      aCase('skipped', 'SKIPPED', 'text'),
    ]);
    const names = async (input: object) =>
      (await h.service.describeTestCases(h.scope, { reportArn: arn, ...input })).testCases.map(
        (c) => c.name,
      );
    expect(await names({})).toEqual(['adds', 'divides', 'parses', 'skipped']);
    expect(await names({ filter: { status: 'SUCCEEDED' } })).toEqual(['adds', 'parses']);
    expect(await names({ filter: { keyword: 'math' } })).toEqual(['adds', 'divides']);
    expect(await names({ filter: { keyword: 'ars' } })).toEqual(['parses']);
    const first = await h.service.describeTestCases(h.scope, { reportArn: arn, maxResults: 3 });
    const rest = await h.service.describeTestCases(h.scope, {
      reportArn: arn,
      maxResults: 3,
      nextToken: first.nextToken,
    });
    expect(rest.testCases.map((c) => c.name)).toEqual(['skipped']);
    expect(rest.nextToken).toBeUndefined();
    expect(first.testCases[0]).toEqual({
      reportArn: arn,
      testRawDataPath: 'junit.xml',
      prefix: 'math',
      name: 'adds',
      status: 'SUCCEEDED',
      durationInNanoSeconds: 5,
      expired: fakeClockStart + 30 * 24 * 3600 * 1000,
    });
    await expectAppError(
      h.service.describeTestCases(h.scope, { reportArn: `${arn}x` }),
      AppErrorKind.NotFound,
    );
  });

  it('deletes one report', async () => {
    const arn = await reportOf('unit', [aCase('a', 'SUCCEEDED')]);
    await h.service.deleteReport(h.scope, arn);
    expect((await h.service.batchGetReports(h.scope, [arn])).reports).toEqual([]);
    await h.service.deleteReport(h.scope, arn);
  });
});
