import { expectAppError, fakeClockStart } from '@slipway/testing';
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
  hostArn,
  hostPrincipal,
  hosts,
  playAgents,
  registerHosts,
  type DeploymentsHarness,
} from '@slipway/testing';
import { inPlaceLifecycleEvents } from './deployment.model.ts';

let h: DeploymentsHarness;

beforeEach(() => {
  h = deploymentsHarness();
});

async function fleetOf(count: number, group: Parameters<typeof aGroup>[1] = {}) {
  const names = hosts(count);
  await registerHosts(h, names);
  await aGroup(h, group);
  return names;
}

async function customConfig(name: string, type: string, value: number) {
  await h.service.createDeploymentConfig(h.scope, {
    deploymentConfigName: name,
    minimumHealthyHosts: { type, value },
  });
  return name;
}

describe('deployment configurations, every instance succeeding', () => {
  it.each([
    ['CodeDeployDefault.OneAtATime', 1],
    ['CodeDeployDefault.HalfAtATime', 2],
    ['CodeDeployDefault.AllAtOnce', 4],
  ])('%s on 4 instances deploys %i at a time and succeeds', async (config, concurrency) => {
    const names = await fleetOf(4);
    const id = await deploy(h, { deploymentConfigName: config });
    const report = await playAgents(h, names);
    expect(report.maxInProgress).toBe(concurrency);
    expect(report.maxHeld).toBe(concurrency);
    expect(report.runs).toHaveLength(4 * inPlaceLifecycleEvents.length);
    const deployment = await deploymentOf(h, id);
    expect(deployment.status).toBe('Succeeded');
    expect(deployment.targets.map((t) => t.status)).toEqual(Array(4).fill('Succeeded'));
    expect(deployment.errorInformation).toBeUndefined();
  });

  it('uses the group’s configuration when the deployment names none (OneAtATime by default)', async () => {
    const names = await fleetOf(4);
    const id = await deploy(h);
    expect((await deploymentOf(h, id)).deploymentConfigName).toBe('CodeDeployDefault.OneAtATime');
    expect((await playAgents(h, names)).maxInProgress).toBe(1);
  });

  it.each([
    ['HOST_COUNT', 3, 1],
    ['HOST_COUNT', 2, 2],
    ['HOST_COUNT', 1, 3],
    ['FLEET_PERCENT', 75, 1],
    ['FLEET_PERCENT', 25, 3],
    ['FLEET_PERCENT', 40, 2],
  ])('custom %s %i on 4 instances deploys %i at a time', async (type, value, concurrency) => {
    const names = await fleetOf(4);
    const config = await customConfig('Custom', type, value);
    const id = await deploy(h, { deploymentConfigName: config });
    const report = await playAgents(h, names);
    expect(report.maxInProgress).toBe(concurrency);
    expect((await deploymentOf(h, id)).status).toBe('Succeeded');
  });

  it.each([
    ['CodeDeployDefault.HalfAtATime', undefined, 4],
    ['HostCount6', { type: 'HOST_COUNT', value: 6 }, 3],
    ['FleetPercent40', { type: 'FLEET_PERCENT', value: 40 }, 5],
  ] as const)(
    '%s on 9 instances deploys %i at a time (§5.5)',
    async (config, custom, concurrency) => {
      const names = await fleetOf(9);
      if (custom !== undefined) await customConfig(config, custom.type, custom.value);
      const id = await deploy(h, { deploymentConfigName: config });
      expect((await playAgents(h, names)).maxInProgress).toBe(concurrency);
      expect((await deploymentOf(h, id)).status).toBe('Succeeded');
    },
  );

  it('runs each instance’s lifecycle events one at a time, in order', async () => {
    const names = await fleetOf(2);
    await deploy(h, { deploymentConfigName: 'CodeDeployDefault.AllAtOnce' });
    const report = await playAgents(h, names);
    for (const host of names) {
      expect(report.runs.filter((r) => r.host === host).map((r) => r.event)).toEqual([
        ...inPlaceLifecycleEvents,
      ]);
    }
  });
});

