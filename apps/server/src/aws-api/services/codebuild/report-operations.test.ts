import { buildsHarness, claimNextBuild, type BuildsHarness } from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCodeBuildService } from './codebuild-service.ts';
import { createProjectRequest } from './codebuild-requests.ts';
import { operationHarness, type OperationHarness } from './operation-harness.ts';

const groupArn = (name: string) => `arn:aws:codebuild:us-east-1:123456789012:report-group/${name}`;
const day = 24 * 60 * 60;

let h: BuildsHarness;
let door: OperationHarness;

beforeEach(() => {
  h = buildsHarness();
  door = operationHarness(createCodeBuildService({ builds: h.service }));
});

const testCase = (name: string, status: 'SUCCEEDED' | 'FAILED') => ({
  testRawDataPath: 'reports/unit.xml',
  prefix: 'app.MathTest',
  name,
  status,
  durationInNanoSeconds: 2_000_000,
  message: status === 'FAILED' ? 'expected 2, got 3' : undefined,
  testSuiteName: 'math',
});

/** A build of project `app` that reports two cases to the group `app-unit`; its report ARN. */
async function buildWithReport(): Promise<{ reportArn: string; buildArn: string }> {
  await door.call('CreateProject', createProjectRequest());
  await door.call('StartBuild', { projectName: 'app' });
  const claimed = await claimNextBuild(h);
  h.clock.advance(500);
  const build = await h.service.completeBuild({
    buildId: claimed.build.id,
    leaseId: claimed.lease.leaseId,
    outcome: {
      buildStatus: 'FAILED',
      reports: [
        {
          reportGroup: 'unit',
          testCases: [testCase('adds', 'SUCCEEDED'), testCase('subtracts', 'FAILED')],
        },
      ],
    },
  });
  return { reportArn: build.reportArns[0] ?? '', buildArn: build.arn };
}

describe('CodeBuild door: report groups', () => {
  it('creates a report group and answers it in CodeBuild wire shape', async () => {
    h.clock.advance(10);
    const output = await door.call('CreateReportGroup', {
      name: 'unit',
      type: 'TEST',
      exportConfig: { exportConfigType: 'NO_EXPORT' },
      tags: [{ key: 'team', value: 'web' }],
    });
    expect(output).toEqual({
      reportGroup: {
        arn: groupArn('unit'),
        name: 'unit',
        type: 'TEST',
        exportConfig: { exportConfigType: 'NO_EXPORT' },
        created: 1735689600.01,
        lastModified: 1735689600.01,
        tags: [{ key: 'team', value: 'web' }],
        status: 'ACTIVE',
      },
    });
  });

  it('refuses a missing member, a duplicate, and what Slipway lacks', async () => {
    expect(await door.fail('CreateReportGroup', { name: 'unit' })).toEqual({
      code: 'InvalidInputException',
      message: 'type: is required; exportConfig: is required',
    });
    const request = { name: 'unit', type: 'TEST', exportConfig: { exportConfigType: 'NO_EXPORT' } };
    await door.call('CreateReportGroup', request);
    expect((await door.fail('CreateReportGroup', request)).code).toBe(
      'ResourceAlreadyExistsException',
    );
    const coverage = await door.fail('CreateReportGroup', { ...request, type: 'CODE_COVERAGE' });
    expect(coverage.code).toBe('InvalidInputException');
    expect(coverage.message).toContain('CODE_COVERAGE report groups are not supported');
    expect((await door.fail('CreateReportGroup', { ...request, name: 'x' })).code).toBe(
      'InvalidInputException',
    );
  });

  it('gets, lists (paging round-trips) and deletes report groups', async () => {
    for (const name of ['aa', 'bb', 'cc']) {
      await door.call('CreateReportGroup', {
        name,
        type: 'TEST',
        exportConfig: { exportConfigType: 'NO_EXPORT' },
      });
      h.clock.advance(1_000);
    }
    const got = await door.call('BatchGetReportGroups', {
      reportGroupArns: [groupArn('bb'), groupArn('zz')],
    });
    expect((got.reportGroups as { name: string }[]).map((g) => g.name)).toEqual(['bb']);
    expect(got.reportGroupsNotFound).toEqual([groupArn('zz')]);

    const first = await door.call('ListReportGroups', { maxResults: 2 });
    expect(first.reportGroups).toEqual([groupArn('cc'), groupArn('bb')]);
    expect(
      await door.call('ListReportGroups', { maxResults: 2, nextToken: first.nextToken }),
    ).toEqual({ reportGroups: [groupArn('aa')] });
    expect(await door.call('ListReportGroups', { sortBy: 'NAME', sortOrder: 'ASCENDING' })).toEqual(
      { reportGroups: [groupArn('aa'), groupArn('bb'), groupArn('cc')] },
    );

    expect(await door.call('DeleteReportGroup', { arn: groupArn('bb') })).toEqual({});
    expect(await door.call('DeleteReportGroup', { arn: groupArn('bb') })).toEqual({});
    expect((await door.call('ListReportGroups')).reportGroups).toEqual([
      groupArn('cc'),
      groupArn('aa'),
    ]);
  });

  it('refuses bad list and delete input with InvalidInputException', async () => {
    expect((await door.fail('ListReportGroups', { maxResults: 101 })).code).toBe(
      'InvalidInputException',
    );
    expect((await door.fail('ListReportGroups', { maxResults: '5' })).code).toBe(
      'SerializationException',
    );
    expect((await door.fail('DeleteReportGroup', {})).code).toBe('InvalidInputException');
    expect((await door.fail('DeleteReportGroup', { arn: 'not-an-arn' })).code).toBe(
      'InvalidInputException',
    );
    expect((await door.fail('BatchGetReportGroups', {})).code).toBe('InvalidInputException');
  });
});

