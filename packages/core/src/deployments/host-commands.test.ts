import { expectAppError } from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppErrorKind } from '../errors/app-error.ts';
import {
  aGroup,
  aRevision,
  deploy,
  deploymentOf,
  deploymentsHarness,
  hostArn,
  hostPrincipal,
  hosts,
  playAgents,
  registerHosts,
  type DeploymentsHarness,
} from '@slipway/testing';
import { hostCommandQueue, maxLogTailBytes } from './deployment.model.ts';
import {
  hostCommandLeaseMs,
  hostCommandPickupTimeoutMs,
  type PolledHostCommand,
} from './host-commands.ts';

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

async function poll(host: string): Promise<PolledHostCommand> {
  const command = await h.service.pollHostCommand(hostPrincipal(host), hostArn(host), 0, undefined);
  if (command === undefined) throw new Error(`no command for ${host}`);
  return command;
}

/** Polls and acknowledges `host`'s next command. */
async function start(host: string): Promise<PolledHostCommand> {
  const command = await poll(host);
  expect(
    await h.service.acknowledgeHostCommand(hostPrincipal(host), command.hostCommandIdentifier),
  ).toBe('InProgress');
  return command;
}

function jobIdOf(command: PolledHostCommand): string {
  return command.hostCommandIdentifier.split(':')[0] ?? '';
}

describe('polling', () => {
  it('hands out the instance’s next command with its execution id and the deployment spec', async () => {
    await fleetOf(1);
    const id = await deploy(h);
    const command = await poll('h1');
    expect(command).toMatchObject({
      hostIdentifier: hostArn('h1'),
      deploymentExecutionId: `${id}:h1`,
      commandName: 'ApplicationStop',
      nonce: 1,
    });
    const spec = await h.service.getDeploymentSpecification(
      hostPrincipal('h1'),
      command.deploymentExecutionId,
      hostArn('h1'),
    );
    expect(spec).toMatchObject({
      deploymentId: id,
      deploymentGroupName: 'dg',
      applicationName: 'app',
      deploymentCreator: 'user',
      fileExistsBehavior: 'DISALLOW',
      ignoreApplicationStopFailures: false,
      revision: aRevision().s3Location,
      bundleUrl: 'https://s3.test/bundles/v1.zip?expires=7200',
    });
    expect(spec.lifecycleEvents[0]).toBe('ApplicationStop');
  });

  it('answers nothing when there is nothing to do, after waiting at most waitMs', async () => {
    await fleetOf(1);
    expect(await h.service.pollHostCommand(hostPrincipal('h1'), hostArn('h1'), 0, undefined)).toBe(
      undefined,
    );
  });

  it('ends a long poll when its signal aborts', async () => {
    await fleetOf(1);
    const abort = new AbortController();
    const polled = h.service.pollHostCommand(
      hostPrincipal('h1'),
      hostArn('h1'),
      60_000,
      abort.signal,
    );
    abort.abort();
    expect(await polled).toBe(undefined);
  });

  it('wakes a long poll when a command is queued for the instance', async () => {
    await fleetOf(1);
    const polled = h.service.pollHostCommand(hostPrincipal('h1'), hostArn('h1'), 60_000, undefined);
    await deploy(h);
    expect((await polled)?.commandName).toBe('ApplicationStop');
  });

  it('gives each instance only its own commands', async () => {
    await fleetOf(2);
    await deploy(h, { deploymentConfigName: 'CodeDeployDefault.AllAtOnce' });
    expect((await poll('h1')).deploymentExecutionId).toMatch(/:h1$/);
    expect((await poll('h2')).deploymentExecutionId).toMatch(/:h2$/);
    expect(await h.service.pollHostCommand(hostPrincipal('h1'), hostArn('h1'), 0, undefined)).toBe(
      undefined,
    );
  });
});