describe('health with failing instances (reference §5.5)', () => {
  const failsOn = (host: string) => (h2: string) => h2 === host;

  it('OneAtATime fails when an instance other than the last fails', async () => {
    const names = await fleetOf(4);
    const id = await deploy(h);
    const report = await playAgents(h, names, { fails: failsOn('h2') });
    const deployment = await deploymentOf(h, id);
    expect(deployment.status).toBe('Failed');
    expect(deployment.errorInformation?.code).toBe('HEALTH_CONSTRAINTS');
    expect(deployment.targets.map((t) => t.status)).toEqual([
      'Succeeded',
      'Failed',
      'Skipped',
      'Skipped',
    ]);
    expect(new Set(report.runs.map((r) => r.host))).toEqual(new Set(['h1', 'h2']));
  });

  it('OneAtATime succeeds when only the last instance fails', async () => {
    const names = await fleetOf(4);
    const id = await deploy(h);
    await playAgents(h, names, { fails: failsOn('h4') });
    const deployment = await deploymentOf(h, id);
    expect(deployment.status).toBe('Succeeded');
    expect(deployment.targets.map((t) => t.status)).toEqual([
      'Succeeded',
      'Succeeded',
      'Succeeded',
      'Failed',
    ]);
  });

  it('OneAtATime on a single instance must succeed on it', async () => {
    const names = await fleetOf(1);
    const id = await deploy(h);
    await playAgents(h, names, { fails: failsOn('h1') });
    expect((await deploymentOf(h, id)).status).toBe('Failed');
  });

  it('AllAtOnce succeeds with 1 of 4 failing, and fails when all 4 fail', async () => {
    const names = await fleetOf(4);
    const first = await deploy(h, { deploymentConfigName: 'CodeDeployDefault.AllAtOnce' });
    await playAgents(h, names, { fails: failsOn('h3') });
    expect((await deploymentOf(h, first)).status).toBe('Succeeded');

    const second = await deploy(h, { deploymentConfigName: 'CodeDeployDefault.AllAtOnce' });
    await playAgents(h, names, { fails: () => true });
    const failed = await deploymentOf(h, second);
    expect(failed.status).toBe('Failed');
    expect(failed.errorInformation?.code).toBe('HEALTH_CONSTRAINTS');
  });

  it('HalfAtATime on 4 fails when 2 of the first batch fail', async () => {
    const names = await fleetOf(4);
    const id = await deploy(h, { deploymentConfigName: 'CodeDeployDefault.HalfAtATime' });
    await playAgents(h, names, { fails: (host) => host === 'h1' || host === 'h2' });
    const deployment = await deploymentOf(h, id);
    expect(deployment.status).toBe('Failed');
    expect(deployment.targets.map((t) => t.status)).toEqual([
      'Failed',
      'Failed',
      'Skipped',
      'Skipped',
    ]);
  });

  it('HalfAtATime on 4 fails when 1 of each batch fails before the second batch ends', async () => {
    const names = await fleetOf(4);
    const id = await deploy(h, { deploymentConfigName: 'CodeDeployDefault.HalfAtATime' });
    await playAgents(h, names, { fails: (host) => host === 'h1' || host === 'h3' });
    // h1 fails: only h2 may be out. h2 succeeds: h3 goes (healthy h2, h4 = 2). h3 fails: 2
    // healthy left with h4 pending, none can be taken out → HEALTH_CONSTRAINTS.
    const deployment = await deploymentOf(h, id);
    expect(deployment.status).toBe('Failed');
    expect(deployment.targets.map((t) => t.status)).toEqual([
      'Failed',
      'Succeeded',
      'Failed',
      'Skipped',
    ]);
  });

  it('HalfAtATime on 4 succeeds when the 2 failures are the last batch (half succeeded)', async () => {
    const names = await fleetOf(4);
    const id = await deploy(h, { deploymentConfigName: 'CodeDeployDefault.HalfAtATime' });
    await playAgents(h, names, { fails: (host) => host === 'h3' || host === 'h4' });
    expect((await deploymentOf(h, id)).status).toBe('Succeeded');
  });

  it('HOST_COUNT 2 on 4 needs 2 successes', async () => {
    const names = await fleetOf(4);
    const config = await customConfig('TwoHealthy', 'HOST_COUNT', 2);
    const id = await deploy(h, { deploymentConfigName: config });
    await playAgents(h, names, { fails: (host) => host === 'h3' || host === 'h4' });
    expect((await deploymentOf(h, id)).status).toBe('Succeeded');
  });

  it('fails at once with HEALTH_CONSTRAINTS_INVALID when the minimum leaves no instance to deploy to', async () => {
    await fleetOf(2);
    const config = await customConfig('AllHealthy', 'FLEET_PERCENT', 100);
    const id = await deploy(h, { deploymentConfigName: config });
    const deployment = await deploymentOf(h, id);
    expect(deployment.status).toBe('Failed');
    expect(deployment.errorInformation?.code).toBe('HEALTH_CONSTRAINTS_INVALID');
    expect(deployment.targets.map((t) => t.status)).toEqual(['Skipped', 'Skipped']);
    expect(
      await h.jobs.claim({ queue: 'host:111122223333:us-east-1:h1', workerId: 'x', leaseMs: 1 }),
    ).toBe(undefined);
  });

  it('fails with NO_INSTANCES for a group that matches no instance', async () => {
    await registerHosts(h, ['other']);
    await h.service.removeTagsFromOnPremisesInstances(h.scope, {
      instanceNames: ['other'],
      tags: [{ Key: 'env' }],
    });
    await aGroup(h);
    const id = await deploy(h);
    const deployment = await deploymentOf(h, id);
    expect(deployment.status).toBe('Failed');
    expect(deployment.errorInformation?.code).toBe('NO_INSTANCES');
    expect(deployment.targets).toEqual([]);
    expect(deployment.completeTime).toBe(h.clock.now());
    const group = await h.service.getDeploymentGroup(h.scope, applicationName, groupName);
    expect(group.runtime.activeDeploymentId).toBeUndefined();
    expect(group.runtime.lastAttemptedDeployment).toMatchObject({
      deploymentId: id,
      status: 'Failed',
    });
  });

  it('never targets deregistered instances', async () => {
    await fleetOf(3);
    await h.service.deregisterOnPremisesInstance(h.scope, 'h2');
    const id = await deploy(h);
    expect((await deploymentOf(h, id)).targets.map((t) => t.targetId)).toEqual(['h1', 'h3']);
  });
});

