import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppErrorKind,
  DeploymentCreator,
  DeploymentStatus,
  disabledAlarmConfiguration,
  disabledAutoRollbackConfiguration,
  defaultDeploymentStyle,
  DeploymentComputePlatform,
  DeploymentsSubject,
  FileExistsBehavior,
  JobStatus,
  MinimumHealthyHostsType,
  OnPremisesTagFilterType,
  OutdatedInstancesStrategy,
  type Deployment,
  type DeploymentApplication,
  type DeploymentConfig,
  type DeploymentGroup,
  type DeploymentGroupRuntime,
  type DeploymentScope,
  type DeploymentStore,
  type DeploymentTransitionChange,
  type JobQueue,
  type OnPremisesInstance,
  type RevisionLocation,
  type StoredDeploymentGroup,
} from '@slipway/core';
import {
  expectAppError,
  FakeClock,
  InMemoryDeploymentStore,
  InMemoryJobQueue,
  SeededRandom,
} from '@slipway/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshPostgresUrl } from '../../../../test/support/fresh-postgres.ts';
import { openDatabase, type Database, type StoreConfig } from './database.ts';
import { KyselyDeploymentStore } from './kysely-deployment-store.ts';
import { KyselyJobQueue } from './kysely-job-queue.ts';

/**
 * The DeploymentStore contract, run against the in-memory fake, SQLite and PostgreSQL. Each
 * implementation opens once; each test works in an account of its own. The SQL stores are also
 * opened a second time on the same database (a second server), so concurrent transitions from
 * two servers are tested for lost updates.
 */

interface Opened {
  /** Two stores on one database: two servers (the fake: the same store twice). */
  readonly stores: readonly [DeploymentStore, DeploymentStore];
  readonly jobs: JobQueue;
  readonly clock: FakeClock;
  addAccount(accountId: string): Promise<void>;
  close(): Promise<void>;
}

const logger = pino({ level: 'silent' });

async function openSql(config: StoreConfig, cleanUp: () => Promise<void>): Promise<Opened> {
  const clock = new FakeClock();
  const databases: Database[] = [];
  try {
    databases.push(await openDatabase(config, logger));
    databases.push(await openDatabase(config, logger));
  } catch (error) {
    for (const database of databases) await database.close();
    throw error;
  }
  const [one, two] = databases as [Database, Database];
  const storeOf = (database: Database, seed: number) =>
    new KyselyDeploymentStore({ database, clock, random: new SeededRandom(seed) });
  return {
    stores: [storeOf(one, 1), storeOf(two, 2)],
    jobs: new KyselyJobQueue({ database: one, clock, random: new SeededRandom(3) }),
    clock,
    // Resources refer to their account: accounts go straight into the identity table.
    addAccount: async (accountId) => {
      await one.db
        .insertInto('accounts')
        .values({ id: accountId, created_at: clock.now() })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    close: async () => {
      for (const database of databases) await database.close();
      await cleanUp();
    },
  };
}

const implementations: [string, () => Promise<Opened>][] = [
  [
    'in-memory',
    () => {
      const clock = new FakeClock();
      const jobs = new InMemoryJobQueue({ clock, random: new SeededRandom(3) });
      const store = new InMemoryDeploymentStore({ jobs, clock, random: new SeededRandom(1) });
      return Promise.resolve({
        stores: [store, store],
        jobs,
        clock,
        addAccount: () => Promise.resolve(),
        close: () => Promise.resolve(),
      });
    },
  ],
  [
    'sqlite',
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'slipway-deployments-'));
      return openSql(
        { databaseUrl: undefined, dataDir, sqliteBusyTimeoutMs: 5_000, postgresPoolSize: 4 },
        () => rm(dataDir, { recursive: true, force: true }),
      );
    },
  ],
  [
    'postgres',
    async () =>
      openSql(
        {
          databaseUrl: await freshPostgresUrl(),
          dataDir: '',
          sqliteBusyTimeoutMs: 0,
          postgresPoolSize: 4,
        },
        () => Promise.resolve(),
      ),
  ],
];

// ---- builders ----

const region = 'us-east-1';
const otherRegion = 'eu-west-1';
let accounts = 0;

function anApplication(name: string, overrides: Partial<DeploymentApplication> = {}) {
  return {
    applicationId: `app-id-${name}`,
    applicationName: name,
    createTime: 1_700_000_000_000,
    linkedToGitHub: false,
    computePlatform: 'Server',
    tags: [{ Key: 'team', Value: 'ünïcödé' }],
    ...overrides,
  } satisfies DeploymentApplication;
}

