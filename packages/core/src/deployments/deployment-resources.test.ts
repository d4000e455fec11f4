import { expectAppError } from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppErrorKind } from '../errors/app-error.ts';
import {
  aGroup,
  applicationName,
  aRevision,
  deploy,
  deploymentOf,
  deploymentsHarness,
  groupName,
  hosts,
  playAgents,
  registerHosts,
  type DeploymentsHarness,
} from '@slipway/testing';

let h: DeploymentsHarness;
const role = 'arn:aws:iam::111122223333:role/CodeDeployRole';

beforeEach(() => {
  h = deploymentsHarness();
});

function names(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);
}

async function aConfig(name = 'Custom', value = 1) {
  await h.service.createDeploymentConfig(h.scope, {
    deploymentConfigName: name,
    minimumHealthyHosts: { type: 'HOST_COUNT', value },
  });
}

describe('applications', () => {
  it('creates, reads and refuses a taken name', async () => {
    const id = await h.service.createApplication(h.scope, { applicationName });
    expect(await h.service.getApplication(h.scope, applicationName)).toMatchObject({
      applicationId: id,
      applicationName,
      createTime: h.clock.now(),
      computePlatform: 'Server',
    });
    await expectAppError(
      h.service.createApplication(h.scope, { applicationName }),
      AppErrorKind.AlreadyExists,
      'application',
    );
  });

  it('keeps applications per account and region', async () => {
    await h.service.createApplication(h.scope, { applicationName });
    const elsewhere = { ...h.scope, region: 'eu-west-1' };
    await expectAppError(
      h.service.getApplication(elsewhere, applicationName),
      AppErrorKind.NotFound,
      'application',
    );
    await h.service.createApplication(elsewhere, { applicationName });
  });

  it('checks names before looking', async () => {
    await expectAppError(
      h.service.getApplication(h.scope, undefined),
      AppErrorKind.InvalidInput,
      'application-name-required',
    );
    await expectAppError(
      h.service.getApplication(h.scope, 'bad name!'),
      AppErrorKind.InvalidInput,
      'application-name',
    );
  });

  it('batch-gets every named application once, refusing missing ones and over 100', async () => {
    await h.service.createApplication(h.scope, { applicationName: 'a' });
    await h.service.createApplication(h.scope, { applicationName: 'b' });
    const found = await h.service.batchGetApplications(h.scope, ['b', 'a', 'b']);
    expect(found.map((a) => a.applicationName)).toEqual(['b', 'a']);
    await expectAppError(
      h.service.batchGetApplications(h.scope, ['a', 'nope']),
      AppErrorKind.NotFound,
      'application',
    );
    await expectAppError(
      h.service.batchGetApplications(h.scope, []),
      AppErrorKind.InvalidInput,
      'application-name-required',
    );
    await expectAppError(
      h.service.batchGetApplications(h.scope, Array(101).fill('a')),
      AppErrorKind.InvalidInput,
      'batch-limit',
    );
  });

  it('lists names in pages of 100 with a next token', async () => {
    const all = names('app', 101);
    for (const name of [...all].reverse()) {
      await h.service.createApplication(h.scope, { applicationName: name });
    }
    const first = await h.service.listApplications(h.scope, undefined);
    expect(first.items).toEqual(all.slice(0, 100));
    expect(first.nextToken).toBeDefined();
    const second = await h.service.listApplications(h.scope, first.nextToken);
    expect(second).toEqual({ items: all.slice(100) });
    await expectAppError(
      h.service.listApplications(h.scope, 'not-a-token'),
      AppErrorKind.InvalidInput,
      'next-token',
    );
  });

  it('refuses a next token of another list', async () => {
    await h.service.createApplication(h.scope, { applicationName });
    for (const name of names('g', 101)) {
      await aGroupNamed(name);
    }
    const groups = await h.service.listDeploymentGroups(h.scope, applicationName, undefined);
    expect(groups.nextToken).toBeDefined();
    await expectAppError(
      h.service.listApplications(h.scope, groups.nextToken),
      AppErrorKind.InvalidInput,
      'next-token',
    );
  });

  it('renames an application, carrying its groups, revisions and deployments', async () => {
    await registerHosts(h, ['h1']);
    await aGroup(h);
    await h.service.registerApplicationRevision(h.scope, {
      applicationName,
      revision: aRevision(),
    });
    const id = await deploy(h);
    await h.service.updateApplication(h.scope, { applicationName, newApplicationName: 'renamed' });
    await expectAppError(
      h.service.getApplication(h.scope, applicationName),
      AppErrorKind.NotFound,
      'application',
    );
    const group = await h.service.getDeploymentGroup(h.scope, 'renamed', groupName);
    expect(group.group.applicationName).toBe('renamed');
    expect(group.runtime.activeDeploymentId).toBe(id);
    const revisions = await h.service.listApplicationRevisions(h.scope, {
      applicationName: 'renamed',
    });
    expect(revisions.items).toEqual([aRevision()]);
    expect((await deploymentOf(h, id)).applicationName).toBe('renamed');
    // The deployment goes on under the new name.
    await playAgents(h, ['h1']);
    expect((await deploymentOf(h, id)).status).toBe('Succeeded');
    const after = await h.service.getDeploymentGroup(h.scope, 'renamed', groupName);
    expect(after.runtime.lastSuccessfulDeployment?.deploymentId).toBe(id);
  });

  it('refuses to rename a missing application or onto a taken name', async () => {
    await h.service.createApplication(h.scope, { applicationName: 'a' });
    await h.service.createApplication(h.scope, { applicationName: 'b' });
    await expectAppError(
      h.service.updateApplication(h.scope, { applicationName: 'nope', newApplicationName: 'c' }),
      AppErrorKind.NotFound,
      'application',
    );
    await expectAppError(
      h.service.updateApplication(h.scope, { applicationName: 'a', newApplicationName: 'b' }),
      AppErrorKind.AlreadyExists,
      'application',
    );
    await h.service.updateApplication(h.scope, { applicationName: 'a', newApplicationName: 'a' });
    expect((await h.service.getApplication(h.scope, 'a')).applicationName).toBe('a');
  });

  it('deletes an application with its groups and revisions; deployments stay readable', async () => {
    await registerHosts(h, ['h1']);
    await aGroup(h);
    const id = await deploy(h);
    await playAgents(h, ['h1']);
    await h.service.deleteApplication(h.scope, applicationName);
    await expectAppError(
      h.service.getApplication(h.scope, applicationName),
      AppErrorKind.NotFound,
      'application',
    );
    expect(await h.store.findDeploymentGroup(h.scope, applicationName, groupName)).toBeUndefined();
    expect(await h.store.listRevisions(h.scope, applicationName)).toEqual([]);
    expect((await h.service.getDeployment(h.scope, id)).status).toBe('Succeeded');
    // Deleting a missing application succeeds, as in CodeDeploy.
    await h.service.deleteApplication(h.scope, applicationName);
  });
});

