import { buildsHarness, type BuildsHarness } from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCodeBuildService } from './codebuild-service.ts';
import { buildspec, createProjectRequest } from './codebuild-requests.ts';
import { operationHarness, type OperationHarness } from './operation-harness.ts';

const serviceRole = 'arn:aws:iam::123456789012:role/codebuild';
const projectArn = (name: string) => `arn:aws:codebuild:us-east-1:123456789012:project/${name}`;

let h: BuildsHarness;
let door: OperationHarness;

beforeEach(() => {
  h = buildsHarness();
  door = operationHarness(createCodeBuildService({ builds: h.service }));
});

describe('CodeBuild door: CreateProject', () => {
  it('answers the project in CodeBuild wire shape, defaults filled in, dates in epoch seconds', async () => {
    h.clock.advance(1_250);
    const output = await door.call('CreateProject', createProjectRequest());
    expect(output).toEqual({
      project: {
        name: 'app',
        arn: projectArn('app'),
        source: { type: 'NO_SOURCE', buildspec, insecureSsl: false },
        secondarySources: [],
        secondarySourceVersions: [],
        artifacts: { type: 'NO_ARTIFACTS', overrideArtifactName: false, encryptionDisabled: false },
        secondaryArtifacts: [],
        cache: { type: 'NO_CACHE' },
        environment: {
          type: 'LINUX_CONTAINER',
          image: 'aws/codebuild/standard:7.0',
          computeType: 'BUILD_GENERAL1_SMALL',
          environmentVariables: [],
          privilegedMode: false,
          imagePullCredentialsType: 'CODEBUILD',
        },
        serviceRole,
        timeoutInMinutes: 60,
        queuedTimeoutInMinutes: 480,
        tags: [],
        created: 1735689601.25,
        lastModified: 1735689601.25,
        badge: { badgeEnabled: false },
        logsConfig: { cloudWatchLogs: { status: 'ENABLED' }, s3Logs: { status: 'DISABLED' } },
        projectVisibility: 'PRIVATE',
      },
    });
  });

  it('keeps every setting it was given', async () => {
    const output = await door.call(
      'CreateProject',
      createProjectRequest({
        description: 'the app',
        source: {
          type: 'CODECOMMIT',
          location: 'http://localhost/v1/repos/app',
          gitCloneDepth: 1,
          gitSubmodulesConfig: { fetchSubmodules: true },
          buildspec: 'ci/buildspec.yml',
        },
        sourceVersion: 'refs/heads/main',
        artifacts: {
          type: 'S3',
          location: 'artifacts',
          path: 'app',
          namespaceType: 'BUILD_ID',
          name: 'out.zip',
          packaging: 'ZIP',
        },
        cache: { type: 'LOCAL', modes: ['LOCAL_SOURCE_CACHE'] },
        environment: {
          type: 'ARM_CONTAINER',
          image: 'aws/codebuild/amazonlinux2-aarch64-standard:3.0',
          computeType: 'BUILD_GENERAL1_LARGE',
          environmentVariables: [
            { name: 'STAGE', value: 'prod' },
            { name: 'TOKEN', value: '/app/token', type: 'PARAMETER_STORE' },
          ],
          privilegedMode: true,
        },
        timeoutInMinutes: 30,
        queuedTimeoutInMinutes: 60,
        encryptionKey: 'alias/app',
        tags: [{ key: 'team', value: 'web' }],
        badgeEnabled: true,
        logsConfig: { cloudWatchLogs: { status: 'ENABLED', groupName: 'ci', streamName: 'app' } },
        concurrentBuildLimit: 2,
      }),
    );
    expect(output.project).toMatchObject({
      description: 'the app',
      source: {
        type: 'CODECOMMIT',
        location: 'http://localhost/v1/repos/app',
        gitCloneDepth: 1,
        gitSubmodulesConfig: { fetchSubmodules: true },
        buildspec: 'ci/buildspec.yml',
      },
      sourceVersion: 'refs/heads/main',
      artifacts: {
        type: 'S3',
        location: 'artifacts',
        path: 'app',
        namespaceType: 'BUILD_ID',
        name: 'out.zip',
        packaging: 'ZIP',
      },
      cache: { type: 'LOCAL', modes: ['LOCAL_SOURCE_CACHE'] },
      environment: {
        type: 'ARM_CONTAINER',
        environmentVariables: [
          { name: 'STAGE', value: 'prod', type: 'PLAINTEXT' },
          { name: 'TOKEN', value: '/app/token', type: 'PARAMETER_STORE' },
        ],
        privilegedMode: true,
      },
      timeoutInMinutes: 30,
      queuedTimeoutInMinutes: 60,
      encryptionKey: 'alias/app',
      tags: [{ key: 'team', value: 'web' }],
      badge: { badgeEnabled: true },
      logsConfig: {
        cloudWatchLogs: { status: 'ENABLED', groupName: 'ci', streamName: 'app' },
        s3Logs: { status: 'DISABLED' },
      },
      concurrentBuildLimit: 2,
    });
  });

  it('names every missing required member in one InvalidInputException', async () => {
    expect(await door.fail('CreateProject', { name: 'app', environment: { type: 'X' } })).toEqual({
      code: 'InvalidInputException',
      message:
        'source: is required; artifacts: is required; serviceRole: is required; ' +
        'environment.image: is required; environment.computeType: is required',
    });
  });

  it('answers a member of the wrong type with SerializationException, naming its path', async () => {
    expect(
      await door.fail(
        'CreateProject',
        createProjectRequest({ source: { type: 'NO_SOURCE', gitCloneDepth: '1' } }),
      ),
    ).toEqual({
      code: 'SerializationException',
      message: 'source.gitCloneDepth must be an integer',
    });
    expect(
      (await door.fail('CreateProject', createProjectRequest({ environment: 'linux' }))).message,
    ).toBe('environment must be a structure');
    expect(
      (await door.fail('CreateProject', createProjectRequest({ tags: [{ key: 1 }] }))).message,
    ).toBe('tags[0].key must be a string');
    expect((await door.fail('CreateProject', [])).code).toBe('SerializationException');
  });

  it("reports the core's problems, all of them, as InvalidInputException", async () => {
    const error = await door.fail(
      'CreateProject',
      createProjectRequest({
        name: 'app',
        timeoutInMinutes: 3,
        environment: { type: 'LINUX_CONTAINER', image: 'x', computeType: 'HUGE' },
      }),
    );
    expect(error.code).toBe('InvalidInputException');
    expect(error.message).toContain('timeoutInMinutes: must be an integer from 5 to 2160');
    expect(error.message).toContain('environment.computeType: must be one of');
  });

  it('refuses a project name CodeBuild would refuse', async () => {
    const error = await door.fail('CreateProject', createProjectRequest({ name: '-bad' }));
    expect(error.code).toBe('InvalidInputException');
  });

  it('refuses features Slipway lacks instead of ignoring them', async () => {
    const error = await door.fail(
      'CreateProject',
      createProjectRequest({
        vpcConfig: { vpcId: 'vpc-1' },
        fileSystemLocations: [{ type: 'EFS' }],
        source: { type: 'NO_SOURCE', buildspec, auth: { type: 'OAUTH' } },
      }),
    );
    expect(error).toEqual({
      code: 'InvalidInputException',
      message:
        'vpcConfig: is not supported by Slipway; fileSystemLocations: is not supported by ' +
        'Slipway; source.auth: is not supported by Slipway',
    });
    const github = await door.fail(
      'CreateProject',
      createProjectRequest({ source: { type: 'GITHUB', location: 'https://github.com/a/b' } }),
    );
    expect(github.code).toBe('InvalidInputException');
    expect(github.message).toContain('source type GITHUB is not supported by Slipway');
  });

  it('accepts the values that mean a lacking feature is off', async () => {
    const output = await door.call(
      'CreateProject',
      createProjectRequest({
        autoRetryLimit: 0,
        fileSystemLocations: [],
        artifacts: { type: 'NO_ARTIFACTS', bucketOwnerAccess: 'NONE' },
      }),
    );
    expect(output.project).toMatchObject({ name: 'app' });
  });

  it('answers ResourceAlreadyExistsException for a name in use', async () => {
    await door.call('CreateProject', createProjectRequest());
    expect((await door.fail('CreateProject', createProjectRequest())).code).toBe(
      'ResourceAlreadyExistsException',
    );
  });
});