let groupIds = 0;
function aGroup(applicationName: string, name: string, overrides: Partial<DeploymentGroup> = {}) {
  return {
    applicationName,
    deploymentGroupId: `group-id-${++groupIds}`,
    deploymentGroupName: name,
    deploymentConfigName: 'CodeDeployDefault.OneAtATime',
    onPremisesInstanceTagFilters: [
      { Key: 'role', Value: 'web', Type: OnPremisesTagFilterType.KeyAndValue },
    ],
    onPremisesTagSet: { onPremisesTagSetList: [] },
    serviceRoleArn: 'arn:aws:iam::123456789012:role/deployer',
    triggerConfigurations: [],
    alarmConfiguration: disabledAlarmConfiguration,
    autoRollbackConfiguration: disabledAutoRollbackConfiguration,
    deploymentStyle: defaultDeploymentStyle,
    outdatedInstancesStrategy: OutdatedInstancesStrategy.Update,
    computePlatform: 'Server',
    tags: [],
    ...overrides,
  } satisfies DeploymentGroup;
}

function aConfig(name: string): DeploymentConfig {
  return {
    name,
    id: `config-id-${name}`,
    minimumHealthyHosts: { type: MinimumHealthyHostsType.FleetPercent, value: 75 },
    computePlatform: DeploymentComputePlatform.Server,
    createTime: 1_700_000_000_000,
    predefined: false,
  };
}

function anInstance(
  accountId: string,
  name: string,
  overrides: Partial<OnPremisesInstance> = {},
): OnPremisesInstance {
  return {
    instanceName: name,
    iamUserArn: `arn:aws:iam::${accountId}:user/${name}`,
    instanceArn: `arn:aws:codedeploy:${region}:${accountId}:instance/${name}`,
    registerTime: 1_700_000_000_000,
    tags: [{ Key: 'role', Value: 'web' }],
    ...overrides,
  };
}

function aLocation(key: string, overrides: { version?: string; eTag?: string } = {}) {
  return {
    revisionType: 'S3',
    s3Location: { bucket: 'bundles', key, bundleType: 'zip', ...overrides },
  } satisfies RevisionLocation;
}

let deploymentIds = 0;
function aDeployment(
  group: DeploymentGroup,
  scope: DeploymentScope,
  overrides: Partial<Deployment> = {},
) {
  const id = `d-${String(++deploymentIds).padStart(9, '0')}`;
  return {
    deploymentId: id,
    accountId: scope.accountId,
    region: scope.region,
    applicationName: group.applicationName,
    applicationId: `app-id-${group.applicationName}`,
    deploymentGroupName: group.deploymentGroupName,
    deploymentGroupId: group.deploymentGroupId,
    deploymentConfigName: group.deploymentConfigName,
    minimumHealthyHosts: { type: MinimumHealthyHostsType.MostConcurrency, value: 1 },
    revision: aLocation('app.zip'),
    status: DeploymentStatus.Created,
    createTime: 1_700_000_000_000,
    creator: DeploymentCreator.User,
    ignoreApplicationStopFailures: false,
    fileExistsBehavior: FileExistsBehavior.Disallow,
    autoRollbackConfiguration: disabledAutoRollbackConfiguration,
    targets: [],
    version: 1,
    ...overrides,
  } satisfies Deployment;
}

const hostQueue = (name: string) => `host:test:${name}`;