async function aGroupNamed(name: string, overrides: Record<string, unknown> = {}) {
  return h.service.createDeploymentGroup(h.scope, {
    applicationName,
    deploymentGroupName: name,
    serviceRoleArn: role,
    onPremisesInstanceTagFilters: [{ Key: 'env', Value: 'prod', Type: 'KEY_AND_VALUE' }],
    ...overrides,
  });
}

describe('deployment groups', () => {
  beforeEach(async () => {
    await h.service.createApplication(h.scope, { applicationName });
  });

  it('creates a group in an existing application with an existing configuration', async () => {
    const id = await aGroupNamed('dg');
    const stored = await h.service.getDeploymentGroup(h.scope, applicationName, 'dg');
    expect(stored.group).toMatchObject({
      deploymentGroupId: id,
      deploymentGroupName: 'dg',
      deploymentConfigName: 'CodeDeployDefault.OneAtATime',
    });
    expect(stored.runtime).toEqual({});
    await expectAppError(aGroupNamed('dg'), AppErrorKind.AlreadyExists, 'deployment-group');
  });

  it('refuses a missing application or configuration', async () => {
    await expectAppError(
      h.service.createDeploymentGroup(h.scope, {
        applicationName: 'nope',
        deploymentGroupName: 'dg',
        serviceRoleArn: role,
      }),
      AppErrorKind.NotFound,
      'application',
    );
    await expectAppError(
      aGroupNamed('dg', { deploymentConfigName: 'Missing' }),
      AppErrorKind.NotFound,
      'deployment-config',
    );
    await aConfig('Mine');
    await aGroupNamed('dg', { deploymentConfigName: 'Mine' });
  });

  it('reads a group only in an existing application', async () => {
    await aGroupNamed('dg');
    await expectAppError(
      h.service.getDeploymentGroup(h.scope, 'nope', 'dg'),
      AppErrorKind.NotFound,
      'application',
    );
    await expectAppError(
      h.service.getDeploymentGroup(h.scope, applicationName, 'nope'),
      AppErrorKind.NotFound,
      'deployment-group',
    );
  });

  it('batch-gets groups, reporting the missing ones in a message', async () => {
    await aGroupNamed('a');
    await aGroupNamed('b');
    const result = await h.service.batchGetDeploymentGroups(h.scope, applicationName, [
      'b',
      'x',
      'a',
      'b',
    ]);
    expect(result.found.map((g) => g.group.deploymentGroupName)).toEqual(['b', 'a']);
    expect(result.errorMessage).toContain('x');
    const all = await h.service.batchGetDeploymentGroups(h.scope, applicationName, ['a']);
    expect(all.errorMessage).toBeUndefined();
    await expectAppError(
      h.service.batchGetDeploymentGroups(h.scope, 'nope', ['a']),
      AppErrorKind.NotFound,
      'application',
    );
    await expectAppError(
      h.service.batchGetDeploymentGroups(h.scope, applicationName, Array(101).fill('a')),
      AppErrorKind.InvalidInput,
      'batch-limit',
    );
  });

  it('lists groups in pages, only for an existing application', async () => {
    const all = names('g', 101);
    for (const name of all) await aGroupNamed(name);
    const first = await h.service.listDeploymentGroups(h.scope, applicationName, undefined);
    expect(first.items).toEqual(all.slice(0, 100));
    const second = await h.service.listDeploymentGroups(h.scope, applicationName, first.nextToken);
    expect(second).toEqual({ items: all.slice(100) });
    await expectAppError(
      h.service.listDeploymentGroups(h.scope, 'nope', undefined),
      AppErrorKind.NotFound,
      'application',
    );
  });

  it('renames and reconfigures a group, keeping its id', async () => {
    const id = await aGroupNamed('dg');
    await aConfig('Mine');
    await h.service.updateDeploymentGroup(h.scope, {
      applicationName,
      currentDeploymentGroupName: 'dg',
      newDeploymentGroupName: 'renamed',
      deploymentConfigName: 'Mine',
    });
    const stored = await h.service.getDeploymentGroup(h.scope, applicationName, 'renamed');
    expect(stored.group).toMatchObject({ deploymentGroupId: id, deploymentConfigName: 'Mine' });
    await expectAppError(
      h.service.getDeploymentGroup(h.scope, applicationName, 'dg'),
      AppErrorKind.NotFound,
      'deployment-group',
    );
  });

  it('refuses updates of a missing group, to a taken name or a missing configuration', async () => {
    await aGroupNamed('a');
    await aGroupNamed('b');
    await expectAppError(
      h.service.updateDeploymentGroup(h.scope, {
        applicationName,
        currentDeploymentGroupName: 'nope',
      }),
      AppErrorKind.NotFound,
      'deployment-group',
    );
    await expectAppError(
      h.service.updateDeploymentGroup(h.scope, {
        applicationName,
        currentDeploymentGroupName: 'a',
        newDeploymentGroupName: 'b',
      }),
      AppErrorKind.AlreadyExists,
      'deployment-group',
    );
    await expectAppError(
      h.service.updateDeploymentGroup(h.scope, {
        applicationName,
        currentDeploymentGroupName: 'a',
        deploymentConfigName: 'Missing',
      }),
      AppErrorKind.NotFound,
      'deployment-config',
    );
    await expectAppError(
      h.service.updateDeploymentGroup(h.scope, {
        applicationName: 'nope',
        currentDeploymentGroupName: 'a',
      }),
      AppErrorKind.NotFound,
      'application',
    );
  });

  it('deletes a group; deleting a missing one succeeds', async () => {
    await aGroupNamed('dg');
    await h.service.deleteDeploymentGroup(h.scope, applicationName, 'dg');
    await expectAppError(
      h.service.getDeploymentGroup(h.scope, applicationName, 'dg'),
      AppErrorKind.NotFound,
      'deployment-group',
    );
    await h.service.deleteDeploymentGroup(h.scope, applicationName, 'dg');
  });
});

