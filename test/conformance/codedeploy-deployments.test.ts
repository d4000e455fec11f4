import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ApplicationDoesNotExistException,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentConfigCommand,
  CreateDeploymentGroupCommand,
  DeploymentConfigDoesNotExistException,
  DeploymentGroupDoesNotExistException,
  DeploymentLimitExceededException,
  GetDeploymentCommand,
  RevisionDoesNotExistException,
  type CodeDeployClient,
  type InstanceTarget,
  type LifecycleEvent,
} from '@aws-sdk/client-codedeploy';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundleOf,
  codeDeployClient,
  hookRecords,
  hostTmp,
  installedVersion,
  instanceTargets,
  revisionFiles,
  waitForDeployment,
  type BundleFile,
  type BundleType,
  type RevisionOptions,
} from '../support/codedeploy.ts';
import { awsCli, putObject, until } from '../support/codepipeline.ts';
import { s3Client } from '../support/s3.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * CodeDeploy deployments run end to end: a server with four local agents (separate
 * `slipway agent` processes, each an on-premises instance with its own /tmp), revisions built
 * here with `zip` and `tar`, and hook scripts that record the variables the agent gave them
 * (reference/aws-compat.md §5). Driven through `aws deploy` and `@aws-sdk/client-codedeploy`;
 * one server and one application, a deployment group per subject.
 */
let server: TestServer;
let client: CodeDeployClient;
const bucket = 'revisions';
const application = 'shop';
const hosts = [1, 2, 3, 4] as const;
const hostNames = hosts.map((i) => `local-agent-${i}`);
const roleArn = () => `arn:aws:iam::${server.accountId}:role/CodeDeployService`;
const cli = () => awsCli(server);

beforeAll(async () => {
  server = await startTestServer({ env: { SLIPWAY_LOCAL_AGENTS: '4' } });
  client = codeDeployClient(server);
  const s3 = s3Client(server);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  s3.destroy();
  await client.send(new CreateApplicationCommand({ applicationName: application }));
  // The agents are processes of their own: wait until all four run a deployment.
  await createGroup('warm-up', { config: 'CodeDeployDefault.AllAtOnce' });
  const key = await uploadRevision({ label: 'v0', dir: 'warm-up' });
  const id = await createDeployment('warm-up', key);
  const info = await waitForDeployment(client, id, 80_000);
  expect(info.status).toBe('Succeeded');
}, 100_000);
afterAll(async () => {
  client?.destroy();
  await server?.close();
});

interface GroupOptions {
  readonly config?: string;
  readonly rollbackOnFailure?: boolean;
  /** Only this host (by its Name tag); default: the four local hosts. */
  readonly host?: string;
}

/** A deployment group of the local hosts; returns its id. */
async function createGroup(name: string, options: GroupOptions = {}): Promise<string> {
  const created = await client.send(
    new CreateDeploymentGroupCommand({
      applicationName: application,
      deploymentGroupName: name,
      serviceRoleArn: roleArn(),
      ...(options.config === undefined ? {} : { deploymentConfigName: options.config }),
      onPremisesInstanceTagFilters: [
        options.host === undefined
          ? { Key: 'slipway:local-agent', Value: 'true', Type: 'KEY_AND_VALUE' }
          : { Key: 'Name', Value: options.host, Type: 'KEY_AND_VALUE' },
      ],
      ...(options.rollbackOnFailure === true
        ? { autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] } }
        : {}),
    }),
  );
  return created.deploymentGroupId ?? '';
}

/** Uploads a revision (built from `options` unless `files` are given); returns its key. */
async function uploadRevision(
  options: RevisionOptions,
  type: BundleType = 'zip',
  files: Record<string, BundleFile> = revisionFiles(options),
): Promise<string> {
  const key = `${options.dir}/${options.label}.${type}`;
  await putObject(server, { bucket, key, body: await bundleOf(files, type) });
  return key;
}

/** The `--s3-location` of a bundle uploaded under `key` (its type is its extension). */
function s3Location(key: string, eTag?: string): string {
  const bundleType = key.slice(key.lastIndexOf('.') + 1);
  const location = `bucket=${bucket},key=${key},bundleType=${bundleType}`;
  return eTag === undefined ? location : `${location},eTag=${eTag}`;
}