describe('CodeBuild door: UpdateProject', () => {
  it('changes only the members given and moves lastModified', async () => {
    await door.call('CreateProject', createProjectRequest({ description: 'old' }));
    h.clock.advance(60_500);
    const output = await door.call('UpdateProject', {
      name: 'app',
      timeoutInMinutes: 15,
      environment: {
        type: 'LINUX_CONTAINER',
        image: 'aws/codebuild/standard:8.0',
        computeType: 'BUILD_GENERAL1_MEDIUM',
      },
    });
    expect(output.project).toMatchObject({
      description: 'old',
      timeoutInMinutes: 15,
      environment: { image: 'aws/codebuild/standard:8.0', computeType: 'BUILD_GENERAL1_MEDIUM' },
      created: 1735689600,
      lastModified: 1735689660.5,
    });
  });

  it('takes the project by ARN', async () => {
    await door.call('CreateProject', createProjectRequest());
    const output = await door.call('UpdateProject', { name: projectArn('app'), description: 'x' });
    expect(output.project).toMatchObject({ name: 'app', description: 'x' });
  });

  it('answers ResourceNotFoundException for an unknown project', async () => {
    expect(await door.fail('UpdateProject', { name: 'nope', description: 'x' })).toEqual({
      code: 'ResourceNotFoundException',
      message: 'Project cannot be found: nope',
    });
  });

  it('answers InvalidInputException without a name', async () => {
    expect(await door.fail('UpdateProject', { description: 'x' })).toEqual({
      code: 'InvalidInputException',
      message: 'name: is required',
    });
  });
});