describe('statuses, times and lifecycle events', () => {
  it('goes Created → InProgress at creation and records start and complete times', async () => {
    const names = await fleetOf(2);
    const created = h.clock.now();
    const id = await deploy(h);
    const started = await deploymentOf(h, id);
    expect(started).toMatchObject({
      status: 'InProgress',
      createTime: created,
      startTime: created,
      creator: 'user',
      deploymentConfigName: 'CodeDeployDefault.OneAtATime',
      minimumHealthyHosts: { type: 'MOST_CONCURRENCY', value: 1 },
    });
    expect(started.completeTime).toBeUndefined();
    expect(started.targets.map((t) => t.status)).toEqual(['InProgress', 'Pending']);
    await playAgents(h, names);
    const done = await deploymentOf(h, id);
    expect(done.status).toBe('Succeeded');
    expect(done.completeTime).toBe(h.clock.now() - 1000);
  });

  it('records each event’s status, start and end time and diagnostics', async () => {
    const names = await fleetOf(1);
    const id = await deploy(h);
    const start = h.clock.now();
    await playAgents(h, names, { fails: (_, event) => event === 'AfterInstall' });
    const [target] = (await deploymentOf(h, id)).targets;
    expect(target?.status).toBe('Failed');
    const events = target?.lifecycleEvents ?? [];
    expect(events.map((e) => [e.lifecycleEventName, e.status])).toEqual([
      ['ApplicationStop', 'Succeeded'],
      ['DownloadBundle', 'Succeeded'],
      ['BeforeInstall', 'Succeeded'],
      ['Install', 'Succeeded'],
      ['AfterInstall', 'Failed'],
      ['ApplicationStart', 'Skipped'],
      ['ValidateService', 'Skipped'],
    ]);
    // Each round: ACK at t, completion at t + 1 s, next round at t + 2 s.
    events.slice(0, 5).forEach((e, i) => {
      expect(e.startTime).toBe(start + 2000 * i);
      expect(e.endTime).toBe(start + 2000 * i + 1000);
    });
    expect(events[0]?.diagnostics).toEqual({
      errorCode: 'Success',
      scriptName: '',
      message: 'Succeeded',
      logTail: '',
    });
    expect(events[4]?.diagnostics).toEqual({
      errorCode: 'ScriptFailed',
      scriptName: 'scripts/AfterInstall.sh',
      message:
        'Script at specified location: scripts/AfterInstall.sh run as user root failed with exit code 1',
      logTail: '[stderr] AfterInstall failed on h1',
    });
    expect(events[5]?.startTime).toBeUndefined();
    expect(target?.commandJobId).toBeUndefined();
  });

  it('lists and reads targets with filters', async () => {
    const names = await fleetOf(3);
    const id = await deploy(h, { deploymentConfigName: 'CodeDeployDefault.AllAtOnce' });
    await playAgents(h, names, { fails: (host) => host === 'h2' });
    const failed = await h.service.listDeploymentTargets(h.scope, {
      deploymentId: id,
      targetFilters: { TargetStatus: ['Failed'] },
    });
    expect(failed.items).toEqual(['h2']);
    const instances = await h.service.listDeploymentInstances(h.scope, {
      deploymentId: id,
      instanceStatusFilter: ['Succeeded'],
    });
    expect(instances.items).toEqual(['h1', 'h3']);
    const got = await h.service.getDeploymentTargets(h.scope, id, ['h3']);
    expect(got.targets.map((t) => t.targetId)).toEqual(['h3']);
    const byArn = await h.service.getDeploymentInstances(h.scope, id, [
      `arn:aws:codedeploy:us-east-1:111122223333:instance/h1`,
    ]);
    expect(byArn.targets.map((t) => t.targetId)).toEqual(['h1']);
    await expectAppError(
      h.service.getDeploymentTargets(h.scope, id, ['h9']),
      AppErrorKind.NotFound,
      'deployment-target',
    );
    await expectAppError(
      h.service.listDeploymentTargets(h.scope, { deploymentId: id, targetFilters: { Foo: [] } }),
      AppErrorKind.InvalidInput,
      'target-filter-name',
    );
    await expectAppError(
      h.service.getDeploymentTargets(h.scope, id, Array(26).fill('h1')),
      AppErrorKind.InvalidInput,
      'deployment-target-list-size',
    );
  });
});