/** `aws deploy create-deployment` of `key` (or a `--s3-location` in `extra`); its id. */
async function createDeployment(group: string, key: string, ...extra: string[]): Promise<string> {
  const { deploymentId } = await cli().json<{ deploymentId: string }>(
    'deploy',
    'create-deployment',
    ...['--application-name', application, '--deployment-group-name', group],
    ...(extra.includes('--s3-location') ? [] : ['--s3-location', s3Location(key)]),
    ...extra,
  );
  return deploymentId;
}

async function deployAndWait(group: string, key: string, ...extra: string[]) {
  const id = await createDeployment(group, key, ...extra);
  return { id, info: await waitForDeployment(client, id) };
}

function eventOf(target: InstanceTarget | undefined, name: string): LifecycleEvent | undefined {
  return target?.lifecycleEvents?.find((e) => e.lifecycleEventName === name);
}

function eventStatuses(target: InstanceTarget | undefined): Record<string, string | undefined> {
  const statuses: Record<string, string | undefined> = {};
  for (const e of target?.lifecycleEvents ?? []) statuses[e.lifecycleEventName ?? ''] = e.status;
  return statuses;
}

const emptyOverview = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0 };

describe('deployment configurations on four hosts with one failing host', () => {
  it('applies each configuration’s health rule (§5.5)', async () => {
    await client.send(
      new CreateDeploymentConfigCommand({
        deploymentConfigName: 'Shop.ThreeHealthy',
        minimumHealthyHosts: { type: 'HOST_COUNT', value: 3 },
      }),
    );
    const cases = [
      // MOST_CONCURRENCY 1: three must stay healthy; local-agent-2 failing leaves 2, so the
      // deployment stops there and the rest are skipped.
      {
        name: 'one-at-a-time',
        config: 'CodeDeployDefault.OneAtATime',
        failing: 'local-agent-2',
        status: 'Failed',
        statuses: ['Succeeded', 'Failed', 'Skipped', 'Skipped'],
      },
      // FLEET_PERCENT 50: two at a time while two stay healthy, and ⌈4/2⌉ = 2 must succeed.
      {
        name: 'half-at-a-time',
        config: 'CodeDeployDefault.HalfAtATime',
        failing: 'local-agent-2',
        status: 'Succeeded',
        statuses: ['Succeeded', 'Failed', 'Succeeded', 'Succeeded'],
      },
      // HOST_COUNT 0: all four at once; one success is enough.
      {
        name: 'all-at-once',
        config: 'CodeDeployDefault.AllAtOnce',
        failing: 'local-agent-2',
        status: 'Succeeded',
        statuses: ['Succeeded', 'Failed', 'Succeeded', 'Succeeded'],
      },
      // HOST_COUNT 3: one at a time; an early failure fails the deployment…
      {
        name: 'three-healthy-early',
        config: 'Shop.ThreeHealthy',
        failing: 'local-agent-2',
        status: 'Failed',
        statuses: ['Succeeded', 'Failed', 'Skipped', 'Skipped'],
      },
      // …but a failure on the last instance still leaves three healthy: Succeeded.
      {
        name: 'three-healthy-last',
        config: 'Shop.ThreeHealthy',
        failing: 'local-agent-4',
        status: 'Succeeded',
        statuses: ['Succeeded', 'Succeeded', 'Succeeded', 'Failed'],
      },
    ];
    const results = await Promise.all(
      cases.map(async (c) => {
        await createGroup(c.name, { config: c.config });
        const key = await uploadRevision({
          label: 'v1',
          dir: c.name,
          failOn: { event: 'AfterInstall', host: c.failing },
        });
        const { id, info } = await deployAndWait(c.name, key);
        return { c, id, info, targets: await instanceTargets(client, id) };
      }),
    );
    for (const { c, info, targets } of results) {
      const count = (s: string) => c.statuses.filter((x) => x === s).length;
      expect({ name: c.name, status: info.status }).toEqual({ name: c.name, status: c.status });
      expect(info.deploymentConfigName).toBe(c.config);
      expect(info.deploymentOverview).toEqual({
        ...emptyOverview,
        Succeeded: count('Succeeded'),
        Failed: count('Failed'),
        Skipped: count('Skipped'),
        Ready: 0,
      });
      expect(targets.map((t) => t.targetId)).toEqual(hostNames);
      expect(targets.map((t) => t.status)).toEqual(c.statuses);
      if (c.status === 'Failed') {
        expect(info.errorInformation?.code).toBe('HEALTH_CONSTRAINTS');
      } else {
        expect(info.errorInformation).toBeUndefined();
      }
      const failed = targets.find((t) => t.targetId === c.failing);
      expect(eventStatuses(failed)).toEqual({
        ApplicationStop: 'Succeeded',
        DownloadBundle: 'Succeeded',
        BeforeInstall: 'Succeeded',
        Install: 'Succeeded',
        AfterInstall: 'Failed',
        ApplicationStart: 'Skipped',
        ValidateService: 'Skipped',
      });
      expect(eventOf(failed, 'AfterInstall')?.diagnostics?.errorCode).toBe('ScriptFailed');
      for (const skipped of targets.filter((t) => t.status === 'Skipped')) {
        expect(new Set(Object.values(eventStatuses(skipped)))).toEqual(new Set(['Skipped']));
      }
    }
    // One at a time, in instance-name order: each host starts after the one before it ended.
    for (const { c, targets } of results) {
      if (!c.name.startsWith('three-healthy') && c.name !== 'one-at-a-time') continue;
      const ran = targets.filter((t) => t.status !== 'Skipped');
      expect(ran.map((t) => t.targetId)).toEqual(hostNames.slice(0, ran.length));
      for (let i = 1; i < ran.length; i += 1) {
        const ended = ran[i - 1]?.lifecycleEvents?.findLast((e) => e.endTime !== undefined);
        const started = eventOf(ran[i], 'ApplicationStop')?.startTime;
        expect(started?.getTime()).toBeGreaterThanOrEqual(ended?.endTime?.getTime() ?? Infinity);
      }
    }
  }, 60_000);
});

