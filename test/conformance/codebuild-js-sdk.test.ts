import {
  CloudWatchLogsClient,
  CloudWatchLogsServiceException,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  BatchDeleteBuildsCommand,
  BatchGetBuildsCommand,
  BatchGetProjectsCommand,
  BatchGetReportGroupsCommand,
  CodeBuildClient,
  CodeBuildServiceException,
  CreateProjectCommand,
  CreateReportGroupCommand,
  CreateWebhookCommand,
  DeleteProjectCommand,
  DeleteReportGroupCommand,
  ListBuildsCommand,
  ListBuildsForProjectCommand,
  ListProjectsCommand,
  ListReportGroupsCommand,
  ListReportsCommand,
  RetryBuildCommand,
  StartBuildCommand,
  StopBuildCommand,
  UpdateProjectCommand,
  type CreateProjectCommandInput,
} from '@aws-sdk/client-codebuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let codebuild: CodeBuildClient;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  server = await startTestServer();
  const options = {
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    maxAttempts: 1,
  };
  codebuild = new CodeBuildClient(options);
  logs = new CloudWatchLogsClient(options);
});
afterAll(async () => {
  codebuild.destroy();
  logs.destroy();
  await server.close();
});

async function errorName(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CodeBuildServiceException) return error.name;
    if (error instanceof CloudWatchLogsServiceException) return error.name;
    throw error;
  }
  return 'no error';
}

const buildspec = 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo hello\n';

const projectInput = (
  name: string,
  overrides: Partial<CreateProjectCommandInput> = {},
): CreateProjectCommandInput => ({
  name,
  source: { type: 'NO_SOURCE', buildspec },
  artifacts: { type: 'NO_ARTIFACTS' },
  environment: {
    type: 'LINUX_CONTAINER',
    image: 'aws/codebuild/standard:7.0',
    computeType: 'BUILD_GENERAL1_SMALL',
    environmentVariables: [{ name: 'STAGE', value: 'test' }],
  },
  serviceRole: 'arn:aws:iam::123456789012:role/codebuild',
  ...overrides,
});

