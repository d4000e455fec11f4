import { aProjectInput, buildsHarness, expectAppError, fakeClockStart } from '@slipway/testing';
import { describe, expect, it } from 'vitest';
import { AppErrorKind } from '../errors/app-error.ts';

describe('CreateProject', () => {
  it('creates a project with CodeBuild’s defaults filled in', async () => {
    const h = buildsHarness();
    const project = await h.service.createProject(h.scope, aProjectInput());
    expect(project).toMatchObject({
      name: 'app',
      arn: 'arn:aws:codebuild:us-east-1:123456789012:project/app',
      timeoutInMinutes: 60,
      queuedTimeoutInMinutes: 480,
      cache: { type: 'NO_CACHE' },
      badgeEnabled: false,
      logsConfig: { cloudWatchLogs: { status: 'ENABLED' }, s3Logs: { status: 'DISABLED' } },
      environment: { privilegedMode: false, imagePullCredentialsType: 'CODEBUILD' },
      concurrentBuildLimit: undefined,
      created: fakeClockStart,
      lastModified: fakeClockStart,
    });
    expect(await h.service.getProject(h.scope, 'app')).toEqual(project);
    expect(await h.service.getProject(h.scope, project.arn)).toEqual(project);
  });

  it('refuses a taken name with AlreadyExists', async () => {
    const h = buildsHarness();
    await h.service.createProject(h.scope, aProjectInput());
    const error = await expectAppError(
      h.service.createProject(h.scope, aProjectInput()),
      AppErrorKind.AlreadyExists,
    );
    expect(error.resource).toBe('project');
  });

  it.each(['a', '-app', 'has space', 'x'.repeat(151), 'ünï'])(
    'refuses the name %j',
    async (name) => {
      const h = buildsHarness();
      const error = await expectAppError(
        h.service.createProject(h.scope, aProjectInput({ name })),
        AppErrorKind.InvalidInput,
      );
      expect(error.resource).toBe('project-input');
    },
  );

  it('reports every problem at once, with its path', async () => {
    const h = buildsHarness();
    const error = await expectAppError(
      h.service.createProject(
        h.scope,
        aProjectInput({
          timeoutInMinutes: 4,
          queuedTimeoutInMinutes: 481,
          serviceRole: '',
          environment: { type: 'LINUX_CONTAINER', image: '', computeType: 'HUGE' },
          source: { type: 'S3' },
          tags: [{ key: 'slipway:network', value: 'bridge' }],
        }),
      ),
      AppErrorKind.InvalidInput,
    );
    expect(error.problems.map((p) => p.path).sort()).toEqual([
      'environment.computeType',
      'environment.image',
      'queuedTimeoutInMinutes',
      'serviceRole',
      'source.location',
      'tags[0].value',
      'timeoutInMinutes',
    ]);
  });

  it('refuses unsupported CodeBuild features clearly, not silently', async () => {
    const h = buildsHarness();
    for (const input of [
      aProjectInput({ source: { type: 'GITHUB', location: 'https://github.com/a/b' } }),
      aProjectInput({ cache: { type: 'S3', location: 'bucket' } }),
      aProjectInput({
        environment: { type: 'WINDOWS_CONTAINER', image: 'x', computeType: 'BUILD_GENERAL1_SMALL' },
      }),
      aProjectInput({ logsConfig: { s3Logs: { status: 'ENABLED', location: 'b/p' } } }),
    ]) {
      const error = await expectAppError(
        h.service.createProject(h.scope, input),
        AppErrorKind.InvalidInput,
      );
      expect(error.resource).toBe('unsupported');
      expect(error.message).toMatch(/not supported by Slipway/);
    }
  });

  it('checks CodeBuild’s cross-field rules', async () => {
    const h = buildsHarness();
    const cases = [
      [aProjectInput({ source: { type: 'NO_SOURCE' } }), 'source.buildspec'],
      [aProjectInput({ source: { type: 'CODEPIPELINE' } }), 'artifacts.type'],
      [aProjectInput({ artifacts: { type: 'S3' } }), 'artifacts.location'],
      [
        aProjectInput({
          secondarySources: [{ type: 'S3', location: 'b/k.zip' }],
        }),
        'secondarySources[0].sourceIdentifier',
      ],
      [
        aProjectInput({
          secondarySourceVersions: [{ sourceIdentifier: 'lib', sourceVersion: 'v1' }],
        }),
        'secondarySourceVersions[0].sourceIdentifier',
      ],
      [
        aProjectInput({
          environment: {
            type: 'LINUX_CONTAINER',
            image: 'i',
            computeType: 'BUILD_GENERAL1_SMALL',
            environmentVariables: [{ name: 'CODEBUILD_X', value: '1' }],
          },
        }),
        'environment.environmentVariables[0].name',
      ],
      [aProjectInput({ concurrentBuildLimit: 0 }), 'concurrentBuildLimit'],
    ] as const;
    for (const [input, path] of cases) {
      const error = await expectAppError(
        h.service.createProject(h.scope, input),
        AppErrorKind.InvalidInput,
      );
      expect(error.problems.map((p) => p.path)).toContain(path);
    }
  });

  it('accepts every supported source type with what it needs', async () => {
    const h = buildsHarness();
    await h.service.createProject(
      h.scope,
      aProjectInput({
        name: 'cc',
        source: {
          type: 'CODECOMMIT',
          location: 'https://git-codecommit.us-east-1.amazonaws.com/v1/repos/app',
          gitCloneDepth: 1,
        },
        secondarySources: [{ type: 'S3', location: 'bucket/lib.zip', sourceIdentifier: 'lib' }],
        secondarySourceVersions: [{ sourceIdentifier: 'lib', sourceVersion: 'v3' }],
        artifacts: { type: 'S3', location: 'out', namespaceType: 'BUILD_ID', packaging: 'ZIP' },
        cache: { type: 'LOCAL', modes: ['LOCAL_SOURCE_CACHE'] },
        tags: [{ key: 'slipway:network', value: 'none' }],
      }),
    );
    await h.service.createProject(
      h.scope,
      aProjectInput({
        name: 'piped',
        source: { type: 'CODEPIPELINE' },
        artifacts: { type: 'CODEPIPELINE' },
      }),
    );
    expect((await h.service.listProjects(h.scope)).projects).toEqual(['cc', 'piped']);
  });
});