describe('StopDeployment', () => {
  async function inFlight(group: Parameters<typeof aGroup>[1] = {}) {
    const names = await fleetOf(4, group);
    const id = await deploy(h, { deploymentConfigName: 'CodeDeployDefault.HalfAtATime' });
    await playAgents(h, names, { maxRounds: 2 });
    return { names, id };
  }

  it('stops the deployment: MANUAL_STOP, instances in flight Failed, the rest Skipped', async () => {
    const { id } = await inFlight();
    const before = await deploymentOf(h, id);
    const jobIds = before.targets.flatMap((t) =>
      t.commandJobId === undefined ? [] : [t.commandJobId],
    );
    expect(jobIds).toHaveLength(2);
    const result = await h.service.stopDeployment(h.scope, { deploymentId: id });
    expect(result.status).toBe('Succeeded');
    const stopped = await deploymentOf(h, id);
    expect(stopped.status).toBe('Stopped');
    expect(stopped.completeTime).toBe(h.clock.now());
    expect(stopped.errorInformation?.code).toBe('MANUAL_STOP');
    expect(stopped.targets.map((t) => t.status)).toEqual([
      'Failed',
      'Failed',
      'Skipped',
      'Skipped',
    ]);
    expect(stopped.targets[0]?.lifecycleEvents[2]).toMatchObject({
      lifecycleEventName: 'BeforeInstall',
      status: 'Failed',
      diagnostics: { errorCode: 'UnknownError' },
    });
    // Both in-flight commands were queued (not yet polled): cancelled outright.
    for (const jobId of jobIds) expect((await h.jobs.getJob(jobId)).status).toBe('cancelled');
    const group = await h.service.getDeploymentGroup(h.scope, applicationName, groupName);
    expect(group.runtime.activeDeploymentId).toBeUndefined();
    expect(group.runtime.lastAttemptedDeployment?.status).toBe('Stopped');
  });

  it('answers DeploymentAlreadyCompleted after completion', async () => {
    const names = await fleetOf(1);
    const id = await deploy(h);
    await playAgents(h, names);
    await expectAppError(
      h.service.stopDeployment(h.scope, { deploymentId: id }),
      AppErrorKind.Conflict,
      'deployment-already-completed',
    );
  });

  it('answers DeploymentAlreadyCompleted when stopped twice', async () => {
    const { id } = await inFlight();
    await h.service.stopDeployment(h.scope, { deploymentId: id });
    await expectAppError(
      h.service.stopDeployment(h.scope, { deploymentId: id }),
      AppErrorKind.Conflict,
      'deployment-already-completed',
    );
  });

  it('checks its input and the deployment', async () => {
    await expectAppError(
      h.service.stopDeployment(h.scope, {}),
      AppErrorKind.InvalidInput,
      'deployment-id-required',
    );
    await expectAppError(
      h.service.stopDeployment(h.scope, { deploymentId: 'd-nope' }),
      AppErrorKind.InvalidInput,
      'deployment-id',
    );
    await expectAppError(
      h.service.stopDeployment(h.scope, { deploymentId: 'd-AAAAAAAAA' }),
      AppErrorKind.NotFound,
      'deployment',
    );
    const { id } = await inFlight();
    await expectAppError(
      h.service.stopDeployment(h.scope, { deploymentId: id, autoRollbackEnabled: 'yes' }),
      AppErrorKind.InvalidInput,
      'input',
    );
  });

  describe('with an earlier successful deployment', () => {
    const stopOnRequest = {
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_STOP_ON_REQUEST'] },
    };

    async function stoppedAfterSuccess(
      group: Parameters<typeof aGroup>[1],
      autoRollbackEnabled: boolean | undefined,
    ) {
      const names = await fleetOf(4, group);
      const good = await deploy(h, { deploymentConfigName: 'CodeDeployDefault.AllAtOnce' });
      await playAgents(h, names);
      const id = await deploy(h, {
        revision: aRevision('v2.zip'),
        deploymentConfigName: 'CodeDeployDefault.HalfAtATime',
      });
      await playAgents(h, names, { maxRounds: 2 });
      await h.service.stopDeployment(h.scope, {
        deploymentId: id,
        ...(autoRollbackEnabled === undefined ? {} : { autoRollbackEnabled }),
      });
      return { good, stopped: await deploymentOf(h, id) };
    }

    it('rolls back when autoRollbackEnabled is true, whatever the group says', async () => {
      const { stopped } = await stoppedAfterSuccess({}, true);
      expect(stopped.rollbackInfo?.rollbackDeploymentId).toMatch(/^d-/);
      const rollback = await deploymentOf(h, stopped.rollbackInfo?.rollbackDeploymentId ?? '');
      expect(rollback.creator).toBe('codeDeployRollback');
      expect(rollback.revision).toEqual(aRevision('v1.zip'));
      expect(rollback.rollbackInfo?.rollbackTriggeringDeploymentId).toBe(stopped.deploymentId);
    });

    it('does not roll back when autoRollbackEnabled is false, whatever the group says', async () => {
      const { stopped } = await stoppedAfterSuccess(stopOnRequest, false);
      expect(stopped.rollbackInfo).toBeUndefined();
    });

    it('follows the group’s DEPLOYMENT_STOP_ON_REQUEST when autoRollbackEnabled is absent', async () => {
      const { stopped } = await stoppedAfterSuccess(stopOnRequest, undefined);
      expect(stopped.rollbackInfo?.rollbackDeploymentId).toMatch(/^d-/);
      expect(stopped.rollbackInfo?.rollbackMessage).toContain('DEPLOYMENT_STOP_ON_REQUEST');
    });

    it('does not roll back when autoRollbackEnabled is absent and the group does not ask', async () => {
      const { stopped } = await stoppedAfterSuccess({}, undefined);
      expect(stopped.rollbackInfo).toBeUndefined();
    });
  });
});

