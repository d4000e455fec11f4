import { describe, expect, it } from 'vitest';
import { codedeployHarness, s3Revision, start } from './codedeploy-harness.ts';

const startSeconds = start / 1000;

describe('CodeDeploy applications', () => {
  it('creates an application and reads it back in ApplicationInfo, times in epoch seconds', async () => {
    const cd = codedeployHarness();
    const created = await cd.call('CreateApplication', {
      applicationName: 'web',
      computePlatform: 'Server',
      tags: [{ Key: 'team', Value: 'delivery' }],
    });
    expect(created).toEqual({ applicationId: expect.any(String) as unknown });
    expect(await cd.call('GetApplication', { applicationName: 'web' })).toEqual({
      application: {
        applicationId: created.applicationId,
        applicationName: 'web',
        createTime: startSeconds,
        linkedToGitHub: false,
        computePlatform: 'Server',
      },
    });
  });

  it('batch-gets, lists, renames and deletes applications', async () => {
    const cd = codedeployHarness();
    for (const name of ['b-app', 'a-app'])
      await cd.call('CreateApplication', { applicationName: name });
    const batch = await cd.call('BatchGetApplications', { applicationNames: ['a-app', 'b-app'] });
    expect(
      (batch.applicationsInfo as { applicationName: string }[]).map((a) => a.applicationName),
    ).toEqual(['a-app', 'b-app']);
    expect(await cd.call('ListApplications')).toEqual({ applications: ['a-app', 'b-app'] });
    expect(
      await cd.call('UpdateApplication', { applicationName: 'a-app', newApplicationName: 'c-app' }),
    ).toEqual({});
    expect(await cd.call('DeleteApplication', { applicationName: 'b-app' })).toEqual({});
    expect(await cd.call('ListApplications', {})).toEqual({ applications: ['c-app'] });
  });

  it('pages ListApplications 100 at a time with an opaque nextToken', async () => {
    const cd = codedeployHarness();
    const names = Array.from({ length: 101 }, (_, i) => `app-${String(i).padStart(3, '0')}`);
    for (const name of names) await cd.call('CreateApplication', { applicationName: name });
    const first = await cd.call('ListApplications');
    expect(first.applications).toEqual(names.slice(0, 100));
    expect(first.nextToken).toEqual(expect.any(String));
    const second = await cd.call('ListApplications', { nextToken: first.nextToken });
    expect(second).toEqual({ applications: ['app-100'] });
  });

  it('refuses a next token it did not hand out', async () => {
    const cd = codedeployHarness();
    expect((await cd.fail('ListApplications', { nextToken: 'forged' })).code).toBe(
      'InvalidNextTokenException',
    );
  });

  it.each([
    ['GetApplication', {}, 'ApplicationNameRequiredException'],
    ['GetApplication', { applicationName: 'no such' }, 'InvalidApplicationNameException'],
    ['GetApplication', { applicationName: 'gone' }, 'ApplicationDoesNotExistException'],
    [
      'CreateApplication',
      { applicationName: 'x', computePlatform: 'Mainframe' },
      'InvalidComputePlatformException',
    ],
    ['BatchGetApplications', { applicationNames: [] }, 'ApplicationNameRequiredException'],
  ])('%s %j → %s', async (operation, input, code) => {
    const cd = codedeployHarness();
    expect((await cd.fail(operation, input)).code).toBe(code);
  });

  it('answers ApplicationAlreadyExistsException for a taken name', async () => {
    const cd = codedeployHarness();
    await cd.call('CreateApplication', { applicationName: 'web' });
    expect((await cd.fail('CreateApplication', { applicationName: 'web' })).code).toBe(
      'ApplicationAlreadyExistsException',
    );
  });

  it.each([
    ['CreateApplication', { applicationName: 5 }, "'applicationName'"],
    ['CreateApplication', { applicationName: 'x', tags: { Key: 'k' } }, "'tags'"],
    [
      'CreateApplication',
      { applicationName: 'x', tags: [{ Key: 1, Value: 'v' }] },
      "'tags[0].Key'",
    ],
    ['BatchGetApplications', { applicationNames: 'web' }, "'applicationNames'"],
    ['ListApplications', { nextToken: 7 }, "'nextToken'"],
    [
      'RegisterApplicationRevision',
      { applicationName: 'x', revision: { s3Location: { bucket: true } } },
      "'revision.s3Location.bucket'",
    ],
  ])(
    '%s with a member of the wrong JSON type is a SerializationException: %j',
    async (operation, input, path) => {
      const cd = codedeployHarness();
      const failure = await cd.fail(operation, input);
      expect(failure.code).toBe('SerializationException');
      expect(failure.message).toContain(path);
    },
  );
});