describe('UpdateProject', () => {
  it('changes only the fields given', async () => {
    const h = buildsHarness();
    const created = await h.service.createProject(
      h.scope,
      aProjectInput({ description: 'first', timeoutInMinutes: 30 }),
    );
    h.clock.advance(1000);
    const updated = await h.service.updateProject(h.scope, { name: 'app', timeoutInMinutes: 90 });
    expect(updated).toEqual({
      ...created,
      timeoutInMinutes: 90,
      lastModified: fakeClockStart + 1000,
    });
    const cleared = await h.service.updateProject(h.scope, { name: 'app', description: '' });
    expect(cleared.description).toBeUndefined();
    expect(cleared.timeoutInMinutes).toBe(90);
  });

  it('removes the concurrency limit with -1, and refuses 0', async () => {
    const h = buildsHarness();
    await h.service.createProject(h.scope, aProjectInput({ concurrentBuildLimit: 2 }));
    await expectAppError(
      h.service.updateProject(h.scope, { name: 'app', concurrentBuildLimit: 0 }),
      AppErrorKind.InvalidInput,
    );
    const updated = await h.service.updateProject(h.scope, {
      name: 'app',
      concurrentBuildLimit: -1,
    });
    expect(updated.concurrentBuildLimit).toBeUndefined();
  });

  it('answers NotFound for a project that does not exist', async () => {
    const h = buildsHarness();
    const error = await expectAppError(
      h.service.updateProject(h.scope, { name: 'nope', timeoutInMinutes: 10 }),
      AppErrorKind.NotFound,
    );
    expect(error.resource).toBe('project');
  });

  it('checks the merged project as a whole', async () => {
    const h = buildsHarness();
    await h.service.createProject(h.scope, aProjectInput());
    const error = await expectAppError(
      h.service.updateProject(h.scope, { name: 'app', source: { type: 'CODEPIPELINE' } }),
      AppErrorKind.InvalidInput,
    );
    expect(error.problems.map((p) => p.path)).toEqual(['artifacts.type']);
  });
});