describe('hooks', () => {
  it('run in order with the §5.4 variables; ApplicationStop runs the previous revision', async () => {
    const group = 'hooks';
    const groupId = await createGroup(group, { config: 'CodeDeployDefault.AllAtOnce' });
    const v1 = await uploadRevision({ label: 'v1', dir: group }, 'tgz');
    const first = await deployAndWait(group, v1);
    expect(first.info.status).toBe('Succeeded');
    const body = await bundleOf(revisionFiles({ label: 'v2', dir: group }), 'tar');
    const v2 = `${group}/v2.tar`;
    const s3 = s3Client(server);
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: v2, Body: body }));
    s3.destroy();
    const eTag = (put.ETag ?? '').replaceAll('"', '');
    const second = await deployAndWait(group, v2, '--s3-location', s3Location(v2, eTag));
    expect(second.info.status).toBe('Succeeded');
    expect(second.info.previousRevision?.s3Location?.key).toBe(v1);

    const common = { applicationName: application, deploymentGroupName: group };
    for (const host of hosts) {
      const records = await hookRecords(server.dataDir, host, group);
      expect(records.map((r) => `${r.label} ${r.event}`)).toEqual([
        'v1 BeforeInstall',
        'v1 AfterInstall',
        'v1 ApplicationStart',
        'v1 ValidateService',
        // The previous revision's script, told about the deployment that stops it.
        'v1 ApplicationStop',
        'v2 BeforeInstall',
        'v2 AfterInstall',
        'v2 ApplicationStart',
        'v2 ValidateService',
      ]);
      for (const record of records.slice(0, 4)) {
        expect(record).toMatchObject({
          ...common,
          deploymentId: first.id,
          deploymentGroupId: groupId,
          bundleBucket: bucket,
          bundleKey: v1,
          bundleEtag: '',
        });
      }
      for (const record of records.slice(4)) {
        expect(record).toMatchObject({
          ...common,
          deploymentId: second.id,
          deploymentGroupId: groupId,
          bundleBucket: bucket,
          bundleKey: v2,
          bundleEtag: eTag,
        });
      }
      expect(await installedVersion(server.dataDir, host, group)).toBe('v2');
    }
  });
});