describe('CodeBuild through @aws-sdk/client-codebuild', () => {
  it('creates, reads, lists, updates and deletes a project, dates as Dates', async () => {
    const before = Date.now();
    const { project } = await codebuild.send(
      new CreateProjectCommand(projectInput('sdk-app', { tags: [{ key: 'team', value: 'web' }] })),
    );
    expect(project).toMatchObject({
      name: 'sdk-app',
      arn: `arn:aws:codebuild:us-east-1:${server.accountId}:project/sdk-app`,
      source: { type: 'NO_SOURCE', buildspec },
      environment: {
        environmentVariables: [{ name: 'STAGE', value: 'test', type: 'PLAINTEXT' }],
      },
      tags: [{ key: 'team', value: 'web' }],
      logsConfig: { cloudWatchLogs: { status: 'ENABLED' }, s3Logs: { status: 'DISABLED' } },
    });
    expect(project?.created).toBeInstanceOf(Date);
    expect(project?.created?.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(project?.description).toBeUndefined();

    const got = await codebuild.send(new BatchGetProjectsCommand({ names: ['sdk-app', 'nope'] }));
    expect(got.projects?.map((p) => p.name)).toEqual(['sdk-app']);
    expect(got.projectsNotFound).toEqual(['nope']);
    expect((await codebuild.send(new ListProjectsCommand({ sortBy: 'NAME' }))).projects).toContain(
      'sdk-app',
    );

    const updated = await codebuild.send(
      new UpdateProjectCommand({ name: 'sdk-app', concurrentBuildLimit: 3, description: 'x' }),
    );
    expect(updated.project).toMatchObject({ concurrentBuildLimit: 3, description: 'x' });
    expect(updated.project?.lastModified?.getTime()).toBeGreaterThanOrEqual(
      updated.project?.created?.getTime() ?? Infinity,
    );

    await codebuild.send(new DeleteProjectCommand({ name: 'sdk-app' }));
    expect(
      (await codebuild.send(new BatchGetProjectsCommand({ names: ['sdk-app'] }))).projects,
    ).toEqual([]);
  });

  it('starts, lists, retries, stops and deletes builds of a NO_SOURCE project', async () => {
    await codebuild.send(new CreateProjectCommand(projectInput('sdk-build')));
    const { build } = await codebuild.send(
      new StartBuildCommand({
        projectName: 'sdk-build',
        environmentVariablesOverride: [{ name: 'STAGE', value: 'override' }],
      }),
    );
    expect(build).toMatchObject({
      projectName: 'sdk-build',
      buildNumber: 1,
      buildStatus: 'IN_PROGRESS',
      currentPhase: 'QUEUED',
      buildComplete: false,
      environment: { environmentVariables: [{ name: 'STAGE', value: 'override' }] },
      logs: { groupName: '/aws/codebuild/sdk-build' },
    });
    expect(build?.startTime).toBeInstanceOf(Date);
    expect(build?.phases?.[0]).toMatchObject({
      phaseType: 'SUBMITTED',
      phaseStatus: 'SUCCEEDED',
      durationInSeconds: 0,
    });
    const id = build?.id ?? '';

    const retried = await codebuild.send(new RetryBuildCommand({ id }));
    expect(retried.build?.buildNumber).toBe(2);
    const retriedId = retried.build?.id ?? '';

    const listed = await codebuild.send(
      new ListBuildsForProjectCommand({ projectName: 'sdk-build' }),
    );
    expect(listed.ids).toEqual([retriedId, id]);
    expect((await codebuild.send(new ListBuildsCommand({}))).ids).toContain(id);

    const stopped = await codebuild.send(new StopBuildCommand({ id }));
    expect(stopped.build).toMatchObject({ buildStatus: 'STOPPED', buildComplete: true });
    expect(stopped.build?.endTime).toBeInstanceOf(Date);

    const both = await codebuild.send(new BatchGetBuildsCommand({ ids: [id, retriedId, 'x:y'] }));
    expect(both.builds?.map((b) => [b.id, b.buildStatus])).toEqual([
      [id, 'STOPPED'],
      [retriedId, 'IN_PROGRESS'],
    ]);
    expect(both.buildsNotFound).toEqual(['x:y']);

    const deleted = await codebuild.send(new BatchDeleteBuildsCommand({ ids: [id, retriedId] }));
    expect(deleted).toMatchObject({
      buildsDeleted: [stopped.build?.arn],
      buildsNotDeleted: [{ id: retried.build?.arn, statusCode: 'BUILD_IN_PROGRESS' }],
    });
  });

  it('names the AWS exceptions for bad input', async () => {
    await codebuild.send(new CreateProjectCommand(projectInput('sdk-errors')));
    expect(
      await errorName(codebuild.send(new CreateProjectCommand(projectInput('sdk-errors')))),
    ).toBe('ResourceAlreadyExistsException');
    expect(
      await errorName(
        codebuild.send(
          new CreateProjectCommand(projectInput('sdk-vpc', { vpcConfig: { vpcId: 'v' } })),
        ),
      ),
    ).toBe('InvalidInputException');
    expect(
      await errorName(
        codebuild.send(new CreateProjectCommand({ ...projectInput('sdk-x'), serviceRole: '' })),
      ),
    ).toBe('InvalidInputException');
    expect(await errorName(codebuild.send(new StartBuildCommand({ projectName: 'nope' })))).toBe(
      'ResourceNotFoundException',
    );
    expect(await errorName(codebuild.send(new RetryBuildCommand({ id: 'sdk-errors:nope' })))).toBe(
      'ResourceNotFoundException',
    );
    expect(await errorName(codebuild.send(new BatchGetBuildsCommand({ ids: [] })))).toBe(
      'InvalidInputException',
    );
    expect(await errorName(codebuild.send(new ListProjectsCommand({ nextToken: 'forged' })))).toBe(
      'InvalidInputException',
    );
    expect(
      await errorName(
        codebuild.send(new UpdateProjectCommand({ name: 'sdk-errors', concurrentBuildLimit: 1 })),
      ),
    ).toBe('no error');
    for (let i = 0; i < 6; i++) {
      await codebuild.send(new StartBuildCommand({ projectName: 'sdk-errors' }));
    }
    expect(
      await errorName(codebuild.send(new StartBuildCommand({ projectName: 'sdk-errors' }))),
    ).toBe('AccountLimitExceededException');
    expect(
      await errorName(codebuild.send(new CreateWebhookCommand({ projectName: 'sdk-errors' }))),
    ).toBe('UnknownOperationException');
  });

  it('creates, lists and deletes report groups', async () => {
    const { reportGroup } = await codebuild.send(
      new CreateReportGroupCommand({
        name: 'sdk-unit',
        type: 'TEST',
        exportConfig: { exportConfigType: 'NO_EXPORT' },
      }),
    );
    expect(reportGroup).toMatchObject({ name: 'sdk-unit', type: 'TEST', status: 'ACTIVE' });
    expect(reportGroup?.created).toBeInstanceOf(Date);
    const arn = reportGroup?.arn ?? '';
    expect((await codebuild.send(new ListReportGroupsCommand({}))).reportGroups).toContain(arn);
    const got = await codebuild.send(new BatchGetReportGroupsCommand({ reportGroupArns: [arn] }));
    expect(got.reportGroups?.map((g) => g.name)).toEqual(['sdk-unit']);
    expect((await codebuild.send(new ListReportsCommand({}))).reports).toEqual([]);
    expect(
      await errorName(
        codebuild.send(
          new CreateReportGroupCommand({
            name: 'sdk-coverage',
            type: 'CODE_COVERAGE',
            exportConfig: { exportConfigType: 'NO_EXPORT' },
          }),
        ),
      ),
    ).toBe('InvalidInputException');
    await codebuild.send(new DeleteReportGroupCommand({ arn }));
    expect((await codebuild.send(new ListReportGroupsCommand({}))).reportGroups).not.toContain(arn);
  });
});

describe('CloudWatch Logs through @aws-sdk/client-cloudwatch-logs', () => {
  it('answers the AWS errors for a queued build, which has no log group yet', async () => {
    await codebuild.send(new CreateProjectCommand(projectInput('sdk-logs')));
    const { build } = await codebuild.send(new StartBuildCommand({ projectName: 'sdk-logs' }));
    const logGroupName = build?.logs?.groupName ?? '';
    const logStreamName = build?.logs?.streamName ?? '';
    expect(
      await errorName(logs.send(new GetLogEventsCommand({ logGroupName, logStreamName }))),
    ).toBe('ResourceNotFoundException');
    expect(await errorName(logs.send(new DescribeLogStreamsCommand({ logGroupName })))).toBe(
      'ResourceNotFoundException',
    );
    expect(await errorName(logs.send(new FilterLogEventsCommand({ logGroupName })))).toBe(
      'ResourceNotFoundException',
    );
    expect(
      (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName })))
        .logGroups,
    ).toEqual([]);
    expect(
      await errorName(
        logs.send(new GetLogEventsCommand({ logGroupName: 'bad:name', logStreamName })),
      ),
    ).toBe('InvalidParameterException');
    expect(
      await errorName(
        logs.send(
          new GetLogEventsCommand({
            logGroupName,
            logGroupIdentifier: logGroupName,
            logStreamName,
          }),
        ),
      ),
    ).toBe('InvalidParameterException');
    expect(await errorName(logs.send(new CreateLogGroupCommand({ logGroupName: 'mine' })))).toBe(
      'UnknownOperationException',
    );
  });
});
