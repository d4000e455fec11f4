import { describe, expect, it } from 'vitest';
import type { MinimumHealthyHosts } from '../deployment-config.model.ts';
import type { Deployment, LifecycleDiagnostics } from '../deployment.model.ts';
import type { StoredDeploymentGroup } from '../deployments.ports.ts';
import {
  applyDeploymentEvent,
  newTargets,
  startDeployment,
  type Advanced,
  type DeploymentEvent,
} from './advance-deployment.ts';
import { completeDeployment } from './complete-deployment.ts';

const t0 = 1_700_000_000_000;

function context(now = t0) {
  let next = 0;
  let deployments = 0;
  return {
    now,
    newJobId: () => `job-${++next}`,
    newDeploymentId: () => `d-ROLLBACK${++deployments}`,
  };
}

const oneAtATime: MinimumHealthyHosts = { type: 'MOST_CONCURRENCY', value: 1 };
const allAtOnce: MinimumHealthyHosts = { type: 'HOST_COUNT', value: 0 };

function aDeployment(overrides: Partial<Deployment> = {}, instances = ['h1', 'h2']): Deployment {
  return {
    deploymentId: 'd-AAAAAAAAA',
    accountId: '111122223333',
    region: 'us-east-1',
    applicationName: 'app',
    applicationId: 'app-id',
    deploymentGroupName: 'dg',
    deploymentGroupId: 'dg-id',
    deploymentConfigName: 'CodeDeployDefault.OneAtATime',
    minimumHealthyHosts: oneAtATime,
    revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'v2.zip', bundleType: 'zip' } },
    status: 'Created',
    createTime: t0,
    creator: 'user',
    ignoreApplicationStopFailures: false,
    fileExistsBehavior: 'DISALLOW',
    autoRollbackConfiguration: { enabled: false, events: [] },
    targets: newTargets(
      instances.map((name) => ({
        targetId: name,
        targetArn: `arn:aws:codedeploy:us-east-1:111122223333:instance/${name}`,
        hostIdentifier: `arn:aws:iam::111122223333:user/${name}`,
      })),
      t0,
    ),
    version: 1,
    ...overrides,
  };
}

const ok: LifecycleDiagnostics = {
  errorCode: 'Success',
  scriptName: '',
  message: 'Succeeded',
  logTail: '',
};
const scriptFailed: LifecycleDiagnostics = {
  errorCode: 'ScriptFailed',
  scriptName: 'x.sh',
  message: 'exit 1',
  logTail: 'boom',
};

function jobOf(d: Deployment, targetId: string): string {
  const jobId = d.targets.find((t) => t.targetId === targetId)?.commandJobId;
  if (jobId === undefined) throw new Error(`${targetId} runs no command`);
  return jobId;
}

/** Runs `targetId`'s current command to its end. */
function finishCommand(
  d: Deployment,
  targetId: string,
  succeeded: boolean,
  ctx = context(),
): Advanced {
  const jobId = jobOf(d, targetId);
  const started = applyDeploymentEvent(d, { kind: 'command-started', targetId, jobId }, ctx);
  return applyDeploymentEvent(
    started.deployment,
    {
      kind: 'command-finished',
      targetId,
      jobId,
      succeeded,
      diagnostics: succeeded ? ok : scriptFailed,
    },
    ctx,
  );
}

/** Runs every event of `targetId` to success. */
function succeedInstance(d: Deployment, targetId: string): Advanced {
  let advanced: Advanced | undefined;
  let current = d;
  while (current.targets.find((t) => t.targetId === targetId)?.commandJobId !== undefined) {
    advanced = finishCommand(current, targetId, true);
    current = advanced.deployment;
  }
  if (advanced === undefined) throw new Error(`${targetId} had nothing to run`);
  return advanced;
}

describe('startDeployment', () => {
  it('starts InProgress and hands the first instances their first command', () => {
    const started = startDeployment(aDeployment(), context());
    expect(started.deployment.status).toBe('InProgress');
    expect(started.deployment.startTime).toBe(t0);
    expect(started.finished).toBe(false);
    expect(started.jobs).toEqual([
      {
        id: 'job-1',
        queue: 'host:111122223333:us-east-1:h1',
        payload: { deploymentId: 'd-AAAAAAAAA', targetId: 'h1', commandName: 'ApplicationStop' },
        maxAttempts: 1,
      },
    ]);
    expect(started.deployment.targets.map((t) => [t.status, t.commandJobId])).toEqual([
      ['InProgress', 'job-1'],
      ['Pending', undefined],
    ]);
  });

  it('finishes at once with NO_INSTANCES when there is no target', () => {
    const started = startDeployment(aDeployment({}, []), context());
    expect(started.finished).toBe(true);
    expect(started.deployment).toMatchObject({
      status: 'Failed',
      completeTime: t0,
      errorInformation: { code: 'NO_INSTANCES' },
    });
  });

  it('dispatches every instance at once with AllAtOnce', () => {
    const started = startDeployment(
      aDeployment({ minimumHealthyHosts: allAtOnce }, ['a', 'b', 'c']),
      context(),
    );
    expect(started.jobs.map((j) => j.queue)).toEqual([
      'host:111122223333:us-east-1:a',
      'host:111122223333:us-east-1:b',
      'host:111122223333:us-east-1:c',
    ]);
  });
});