describe('fileExistsBehavior', () => {
  it('DISALLOW refuses a stray file, OVERWRITE replaces it, RETAIN keeps it; the appspec wins', async () => {
    const group = 'files';
    await createGroup(group, { host: 'local-agent-1' });
    const app = join(hostTmp(server.dataDir, 1), group, 'app');
    const onHost = (name: string) => readFile(join(app, name), 'utf8').catch(() => undefined);
    const stray = async (name: string) => {
      await mkdir(app, { recursive: true });
      await writeFile(join(app, name), 'stray\n');
    };
    const revision = (label: string, names: string[], appSpecExtra?: string) =>
      uploadRevision({
        label,
        dir: group,
        appFiles: Object.fromEntries(names.map((n) => [n, `${label}\n`])),
        ...(appSpecExtra === undefined ? {} : { appSpecExtra }),
      });

    // DISALLOW (the default): a.txt was not installed by the last deployment.
    await stray('a.txt');
    const v1 = await revision('v1', ['a.txt']);
    const refused = await deployAndWait(group, v1);
    expect(refused.info.status).toBe('Failed');
    expect(refused.info.fileExistsBehavior).toBe('DISALLOW');
    const [target] = await instanceTargets(client, refused.id, 1);
    expect(eventStatuses(target)).toMatchObject({ Install: 'Failed', AfterInstall: 'Skipped' });
    const install = eventOf(target, 'Install')?.diagnostics;
    expect(install?.errorCode).toBe('UnknownError');
    expect(install?.message).toContain(`/tmp/${group}/app/a.txt`);
    expect(install?.message).toMatch(/already exists/);
    expect(await onHost('a.txt')).toBe('stray\n');

    const overwritten = await deployAndWait(group, v1, '--file-exists-behavior', 'OVERWRITE');
    expect(overwritten.info.status).toBe('Succeeded');
    expect(await onHost('a.txt')).toBe('v1\n');

    // a.txt is the last deployment's own file: replaced whatever the behaviour; b.txt is kept.
    await stray('b.txt');
    const v2 = await revision('v2', ['a.txt', 'b.txt']);
    const retained = await deployAndWait(group, v2, '--file-exists-behavior', 'RETAIN');
    expect(retained.info.status).toBe('Succeeded');
    expect(await onHost('a.txt')).toBe('v2\n');
    expect(await onHost('b.txt')).toBe('stray\n');

    // The appspec's file_exists_behavior overrides the deployment's, both ways.
    await stray('c.txt');
    const v3 = await revision('v3', ['a.txt', 'c.txt'], 'file_exists_behavior: OVERWRITE');
    const appSpecOverwrites = await deployAndWait(group, v3, '--file-exists-behavior', 'DISALLOW');
    expect(appSpecOverwrites.info.status).toBe('Succeeded');
    expect(await onHost('c.txt')).toBe('v3\n');
    await stray('d.txt');
    const v4 = await revision('v4', ['d.txt'], 'file_exists_behavior: DISALLOW');
    const appSpecDisallows = await deployAndWait(group, v4, '--file-exists-behavior', 'OVERWRITE');
    expect(appSpecDisallows.info.status).toBe('Failed');
    expect(await onHost('d.txt')).toBe('stray\n');
  });
});