describe('deployment configurations', () => {
  it('creates and reads custom configurations; predefined ones already exist', async () => {
    await aConfig('Mine', 2);
    expect(await h.service.getDeploymentConfig(h.scope, 'Mine')).toMatchObject({
      name: 'Mine',
      minimumHealthyHosts: { type: 'HOST_COUNT', value: 2 },
      predefined: false,
      createTime: h.clock.now(),
    });
    expect(
      await h.service.getDeploymentConfig(h.scope, 'CodeDeployDefault.HalfAtATime'),
    ).toMatchObject({
      minimumHealthyHosts: { type: 'FLEET_PERCENT', value: 50 },
      predefined: true,
    });
    await expectAppError(aConfig('Mine'), AppErrorKind.AlreadyExists, 'deployment-config');
    await expectAppError(
      aConfig('CodeDeployDefault.AllAtOnce'),
      AppErrorKind.AlreadyExists,
      'deployment-config',
    );
    await expectAppError(
      h.service.getDeploymentConfig(h.scope, 'Missing'),
      AppErrorKind.NotFound,
      'deployment-config',
    );
    await expectAppError(
      h.service.getDeploymentConfig(h.scope, ''),
      AppErrorKind.InvalidInput,
      'deployment-config-name-required',
    );
  });

  it('lists the predefined configurations first, then custom ones by name, in pages', async () => {
    const custom = names('c', 101);
    for (const name of [...custom].reverse()) await aConfig(name);
    const first = await h.service.listDeploymentConfigs(h.scope, undefined);
    expect(first.items).toEqual([
      'CodeDeployDefault.AllAtOnce',
      'CodeDeployDefault.HalfAtATime',
      'CodeDeployDefault.OneAtATime',
      ...custom.slice(0, 100),
    ]);
    const second = await h.service.listDeploymentConfigs(h.scope, first.nextToken);
    expect(second).toEqual({ items: custom.slice(100) });
  });

  it('lists only the predefined configurations when there are no others', async () => {
    expect(await h.service.listDeploymentConfigs(h.scope, undefined)).toEqual({
      items: [
        'CodeDeployDefault.AllAtOnce',
        'CodeDeployDefault.HalfAtATime',
        'CodeDeployDefault.OneAtATime',
      ],
    });
  });

  it('refuses to delete a configuration a group uses, or a predefined one', async () => {
    await h.service.createApplication(h.scope, { applicationName });
    await aConfig('Mine');
    await aGroupNamed('dg', { deploymentConfigName: 'Mine' });
    await expectAppError(
      h.service.deleteDeploymentConfig(h.scope, 'Mine'),
      AppErrorKind.Conflict,
      'deployment-config-in-use',
    );
    await expectAppError(
      h.service.deleteDeploymentConfig(h.scope, 'CodeDeployDefault.OneAtATime'),
      AppErrorKind.InvalidInput,
      'predefined-deployment-config',
    );
    await h.service.deleteDeploymentGroup(h.scope, applicationName, 'dg');
    await h.service.deleteDeploymentConfig(h.scope, 'Mine');
    await expectAppError(
      h.service.getDeploymentConfig(h.scope, 'Mine'),
      AppErrorKind.NotFound,
      'deployment-config',
    );
  });
});