describe('host-command authorization', () => {
  it('refuses a principal that is not the HostIdentifier', async () => {
    await fleetOf(2);
    await expectAppError(
      h.service.pollHostCommand(hostPrincipal('h1'), hostArn('h2'), 0, undefined),
      AppErrorKind.AccessDenied,
      'host-identity',
    );
    await expectAppError(
      h.service.getDeploymentSpecification(hostPrincipal('h1'), 'd-AAAAAAAAA:h2', hostArn('h2')),
      AppErrorKind.AccessDenied,
      'host-identity',
    );
  });

  it('requires a HostIdentifier', async () => {
    await expectAppError(
      h.service.pollHostCommand(hostPrincipal('h1'), undefined, 0, undefined),
      AppErrorKind.InvalidInput,
      'input',
    );
  });

  it('refuses an identity that no instance is registered with', async () => {
    await expectAppError(
      h.service.pollHostCommand(hostPrincipal('stranger'), hostArn('stranger'), 0, undefined),
      AppErrorKind.AccessDenied,
      'host-identity',
    );
  });

  it('refuses a deregistered instance, and its commands', async () => {
    await fleetOf(1);
    await deploy(h);
    const command = await start('h1');
    await h.service.deregisterOnPremisesInstance(h.scope, 'h1');
    await expectAppError(
      h.service.pollHostCommand(hostPrincipal('h1'), hostArn('h1'), 0, undefined),
      AppErrorKind.AccessDenied,
      'host-identity',
    );
    await expectAppError(
      h.service.updateHostCommand(hostPrincipal('h1'), command.hostCommandIdentifier, 'x'),
      AppErrorKind.AccessDenied,
      'host-identity',
    );
    await expectAppError(
      h.service.completeHostCommand(hostPrincipal('h1'), {
        commandId: command.hostCommandIdentifier,
        status: 'Succeeded',
      }),
      AppErrorKind.AccessDenied,
      'host-identity',
    );
  });

  it('does not let one host act on another host’s command or execution', async () => {
    await fleetOf(2);
    const id = await deploy(h, { deploymentConfigName: 'CodeDeployDefault.AllAtOnce' });
    const command = await poll('h2');
    for (const call of [
      h.service.acknowledgeHostCommand(hostPrincipal('h1'), command.hostCommandIdentifier),
      h.service.updateHostCommand(hostPrincipal('h1'), command.hostCommandIdentifier, 'log'),
      h.service.completeHostCommand(hostPrincipal('h1'), {
        commandId: command.hostCommandIdentifier,
        status: 'Succeeded',
      }),
      h.service.getDeploymentSpecification(hostPrincipal('h1'), `${id}:h2`, hostArn('h1')),
    ]) {
      await expectAppError(call, AppErrorKind.NotFound, 'host-command');
    }
    // h2's poll started its event; h1's calls changed nothing.
    const event = (await deploymentOf(h, id)).targets[1]?.lifecycleEvents[0];
    expect(event?.status).toBe('InProgress');
    expect(event?.diagnostics).toBeUndefined();
  });

  it('keeps same-named instances of two regions apart', async () => {
    // h1 in us-east-1 (agent h1) and another h1 in eu-west-1 with its own IAM user.
    await fleetOf(1);
    const west = { ...h.scope, region: 'eu-west-1' };
    await h.service.registerOnPremisesInstance(west, {
      instanceName: 'h1',
      iamUserArn: hostArn('west-h1'),
    });
    await h.service.addTagsToOnPremisesInstances(west, {
      instanceNames: ['h1'],
      tags: [{ Key: 'env', Value: 'prod' }],
    });
    await h.service.createApplication(west, { applicationName: 'app' });
    await h.service.createDeploymentGroup(west, {
      applicationName: 'app',
      deploymentGroupName: 'dg',
      serviceRoleArn: 'arn:aws:iam::111122223333:role/CodeDeployRole',
      onPremisesInstanceTagFilters: [{ Key: 'env', Value: 'prod', Type: 'KEY_AND_VALUE' }],
    });
    const id = await h.service.createDeployment(west, {
      applicationName: 'app',
      deploymentGroupName: 'dg',
      revision: aRevision(),
    });
    expect(await h.service.pollHostCommand(hostPrincipal('h1'), hostArn('h1'), 0, undefined)).toBe(
      undefined,
    );
    await expectAppError(
      h.service.getDeploymentSpecification(hostPrincipal('h1'), `${id}:h1`, hostArn('h1')),
      AppErrorKind.NotFound,
      'host-command',
    );
    expect((await poll('west-h1')).deploymentExecutionId).toBe(`${id}:h1`);
  });

  it('answers NotFound for identifiers it never handed out', async () => {
    await fleetOf(1);
    for (const commandId of ['', 'nolease', 'nojob:lease', undefined, 42]) {
      await expectAppError(
        h.service.acknowledgeHostCommand(hostPrincipal('h1'), commandId),
        AppErrorKind.NotFound,
        'host-command',
      );
    }
    for (const executionId of ['d-AAAAAAAAA:h1', 'garbage', undefined]) {
      await expectAppError(
        h.service.getDeploymentSpecification(hostPrincipal('h1'), executionId, hostArn('h1')),
        AppErrorKind.NotFound,
        'host-command',
      );
    }
  });
});