describe('CodeBuild door: reports and test cases', () => {
  it("answers a build's report in CodeBuild wire shape", async () => {
    const { reportArn, buildArn } = await buildWithReport();
    const output = await door.call('BatchGetReports', { reportArns: [reportArn, 'arn:nope'] });
    expect(output).toEqual({
      reports: [
        {
          arn: reportArn,
          type: 'TEST',
          name: 'app-unit',
          reportGroupArn: groupArn('app-unit'),
          executionId: buildArn,
          status: 'FAILED',
          created: 1735689600.5,
          expired: 1735689600.5 + 30 * day,
          exportConfig: { exportConfigType: 'NO_EXPORT' },
          truncated: false,
          testSummary: {
            total: 2,
            statusCounts: { SUCCEEDED: 1, FAILED: 1, ERROR: 0, SKIPPED: 0, UNKNOWN: 0 },
            durationInNanoSeconds: 4_000_000,
          },
        },
      ],
      reportsNotFound: ['arn:nope'],
    });
  });

  it('lists reports, all or by group, and answers ResourceNotFoundException for no group', async () => {
    const { reportArn } = await buildWithReport();
    expect(await door.call('ListReports')).toEqual({ reports: [reportArn] });
    expect(await door.call('ListReports', { filter: { status: 'SUCCEEDED' } })).toEqual({
      reports: [],
    });
    expect(
      await door.call('ListReportsForReportGroup', { reportGroupArn: groupArn('app-unit') }),
    ).toEqual({ reports: [reportArn] });
    expect(
      (await door.fail('ListReportsForReportGroup', { reportGroupArn: groupArn('nope') })).code,
    ).toBe('ResourceNotFoundException');
    expect((await door.fail('ListReportsForReportGroup', {})).code).toBe('InvalidInputException');
    expect((await door.fail('ListReports', { filter: { status: 'DONE' } })).code).toBe(
      'InvalidInputException',
    );
  });

  it('describes test cases with filters and paging', async () => {
    const { reportArn } = await buildWithReport();
    const first = await door.call('DescribeTestCases', { reportArn, maxResults: 1 });
    expect(first.testCases).toEqual([
      {
        reportArn,
        testRawDataPath: 'reports/unit.xml',
        prefix: 'app.MathTest',
        name: 'adds',
        status: 'SUCCEEDED',
        durationInNanoSeconds: 2_000_000,
        expired: 1735689600.5 + 30 * day,
        testSuiteName: 'math',
      },
    ]);
    const second = await door.call('DescribeTestCases', {
      reportArn,
      maxResults: 1,
      nextToken: first.nextToken,
    });
    expect(second).toMatchObject({
      testCases: [{ name: 'subtracts', status: 'FAILED', message: 'expected 2, got 3' }],
    });
    expect(second.nextToken).toBeUndefined();
    const failed = await door.call('DescribeTestCases', {
      reportArn,
      filter: { status: 'FAILED' },
    });
    expect((failed.testCases as { name: string }[]).map((c) => c.name)).toEqual(['subtracts']);
  });

  it('answers ResourceNotFoundException or InvalidInputException for DescribeTestCases', async () => {
    expect((await door.fail('DescribeTestCases', { reportArn: 'arn:nope' })).code).toBe(
      'ResourceNotFoundException',
    );
    expect(await door.fail('DescribeTestCases', {})).toEqual({
      code: 'InvalidInputException',
      message: 'reportArn: is required',
    });
  });

  it('deletes a group with reports only when told to delete them too', async () => {
    const { reportArn } = await buildWithReport();
    const refused = await door.fail('DeleteReportGroup', { arn: groupArn('app-unit') });
    expect(refused.code).toBe('InvalidInputException');
    expect(await door.call('ListReports')).toEqual({ reports: [reportArn] });
    expect(
      await door.call('DeleteReportGroup', { arn: groupArn('app-unit'), deleteReports: true }),
    ).toEqual({});
    expect(await door.call('ListReports')).toEqual({ reports: [] });
  });

  it('deletes a report, and answers the same for one that does not exist', async () => {
    const { reportArn } = await buildWithReport();
    expect(await door.call('DeleteReport', { arn: reportArn })).toEqual({});
    expect(await door.call('DeleteReport', { arn: reportArn })).toEqual({});
    expect(await door.call('BatchGetReports', { reportArns: [reportArn] })).toEqual({
      reports: [],
      reportsNotFound: [reportArn],
    });
    expect((await door.fail('DeleteReport', {})).code).toBe('InvalidInputException');
  });
});