describe('application revisions', () => {
  beforeEach(async () => {
    await h.service.createApplication(h.scope, { applicationName });
  });

  it('registers a revision; registering again keeps its time and updates its description', async () => {
    const registered = h.clock.now();
    await h.service.registerApplicationRevision(h.scope, {
      applicationName,
      revision: aRevision(),
      description: 'first',
    });
    h.clock.advance(1000);
    await h.service.registerApplicationRevision(h.scope, {
      applicationName,
      revision: aRevision(),
      description: 'second',
    });
    const info = await h.service.getApplicationRevision(h.scope, {
      applicationName,
      revision: aRevision(),
    });
    expect(info).toEqual({
      applicationName,
      revision: aRevision(),
      revisionInfo: {
        applicationName,
        revision: aRevision(),
        description: 'second',
        deploymentGroups: [],
        registerTime: registered,
      },
    });
  });

  it('refuses revisions of a missing application and unregistered ones', async () => {
    await expectAppError(
      h.service.registerApplicationRevision(h.scope, {
        applicationName: 'nope',
        revision: aRevision(),
      }),
      AppErrorKind.NotFound,
      'application',
    );
    await expectAppError(
      h.service.getApplicationRevision(h.scope, { applicationName, revision: aRevision() }),
      AppErrorKind.NotFound,
      'revision-missing',
    );
    await expectAppError(
      h.service.registerApplicationRevision(h.scope, { applicationName }),
      AppErrorKind.InvalidInput,
      'revision-required',
    );
    await expectAppError(
      h.service.registerApplicationRevision(h.scope, {
        applicationName,
        revision: aRevision(),
        description: 'x'.repeat(1001),
      }),
      AppErrorKind.InvalidInput,
      'description',
    );
    await expectAppError(
      h.service.listApplicationRevisions(h.scope, { applicationName: 'nope' }),
      AppErrorKind.NotFound,
      'application',
    );
  });

  describe('listing', () => {
    /** v1 registered first, then deployed later; v2 registered and deployed; v3 never deployed. */
    beforeEach(async () => {
      await registerHosts(h, hosts(1));
      await aGroup(h);
      await h.service.registerApplicationRevision(h.scope, {
        applicationName,
        revision: aRevision('v1.zip'),
      });
      h.clock.advance(1000);
      await h.service.registerApplicationRevision(h.scope, {
        applicationName,
        revision: {
          revisionType: 'S3',
          s3Location: { bucket: 'other', key: 'v3.zip', bundleType: 'tgz' },
        },
      });
      h.clock.advance(1000);
      await deploy(h, { revision: aRevision('v2.zip') });
      await playAgents(h, hosts(1));
      h.clock.advance(1000);
      await deploy(h, { revision: aRevision('v1.zip') });
      await playAgents(h, hosts(1));
    });

    const keys = (page: { items: readonly { s3Location: { key: string } }[] }) =>
      page.items.map((r) => r.s3Location.key);

    it('sorts by registerTime ascending by default, or as asked', async () => {
      expect(keys(await h.service.listApplicationRevisions(h.scope, { applicationName }))).toEqual([
        'v1.zip',
        'v3.zip',
        'v2.zip',
      ]);
      expect(
        keys(
          await h.service.listApplicationRevisions(h.scope, {
            applicationName,
            sortBy: 'registerTime',
            sortOrder: 'descending',
          }),
        ),
      ).toEqual(['v2.zip', 'v3.zip', 'v1.zip']);
      expect(
        keys(
          await h.service.listApplicationRevisions(h.scope, {
            applicationName,
            sortBy: 'lastUsedTime',
            sortOrder: 'descending',
            deployed: 'include',
          }),
        ),
      ).toEqual(['v1.zip', 'v2.zip']);
      expect(
        keys(
          await h.service.listApplicationRevisions(h.scope, {
            applicationName,
            sortBy: 'firstUsedTime',
            deployed: 'include',
          }),
        ),
      ).toEqual(['v2.zip', 'v1.zip']);
    });

    it('filters by bucket, key prefix and deployed state', async () => {
      expect(
        keys(
          await h.service.listApplicationRevisions(h.scope, { applicationName, s3Bucket: 'other' }),
        ),
      ).toEqual(['v3.zip']);
      expect(
        keys(
          await h.service.listApplicationRevisions(h.scope, {
            applicationName,
            s3Bucket: 'bundles',
            s3KeyPrefix: 'v2',
          }),
        ),
      ).toEqual(['v2.zip']);
      expect(
        keys(
          await h.service.listApplicationRevisions(h.scope, {
            applicationName,
            deployed: 'exclude',
          }),
        ),
      ).toEqual(['v3.zip']);
    });

    it('refuses bad sort and filter values', async () => {
      await expectAppError(
        h.service.listApplicationRevisions(h.scope, { applicationName, sortBy: 'name' }),
        AppErrorKind.InvalidInput,
        'sort-by',
      );
      await expectAppError(
        h.service.listApplicationRevisions(h.scope, { applicationName, sortOrder: 'up' }),
        AppErrorKind.InvalidInput,
        'sort-order',
      );
      await expectAppError(
        h.service.listApplicationRevisions(h.scope, { applicationName, s3KeyPrefix: 'v' }),
        AppErrorKind.InvalidInput,
        'bucket-name-filter-required',
      );
      await expectAppError(
        h.service.listApplicationRevisions(h.scope, { applicationName, deployed: 'maybe' }),
        AppErrorKind.InvalidInput,
        'deployed-state-filter',
      );
      await expectAppError(
        h.service.listApplicationRevisions(h.scope, { applicationName, nextToken: 'x' }),
        AppErrorKind.InvalidInput,
        'next-token',
      );
    });
  });

  it('lists revisions in pages of 100', async () => {
    for (let i = 0; i < 101; i++) {
      await h.service.registerApplicationRevision(h.scope, {
        applicationName,
        revision: aRevision(`r${String(i).padStart(3, '0')}.zip`),
      });
      h.clock.advance(1);
    }
    const first = await h.service.listApplicationRevisions(h.scope, { applicationName });
    expect(first.items).toHaveLength(100);
    const second = await h.service.listApplicationRevisions(h.scope, {
      applicationName,
      nextToken: first.nextToken,
    });
    expect(second.items.map((r) => r.s3Location.key)).toEqual(['r100.zip']);
    expect(second.nextToken).toBeUndefined();
  });
});