describe('acknowledge, update and complete', () => {
  it('acknowledging starts the lifecycle event; a second ACK changes nothing', async () => {
    await fleetOf(1);
    const id = await deploy(h);
    const command = await start('h1');
    const event = (await deploymentOf(h, id)).targets[0]?.lifecycleEvents[0];
    expect(event).toMatchObject({ status: 'InProgress', startTime: h.clock.now() });
    h.clock.advance(500);
    expect(
      await h.service.acknowledgeHostCommand(hostPrincipal('h1'), command.hostCommandIdentifier),
    ).toBe('InProgress');
    expect((await deploymentOf(h, id)).targets[0]?.lifecycleEvents[0]?.startTime).toBe(
      h.clock.now() - 500,
    );
  });

  it('updates extend the lease and keep the newest 4 KiB of output, cut at a character', async () => {
    await fleetOf(1);
    const id = await deploy(h);
    const command = await start('h1');
    const principal = hostPrincipal('h1');
    for (let i = 0; i < 3; i++) {
      h.clock.advance(hostCommandLeaseMs - 1);
      expect(
        await h.service.updateHostCommand(
          principal,
          command.hostCommandIdentifier,
          'a'.repeat(2000),
        ),
      ).toBe('InProgress');
    }
    // 3-byte characters: 4096 is not a multiple of 3, so the cut must skip a partial one.
    const euros = '€'.repeat(1400);
    await h.service.updateHostCommand(principal, command.hostCommandIdentifier, euros);
    const tail = (await deploymentOf(h, id)).targets[0]?.lifecycleEvents[0]?.diagnostics?.logTail;
    expect(tail).toBe('€'.repeat(1365));
    expect(new TextEncoder().encode(tail).length).toBeLessThanOrEqual(maxLogTailBytes);
    expect((await h.jobs.getJob(jobIdOf(command))).status).toBe('leased');
  });

  it('an update without output only extends the lease', async () => {
    await fleetOf(1);
    const id = await deploy(h);
    const command = await start('h1');
    const before = await deploymentOf(h, id);
    expect(
      await h.service.updateHostCommand(
        hostPrincipal('h1'),
        command.hostCommandIdentifier,
        undefined,
      ),
    ).toBe('InProgress');
    expect((await deploymentOf(h, id)).version).toBe(before.version);
  });

  it('keeps the streamed output when a completion carries no log', async () => {
    await fleetOf(1);
    const id = await deploy(h);
    const command = await start('h1');
    await h.service.updateHostCommand(hostPrincipal('h1'), command.hostCommandIdentifier, 'hi\n');
    await h.service.completeHostCommand(hostPrincipal('h1'), {
      commandId: command.hostCommandIdentifier,
      status: 'Succeeded',
    });
    const event = (await deploymentOf(h, id)).targets[0]?.lifecycleEvents[0];
    expect(event).toMatchObject({ status: 'Succeeded', diagnostics: { logTail: 'hi\n' } });
  });

  it('keeps only the last 4 KiB of a completion’s log, cut at a character', async () => {
    await fleetOf(1);
    const id = await deploy(h);
    const command = await start('h1');
    await h.service.completeHostCommand(hostPrincipal('h1'), {
      commandId: command.hostCommandIdentifier,
      status: 'Failed',
      diagnostics: {
        errorCode: 3,
        scriptName: 'stop.sh',
        message: 'timed out',
        log: `x${'é'.repeat(3000)}`,
      },
    });
    const event = (await deploymentOf(h, id)).targets[0]?.lifecycleEvents[0];
    expect(event?.diagnostics).toEqual({
      errorCode: 'ScriptTimedOut',
      scriptName: 'stop.sh',
      message: 'timed out',
      logTail: 'é'.repeat(2048),
    });
    expect((await h.jobs.getJob(jobIdOf(command))).status).toBe('failed');
  });

  it.each([
    [1, 'ScriptMissing'],
    [2, 'ScriptNotExecutable'],
    [4, 'ScriptFailed'],
    [5, 'UnknownError'],
    [7, 'UnknownError'],
    [0, 'UnknownError'],
    [undefined, 'UnknownError'],
  ])('maps the agent’s error code %s to %s', async (errorCode, expected) => {
    await fleetOf(1);
    const id = await deploy(h);
    const command = await start('h1');
    await h.service.completeHostCommand(hostPrincipal('h1'), {
      commandId: command.hostCommandIdentifier,
      status: 'Failed',
      diagnostics: { errorCode },
    });
    const event = (await deploymentOf(h, id)).targets[0]?.lifecycleEvents[0];
    expect(event?.diagnostics).toMatchObject({
      errorCode: expected,
      message: 'Failed',
      logTail: '',
    });
  });

  it('refuses a completion status other than Succeeded or Failed', async () => {
    await fleetOf(1);
    await deploy(h);
    const command = await start('h1');
    await expectAppError(
      h.service.completeHostCommand(hostPrincipal('h1'), {
        commandId: command.hostCommandIdentifier,
        status: 'InProgress',
      }),
      AppErrorKind.InvalidInput,
      'input',
    );
  });

  it('a completion hands out the instance’s next event', async () => {
    await fleetOf(1);
    await deploy(h);
    const first = await start('h1');
    await h.service.completeHostCommand(hostPrincipal('h1'), {
      commandId: first.hostCommandIdentifier,
      status: 'Succeeded',
    });
    expect((await h.jobs.getJob(jobIdOf(first))).status).toBe('succeeded');
    expect((await poll('h1')).commandName).toBe('DownloadBundle');
  });
});

