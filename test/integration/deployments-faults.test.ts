import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
  type CodeDeployClient,
  type InstanceTarget,
} from '@aws-sdk/client-codedeploy';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  bundleOf,
  codeDeployClient,
  hookRecords,
  instanceTargets,
  revisionFiles,
  waitForDeployment,
  type RevisionOptions,
} from '../support/codedeploy.ts';
import { until } from '../support/codepipeline.ts';
import { s3Client } from '../support/s3.ts';
import { readCredentials, spawnServer, type SpawnedServer } from '../support/test-server.ts';

/**
 * Deployments under faults, with real `slipway server` processes and their four local agents
 * (each a `slipway agent` in its own bubblewrap sandbox): an agent killed with SIGKILL in the
 * middle of a hook, and the server killed with SIGKILL in the middle of a deployment and started
 * again on the same data directory. Whatever happens, every instance ends Succeeded, Failed or
 * Skipped, the deployment ends as its configuration's health rules say, and no lifecycle event a
 * host finished runs a second time there.
 */
const bucket = 'revisions';
const application = 'faults';
const group = 'fleet';

/** Undone after each test, last first: servers killed, clients closed, directories removed. */
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch {
      // The rest still runs.
    }
  }
});

interface Fleet {
  readonly server: SpawnedServer;
  readonly client: CodeDeployClient;
  readonly upload: (options: RevisionOptions) => Promise<string>;
  readonly deploy: (key: string) => Promise<string>;
}

/** `slipway server --local-agents 4` on `dataDir`, killed with SIGKILL at the end of the test. */
async function serve(dataDir: string): Promise<Fleet> {
  const server = await spawnServer(['--port', '0', '--data-dir', dataDir], {
    SLIPWAY_LOCAL_AGENTS: '4',
    SLIPWAY_RUNNER_CONCURRENCY: '0',
  });
  cleanups.push(async () => {
    server.child.kill('SIGKILL');
    await server.exited;
  });
  const credentials = { url: server.url, ...(await readCredentials(join(dataDir, 'credentials'))) };
  const client = codeDeployClient(credentials);
  const s3 = s3Client(credentials);
  cleanups.push(
    () => client.destroy(),
    () => s3.destroy(),
  );
  return {
    server,
    client,
    async upload(options) {
      const key = `${options.label}.zip`;
      const body = await bundleOf(revisionFiles(options), 'zip');
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      return key;
    },
    async deploy(key) {
      const created = await client.send(
        new CreateDeploymentCommand({
          applicationName: application,
          deploymentGroupName: group,
          revision: { revisionType: 'S3', s3Location: { bucket, key, bundleType: 'zip' } },
        }),
      );
      return created.deploymentId ?? '';
    },
  };
}

/** A bucket, an application and a group of the four local hosts under `config`. */
async function setUp(fleet: Fleet, config: string): Promise<void> {
  const s3 = s3Client({ url: fleet.server.url, ...(await credentialsOf(fleet)) });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  s3.destroy();
  await fleet.client.send(new CreateApplicationCommand({ applicationName: application }));
  await fleet.client.send(
    new CreateDeploymentGroupCommand({
      applicationName: application,
      deploymentGroupName: group,
      serviceRoleArn: 'arn:aws:iam::123456789012:role/CodeDeployService',
      deploymentConfigName: config,
      onPremisesInstanceTagFilters: [
        { Key: 'slipway:local-agent', Value: 'true', Type: 'KEY_AND_VALUE' },
      ],
    }),
  );
}