describe('DeleteProject, BatchGetProjects', () => {
  it('deletes a project, and says false for one that is not there', async () => {
    const h = buildsHarness();
    await h.service.createProject(h.scope, aProjectInput());
    expect(await h.service.deleteProject(h.scope, 'app')).toBe(true);
    expect(await h.service.deleteProject(h.scope, 'app')).toBe(false);
    expect(await h.service.findProject(h.scope, 'app')).toBeUndefined();
  });

  it('answers found and not-found names, ARNs too, in another account not found', async () => {
    const h = buildsHarness();
    const app = await h.service.createProject(h.scope, aProjectInput());
    const other = { accountId: '210987654321', region: 'us-east-1' };
    const result = await h.service.batchGetProjects(h.scope, [app.arn, 'nope', 'app']);
    expect(result.projects.map((p) => p.name)).toEqual(['app', 'app']);
    expect(result.projectsNotFound).toEqual(['nope']);
    expect((await h.service.batchGetProjects(other, ['app'])).projectsNotFound).toEqual(['app']);
    await expectAppError(h.service.batchGetProjects(h.scope, []), AppErrorKind.InvalidInput);
  });
});

describe('ListProjects', () => {
  async function withProjects(count: number) {
    const h = buildsHarness();
    for (let i = 0; i < count; i++) {
      // Created in reverse name order, so names and creation times sort differently.
      h.clock.advance(1000);
      await h.service.createProject(
        h.scope,
        aProjectInput({ name: `p-${String(count - i).padStart(3, '0')}` }),
      );
    }
    return h;
  }

  async function all(
    h: Awaited<ReturnType<typeof withProjects>>,
    input: { sortBy?: string; sortOrder?: string },
  ) {
    const names: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await h.service.listProjects(h.scope, { ...input, nextToken });
      names.push(...page.projects);
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken !== undefined);
    return { names, pages };
  }

  it('pages 100 at a time with opaque keyset tokens, in every order', async () => {
    const h = await withProjects(230);
    const byName = Array.from({ length: 230 }, (_, i) => `p-${String(i + 1).padStart(3, '0')}`);
    expect(await all(h, {})).toEqual({ names: byName, pages: 3 });
    expect((await all(h, { sortOrder: 'DESCENDING' })).names).toEqual([...byName].reverse());
    expect((await all(h, { sortBy: 'CREATED_TIME' })).names).toEqual([...byName].reverse());
    expect((await all(h, { sortBy: 'LAST_MODIFIED_TIME', sortOrder: 'DESCENDING' })).names).toEqual(
      byName,
    );
  });

  it('keeps pages stable while projects come and go', async () => {
    const h = await withProjects(150);
    const first = await h.service.listProjects(h.scope, {});
    await h.service.deleteProject(h.scope, 'p-001');
    await h.service.createProject(h.scope, aProjectInput({ name: 'p-000' }));
    const second = await h.service.listProjects(h.scope, { nextToken: first.nextToken });
    expect(second.projects[0]).toBe('p-101');
    expect(second.projects).toHaveLength(50);
  });

  it('refuses a bad token, sort key or order', async () => {
    const h = await withProjects(1);
    for (const input of [
      { nextToken: 'garbage!' },
      { nextToken: 'e30' },
      { sortBy: 'SIZE' },
      { sortOrder: 'UP' },
    ]) {
      await expectAppError(h.service.listProjects(h.scope, input), AppErrorKind.InvalidInput);
    }
  });
});
