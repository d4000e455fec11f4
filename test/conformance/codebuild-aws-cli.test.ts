import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function cli(service: string, ...args: string[]): Promise<Record<string, unknown>> {
  const result = await aws([service, ...args, '--output', 'json'], server.awsEnv);
  if (result.code !== 0) throw new Error(`aws ${service} ${args[0]} failed: ${result.stderr}`);
  return result.stdout.trim() === '' ? {} : (JSON.parse(result.stdout) as Record<string, unknown>);
}

const codebuild = (...args: string[]) => cli('codebuild', ...args);
const logs = (...args: string[]) => cli('logs', ...args);

/** The error code the CLI prints: `An error occurred (Code) when calling …`. */
async function errorOf(service: string, ...args: string[]): Promise<string | undefined> {
  const result = await aws([service, ...args], server.awsEnv);
  return /An error occurred \((\w+)\)/.exec(result.stderr)?.[1];
}

const buildspec =
  'version: 0.2\nphases:\n  build:\n    commands:\n      - echo hello from slipway\n';
const serviceRole = 'arn:aws:iam::123456789012:role/codebuild';

function createProject(name: string, ...extra: string[]) {
  return codebuild(
    'create-project',
    '--name',
    name,
    '--source',
    JSON.stringify({ type: 'NO_SOURCE', buildspec }),
    '--artifacts',
    'type=NO_ARTIFACTS',
    '--environment',
    'type=LINUX_CONTAINER,image=aws/codebuild/standard:7.0,computeType=BUILD_GENERAL1_SMALL',
    '--service-role',
    serviceRole,
    ...extra,
  );
}

interface CliBuild {
  id: string;
  arn: string;
  buildStatus: string;
  currentPhase: string;
  startTime: number;
  logs: { groupName: string; streamName: string };
  phases: { phaseType: string; phaseStatus?: string }[];
}