describe('stopped deployments and their commands', () => {
  it('cancels commands in flight: update and ACK answer Failed, completion changes nothing', async () => {
    await fleetOf(2);
    const id = await deploy(h, { deploymentConfigName: 'CodeDeployDefault.AllAtOnce' });
    const running = await start('h1');
    const polled = await poll('h2');
    await h.service.stopDeployment(h.scope, { deploymentId: id });
    expect((await h.jobs.getJob(jobIdOf(running))).cancelRequested).toBe(true);
    expect((await h.jobs.getJob(jobIdOf(polled))).cancelRequested).toBe(true);
    expect(
      await h.service.updateHostCommand(hostPrincipal('h1'), running.hostCommandIdentifier, 'more'),
    ).toBe('Failed');
    expect(
      await h.service.acknowledgeHostCommand(hostPrincipal('h2'), polled.hostCommandIdentifier),
    ).toBe('Failed');
    const stopped = await deploymentOf(h, id);
    await h.service.completeHostCommand(hostPrincipal('h1'), {
      commandId: running.hostCommandIdentifier,
      status: 'Succeeded',
    });
    expect(await deploymentOf(h, id)).toEqual(stopped);
    expect(stopped.targets[0]?.lifecycleEvents[0]).toMatchObject({
      status: 'Failed',
      diagnostics: { errorCode: 'UnknownError', message: 'The deployment was stopped' },
    });
    expect(stopped.targets[0]?.lifecycleEvents[0]?.diagnostics?.logTail).toBe('');
  });

  it('cancels the commands still in flight when the deployment fails elsewhere', async () => {
    await fleetOf(2);
    const config = 'Custom';
    await h.service.createDeploymentConfig(h.scope, {
      deploymentConfigName: config,
      minimumHealthyHosts: { type: 'HOST_COUNT', value: 0 },
    });
    const id = await deploy(h, { deploymentConfigName: config });
    const failing = await start('h1');
    const other = await start('h2');
    await h.service.completeHostCommand(hostPrincipal('h1'), {
      commandId: failing.hostCommandIdentifier,
      status: 'Failed',
      diagnostics: { errorCode: 4 },
    });
    // One failure of two with minimum 0: h2 can still succeed, so nothing is cancelled.
    expect((await h.jobs.getJob(jobIdOf(other))).cancelRequested).toBe(false);
    expect((await deploymentOf(h, id)).status).toBe('InProgress');
  });
});