describe('a stop that rolls back while commands run', () => {
  it('cancels the running commands and the agents go on with the rollback', async () => {
    const names = await fleetOf(2);
    await deploy(h, { deploymentConfigName: 'CodeDeployDefault.AllAtOnce' });
    await playAgents(h, names);
    const id = await deploy(h, {
      revision: aRevision('v2.zip'),
      deploymentConfigName: 'CodeDeployDefault.AllAtOnce',
    });
    const held = [];
    for (const host of names) {
      const command = await h.service.pollHostCommand(
        hostPrincipal(host),
        hostArn(host),
        0,
        undefined,
      );
      await h.service.acknowledgeHostCommand(hostPrincipal(host), command?.hostCommandIdentifier);
      held.push({ host, id: command?.hostCommandIdentifier });
    }
    await h.service.stopDeployment(h.scope, { deploymentId: id, autoRollbackEnabled: true });
    const rollbackId = (await deploymentOf(h, id)).rollbackInfo?.rollbackDeploymentId ?? '';
    for (const { host, id: commandId } of held) {
      expect(await h.service.updateHostCommand(hostPrincipal(host), commandId, 'x')).toBe('Failed');
    }
    const report = await playAgents(h, names);
    expect(new Set(report.runs.map((r) => r.deploymentId))).toEqual(new Set([rollbackId]));
    expect((await deploymentOf(h, rollbackId)).status).toBe('Succeeded');
    expect((await deploymentOf(h, id)).status).toBe('Stopped');
  });
});

describe('a group renamed while its deployment runs', () => {
  it('finishes the deployment on the renamed group', async () => {
    const names = await fleetOf(1);
    const id = await deploy(h);
    await h.service.updateDeploymentGroup(h.scope, {
      applicationName,
      currentDeploymentGroupName: groupName,
      newDeploymentGroupName: 'renamed',
    });
    await expectAppError(
      h.service.createDeployment(h.scope, {
        applicationName,
        deploymentGroupName: 'renamed',
        revision: aRevision(),
      }),
      AppErrorKind.LimitExceeded,
      'deployment-limit',
    );
    await playAgents(h, names);
    expect((await deploymentOf(h, id)).deploymentGroupName).toBe('renamed');
    const group = await h.service.getDeploymentGroup(h.scope, applicationName, 'renamed');
    expect(group.runtime.lastSuccessfulDeployment?.deploymentId).toBe(id);
    expect(group.runtime.activeDeploymentId).toBeUndefined();
  });
});