describe('StopDeployment', () => {
  it('stops a deployment and rolls it back when asked, or not', async () => {
    const group = 'stop';
    await createGroup(group, { config: 'CodeDeployDefault.AllAtOnce' });
    const v1 = await uploadRevision({ label: 'v1', dir: group });
    expect((await deployAndWait(group, v1)).info.status).toBe('Succeeded');
    const sleepy = (label: string) =>
      uploadRevision({
        label,
        dir: group,
        timeout: 60,
        sleepIn: { event: 'ApplicationStart', seconds: 50 },
      });
    const sleeping = (id: string) =>
      until(`ApplicationStart of ${id} to run`, async () => {
        const targets = await instanceTargets(client, id);
        return targets.some((t) => eventOf(t, 'ApplicationStart')?.status === 'InProgress')
          ? true
          : undefined;
      });

    const v2 = await sleepy('v2');
    const second = await createDeployment(group, v2);
    await sleeping(second);
    // While it runs, the group takes no other deployment.
    const busy = await cli().error(
      ...['deploy', 'create-deployment', '--application-name', application],
      ...['--deployment-group-name', group, '--s3-location', s3Location(v1)],
    );
    expect(busy.code).toBe('DeploymentLimitExceededException');
    const stopped = await cli().json(
      ...['deploy', 'stop-deployment', '--deployment-id', second, '--auto-rollback-enabled'],
    );
    expect(stopped).toEqual({ status: 'Succeeded', statusMessage: expect.any(String) as unknown });
    const stoppedInfo = await waitForDeployment(client, second);
    expect(stoppedInfo.status).toBe('Stopped');
    expect(stoppedInfo.errorInformation?.code).toBe('MANUAL_STOP');
    const rollbackId = stoppedInfo.rollbackInfo?.rollbackDeploymentId ?? '';
    expect(rollbackId).toMatch(/^d-/);
    const rollback = await waitForDeployment(client, rollbackId);
    expect(rollback).toMatchObject({
      status: 'Succeeded',
      creator: 'codeDeployRollback',
      revision: { s3Location: { key: v1 } },
      rollbackInfo: { rollbackTriggeringDeploymentId: second },
    });
    for (const host of hosts)
      expect(await installedVersion(server.dataDir, host, group)).toBe('v1');

    const v3 = await sleepy('v3');
    const third = await createDeployment(group, v3);
    await sleeping(third);
    await cli().json(
      ...['deploy', 'stop-deployment', '--deployment-id', third, '--no-auto-rollback-enabled'],
    );
    const noRollback = await waitForDeployment(client, third);
    expect(noRollback.status).toBe('Stopped');
    expect(noRollback.errorInformation?.code).toBe('MANUAL_STOP');
    expect(noRollback.rollbackInfo?.rollbackDeploymentId).toBeUndefined();
    const targets = await instanceTargets(client, third);
    for (const target of targets) {
      expect(target.status).toBe('Failed');
      expect(eventOf(target, 'ApplicationStart')?.status).toBe('Failed');
      expect(eventOf(target, 'ValidateService')?.status).toBe('Skipped');
    }
    // The group is free again.
    expect((await deployAndWait(group, v1)).info.status).toBe('Succeeded');
  });
});

describe('automatic rollback on DEPLOYMENT_FAILURE', () => {
  it('deploys the last good revision again to every host', async () => {
    const group = 'rollback';
    await createGroup(group, { config: 'CodeDeployDefault.AllAtOnce', rollbackOnFailure: true });
    const v1 = await uploadRevision({ label: 'v1', dir: group });
    expect((await deployAndWait(group, v1)).info.status).toBe('Succeeded');
    const v2 = await uploadRevision({
      label: 'v2',
      dir: group,
      failOn: { event: 'ValidateService' },
    });
    const failed = await deployAndWait(group, v2);
    expect(failed.info.status).toBe('Failed');
    expect(failed.info.deploymentOverview).toMatchObject({ Failed: 4, Succeeded: 0 });
    const rollbackId = failed.info.rollbackInfo?.rollbackDeploymentId ?? '';
    expect(rollbackId).toMatch(/^d-/);
    const rollback = await waitForDeployment(client, rollbackId);
    expect(rollback).toMatchObject({
      status: 'Succeeded',
      creator: 'codeDeployRollback',
      revision: { s3Location: { key: v1 } },
      rollbackInfo: { rollbackTriggeringDeploymentId: failed.id },
      deploymentOverview: { Succeeded: 4 },
    });
    for (const host of hosts) {
      expect(await installedVersion(server.dataDir, host, group)).toBe('v1');
      const records = await hookRecords(server.dataDir, host, group);
      expect(records.filter((r) => r.deploymentId === rollbackId).map((r) => r.label)).toEqual([
        // ApplicationStop comes from the last revision installed: v2's.
        'v2',
        'v1',
        'v1',
        'v1',
        'v1',
      ]);
    }
    // A manual redeploy of an earlier revision is an ordinary deployment of it.
    const v3 = await uploadRevision({ label: 'v3', dir: group });
    expect((await deployAndWait(group, v3)).info.status).toBe('Succeeded');
    const manual = await deployAndWait(group, v1);
    expect(manual.info).toMatchObject({ status: 'Succeeded', creator: 'user' });
    for (const host of hosts) {
      expect(await installedVersion(server.dataDir, host, group)).toBe('v1');
    }
  });
});