describe('lost commands', () => {
  it('a lapsed lease fails the instance with UnknownError, keeping the log so far', async () => {
    await fleetOf(2);
    const id = await deploy(h);
    const command = await start('h1');
    await h.service.updateHostCommand(hostPrincipal('h1'), command.hostCommandIdentifier, 'half');
    h.clock.advance(hostCommandLeaseMs);
    const expired = await h.jobs.expireLeases();
    expect(expired.map((j) => [j.id, j.status])).toEqual([[jobIdOf(command), 'lost']]);
    await h.service.hostCommandLost(jobIdOf(command), expired[0]?.payload);
    const deployment = await deploymentOf(h, id);
    expect(deployment.status).toBe('Failed');
    expect(deployment.targets[0]?.status).toBe('Failed');
    expect(deployment.targets[0]?.lifecycleEvents[0]).toMatchObject({
      status: 'Failed',
      endTime: h.clock.now(),
      diagnostics: { errorCode: 'UnknownError', logTail: 'half' },
    });
    expect(deployment.targets[0]?.lifecycleEvents[0]?.diagnostics?.message).toMatch(/lease/);
  });

  it('a completion after the lease was lost changes nothing', async () => {
    await fleetOf(2);
    const id = await deploy(h);
    const command = await start('h1');
    h.clock.advance(hostCommandLeaseMs);
    const [lost] = await h.jobs.expireLeases();
    await h.service.hostCommandLost(jobIdOf(command), lost?.payload);
    const after = await deploymentOf(h, id);
    await h.service.completeHostCommand(hostPrincipal('h1'), {
      commandId: command.hostCommandIdentifier,
      status: 'Succeeded',
    });
    expect(await deploymentOf(h, id)).toEqual(after);
    expect(
      await h.service.updateHostCommand(hostPrincipal('h1'), command.hostCommandIdentifier, 'x'),
    ).toBe('Failed');
  });

  it('a completion after the lease lapsed, before the reaper ran, changes nothing', async () => {
    await fleetOf(1);
    const id = await deploy(h);
    const command = await start('h1');
    const before = await deploymentOf(h, id);
    h.clock.advance(hostCommandLeaseMs);
    await h.service.completeHostCommand(hostPrincipal('h1'), {
      commandId: command.hostCommandIdentifier,
      status: 'Succeeded',
    });
    expect(await deploymentOf(h, id)).toEqual(before);
  });

  it('ignores a lost job the deployment no longer waits for, and payloads it cannot read', async () => {
    await fleetOf(1);
    const id = await deploy(h);
    const before = await deploymentOf(h, id);
    await h.service.hostCommandLost('some-other-job', { deploymentId: id, targetId: 'h1' });
    await h.service.hostCommandLost('x', undefined);
    await h.service.hostCommandLost('x', { deploymentId: 'd-AAAAAAAAA', targetId: 'h1' });
    expect(await deploymentOf(h, id)).toEqual(before);
  });

  it('resumeUnfinished fails commands whose jobs ended without the deployment knowing', async () => {
    await fleetOf(3);
    const id = await deploy(h, { deploymentConfigName: 'CodeDeployDefault.AllAtOnce' });
    const lost = await start('h1');
    const cancelled = await poll('h2');
    const alive = await start('h3');
    // The server died before it told the deployment: h1's lease lapsed, h2's job was cancelled.
    await h.jobs.requestCancel(jobIdOf(cancelled));
    h.clock.advance(hostCommandLeaseMs - 1);
    await h.service.updateHostCommand(hostPrincipal('h3'), alive.hostCommandIdentifier, undefined);
    h.clock.advance(1);
    await h.jobs.expireLeases();
    expect((await h.jobs.getJob(jobIdOf(lost))).status).toBe('lost');
    expect((await h.jobs.getJob(jobIdOf(cancelled))).status).toBe('cancelled');
    expect(await h.service.resumeUnfinished()).toBe(1);
    const deployment = await deploymentOf(h, id);
    expect(deployment.status).toBe('InProgress');
    expect(deployment.targets.map((t) => t.status)).toEqual(['Failed', 'Failed', 'InProgress']);
    expect(deployment.targets[0]?.lifecycleEvents[0]?.diagnostics?.errorCode).toBe('UnknownError');
  });

  it('resumeUnfinished leaves commands that are still queued or leased alone', async () => {
    await fleetOf(2);
    const id = await deploy(h, { deploymentConfigName: 'CodeDeployDefault.AllAtOnce' });
    await start('h1');
    const before = await deploymentOf(h, id);
    expect(await h.service.resumeUnfinished()).toBe(1);
    expect(await deploymentOf(h, id)).toEqual(before);
  });

  it('reconcile fails an instance whose agent never picks up its command, and cancels it', async () => {
    await fleetOf(2);
    const id = await deploy(h, { deploymentConfigName: 'CodeDeployDefault.AllAtOnce' });
    await start('h2');
    h.clock.advance(hostCommandPickupTimeoutMs);
    await h.service.reconcile();
    expect((await deploymentOf(h, id)).targets.map((t) => t.status)).toEqual([
      'InProgress',
      'InProgress',
    ]);
    h.clock.advance(1);
    await h.service.reconcile();
    const deployment = await deploymentOf(h, id);
    expect(deployment.targets.map((t) => t.status)).toEqual(['Failed', 'InProgress']);
    expect(deployment.targets[0]?.lifecycleEvents[0]?.diagnostics?.message).toContain(
      'No agent picked up',
    );
    expect(
      await h.service.pollHostCommand(hostPrincipal('h1'), hostArn('h1'), 0, undefined),
    ).toBeUndefined();
  });

  it('plays on after a lost instance when the health rules allow', async () => {
    const names = await fleetOf(4);
    const id = await deploy(h, { deploymentConfigName: 'CodeDeployDefault.AllAtOnce' });
    const command = await start('h1');
    h.clock.advance(hostCommandLeaseMs);
    const [lost] = await h.jobs.expireLeases();
    await h.service.hostCommandLost(jobIdOf(command), lost?.payload);
    await playAgents(h, names);
    const deployment = await deploymentOf(h, id);
    expect(deployment.status).toBe('Succeeded');
    expect(deployment.targets.map((t) => t.status)).toEqual([
      'Failed',
      'Succeeded',
      'Succeeded',
      'Succeeded',
    ]);
  });
});

describe('host command queues', () => {
  it('puts each instance’s commands on its own queue, one at a time, never retried', async () => {
    await fleetOf(2);
    const id = await deploy(h, { deploymentConfigName: 'CodeDeployDefault.AllAtOnce' });
    const deployment = await deploymentOf(h, id);
    for (const target of deployment.targets) {
      const job = await h.jobs.getJob(target.commandJobId ?? '');
      expect(job).toMatchObject({
        queue: hostCommandQueue(h.scope.accountId, h.scope.region, target.targetId),
        payload: { deploymentId: id, targetId: target.targetId, commandName: 'ApplicationStop' },
        maxAttempts: 1,
        status: 'queued',
      });
    }
  });
});