describe('automatic rollback on DEPLOYMENT_FAILURE', () => {
  const onFailure = {
    autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
  };

  it('deploys the last successful revision again, linking both deployments', async () => {
    const names = await fleetOf(2, onFailure);
    const good = await deploy(h);
    await playAgents(h, names);
    const bad = await deploy(h, { revision: aRevision('v2.zip') });
    await playAgents(h, names, {
      fails: (host, _, id) => host === 'h1' && id === bad,
      maxRounds: 1,
    });

    const failed = await deploymentOf(h, bad);
    expect(failed.status).toBe('Failed');
    const rollbackId = failed.rollbackInfo?.rollbackDeploymentId ?? '';
    expect(failed.rollbackInfo?.rollbackMessage).toContain('DEPLOYMENT_FAILURE');
    const rollback = await deploymentOf(h, rollbackId);
    expect(rollback).toMatchObject({
      status: 'InProgress',
      creator: 'codeDeployRollback',
      revision: aRevision('v1.zip'),
      previousRevision: aRevision('v2.zip'),
      deploymentGroupName: groupName,
      rollbackInfo: { rollbackTriggeringDeploymentId: bad },
    });
    expect(rollback.targets.map((t) => t.targetId)).toEqual(['h1', 'h2']);
    let group = await h.service.getDeploymentGroup(h.scope, applicationName, groupName);
    expect(group.runtime.activeDeploymentId).toBe(rollbackId);
    expect(group.runtime.lastAttemptedDeployment?.deploymentId).toBe(bad);
    expect(group.runtime.lastSuccessfulDeployment?.deploymentId).toBe(good);

    await playAgents(h, names);
    expect((await deploymentOf(h, rollbackId)).status).toBe('Succeeded');
    group = await h.service.getDeploymentGroup(h.scope, applicationName, groupName);
    expect(group.runtime.activeDeploymentId).toBeUndefined();
    expect(group.runtime.lastSuccessfulDeployment?.deploymentId).toBe(rollbackId);
    expect(group.runtime.lastSuccessfulRevision).toEqual(aRevision('v1.zip'));
  });

  it('records the rolled-back revision as used again', async () => {
    const names = await fleetOf(1, onFailure);
    await deploy(h);
    await playAgents(h, names);
    h.clock.advance(60_000);
    const bad = await deploy(h, { revision: aRevision('v2.zip') });
    await playAgents(h, names, { fails: (_, __, id) => id === bad, maxRounds: 1 });
    const rollback = await deploymentOf(
      h,
      (await deploymentOf(h, bad)).rollbackInfo?.rollbackDeploymentId ?? '',
    );
    const info = await h.service.getApplicationRevision(h.scope, {
      applicationName,
      revision: aRevision('v1.zip'),
    });
    expect(info.revisionInfo.lastUsedTime).toBe(rollback.createTime);
    const used = await h.service.listApplicationRevisions(h.scope, {
      applicationName,
      sortBy: 'lastUsedTime',
      sortOrder: 'descending',
    });
    expect(used.items.map((r) => r.s3Location.key)).toEqual(['v1.zip', 'v2.zip']);
  });

  it('pins an unversioned revision to the version it deployed, so a rollback after the key was overwritten redeploys the same bytes', async () => {
    const names = await fleetOf(1, onFailure);
    h.bundles.versions.set('v1.zip', 'ver-1');
    const good = await deploy(h);
    await playAgents(h, names);
    const spec = (await deploymentOf(h, good)).bundleVersionId;
    expect(spec).toBe('ver-1');
    h.bundles.versions.set('v1.zip', 'ver-2');
    const bad = await deploy(h);
    expect((await deploymentOf(h, bad)).bundleVersionId).toBe('ver-2');
    await playAgents(h, names, { fails: (_, __, id) => id === bad, maxRounds: 1 });
    const rollback = await deploymentOf(
      h,
      (await deploymentOf(h, bad)).rollbackInfo?.rollbackDeploymentId ?? '',
    );
    expect(rollback.revision.s3Location).toMatchObject({ key: 'v1.zip', version: 'ver-1' });
    const command = await h.service.pollHostCommand(
      hostPrincipal(names[0] ?? ''),
      hostArn(names[0] ?? ''),
      0,
      undefined,
    );
    const execution = await h.service.getDeploymentSpecification(
      hostPrincipal(names[0] ?? ''),
      command?.deploymentExecutionId,
      hostArn(names[0] ?? ''),
    );
    expect(execution.bundleUrl).toContain('versionId=ver-1');
  });

  it('does not roll back without an earlier success, and says so', async () => {
    const names = await fleetOf(1, onFailure);
    const id = await deploy(h);
    await playAgents(h, names, { fails: () => true });
    const failed = await deploymentOf(h, id);
    expect(failed.status).toBe('Failed');
    expect(failed.rollbackInfo?.rollbackDeploymentId).toBeUndefined();
    expect(failed.rollbackInfo?.rollbackMessage).toMatch(/no successful deployment/);
    const listed = await h.service.listDeployments(h.scope, { applicationName });
    expect(listed.items).toEqual([id]);
  });

  it('does not roll back when the group does not ask for it', async () => {
    const names = await fleetOf(1);
    await deploy(h);
    await playAgents(h, names);
    const bad = await deploy(h, { revision: aRevision('v2.zip') });
    await playAgents(h, names, { fails: () => true });
    expect((await deploymentOf(h, bad)).rollbackInfo).toBeUndefined();
  });

  it('uses the deployment’s own rollback configuration over the group’s', async () => {
    const names = await fleetOf(1);
    await deploy(h);
    await playAgents(h, names);
    const bad = await deploy(h, {
      revision: aRevision('v2.zip'),
      autoRollbackConfiguration: onFailure.autoRollbackConfiguration,
    });
    await playAgents(h, names, { fails: (_, event) => event === 'Install', maxRounds: 10 });
    expect((await deploymentOf(h, bad)).rollbackInfo?.rollbackDeploymentId).toMatch(/^d-/);
  });

  it('never rolls back a rollback', async () => {
    const names = await fleetOf(1, onFailure);
    await deploy(h);
    await playAgents(h, names);
    const bad = await deploy(h, { revision: aRevision('v2.zip') });
    await playAgents(h, names, { fails: () => true });
    const rollbackId = (await deploymentOf(h, bad)).rollbackInfo?.rollbackDeploymentId ?? '';
    const rollback = await deploymentOf(h, rollbackId);
    expect(rollback.status).toBe('Failed');
    expect(rollback.rollbackInfo?.rollbackDeploymentId).toBeUndefined();
    const all = await h.service.listDeployments(h.scope, { applicationName });
    expect(all.items).toHaveLength(3);
    const group = await h.service.getDeploymentGroup(h.scope, applicationName, groupName);
    expect(group.runtime.activeDeploymentId).toBeUndefined();
    expect(group.runtime.lastAttemptedDeployment?.deploymentId).toBe(rollbackId);
  });
});