describe('lifecycle diagnostics', () => {
  const group = 'diagnostics';
  const deployOne = async (options: RevisionOptions, files?: Record<string, BundleFile>) => {
    const key = await uploadRevision(options, 'zip', files ?? revisionFiles(options));
    return deployAndWait(group, key);
  };
  beforeAll(() => createGroup(group, { host: 'local-agent-1' }));

  it('reports a failed script: ScriptFailed, its name, message and output', async () => {
    const { id, info } = await deployOne({
      label: 'v1',
      dir: group,
      failOn: { event: 'BeforeInstall' },
    });
    expect(info.status).toBe('Failed');
    const { deploymentTargets } = await cli().json<{
      deploymentTargets: { instanceTarget: InstanceTarget }[];
    }>(
      ...['deploy', 'batch-get-deployment-targets', '--deployment-id', id],
      ...['--target-ids', 'local-agent-1'],
    );
    const target = deploymentTargets[0]?.instanceTarget;
    expect(target?.status).toBe('Failed');
    expect(eventStatuses(target)).toEqual({
      ApplicationStop: 'Succeeded',
      DownloadBundle: 'Succeeded',
      BeforeInstall: 'Failed',
      Install: 'Skipped',
      AfterInstall: 'Skipped',
      ApplicationStart: 'Skipped',
      ValidateService: 'Skipped',
    });
    const diagnostics = eventOf(target, 'BeforeInstall')?.diagnostics;
    expect(diagnostics).toMatchObject({ errorCode: 'ScriptFailed', scriptName: 'scripts/hook.sh' });
    expect(diagnostics?.message).toMatch(/exit code 1/i);
    expect(diagnostics?.logTail).toContain('hello from BeforeInstall of v1 on local-agent-1');
    expect(diagnostics?.logTail).toContain('failing BeforeInstall on purpose');

    const { instancesList } = await cli().json<{ instancesList: string[] }>(
      ...['deploy', 'list-deployment-instances', '--deployment-id', id],
    );
    expect(instancesList).toHaveLength(1);
    const { instanceSummary } = await cli().json<{
      instanceSummary: { status: string; lifecycleEvents: LifecycleEvent[] };
    }>(
      ...['deploy', 'get-deployment-instance', '--deployment-id', id],
      ...['--instance-id', instancesList[0] ?? ''],
    );
    expect(instanceSummary.status).toBe('Failed');
    expect(
      instanceSummary.lifecycleEvents.find((e) => e.lifecycleEventName === 'BeforeInstall')
        ?.diagnostics,
    ).toMatchObject({ errorCode: 'ScriptFailed', scriptName: 'scripts/hook.sh' });
  });

  it('reports a script that outlives its timeout as ScriptTimedOut', async () => {
    const started = Date.now();
    const { id, info } = await deployOne({
      label: 'v2',
      dir: group,
      timeout: 2,
      sleepIn: { event: 'AfterInstall', seconds: 30 },
    });
    expect(info.status).toBe('Failed');
    expect(Date.now() - started).toBeLessThan(25_000);
    const [target] = await instanceTargets(client, id, 1);
    expect(eventOf(target, 'AfterInstall')?.diagnostics).toMatchObject({
      errorCode: 'ScriptTimedOut',
      scriptName: 'scripts/hook.sh',
    });
  });

  it('keeps a hook that prints 5 MB going, with a bounded log tail', async () => {
    const { id, info } = await deployOne({
      label: 'v3',
      dir: group,
      scriptExtra:
        '[ "$LIFECYCLE_EVENT" = AfterInstall ] && yes "0123456789 the quick brown fox jumps over" | head -c 5242880',
    });
    expect(info.status).toBe('Succeeded');
    const [target] = await instanceTargets(client, id, 1);
    const logTail = eventOf(target, 'AfterInstall')?.diagnostics?.logTail ?? '';
    expect(logTail).toContain('the quick brown fox');
    expect(logTail.length).toBeLessThanOrEqual(4096);
  });
});