describe('applyDeploymentEvent', () => {
  const running = () => startDeployment(aDeployment(), context()).deployment;

  it('ignores events of a job the instance is not running', () => {
    const d = running();
    for (const event of [
      { kind: 'command-started', targetId: 'h1', jobId: 'other' },
      { kind: 'command-lost', targetId: 'h1', jobId: 'other' },
      { kind: 'command-started', targetId: 'h2', jobId: jobOf(d, 'h1') },
      { kind: 'command-log', targetId: 'nope', jobId: 'x', output: 'x' },
    ] satisfies DeploymentEvent[]) {
      const advanced = applyDeploymentEvent(d, event, context());
      expect(advanced.changed).toBe(false);
      expect(advanced.deployment).toBe(d);
    }
  });

  it('ignores every event once the deployment has ended', () => {
    const stopped = applyDeploymentEvent(running(), { kind: 'stop' }, context()).deployment;
    expect(applyDeploymentEvent(stopped, { kind: 'stop' }, context()).changed).toBe(false);
  });

  it('a second start of the same command changes nothing', () => {
    const d = running();
    const jobId = jobOf(d, 'h1');
    const once = applyDeploymentEvent(
      d,
      { kind: 'command-started', targetId: 'h1', jobId },
      context(),
    );
    const twice = applyDeploymentEvent(
      once.deployment,
      { kind: 'command-started', targetId: 'h1', jobId },
      context(t0 + 5),
    );
    expect(twice.changed).toBe(false);
  });

  it('moves an instance through its events and on to the next instance', () => {
    let d = running();
    const first = finishCommand(d, 'h1', true);
    expect(first.jobs.map((j) => j.payload)).toEqual([
      { deploymentId: 'd-AAAAAAAAA', targetId: 'h1', commandName: 'DownloadBundle' },
    ]);
    d = succeedInstance(first.deployment, 'h1').deployment;
    expect(d.targets.map((t) => t.status)).toEqual(['Succeeded', 'InProgress']);
    const last = succeedInstance(d, 'h2');
    expect(last.finished).toBe(true);
    expect(last.deployment.status).toBe('Succeeded');
  });

  it('keeps the newest 4 KiB of logged output on the running event', () => {
    const d = running();
    const jobId = jobOf(d, 'h1');
    let current = d;
    for (const chunk of ['a'.repeat(3000), 'b'.repeat(3000)]) {
      current = applyDeploymentEvent(
        current,
        { kind: 'command-log', targetId: 'h1', jobId, output: chunk },
        context(),
      ).deployment;
    }
    const tail = current.targets[0]?.lifecycleEvents[0]?.diagnostics?.logTail ?? '';
    expect(tail).toBe('a'.repeat(1096) + 'b'.repeat(3000));
  });

  it('a failure fails the instance, skips its remaining events and, with OneAtATime, the deployment', () => {
    const failed = finishCommand(running(), 'h1', false);
    expect(failed.finished).toBe(true);
    const [h1, h2] = failed.deployment.targets;
    expect(h1?.status).toBe('Failed');
    expect(h1?.lifecycleEvents.map((e) => e.status)).toEqual([
      'Failed',
      'Skipped',
      'Skipped',
      'Skipped',
      'Skipped',
      'Skipped',
      'Skipped',
    ]);
    expect(h1?.lifecycleEvents[0]?.diagnostics).toEqual(scriptFailed);
    expect(h2?.status).toBe('Skipped');
    expect(failed.deployment.errorInformation?.code).toBe('HEALTH_CONSTRAINTS');
  });

  it('a lost command fails the instance with UnknownError', () => {
    const d = running();
    const lost = applyDeploymentEvent(
      d,
      { kind: 'command-lost', targetId: 'h1', jobId: jobOf(d, 'h1') },
      context(t0 + 10),
    );
    expect(lost.deployment.targets[0]?.lifecycleEvents[0]).toMatchObject({
      status: 'Failed',
      startTime: t0 + 10,
      endTime: t0 + 10,
      diagnostics: { errorCode: 'UnknownError' },
    });
  });

  it('a stop cancels the commands in flight and skips instances not started', () => {
    const d = startDeployment(
      aDeployment({ minimumHealthyHosts: { type: 'HOST_COUNT', value: 1 } }, ['a', 'b', 'c']),
      context(),
    ).deployment;
    const stopped = applyDeploymentEvent(d, { kind: 'stop' }, context(t0 + 3));
    expect(stopped.finished).toBe(true);
    expect(stopped.cancelJobs).toEqual([jobOf(d, 'a'), jobOf(d, 'b')]);
    expect(stopped.deployment).toMatchObject({
      status: 'Stopped',
      completeTime: t0 + 3,
      errorInformation: { code: 'MANUAL_STOP' },
    });
    expect(stopped.deployment.targets.map((t) => [t.status, t.commandJobId])).toEqual([
      ['Failed', undefined],
      ['Failed', undefined],
      ['Skipped', undefined],
    ]);
  });
});