describe('one deployment at a time per group', () => {
  it('refuses a second concurrent deployment with DeploymentLimitExceeded', async () => {
    const names = await fleetOf(2);
    const first = await deploy(h);
    await expectAppError(
      deploy(h, { revision: aRevision('v2.zip') }),
      AppErrorKind.LimitExceeded,
      'deployment-limit',
    );
    await playAgents(h, names);
    const second = await deploy(h, { revision: aRevision('v2.zip') });
    expect(second).not.toBe(first);
    expect((await deploymentOf(h, second)).previousRevision).toEqual(aRevision('v1.zip'));
  });

  it('records the last attempted and last successful deployment on the group', async () => {
    const names = await fleetOf(1);
    const good = await deploy(h);
    let group = await h.service.getDeploymentGroup(h.scope, applicationName, groupName);
    expect(group.runtime).toMatchObject({
      activeDeploymentId: good,
      targetRevision: aRevision(),
      lastAttemptedDeployment: { deploymentId: good, status: 'InProgress' },
    });
    await playAgents(h, names);
    const goodDone = await deploymentOf(h, good);
    const bad = await deploy(h, { revision: aRevision('v2.zip') });
    await playAgents(h, names, { fails: () => true });
    const badDone = await deploymentOf(h, bad);
    group = await h.service.getDeploymentGroup(h.scope, applicationName, groupName);
    expect(group.runtime.lastSuccessfulDeployment).toEqual({
      deploymentId: good,
      status: 'Succeeded',
      createTime: goodDone.createTime,
      endTime: goodDone.completeTime,
    });
    expect(group.runtime.lastAttemptedDeployment).toEqual({
      deploymentId: bad,
      status: 'Failed',
      createTime: badDone.createTime,
      endTime: badDone.completeTime,
    });
    expect(group.runtime.lastSuccessfulRevision).toEqual(aRevision('v1.zip'));
  });
});