describe('CodeBuild door: BatchGetProjects, ListProjects, DeleteProject', () => {
  it('gets projects by name or ARN and lists the ones not found as asked', async () => {
    await door.call('CreateProject', createProjectRequest({ name: 'one' }));
    await door.call('CreateProject', createProjectRequest({ name: 'two' }));
    const output = await door.call('BatchGetProjects', {
      names: ['one', projectArn('two'), 'three'],
    });
    expect((output.projects as { name: string }[]).map((p) => p.name)).toEqual(['one', 'two']);
    expect(output.projectsNotFound).toEqual(['three']);
  });

  it('refuses BatchGetProjects without names, or with none or too many', async () => {
    expect(await door.fail('BatchGetProjects', {})).toEqual({
      code: 'InvalidInputException',
      message: 'names: is required',
    });
    expect((await door.fail('BatchGetProjects', { names: [] })).code).toBe('InvalidInputException');
    const many = Array.from({ length: 101 }, (_, i) => `p${i}`);
    expect((await door.fail('BatchGetProjects', { names: many })).code).toBe(
      'InvalidInputException',
    );
    expect((await door.fail('BatchGetProjects', { names: 'one' })).code).toBe(
      'SerializationException',
    );
  });

  it('lists names in the order asked and pages with a nextToken that round-trips', async () => {
    for (let i = 0; i < 102; i++) {
      await door.call(
        'CreateProject',
        createProjectRequest({ name: `p${String(i).padStart(3, '0')}` }),
      );
    }
    const first = await door.call('ListProjects', { sortBy: 'NAME', sortOrder: 'DESCENDING' });
    const names = first.projects as string[];
    expect(names).toHaveLength(100);
    expect(names[0]).toBe('p101');
    expect(typeof first.nextToken).toBe('string');
    const second = await door.call('ListProjects', {
      sortBy: 'NAME',
      sortOrder: 'DESCENDING',
      nextToken: first.nextToken,
    });
    expect(second).toEqual({ projects: ['p001', 'p000'] });
  });

  it('answers an empty list without a nextToken', async () => {
    expect(await door.call('ListProjects')).toEqual({ projects: [] });
  });

  it('refuses a bad sortBy, sortOrder or nextToken with InvalidInputException', async () => {
    expect((await door.fail('ListProjects', { sortBy: 'SIZE' })).code).toBe(
      'InvalidInputException',
    );
    expect((await door.fail('ListProjects', { sortOrder: 'UP' })).code).toBe(
      'InvalidInputException',
    );
    expect((await door.fail('ListProjects', { nextToken: 'forged!' })).code).toBe(
      'InvalidInputException',
    );
  });

  it('deletes a project, and answers the same for one that does not exist', async () => {
    await door.call('CreateProject', createProjectRequest());
    expect(await door.call('DeleteProject', { name: 'app' })).toEqual({});
    expect(await door.call('DeleteProject', { name: 'app' })).toEqual({});
    expect(await door.call('BatchGetProjects', { names: ['app'] })).toEqual({
      projects: [],
      projectsNotFound: ['app'],
    });
    expect(await door.fail('DeleteProject', {})).toEqual({
      code: 'InvalidInputException',
      message: 'name: is required',
    });
  });
});