describe('CodeDeploy application revisions', () => {
  async function withApplication() {
    const cd = codedeployHarness();
    await cd.call('CreateApplication', { applicationName: 'web' });
    return cd;
  }

  it('registers a revision and answers GetApplicationRevision with its GenericRevisionInfo', async () => {
    const cd = await withApplication();
    await cd.call('RegisterApplicationRevision', {
      applicationName: 'web',
      description: 'first build',
      revision: s3Revision('web/1.zip'),
    });
    expect(
      await cd.call('GetApplicationRevision', {
        applicationName: 'web',
        revision: s3Revision('web/1.zip'),
      }),
    ).toEqual({
      applicationName: 'web',
      revision: s3Revision('web/1.zip'),
      revisionInfo: {
        description: 'first build',
        deploymentGroups: [],
        registerTime: startSeconds,
      },
    });
  });

  it('lists revisions, and batch-gets them naming the ones not registered', async () => {
    const cd = await withApplication();
    for (const key of ['web/1.zip', 'web/2.tgz']) {
      const bundleType = key.endsWith('.tgz') ? 'tgz' : 'zip';
      await cd.call('RegisterApplicationRevision', {
        applicationName: 'web',
        revision: s3Revision(key, bundleType),
      });
      cd.clock.advance(1000);
    }
    expect(await cd.call('ListApplicationRevisions', { applicationName: 'web' })).toEqual({
      revisions: [s3Revision('web/1.zip'), s3Revision('web/2.tgz', 'tgz')],
    });
    const batch = await cd.call('BatchGetApplicationRevisions', {
      applicationName: 'web',
      revisions: [s3Revision('web/2.tgz', 'tgz'), s3Revision('web/9.zip')],
    });
    expect(batch).toEqual({
      applicationName: 'web',
      errorMessage: 'Revisions not found: s3://bundles/web/9.zip',
      revisions: [
        {
          revisionLocation: s3Revision('web/2.tgz', 'tgz'),
          genericRevisionInfo: { deploymentGroups: [], registerTime: startSeconds + 1 },
        },
      ],
    });
  });

  it.each([
    [{ applicationName: 'web' }, 'RevisionRequiredException'],
    [{ applicationName: 'web', revision: { revisionType: 'GitHub' } }, 'InvalidRevisionException'],
    [
      { applicationName: 'web', revision: s3Revision('web/none.zip') },
      'RevisionDoesNotExistException',
    ],
    [
      { applicationName: 'gone', revision: s3Revision('web/1.zip') },
      'ApplicationDoesNotExistException',
    ],
  ])('GetApplicationRevision %j → %s', async (input, code) => {
    const cd = await withApplication();
    expect((await cd.fail('GetApplicationRevision', input)).code).toBe(code);
  });

  it('refuses an empty or oversized BatchGetApplicationRevisions', async () => {
    const cd = await withApplication();
    const many = Array.from({ length: 26 }, (_, i) => s3Revision(`web/${i}.zip`));
    expect(
      (await cd.fail('BatchGetApplicationRevisions', { applicationName: 'web', revisions: [] }))
        .code,
    ).toBe('RevisionRequiredException');
    expect(
      (await cd.fail('BatchGetApplicationRevisions', { applicationName: 'web', revisions: many }))
        .code,
    ).toBe('BatchLimitExceededException');
  });

  it.each([
    [{ applicationName: 'web', sortBy: 'size' }, 'InvalidSortByException'],
    [{ applicationName: 'web', sortOrder: 'sideways' }, 'InvalidSortOrderException'],
    [{ applicationName: 'web', deployed: 'maybe' }, 'InvalidDeployedStateFilterException'],
    [{ applicationName: 'web', s3KeyPrefix: 'web/' }, 'BucketNameFilterRequiredException'],
  ])('ListApplicationRevisions %j → %s', async (input, code) => {
    const cd = await withApplication();
    expect((await cd.fail('ListApplicationRevisions', input)).code).toBe(code);
  });
});