describe.each(implementations)('DeploymentStore contract: %s', (_name, open) => {
  let opened: Opened | undefined;
  let scope: DeploymentScope;

  beforeAll(async () => {
    opened = await open();
  });
  afterAll(async () => {
    await opened?.close();
  });
  beforeEach(async () => {
    scope = { accountId: String(100_000_000_000 + ++accounts), region };
    await h().addAccount(scope.accountId);
  });

  function h(): Opened {
    if (opened === undefined) throw new Error('the store under test did not open');
    return opened;
  }
  const store = () => h().stores[0];
  const other = {
    get scope(): DeploymentScope {
      return { accountId: scope.accountId, region: otherRegion };
    },
  };

  async function withGroup(app = 'shop', name = 'web', overrides: Partial<DeploymentGroup> = {}) {
    if ((await store().findApplication(scope, app)) === undefined) {
      await store().insertApplication(scope, anApplication(app));
    }
    const group = aGroup(app, name, overrides);
    await store().insertDeploymentGroup(scope, group);
    return group;
  }

  async function create(
    group: DeploymentGroup,
    overrides: Partial<Deployment> = {},
    rest: Omit<DeploymentTransitionChange<unknown>, 'deployment' | 'result'> = {},
  ): Promise<Deployment> {
    const deployment = aDeployment(group, scope, overrides);
    const result = await store().createDeployment({
      scope,
      applicationName: group.applicationName,
      deploymentGroupName: group.deploymentGroupName,
      create: () => ({ ...rest, deployment, result: undefined }),
    });
    expect(result.kind).toBe('created');
    return deployment;
  }

  async function drain(queue: string): Promise<unknown[]> {
    const payloads: unknown[] = [];
    for (;;) {
      const claimed = await h().jobs.claim({ queue, workerId: 'w', leaseMs: 60_000 });
      if (claimed === undefined) return payloads;
      payloads.push(claimed.job.payload);
    }
  }

  describe('applications', () => {
    it('inserts, finds and lists by name a page at a time, per scope', async () => {
      for (const name of ['b', 'a', 'c'])
        await store().insertApplication(scope, anApplication(name));
      await store().insertApplication(other.scope, anApplication('z'));
      expect(await store().findApplication(scope, 'a')).toEqual(anApplication('a'));
      expect(await store().findApplication(scope, 'z')).toBeUndefined();
      const names = async (after?: string) =>
        (await store().listApplications(scope, { after, limit: 2 })).map((a) => a.applicationName);
      expect(await names()).toEqual(['a', 'b']);
      expect(await names('b')).toEqual(['c']);
    });

    it('refuses a taken name with AlreadyExists (application)', async () => {
      await store().insertApplication(scope, anApplication('shop'));
      await expectAppError(
        store().insertApplication(scope, anApplication('shop', { applicationId: 'x' })),
        AppErrorKind.AlreadyExists,
        DeploymentsSubject.Application,
      );
      await store().insertApplication(other.scope, anApplication('shop'));
    });

    it('renames, carrying groups, revisions and deployments', async () => {
      const group = await withGroup('old', 'web');
      const deployment = await create(group);
      await store().upsertRevision(scope, {
        applicationName: 'old',
        revision: aLocation('a.zip'),
        deploymentGroups: [],
        registerTime: 1,
      });
      expect(await store().renameApplication(scope, 'old', 'new')).toBe(true);
      expect(await store().findApplication(scope, 'old')).toBeUndefined();
      expect(await store().findApplication(scope, 'new')).toEqual(
        anApplication('old', { applicationName: 'new' }),
      );
      expect(await store().findDeploymentGroup(scope, 'old', 'web')).toBeUndefined();
      expect((await store().findDeploymentGroup(scope, 'new', 'web'))?.group).toEqual({
        ...group,
        applicationName: 'new',
      });
      expect(await store().listRevisions(scope, 'old')).toEqual([]);
      expect(await store().findRevision(scope, 'new', aLocation('a.zip'))).toMatchObject({
        applicationName: 'new',
      });
      expect(await store().findDeployment(deployment.deploymentId)).toEqual({
        ...deployment,
        applicationName: 'new',
      });
      const listed = await store().listDeployments({ scope, applicationName: 'new', limit: 10 });
      expect(listed.map((d) => d.deploymentId)).toEqual([deployment.deploymentId]);
      // The group still transitions under its new name.
      const seen = await store().transition(deployment.deploymentId, (view) => ({
        result: view.group?.group.applicationName,
      }));
      expect(seen).toBe('new');
    });

    it('renames nothing missing, to its own name, or over a taken name', async () => {
      await store().insertApplication(scope, anApplication('a'));
      await store().insertApplication(scope, anApplication('b'));
      expect(await store().renameApplication(scope, 'missing', 'c')).toBe(false);
      expect(await store().renameApplication(scope, 'a', 'a')).toBe(true);
      await expectAppError(
        store().renameApplication(scope, 'a', 'b'),
        AppErrorKind.AlreadyExists,
        DeploymentsSubject.Application,
      );
      expect(await store().findApplication(scope, 'a')).toBeDefined();
    });

    it('replaces the tags of an application, per scope; false when it is gone', async () => {
      await store().insertApplication(scope, anApplication('shop'));
      await store().insertApplication(other.scope, anApplication('shop'));
      const tags = [
        { Key: 'env', Value: 'prod' },
        { Key: 'team', Value: '' },
      ];
      expect(await store().updateApplicationTags(scope, 'shop', tags)).toBe(true);
      expect(await store().findApplication(scope, 'shop')).toEqual(anApplication('shop', { tags }));
      expect(await store().findApplication(other.scope, 'shop')).toEqual(anApplication('shop'));
      expect(await store().updateApplicationTags(scope, 'shop', [])).toBe(true);
      expect((await store().findApplication(scope, 'shop'))?.tags).toEqual([]);
      expect(await store().updateApplicationTags(scope, 'gone', tags)).toBe(false);
    });

    it('deletes groups and revisions with the application, keeping deployments', async () => {
      const group = await withGroup('shop', 'web');
      const deployment = await create(group);
      await store().upsertRevision(scope, {
        applicationName: 'shop',
        revision: aLocation('a.zip'),
        deploymentGroups: [],
        registerTime: 1,
      });
      await store().deleteApplication(scope, 'shop');
      await store().deleteApplication(scope, 'missing');
      expect(await store().findApplication(scope, 'shop')).toBeUndefined();
      expect(await store().findDeploymentGroup(scope, 'shop', 'web')).toBeUndefined();
      expect(await store().listRevisions(scope, 'shop')).toEqual([]);
      expect(await store().findDeployment(deployment.deploymentId)).toEqual(deployment);
      // Created again, the application starts without groups or revisions.
      await store().insertApplication(scope, anApplication('shop'));
      expect(await store().listDeploymentGroups(scope, 'shop', { limit: 10 })).toEqual([]);
    });
  });

  describe('deployment groups', () => {
    it('inserts with an empty runtime, finds and lists by name per application', async () => {
      const web = await withGroup('shop', 'web');
      const api = await withGroup('shop', 'api');
      await withGroup('blog', 'web');
      expect(await store().findDeploymentGroup(scope, 'shop', 'web')).toEqual({
        group: web,
        runtime: {},
      });
      const list = await store().listDeploymentGroups(scope, 'shop', { limit: 1 });
      expect(list).toEqual([api]);
      expect(await store().listDeploymentGroups(scope, 'shop', { after: 'api', limit: 5 })).toEqual(
        [web],
      );
    });

    it('refuses a name taken in the application with AlreadyExists (deployment-group)', async () => {
      await withGroup('shop', 'web');
      await expectAppError(
        store().insertDeploymentGroup(scope, aGroup('shop', 'web')),
        AppErrorKind.AlreadyExists,
        DeploymentsSubject.DeploymentGroup,
      );
    });

    it('updates settings and name, keeping its runtime; its deployments follow a rename', async () => {
      const group = await withGroup('shop', 'web');
      await withGroup('shop', 'taken');
      const deployment = await create(group, {}, { groupRuntime: { activeDeploymentId: 'd-1' } });
      const renamed = { ...group, deploymentGroupName: 'www', deploymentConfigName: 'Custom' };
      expect(await store().updateDeploymentGroup(scope, 'web', renamed)).toBe(true);
      expect(await store().findDeploymentGroup(scope, 'shop', 'web')).toBeUndefined();
      expect(await store().findDeploymentGroup(scope, 'shop', 'www')).toEqual({
        group: renamed,
        runtime: { activeDeploymentId: 'd-1' },
      });
      expect((await store().findDeployment(deployment.deploymentId))?.deploymentGroupName).toBe(
        'www',
      );
      expect(await store().updateDeploymentGroup(scope, 'gone', renamed)).toBe(false);
      await expectAppError(
        store().updateDeploymentGroup(scope, 'www', { ...renamed, deploymentGroupName: 'taken' }),
        AppErrorKind.AlreadyExists,
        DeploymentsSubject.DeploymentGroup,
      );
    });

    it('carries its tags through an update', async () => {
      const group = await withGroup('shop', 'web', { tags: [{ Key: 'tier', Value: 'front' }] });
      const tagged = { ...group, tags: [{ Key: 'env', Value: 'prod' }] };
      expect(await store().updateDeploymentGroup(scope, 'web', tagged)).toBe(true);
      expect((await store().findDeploymentGroup(scope, 'shop', 'web'))?.group.tags).toEqual([
        { Key: 'env', Value: 'prod' },
      ]);
    });

    it('deletes, and tells whether a configuration is in use', async () => {
      await withGroup('shop', 'web', { deploymentConfigName: 'Custom' });
      expect(await store().isDeploymentConfigInUse(scope, 'Custom')).toBe(true);
      expect(await store().isDeploymentConfigInUse(other.scope, 'Custom')).toBe(false);
      expect(await store().isDeploymentConfigInUse(scope, 'Other')).toBe(false);
      expect(await store().deleteDeploymentGroup(scope, 'shop', 'web')).toBe(true);
      expect(await store().deleteDeploymentGroup(scope, 'shop', 'web')).toBe(false);
      expect(await store().isDeploymentConfigInUse(scope, 'Custom')).toBe(false);
    });
  });

  describe('deployment configs', () => {
    it('inserts, finds, lists by name, deletes; AlreadyExists (deployment-config)', async () => {
      for (const name of ['b', 'a']) await store().insertDeploymentConfig(scope, aConfig(name));
      expect(await store().findDeploymentConfig(scope, 'a')).toEqual(aConfig('a'));
      expect(await store().findDeploymentConfig(other.scope, 'a')).toBeUndefined();
      expect(await store().listDeploymentConfigs(scope, { limit: 10 })).toEqual([
        aConfig('a'),
        aConfig('b'),
      ]);
      expect(await store().listDeploymentConfigs(scope, { after: 'a', limit: 10 })).toEqual([
        aConfig('b'),
      ]);
      await expectAppError(
        store().insertDeploymentConfig(scope, aConfig('a')),
        AppErrorKind.AlreadyExists,
        DeploymentsSubject.DeploymentConfig,
      );
      expect(await store().deleteDeploymentConfig(scope, 'a')).toBe(true);
      expect(await store().deleteDeploymentConfig(scope, 'a')).toBe(false);
      expect(await store().findDeploymentConfig(scope, 'a')).toBeUndefined();
    });
  });

  describe('on-premises instances', () => {
    it('inserts, finds, lists by name; a deregistered name stays taken (instance)', async () => {
      const { accountId } = scope;
      const b = anInstance(accountId, 'b');
      const a = anInstance(accountId, 'a', { deregisterTime: 5 });
      await store().insertOnPremisesInstance(scope, b);
      await store().insertOnPremisesInstance(scope, a);
      expect(await store().findOnPremisesInstance(scope, 'b')).toEqual(b);
      expect(await store().listOnPremisesInstances(scope)).toEqual([a, b]);
      expect(await store().listOnPremisesInstances(other.scope)).toEqual([]);
      await expectAppError(
        store().insertOnPremisesInstance(scope, anInstance(accountId, 'a', { iamUserArn: 'x' })),
        AppErrorKind.AlreadyExists,
        DeploymentsSubject.Instance,
      );
    });

    it("refuses another registered instance's ARN in any region of the account", async () => {
      const { accountId } = scope;
      const user = anInstance(accountId, 'a');
      const sessionArn = `arn:aws:sts::${accountId}:assumed-role/r/s`;
      const session = anInstance(accountId, 's', {
        iamUserArn: undefined,
        iamSessionArn: sessionArn,
      });
      await store().insertOnPremisesInstance(scope, user);
      await store().insertOnPremisesInstance(scope, session);
      await expectAppError(
        store().insertOnPremisesInstance(other.scope, { ...user, instanceName: 'b' }),
        AppErrorKind.AlreadyExists,
        DeploymentsSubject.IamUserArn,
      );
      await expectAppError(
        store().insertOnPremisesInstance(other.scope, { ...session, instanceName: 't' }),
        AppErrorKind.AlreadyExists,
        DeploymentsSubject.IamSessionArn,
      );
      // Deregistering frees the ARN.
      expect(await store().updateOnPremisesInstance(scope, { ...user, deregisterTime: 9 })).toBe(
        true,
      );
      await store().insertOnPremisesInstance(other.scope, { ...user, instanceName: 'b' });
    });

    it('finds the registered instance of an ARN, with its region', async () => {
      const { accountId } = scope;
      const sessionArn = `arn:aws:sts::${accountId}:assumed-role/r/s`;
      const user = anInstance(accountId, 'a');
      const session = anInstance(accountId, 's', {
        iamUserArn: undefined,
        iamSessionArn: sessionArn,
      });
      const gone = anInstance(accountId, 'g', { deregisterTime: 5 });
      await store().insertOnPremisesInstance(other.scope, user);
      await store().insertOnPremisesInstance(scope, session);
      await store().insertOnPremisesInstance(scope, gone);
      expect(await store().findOnPremisesInstanceByArn(accountId, user.iamUserArn ?? '')).toEqual({
        ...user,
        region: otherRegion,
      });
      expect(await store().findOnPremisesInstanceByArn(accountId, sessionArn)).toEqual({
        ...session,
        region,
      });
      expect(
        await store().findOnPremisesInstanceByArn(accountId, gone.iamUserArn ?? ''),
      ).toBeUndefined();
      expect(await store().findOnPremisesInstanceByArn('999999999999', sessionArn)).toBeUndefined();
    });

    it('updates and deletes; false when gone', async () => {
      const instance = anInstance(scope.accountId, 'a');
      await store().insertOnPremisesInstance(scope, instance);
      const changed = { ...instance, tags: [{ Key: 'k', Value: 'v' }], deregisterTime: 7 };
      expect(await store().updateOnPremisesInstance(scope, changed)).toBe(true);
      expect(await store().findOnPremisesInstance(scope, 'a')).toEqual(changed);
      expect(await store().updateOnPremisesInstance(other.scope, changed)).toBe(false);
      expect(await store().deleteOnPremisesInstance(scope, 'a')).toBe(true);
      expect(await store().deleteOnPremisesInstance(scope, 'a')).toBe(false);
      expect(await store().findOnPremisesInstance(scope, 'a')).toBeUndefined();
    });
  });

  describe('revisions', () => {
    it('registers, finds by location and lists; re-registering keeps the usage', async () => {
      const location = aLocation('a.zip', { eTag: 'e1' });
      const first = {
        applicationName: 'shop',
        revision: location,
        description: 'first',
        deploymentGroups: [],
        registerTime: 10,
      };
      await store().upsertRevision(scope, first);
      await store().upsertRevision(scope, { ...first, revision: aLocation('0.zip') });
      expect(await store().findRevision(scope, 'shop', location)).toEqual(first);
      expect(await store().findRevision(scope, 'shop', aLocation('a.zip'))).toBeUndefined();
      expect(await store().findRevision(scope, 'blog', location)).toBeUndefined();
      const group = await withGroup('shop', 'web');
      await create(group, {}, { usedRevisions: [{ ...use(group, location), usedAt: 50 }] });
      // Read as tar now: the same revision, re-described.
      const tar = {
        ...location,
        s3Location: { ...location.s3Location, bundleType: 'tar' as const },
      };
      await store().upsertRevision(scope, {
        ...first,
        revision: tar,
        description: 'second',
        registerTime: 60,
      });
      expect(await store().findRevision(scope, 'shop', location)).toEqual({
        ...first,
        revision: tar,
        description: 'second',
        registerTime: 60,
        deploymentGroups: ['web'],
        firstUsedTime: 50,
        lastUsedTime: 50,
      });
      const listed = await store().listRevisions(scope, 'shop');
      expect(listed.map((r) => r.revision.s3Location.key)).toEqual(['0.zip', 'a.zip']);
    });

    it('records uses: created when unregistered, first use kept, groups once each', async () => {
      const web = await withGroup('shop', 'web');
      const api = await withGroup('shop', 'api');
      const location = aLocation('a.zip', { version: 'v1' });
      await create(web, {}, { usedRevisions: [{ ...use(web, location), usedAt: 100 }] });
      expect(await store().findRevision(scope, 'shop', location)).toEqual({
        applicationName: 'shop',
        revision: location,
        deploymentGroups: ['web'],
        registerTime: 100,
        firstUsedTime: 100,
        lastUsedTime: 100,
      });
      const d = await create(api, {}, { usedRevisions: [{ ...use(api, location), usedAt: 200 }] });
      await store().transition(d.deploymentId, () => ({
        usedRevisions: [{ ...use(web, location), usedAt: 300 }],
        result: undefined,
      }));
      expect(await store().findRevision(scope, 'shop', location)).toMatchObject({
        deploymentGroups: ['web', 'api'],
        registerTime: 100,
        firstUsedTime: 100,
        lastUsedTime: 300,
      });
    });
  });

  function use(group: DeploymentGroup, revision: RevisionLocation) {
    return {
      applicationName: group.applicationName,
      deploymentGroupName: group.deploymentGroupName,
      revision,
      usedAt: 0,
    };
  }

  describe('createDeployment', () => {
    it('builds from the locked group and its registered, targeted instances, and writes it all', async () => {
      const { accountId } = scope;
      const group = await withGroup('shop', 'web');
      const runtime: DeploymentGroupRuntime = { lastAttemptedDeployment: undefined };
      const web = (name: string, o: Partial<OnPremisesInstance> = {}) =>
        anInstance(accountId, name, o);
      await store().insertOnPremisesInstance(scope, web('b'));
      await store().insertOnPremisesInstance(scope, web('a'));
      await store().insertOnPremisesInstance(scope, web('c', { deregisterTime: 1 }));
      await store().insertOnPremisesInstance(
        scope,
        web('db', { tags: [{ Key: 'role', Value: 'db' }] }),
      );
      await store().insertOnPremisesInstance(other.scope, web('x'));
      const views: { group: StoredDeploymentGroup; names: string[] }[] = [];
      const deployment = aDeployment(group, scope, { externalId: 'pipeline-1' });
      const result = await store().createDeployment({
        scope,
        applicationName: 'shop',
        deploymentGroupName: 'web',
        create: (view) => {
          views.push({ group: view.group, names: view.instances.map((i) => i.instanceName) });
          return {
            deployment,
            groupRuntime: { ...runtime, activeDeploymentId: deployment.deploymentId },
            jobs: [
              { id: `job-${deployment.deploymentId}`, queue: hostQueue('a'), payload: { n: 1 } },
            ],
            result: 'made',
          };
        },
      });
      expect(result).toEqual({ kind: 'created', result: 'made' });
      expect(views).toEqual([{ group: { group, runtime: {} }, names: ['a', 'b'] }]);
      expect(await store().findDeployment(deployment.deploymentId)).toEqual(deployment);
      expect((await store().findDeploymentGroup(scope, 'shop', 'web'))?.runtime).toEqual({
        activeDeploymentId: deployment.deploymentId,
      });
      expect(await h().jobs.findJob(`job-${deployment.deploymentId}`)).toMatchObject({
        queue: hostQueue('a'),
        payload: { n: 1 },
        status: JobStatus.Queued,
      });
    });

    it('answers group-missing without deciding when the group or its application is gone', async () => {
      await store().insertDeploymentGroup(scope, aGroup('orphan', 'web'));
      await withGroup('shop', 'web');
      const refuse = () => {
        throw new Error('must not decide');
      };
      for (const [app, name] of [
        ['shop', 'missing'],
        ['orphan', 'web'],
      ] as const) {
        const result = await store().createDeployment({
          scope,
          applicationName: app,
          deploymentGroupName: name,
          create: refuse,
        });
        expect(result).toEqual({ kind: 'group-missing' });
      }
    });

    it('writes nothing when create throws', async () => {
      const group = await withGroup();
      const deployment = aDeployment(group, scope);
      await expect(
        store().createDeployment({
          scope,
          applicationName: 'shop',
          deploymentGroupName: 'web',
          create: () => ({
            deployment,
            // A malformed job rejects the whole change.
            jobs: [
              { id: `job-${deployment.deploymentId}`, queue: 'q', payload: 1, maxAttempts: 0 },
            ],
            groupRuntime: { activeDeploymentId: deployment.deploymentId },
            result: undefined,
          }),
        }),
      ).rejects.toThrow();
      expect(await store().findDeployment(deployment.deploymentId)).toBeUndefined();
      expect((await store().findDeploymentGroup(scope, 'shop', 'web'))?.runtime).toEqual({});
    });
  });

  describe('transition', () => {
    it('answers undefined for an unknown deployment without deciding', async () => {
      const result = await store().transition('d-MISSING00', () => {
        throw new Error('must not decide');
      });
      expect(result).toBeUndefined();
    });

    it('sees the deployment and its group, writes the deployment at the next version', async () => {
      const group = await withGroup();
      const deployment = await create(group, {}, { groupRuntime: { activeDeploymentId: 'x' } });
      const next = { ...deployment, status: DeploymentStatus.InProgress, startTime: 5 };
      const result = await store().transition(deployment.deploymentId, (view) => {
        expect(view).toEqual({
          deployment,
          group: { group, runtime: { activeDeploymentId: 'x' } },
        });
        return { deployment: next, result: 'moved' };
      });
      expect(result).toBe('moved');
      expect(await store().findDeployment(deployment.deploymentId)).toEqual({
        ...next,
        version: 2,
      });
      await store().transition(deployment.deploymentId, () => ({ result: undefined }));
      expect((await store().findDeployment(deployment.deploymentId))?.version).toBe(2);
    });

    it('enqueues its jobs exactly once and cancels the ones it names', async () => {
      const group = await withGroup();
      const queue = hostQueue(`${scope.accountId}-a`);
      const deployment = await create(
        group,
        {},
        { jobs: [{ id: `${scope.accountId}-old`, queue, payload: 'old' }] },
      );
      await store().transition(deployment.deploymentId, () => ({
        jobs: [{ queue, payload: 'new' }],
        cancelJobs: [`${scope.accountId}-old`, 'no-such-job'],
        result: undefined,
      }));
      expect(await h().jobs.findJob(`${scope.accountId}-old`)).toMatchObject({
        status: JobStatus.Cancelled,
      });
      expect(await drain(queue)).toEqual(['new']);
    });

    it('writes a rollback deployment and the runtime with the deployment, or none of them', async () => {
      const group = await withGroup();
      const failed = await create(group);
      const rollback = aDeployment(group, scope, { creator: DeploymentCreator.CodeDeployRollback });
      const change = (jobs: DeploymentTransitionChange<unknown>['jobs']) => ({
        deployment: { ...failed, status: DeploymentStatus.Failed },
        newDeployments: [rollback],
        groupRuntime: { activeDeploymentId: rollback.deploymentId },
        jobs,
        result: undefined,
      });
      const bad = [{ queue: 'q', payload: null, maxAttempts: 0 }];
      await expect(store().transition(failed.deploymentId, () => change(bad))).rejects.toThrow();
      expect(await store().findDeployment(failed.deploymentId)).toEqual(failed);
      expect(await store().findDeployment(rollback.deploymentId)).toBeUndefined();
      expect((await store().findDeploymentGroup(scope, 'shop', 'web'))?.runtime).toEqual({});

      await store().transition(failed.deploymentId, () => change([]));
      expect(await store().findDeployment(failed.deploymentId)).toMatchObject({
        status: DeploymentStatus.Failed,
        version: 2,
      });
      expect(await store().findDeployment(rollback.deploymentId)).toEqual(rollback);
      expect((await store().findDeploymentGroup(scope, 'shop', 'web'))?.runtime).toEqual({
        activeDeploymentId: rollback.deploymentId,
      });
      const listed = await store().listDeployments({ scope, limit: 10 });
      expect(listed.map((d) => d.deploymentId)).toEqual([
        rollback.deploymentId,
        failed.deploymentId,
      ]);
    });

    it('sees no group once it is deleted, and writes no runtime then', async () => {
      const group = await withGroup();
      const deployment = await create(group);
      await store().deleteDeploymentGroup(scope, 'shop', 'web');
      // A group created again under the name is another group.
      await withGroup('shop', 'web');
      const seen = await store().transition(deployment.deploymentId, (view) => ({
        groupRuntime: { activeDeploymentId: 'x' },
        deployment: { ...view.deployment, status: DeploymentStatus.Stopped },
        result: view.group,
      }));
      expect(seen).toBeUndefined();
      expect((await store().findDeploymentGroup(scope, 'shop', 'web'))?.runtime).toEqual({});
      expect((await store().findDeployment(deployment.deploymentId))?.status).toBe(
        DeploymentStatus.Stopped,
      );
    });

    it('loses no update of 20 concurrent transitions from two servers', async () => {
      const group = await withGroup();
      const deployment = await create(group, { description: '0' });
      const queue = hostQueue(`${scope.accountId}-count`);
      const counted = (view: {
        deployment: Deployment;
        group?: StoredDeploymentGroup | undefined;
      }) => {
        const count = Number(view.deployment.description) + 1;
        const seen = view.group?.runtime.targetRevision?.s3Location.key ?? '';
        return {
          deployment: { ...view.deployment, description: String(count) },
          groupRuntime: { targetRevision: aLocation(`${seen}+`) },
          jobs: [{ queue, payload: count }],
          result: undefined,
        };
      };
      const [one, two] = h().stores;
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? one : two).transition(deployment.deploymentId, counted),
        ),
      );
      expect(await store().findDeployment(deployment.deploymentId)).toMatchObject({
        description: '20',
        version: 21,
      });
      const runtime = (await store().findDeploymentGroup(scope, 'shop', 'web'))?.runtime;
      expect(runtime?.targetRevision?.s3Location.key).toBe('+'.repeat(20));
      const payloads = await drain(queue);
      expect([...payloads].sort((a, b) => Number(a) - Number(b))).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    });
  });

  describe('listings', () => {
    it('lists newest first, filtered by application, group, statuses, external id and time', async () => {
      const web = await withGroup('shop', 'web');
      const api = await withGroup('shop', 'api');
      const blog = await withGroup('blog', 'web');
      const d1 = await create(web, { createTime: 100, status: DeploymentStatus.Succeeded });
      const d2 = await create(api, { createTime: 200, externalId: 'ext' });
      const d3 = await create(blog, { createTime: 300, status: DeploymentStatus.Failed });
      const d4 = await create(web, { createTime: 400, externalId: 'ext' });
      const ids = async (
        q: Omit<Parameters<DeploymentStore['listDeployments']>[0], 'scope' | 'limit'>,
      ) => (await store().listDeployments({ scope, limit: 10, ...q })).map((d) => d.deploymentId);
      const [i1, i2, i3, i4] = [d1, d2, d3, d4].map((d) => d.deploymentId);
      expect(await ids({})).toEqual([i4, i3, i2, i1]);
      expect(await ids({ applicationName: 'shop' })).toEqual([i4, i2, i1]);
      expect(await ids({ applicationName: 'shop', deploymentGroupName: 'web' })).toEqual([i4, i1]);
      expect(
        await ids({ statuses: [DeploymentStatus.Succeeded, DeploymentStatus.Failed] }),
      ).toEqual([i3, i1]);
      expect(await ids({ statuses: [] })).toEqual([]);
      expect(await ids({ externalId: 'ext' })).toEqual([i4, i2]);
      expect(await ids({ createdFrom: 200, createdTo: 300 })).toEqual([i3, i2]);
      expect(await store().listDeployments({ scope: other.scope, limit: 10 })).toEqual([]);
    });

    it('pages by seq, before the last one seen', async () => {
      const group = await withGroup();
      const made = [];
      for (let i = 0; i < 5; i++) made.push(await create(group));
      const first = await store().listDeployments({ scope, limit: 2 });
      const seqs = first.map((d) => d.seq);
      expect(seqs[0]).toBeGreaterThan(seqs[1] ?? Infinity);
      const second = await store().listDeployments({ scope, limit: 2, before: first[1]?.seq });
      const third = await store().listDeployments({ scope, limit: 2, before: second[1]?.seq });
      expect([...first, ...second, ...third].map((d) => d.deploymentId)).toEqual(
        made.map((d) => d.deploymentId).reverse(),
      );
    });

    it('lists unfinished deployments oldest first', async () => {
      const group = await withGroup();
      const statuses = Object.values(DeploymentStatus);
      const made = [];
      for (const status of statuses) made.push(await create(group, { status }));
      const mine = new Set(made.map((d) => d.deploymentId));
      const unfinished = (await store().listUnfinishedDeployments(10_000)).filter((id) =>
        mine.has(id),
      );
      expect(unfinished).toEqual(
        made
          .filter((d) =>
            (
              [
                DeploymentStatus.Created,
                DeploymentStatus.Queued,
                DeploymentStatus.InProgress,
              ] as string[]
            ).includes(d.status),
          )
          .map((d) => d.deploymentId),
      );
      // Finishing one takes it off the list.
      const first = made[0]!;
      await store().transition(first.deploymentId, (view) => ({
        deployment: { ...view.deployment, status: DeploymentStatus.Stopped },
        result: undefined,
      }));
      expect(await store().listUnfinishedDeployments(10_000)).not.toContain(first.deploymentId);
      expect((await store().listUnfinishedDeployments(1)).length).toBe(1);
    });
  });
});