describe('completeDeployment', () => {
  const previous = {
    revisionType: 'S3',
    s3Location: { bucket: 'b', key: 'v1.zip', bundleType: 'zip' },
  } as const;

  function aGroup(runtime: StoredDeploymentGroup['runtime'] = {}): StoredDeploymentGroup {
    return {
      group: {} as StoredDeploymentGroup['group'],
      runtime: { activeDeploymentId: 'd-AAAAAAAAA', ...runtime },
    };
  }

  function failedDeployment(overrides: Partial<Deployment> = {}) {
    return finishCommand(
      startDeployment(aDeployment(overrides), context()).deployment,
      'h1',
      false,
    );
  }

  it('records a success on the group and frees it', () => {
    let d = startDeployment(aDeployment(), context()).deployment;
    d = succeedInstance(d, 'h1').deployment;
    const done = succeedInstance(d, 'h2');
    const completion = completeDeployment(done, aGroup(), context());
    expect(completion.groupRuntime).toEqual({
      lastAttemptedDeployment: {
        deploymentId: 'd-AAAAAAAAA',
        status: 'Succeeded',
        createTime: t0,
        endTime: t0,
      },
      lastSuccessfulDeployment: {
        deploymentId: 'd-AAAAAAAAA',
        status: 'Succeeded',
        createTime: t0,
        endTime: t0,
      },
      lastSuccessfulRevision: aDeployment().revision,
    });
  });

  it('leaves the group alone when it was deleted', () => {
    const completion = completeDeployment(failedDeployment(), undefined, context());
    expect(completion.groupRuntime).toBeUndefined();
    expect(completion.rollback).toBeUndefined();
  });

  it('rolls back a failure to the last successful revision on every targeted instance', () => {
    const failed = failedDeployment({
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
    });
    const completion = completeDeployment(
      failed,
      aGroup({ lastSuccessfulRevision: previous }),
      context(t0 + 9),
    );
    const rollback = completion.rollback;
    expect(rollback).toMatchObject({
      deploymentId: 'd-ROLLBACK1',
      status: 'InProgress',
      creator: 'codeDeployRollback',
      revision: previous,
      previousRevision: aDeployment().revision,
      createTime: t0 + 9,
      rollbackInfo: { rollbackTriggeringDeploymentId: 'd-AAAAAAAAA' },
    });
    expect(rollback?.targets.map((t) => [t.targetId, t.status])).toEqual([
      ['h1', 'InProgress'],
      ['h2', 'Pending'],
    ]);
    expect(completion.deployment.rollbackInfo?.rollbackDeploymentId).toBe('d-ROLLBACK1');
    expect(completion.groupRuntime).toMatchObject({
      activeDeploymentId: 'd-ROLLBACK1',
      targetRevision: previous,
      lastAttemptedDeployment: { deploymentId: 'd-AAAAAAAAA', status: 'Failed' },
    });
    expect(completion.jobs.map((j) => j.payload)).toEqual([
      { deploymentId: 'd-ROLLBACK1', targetId: 'h1', commandName: 'ApplicationStop' },
    ]);
  });

  it('does not roll back when the configuration is disabled or lists other events', () => {
    for (const autoRollbackConfiguration of [
      { enabled: false, events: ['DEPLOYMENT_FAILURE'] } as const,
      { enabled: true, events: ['DEPLOYMENT_STOP_ON_ALARM'] } as const,
    ]) {
      const completion = completeDeployment(
        failedDeployment({ autoRollbackConfiguration }),
        aGroup({ lastSuccessfulRevision: previous }),
        context(),
      );
      expect(completion.rollback).toBeUndefined();
      expect(completion.deployment.rollbackInfo).toBeUndefined();
      expect(completion.groupRuntime?.activeDeploymentId).toBeUndefined();
    }
  });

  it('never rolls back a rollback', () => {
    const completion = completeDeployment(
      failedDeployment({
        creator: 'codeDeployRollback',
        autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
      }),
      aGroup({ lastSuccessfulRevision: previous }),
      context(),
    );
    expect(completion.rollback).toBeUndefined();
  });

  it('keeps another deployment active on the group', () => {
    const completion = completeDeployment(
      failedDeployment(),
      aGroup({ activeDeploymentId: 'd-OTHER0000' }),
      context(),
    );
    expect(completion.groupRuntime?.activeDeploymentId).toBe('d-OTHER0000');
  });
});