describe('bad revisions fail on the first instance', () => {
  const group = 'bad-revisions';
  beforeAll(() => createGroup(group));
  const good = revisionFiles({ label: 'v1', dir: group });
  const cases: { name: string; files: Record<string, BundleFile>; message: RegExp }[] = [
    {
      name: 'no-appspec',
      files: { 'scripts/hook.sh': good['scripts/hook.sh'] ?? '', 'app/version.txt': 'v1\n' },
      message: /appspec\.yml/,
    },
    {
      name: 'invalid-yaml',
      files: { ...good, 'appspec.yml': 'version: 0.0\nos: linux\nfiles: [\n  - source: app\n' },
      message: /appspec\.yml is invalid/,
    },
    {
      name: 'escaping-source',
      files: {
        ...good,
        'appspec.yml':
          'version: 0.0\nos: linux\nfiles:\n  - source: ../../../../../../../etc/hostname\n' +
          `    destination: /tmp/${group}/escaped\n`,
      },
      message: /escapes the bundle/,
    },
  ];

  it.each(cases)('$name', async ({ name, files, message }) => {
    const key = await uploadRevision({ label: name, dir: group }, 'zip', files);
    const { id, info } = await deployAndWait(group, key);
    expect(info.status).toBe('Failed');
    expect(info.deploymentOverview).toMatchObject({ Failed: 1, Skipped: 3, Succeeded: 0 });
    const targets = await instanceTargets(client, id);
    const first = targets[0];
    expect(first?.status).toBe('Failed');
    const failedEvent = first?.lifecycleEvents?.find((e) => e.status === 'Failed');
    expect(['DownloadBundle', 'Install']).toContain(failedEvent?.lifecycleEventName);
    expect(failedEvent?.diagnostics?.message).toMatch(message);
    // Nothing ran and nothing was written outside the deployment's own directory.
    expect(await hookRecords(server.dataDir, 1, group)).toEqual([]);
    const escaped = await stat(join(hostTmp(server.dataDir, 1), group)).catch(() => undefined);
    expect(escaped).toBeUndefined();
  });
});

describe('bad input', () => {
  it('names what does not exist with CodeDeploy’s errors', async () => {
    const group = 'bad-input';
    await createGroup(group);
    const key = await uploadRevision({ label: 'v1', dir: group });
    const attempt = (...args: string[]) =>
      cli().error(...['deploy', 'create-deployment', '--s3-location', s3Location(key)], ...args);
    expect(
      (await attempt('--application-name', 'nope', '--deployment-group-name', group)).code,
    ).toBe('ApplicationDoesNotExistException');
    expect(
      (await attempt('--application-name', application, '--deployment-group-name', 'nope')).code,
    ).toBe('DeploymentGroupDoesNotExistException');
    expect(
      (
        await attempt(
          ...['--application-name', application, '--deployment-group-name', group],
          ...['--deployment-config-name', 'Shop.Nope'],
        )
      ).code,
    ).toBe('DeploymentConfigDoesNotExistException');

    const create = (input: Partial<ConstructorParameters<typeof CreateDeploymentCommand>[0]>) =>
      client
        .send(
          new CreateDeploymentCommand({
            applicationName: application,
            deploymentGroupName: group,
            revision: {
              revisionType: 'S3',
              s3Location: { bucket, key, bundleType: 'zip' },
            },
            ...input,
          }),
        )
        .then(
          () => 'created',
          (error: unknown) => error,
        );
    expect(await create({ applicationName: 'nope' })).toBeInstanceOf(
      ApplicationDoesNotExistException,
    );
    expect(await create({ deploymentGroupName: 'nope' })).toBeInstanceOf(
      DeploymentGroupDoesNotExistException,
    );
    expect(await create({ deploymentConfigName: 'Shop.Nope' })).toBeInstanceOf(
      DeploymentConfigDoesNotExistException,
    );
    const missing = await create({
      revision: {
        revisionType: 'S3',
        s3Location: { bucket, key: `${group}/missing.zip`, bundleType: 'zip' },
      },
    });
    expect(missing).toBeInstanceOf(RevisionDoesNotExistException);
    expect(
      (
        await cli().error(
          ...['deploy', 'create-deployment', '--application-name', application],
          ...['--deployment-group-name', group],
          ...['--s3-location', s3Location(`${group}/missing.zip`)],
        )
      ).code,
    ).toBe('RevisionDoesNotExistException');

    // A second deployment while one runs.
    const running = await client.send(
      new CreateDeploymentCommand({
        applicationName: application,
        deploymentGroupName: group,
        revision: { revisionType: 'S3', s3Location: { bucket, key, bundleType: 'zip' } },
      }),
    );
    const second = await create({});
    expect(second).toBeInstanceOf(DeploymentLimitExceededException);
    const done = await waitForDeployment(client, running.deploymentId ?? '');
    expect(done.status).toBe('Succeeded');
    const { deploymentInfo } = await client.send(
      new GetDeploymentCommand({ deploymentId: running.deploymentId }),
    );
    expect(deploymentInfo?.creator).toBe('user');
  });
});