describe('CreateDeployment checks', () => {
  it('refuses a missing application, group, configuration or bundle', async () => {
    await fleetOf(1);
    await expectAppError(
      deploy(h, { applicationName: 'nope' }),
      AppErrorKind.NotFound,
      'application',
    );
    await expectAppError(
      deploy(h, { deploymentGroupName: 'nope' }),
      AppErrorKind.NotFound,
      'deployment-group',
    );
    await expectAppError(
      deploy(h, { deploymentConfigName: 'Nope' }),
      AppErrorKind.NotFound,
      'deployment-config',
    );
    await expectAppError(
      deploy(h, { revision: aRevision('missing.zip') }),
      AppErrorKind.NotFound,
      'revision-missing',
    );
    await expectAppError(
      deploy(h, { deploymentGroupName: undefined }),
      AppErrorKind.InvalidInput,
      'deployment-group-name-required',
    );
    await expectAppError(
      deploy(h, { targetInstances: { tagFilters: [] } }),
      AppErrorKind.InvalidInput,
      'target-instances',
    );
  });

  it('records the revision as used by the group', async () => {
    await fleetOf(1);
    await deploy(h);
    const info = await h.service.getApplicationRevision(h.scope, {
      applicationName,
      revision: aRevision(),
    });
    expect(info.revisionInfo).toMatchObject({
      deploymentGroups: [groupName],
      firstUsedTime: h.clock.now(),
      lastUsedTime: h.clock.now(),
    });
  });

  it('keeps the pipeline’s creator and external id', async () => {
    await fleetOf(1);
    const id = await h.service.createDeployment(
      h.scope,
      { applicationName, deploymentGroupName: groupName, revision: aRevision() },
      { creator: 'CodePipeline', externalId: 'pipeline/exec-1' },
    );
    expect(await deploymentOf(h, id)).toMatchObject({
      creator: 'CodePipeline',
      externalId: 'pipeline/exec-1',
    });
    const listed = await h.service.listDeployments(h.scope, { externalId: 'pipeline/exec-1' });
    expect(listed.items).toEqual([id]);
  });
});

describe('reading deployments', () => {
  it('reads deployments only in their own scope', async () => {
    await fleetOf(1);
    const id = await deploy(h);
    await expectAppError(
      h.service.getDeployment({ ...h.scope, region: 'eu-west-1' }, id),
      AppErrorKind.NotFound,
      'deployment',
    );
    expect(await h.service.batchGetDeployments({ ...h.scope, region: 'eu-west-1' }, [id])).toEqual(
      [],
    );
    expect((await h.service.batchGetDeployments(h.scope, [id, id, 'd-AAAAAAAAA'])).length).toBe(1);
    await expectAppError(
      h.service.batchGetDeployments(h.scope, Array(101).fill(id)),
      AppErrorKind.InvalidInput,
      'batch-limit',
    );
  });

  it('pages deployments by 100, newest first', async () => {
    await registerHosts(h, ['h1']);
    // A group matching no instance: each deployment fails at once and frees the group.
    await aGroup(h, { onPremisesInstanceTagFilters: [{ Key: 'none', Type: 'KEY_ONLY' }] });
    const ids: string[] = [];
    for (let i = 0; i < 101; i++) {
      ids.push(await deploy(h));
      h.clock.advance(1000);
    }
    const first = await h.service.listDeployments(h.scope, {});
    expect(first.items).toEqual([...ids].reverse().slice(0, 100));
    const second = await h.service.listDeployments(h.scope, { nextToken: first.nextToken });
    expect(second).toEqual({ items: [ids[0]] });
    const range = await h.service.listDeployments(h.scope, {
      createTimeRange: { start: new Date(fakeClockStart + 1000), end: fakeClockStart + 2000 },
    });
    expect(range.items).toEqual([ids[2], ids[1]]);
    await expectAppError(
      h.service.listDeployments(h.scope, {
        createTimeRange: { start: fakeClockStart + 2000, end: fakeClockStart },
      }),
      AppErrorKind.InvalidInput,
      'time-range',
    );
  });

  it('lists deployments newest first, filtered by status, and pages', async () => {
    const names = await fleetOf(1);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await deploy(h));
      await playAgents(h, names, { fails: () => i === 1 });
    }
    const all = await h.service.listDeployments(h.scope, {
      applicationName,
      deploymentGroupName: groupName,
    });
    expect(all.items).toEqual([...ids].reverse());
    const failed = await h.service.listDeployments(h.scope, { includeOnlyStatuses: ['Failed'] });
    expect(failed.items).toEqual([ids[1]]);
    await expectAppError(
      h.service.listDeployments(h.scope, { nextToken: 'garbage' }),
      AppErrorKind.InvalidInput,
      'next-token',
    );
    await expectAppError(
      h.service.listDeployments(h.scope, { deploymentGroupName: groupName }),
      AppErrorKind.InvalidInput,
      'application-name-required',
    );
    await expectAppError(
      h.service.listDeployments(h.scope, { applicationName, deploymentGroupName: 'nope' }),
      AppErrorKind.NotFound,
      'deployment-group',
    );
  });
});