describe('CodeBuild through the AWS CLI', () => {
  it('creates, reads, lists, updates and deletes a project', async () => {
    const created = (await createProject('cli-app', '--description', 'first')) as {
      project: Record<string, unknown>;
    };
    expect(created.project).toMatchObject({
      name: 'cli-app',
      arn: `arn:aws:codebuild:us-east-1:${server.accountId}:project/cli-app`,
      description: 'first',
      source: { type: 'NO_SOURCE', buildspec },
      artifacts: { type: 'NO_ARTIFACTS' },
      environment: { type: 'LINUX_CONTAINER', computeType: 'BUILD_GENERAL1_SMALL' },
      serviceRole,
      timeoutInMinutes: 60,
      queuedTimeoutInMinutes: 480,
      badge: { badgeEnabled: false },
    });
    // The CLI prints timestamps as they come on the wire: epoch seconds.
    expect(typeof created.project.created).toBe('number');
    expect(Math.abs((created.project.created as number) - Date.now() / 1000)).toBeLessThan(60);
    expect(created.project).not.toHaveProperty('sourceVersion');

    const got = await codebuild('batch-get-projects', '--names', 'cli-app', 'cli-absent');
    expect(got).toMatchObject({
      projects: [{ name: 'cli-app' }],
      projectsNotFound: ['cli-absent'],
    });
    expect((await codebuild('list-projects')).projects).toContain('cli-app');

    const updated = await codebuild(
      'update-project',
      '--name',
      'cli-app',
      '--description',
      'second',
      '--timeout-in-minutes',
      '15',
    );
    expect(updated).toMatchObject({
      project: { name: 'cli-app', description: 'second', timeoutInMinutes: 15 },
    });

    expect(await codebuild('delete-project', '--name', 'cli-app')).toEqual({});
    expect(await codebuild('batch-get-projects', '--names', 'cli-app')).toEqual({
      projects: [],
      projectsNotFound: ['cli-app'],
    });
  });

  it('starts a NO_SOURCE build, finds it, and stops it while it is queued', async () => {
    await createProject('cli-build');
    const { build } = (await codebuild('start-build', '--project-name', 'cli-build')) as {
      build: CliBuild;
    };
    expect(build).toMatchObject({
      id: expect.stringMatching(/^cli-build:[0-9a-f-]{36}$/) as unknown,
      buildStatus: 'IN_PROGRESS',
      currentPhase: 'QUEUED',
      source: { type: 'NO_SOURCE', buildspec },
      logs: { groupName: '/aws/codebuild/cli-build' },
      initiator: 'admin',
    });

    const got = (await codebuild('batch-get-builds', '--ids', build.id)) as {
      builds: CliBuild[];
    };
    expect(got.builds.map((b) => b.id)).toEqual([build.id]);
    expect((await codebuild('list-builds')).ids).toContain(build.id);
    expect(await codebuild('list-builds-for-project', '--project-name', 'cli-build')).toEqual({
      ids: [build.id],
    });

    const { build: stopped } = (await codebuild('stop-build', '--id', build.id)) as {
      build: CliBuild;
    };
    expect(stopped).toMatchObject({ buildStatus: 'STOPPED', currentPhase: 'COMPLETED' });
    expect(stopped.phases.map((p) => [p.phaseType, p.phaseStatus])).toEqual([
      ['SUBMITTED', 'SUCCEEDED'],
      ['QUEUED', 'STOPPED'],
      ['COMPLETED', undefined],
    ]);
    expect(await codebuild('batch-delete-builds', '--ids', build.id)).toEqual({
      buildsDeleted: [build.arn],
      buildsNotDeleted: [],
    });
  });

  it('prints the AWS error codes for bad input', async () => {
    await createProject('cli-errors');
    expect(
      await errorOf(
        'codebuild',
        'create-project',
        '--name',
        'cli-errors',
        '--source',
        'type=NO_SOURCE,buildspec=x',
        '--artifacts',
        'type=NO_ARTIFACTS',
        '--environment',
        'type=LINUX_CONTAINER,image=x,computeType=BUILD_GENERAL1_SMALL',
        '--service-role',
        serviceRole,
      ),
    ).toBe('ResourceAlreadyExistsException');
    expect(
      await errorOf(
        'codebuild',
        'create-project',
        '--name',
        'bad.name',
        '--source',
        'type=NO_SOURCE,buildspec=x',
        '--artifacts',
        'type=NO_ARTIFACTS',
        '--environment',
        'type=LINUX_CONTAINER,image=x,computeType=BUILD_GENERAL1_SMALL',
        '--service-role',
        serviceRole,
      ),
    ).toBe('InvalidInputException');
    expect(
      await errorOf(
        'codebuild',
        'create-project',
        '--name',
        'cli-windows',
        '--source',
        'type=NO_SOURCE,buildspec=x',
        '--artifacts',
        'type=NO_ARTIFACTS',
        '--environment',
        'type=WINDOWS_CONTAINER,image=x,computeType=BUILD_GENERAL1_SMALL',
        '--service-role',
        serviceRole,
      ),
    ).toBe('InvalidInputException');
    expect(await errorOf('codebuild', 'start-build', '--project-name', 'cli-absent')).toBe(
      'ResourceNotFoundException',
    );
    expect(
      await errorOf('codebuild', 'update-project', '--name', 'cli-absent', '--description', 'x'),
    ).toBe('ResourceNotFoundException');
    expect(await errorOf('codebuild', 'stop-build', '--id', 'cli-errors:absent')).toBe(
      'ResourceNotFoundException',
    );
    expect(
      await errorOf(
        'codebuild',
        'start-build',
        '--project-name',
        'cli-errors',
        '--environment-type-override',
        'WINDOWS_CONTAINER',
      ),
    ).toBe('InvalidInputException');
    expect(
      await errorOf('codebuild', 'list-builds', '--no-paginate', '--next-token', 'forged'),
    ).toBe('InvalidInputException');
    expect(
      await errorOf('codebuild', 'list-builds-for-project', '--project-name', 'cli-absent'),
    ).toBe('ResourceNotFoundException');
    // An operation Slipway does not have.
    expect(await errorOf('codebuild', 'list-fleets')).toBe('UnknownOperationException');
  });

  it('creates, lists, gets and deletes a report group', async () => {
    const { reportGroup } = (await codebuild(
      'create-report-group',
      '--name',
      'cli-unit',
      '--type',
      'TEST',
      '--export-config',
      'exportConfigType=NO_EXPORT',
    )) as { reportGroup: { arn: string; created: number } };
    expect(reportGroup).toMatchObject({
      arn: `arn:aws:codebuild:us-east-1:${server.accountId}:report-group/cli-unit`,
      name: 'cli-unit',
      type: 'TEST',
      exportConfig: { exportConfigType: 'NO_EXPORT' },
      status: 'ACTIVE',
    });
    expect(typeof reportGroup.created).toBe('number');
    expect((await codebuild('list-report-groups')).reportGroups).toContain(reportGroup.arn);
    expect(
      await codebuild('batch-get-report-groups', '--report-group-arns', reportGroup.arn),
    ).toMatchObject({ reportGroups: [{ name: 'cli-unit' }], reportGroupsNotFound: [] });
    expect(
      await codebuild('list-reports-for-report-group', '--report-group-arn', reportGroup.arn),
    ).toEqual({ reports: [] });
    expect(
      await errorOf(
        'codebuild',
        'create-report-group',
        '--name',
        'cli-unit',
        '--type',
        'TEST',
        '--export-config',
        'exportConfigType=NO_EXPORT',
      ),
    ).toBe('ResourceAlreadyExistsException');
    expect(await codebuild('delete-report-group', '--arn', reportGroup.arn)).toEqual({});
    expect((await codebuild('list-report-groups')).reportGroups).not.toContain(reportGroup.arn);
    expect(
      await errorOf('codebuild', 'describe-test-cases', '--report-arn', `${reportGroup.arn}:nope`),
    ).toBe('ResourceNotFoundException');
  });
});

describe('CloudWatch Logs through the AWS CLI', () => {
  it('answers the AWS errors for a build that has no log group or stream yet', async () => {
    await createProject('cli-logs');
    const { build } = (await codebuild('start-build', '--project-name', 'cli-logs')) as {
      build: CliBuild;
    };
    const { groupName, streamName } = build.logs;
    expect(
      await errorOf(
        'logs',
        'get-log-events',
        '--log-group-name',
        groupName,
        '--log-stream-name',
        streamName,
      ),
    ).toBe('ResourceNotFoundException');
    expect(await errorOf('logs', 'describe-log-streams', '--log-group-name', groupName)).toBe(
      'ResourceNotFoundException',
    );
    expect(await errorOf('logs', 'filter-log-events', '--log-group-name', groupName)).toBe(
      'ResourceNotFoundException',
    );
    expect(await logs('describe-log-groups', '--log-group-name-prefix', groupName)).toEqual({
      logGroups: [],
    });
    expect(
      await errorOf(
        'logs',
        'get-log-events',
        '--log-group-name',
        'bad:name',
        '--log-stream-name',
        's',
      ),
    ).toBe('InvalidParameterException');
    expect(
      await errorOf('logs', 'describe-log-groups', '--log-group-name-pattern', 'codebuild'),
    ).toBe('InvalidParameterException');
    // Slipway's logs are written by builds only.
    expect(await errorOf('logs', 'create-log-group', '--log-group-name', 'mine')).toBe(
      'UnknownOperationException',
    );
  });
});