async function credentialsOf(fleet: Fleet) {
  const credentials = await fleet.client.config.credentials();
  return { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey };
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-deploy-faults-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function childrenOf(pid: number): Promise<number[]> {
  return new Promise((resolve) =>
    execFile('pgrep', ['-P', String(pid)], (_error, stdout) =>
      resolve(
        stdout
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map(Number),
      ),
    ),
  );
}

/** The `slipway agent` node process of a local host: a descendant of the bwrap in agent.pid. */
async function agentProcess(dataDir: string, name: string): Promise<number> {
  const bwrap = Number(
    (await readFile(join(dataDir, 'local-agents', name, 'agent.pid'), 'utf8')).trim(),
  );
  const queue = await childrenOf(bwrap);
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    const args = cmdline.split('\0');
    if (args.includes('agent') && args.includes(name)) return pid;
    queue.push(...(await childrenOf(pid)));
  }
  throw new Error(`no agent process under bwrap ${bwrap} for ${name}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function eventStatus(target: InstanceTarget | undefined, name: string): string | undefined {
  return target?.lifecycleEvents?.find((e) => e.lifecycleEventName === name)?.status;
}

/** Every instance ended and no event is left running or waiting on an instance that ran. */
function expectSettled(targets: readonly InstanceTarget[]): void {
  for (const target of targets) {
    expect(['Succeeded', 'Failed', 'Skipped']).toContain(target.status);
    for (const event of target.lifecycleEvents ?? []) {
      expect({
        target: target.targetId,
        event: event.lifecycleEventName,
        status: event.status,
      }).not.toMatchObject({ status: 'InProgress' });
      expect(event.status).not.toBe('Pending');
    }
  }
}

/** Events a host's hooks recorded for a deployment, each of them exactly once. */
async function expectEachHookOnce(dataDir: string, host: number, deploymentId: string) {
  const events = (await hookRecords(dataDir, host, group))
    .filter((r) => r.deploymentId === deploymentId)
    .map((r) => r.event);
  expect(new Set(events).size).toBe(events.length);
  return events;
}

describe('deployments under faults', () => {
  it('fails the instance of an agent killed mid-hook; its restart re-runs nothing', async () => {
    const dataDir = await tempDir();
    const fleet = await serve(dataDir);
    await setUp(fleet, 'CodeDeployDefault.AllAtOnce');
    const key = await fleet.upload({
      label: 'v1',
      dir: group,
      timeout: 60,
      sleepIn: { event: 'AfterInstall', seconds: 6 },
    });
    const id = await fleet.deploy(key);
    await until(
      'AfterInstall on local-agent-2',
      async () => {
        const records = await hookRecords(dataDir, 2, group);
        return records.some((r) => r.event === 'AfterInstall') ? true : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const agent = await agentProcess(dataDir, 'local-agent-2');
    process.kill(agent, 'SIGKILL');
    const killedAt = Date.now();

    const failed = await until(
      'local-agent-2 to fail',
      async () => {
        const [, target] = await instanceTargets(fleet.client, id);
        return target?.status === 'Failed' ? target : undefined;
      },
      { timeoutMs: 35_000 },
    );
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    expect(eventStatus(failed, 'AfterInstall')).toBe('Failed');
    expect(eventStatus(failed, 'ApplicationStart')).toBe('Skipped');
    // AllAtOnce: three of four is a success.
    const info = await waitForDeployment(fleet.client, id);
    expect(info.status).toBe('Succeeded');
    expect(info.deploymentOverview).toMatchObject({ Succeeded: 3, Failed: 1 });
    const targets = await instanceTargets(fleet.client, id);
    expectSettled(targets);
    expect(await expectEachHookOnce(dataDir, 2, id)).toEqual(['BeforeInstall', 'AfterInstall']);

    // The server started the agent again: it takes the next deployment, running each event once.
    await until('local-agent-2 to run again', async () => {
      const pid = await agentProcess(dataDir, 'local-agent-2').catch(() => undefined);
      return pid !== undefined && pid !== agent ? pid : undefined;
    });
    const v2 = await fleet.upload({ label: 'v2', dir: group });
    const next = await fleet.deploy(v2);
    const nextInfo = await waitForDeployment(fleet.client, next, 60_000);
    expect(nextInfo.status).toBe('Succeeded');
    for (const host of [1, 2, 3, 4]) {
      expect(await expectEachHookOnce(dataDir, host, next)).toEqual([
        'ApplicationStop',
        'BeforeInstall',
        'AfterInstall',
        'ApplicationStart',
        'ValidateService',
      ]);
    }
    expect(await expectEachHookOnce(dataDir, 2, id)).toEqual(['BeforeInstall', 'AfterInstall']);
  }, 150_000);

  it('ends a deployment consistently after the server is killed mid-deployment', async () => {
    const dataDir = await tempDir();
    const first = await serve(dataDir);
    await setUp(first, 'CodeDeployDefault.HalfAtATime');
    const key = await first.upload({
      label: 'v1',
      dir: group,
      timeout: 60,
      sleepIn: { event: 'AfterInstall', seconds: 4 },
    });
    const id = await first.deploy(key);
    await until(
      'an AfterInstall to run',
      async () => {
        const targets = await instanceTargets(first.client, id);
        return targets.some((t) => eventStatus(t, 'AfterInstall') === 'InProgress')
          ? true
          : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const agents = await Promise.all(
      [1, 2, 3, 4].map((i) => agentProcess(dataDir, `local-agent-${i}`)),
    );
    first.server.child.kill('SIGKILL');
    await first.server.exited;
    // The agents (and their hooks) die with the server: none polls on for a dead URL.
    await until(
      'the killed server’s agents to end',
      () => Promise.resolve(agents.every((pid) => !isRunning(pid)) ? true : undefined),
      { timeoutMs: 10_000 },
    );

    const second = await serve(dataDir);
    const info = await waitForDeployment(second.client, id, 45_000);
    const targets = await instanceTargets(second.client, id);
    expectSettled(targets);
    const count = (status: string) => targets.filter((t) => t.status === status).length;
    expect(info.deploymentOverview).toMatchObject({
      Succeeded: count('Succeeded'),
      Failed: count('Failed'),
      Skipped: count('Skipped'),
      InProgress: 0,
      Pending: 0,
    });
    // HalfAtATime on four: two must succeed, and two must stay healthy throughout.
    expect(info.status).toBe(
      count('Succeeded') >= 2 && count('Skipped') === 0 ? 'Succeeded' : 'Failed',
    );
    if (info.status === 'Failed') expect(info.errorInformation?.code).toBe('HEALTH_CONSTRAINTS');
    for (const host of [1, 2, 3, 4]) {
      const events = await expectEachHookOnce(dataDir, host, id);
      const target = targets[host - 1];
      if (target?.status === 'Succeeded') {
        expect(events).toEqual([
          'BeforeInstall',
          'AfterInstall',
          'ApplicationStart',
          'ValidateService',
        ]);
      }
      if (target?.status === 'Skipped') expect(events).toEqual([]);
    }

    // The group is free and the restarted agents deploy.
    const v2 = await second.upload({ label: 'v2', dir: group });
    const next = await second.deploy(v2);
    expect((await waitForDeployment(second.client, next, 60_000)).status).toBe('Succeeded');
  }, 180_000);
});
