import {
  aProjectInput,
  buildsHarness,
  claimNextBuild,
  fakeClockStart,
  type BuildsHarness,
} from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { JobStatus } from '../jobs/job.model.ts';

const minute = 60_000;
let h: BuildsHarness;
beforeEach(async () => {
  h = buildsHarness({ timeoutGraceMs: 30_000 });
  await h.service.createProject(
    h.scope,
    aProjectInput({ timeoutInMinutes: 10, queuedTimeoutInMinutes: 5 }),
  );
});

const start = () => h.service.startBuild(h.scope, { projectName: 'app', initiator: 'a' });
const phasesOf = (build: { phases: readonly { phaseType: string; phaseStatus?: string }[] }) =>
  build.phases.map((p) => [p.phaseType, p.phaseStatus]);

describe('queued timeout', () => {
  it('ends a build still queued at its deadline TIMED_OUT, and cancels its job', async () => {
    const build = await start();
    h.clock.advance(5 * minute - 1);
    expect(await h.service.expireBuilds()).toEqual([]);
    h.clock.advance(1);
    const [ended] = await h.service.expireBuilds();
    expect(ended).toMatchObject({ id: build.id, buildStatus: 'TIMED_OUT', buildComplete: true });
    expect(phasesOf(ended!)).toEqual([
      ['SUBMITTED', 'SUCCEEDED'],
      ['QUEUED', 'TIMED_OUT'],
      ['COMPLETED', undefined],
    ]);
    expect(ended?.phases[1]?.contexts).toEqual([
      { statusCode: 'BUILD_TIMED_OUT', message: 'Build timed out in the queue after 5 minutes.' },
    ]);
    expect((await h.jobs.getJob(build.run.jobId ?? '')).status).toBe(JobStatus.Cancelled);
  });

  it('times out held builds too, and a claimed build is no longer subject to it', async () => {
    await h.service.updateProject(h.scope, { name: 'app', concurrentBuildLimit: 1 });
    const running = await start();
    const held = await start();
    await claimNextBuild(h);
    h.clock.advance(5 * minute);
    const ended = await h.service.expireBuilds();
    expect(ended.map((b) => [b.id, b.buildStatus])).toEqual([[held.id, 'TIMED_OUT']]);
    expect((await h.service.getBuild(h.scope, running.id)).buildComplete).toBe(false);
  });
});

describe('build timeout', () => {
  it('ends a running build TIMED_OUT once past its deadline and the grace, even with its runner alive', async () => {
    await start();
    const claimed = await claimNextBuild(h, 'runner-1', 60_000);
    const lease = { buildId: claimed.build.id, leaseId: claimed.lease.leaseId };
    await h.service.recordPhase({ ...lease, phaseType: 'PROVISIONING', phaseStatus: 'SUCCEEDED' });
    await h.service.recordPhase({ ...lease, phaseType: 'BUILD' });
    for (let t = 0; t < 10 * minute + 30_000; t += 50_000) {
      h.clock.advance(50_000);
      await h.service.heartbeat({ ...lease, leaseMs: 60_000 });
    }
    const [ended] = await h.service.expireBuilds();
    expect(ended).toMatchObject({
      buildStatus: 'TIMED_OUT',
      endTime: fakeClockStart + 650_000,
      run: { endedBy: 'server' },
    });
    expect(ended?.phases.at(-2)).toMatchObject({
      phaseType: 'BUILD',
      phaseStatus: 'TIMED_OUT',
      contexts: [
        { statusCode: 'BUILD_TIMED_OUT', message: 'Build has timed out after 10 minutes.' },
      ],
    });
    // The runner learns it on its next heartbeat, and its late completion is refused.
    const job = await h.jobs.getJob(claimed.lease.jobId);
    expect(job.cancelRequested).toBe(true);
  });
});

describe('lost runner', () => {
  it('fails the build with a clear context when its lease lapses', async () => {
    await start();
    const claimed = await claimNextBuild(h, 'runner-1', 15_000);
    const lease = { buildId: claimed.build.id, leaseId: claimed.lease.leaseId };
    await h.service.recordPhase({ ...lease, phaseType: 'PROVISIONING', phaseStatus: 'SUCCEEDED' });
    await h.service.recordPhase({ ...lease, phaseType: 'INSTALL' });
    h.clock.advance(15_000);
    const [lost] = await h.jobs.expireLeases();
    expect(lost?.status).toBe(JobStatus.Lost);
    const ended = await h.service.failLostBuild(lost?.id ?? '');
    expect(ended).toMatchObject({
      buildStatus: 'FAILED',
      buildComplete: true,
      run: { endedBy: 'server' },
    });
    expect(ended?.phases.at(-2)).toMatchObject({
      phaseType: 'INSTALL',
      phaseStatus: 'FAILED',
      contexts: [
        {
          statusCode: 'RUNNER_LOST',
          message: 'The runner stopped responding: lease expired at 2025-01-01T00:00:15.000Z.',
        },
      ],
    });
    // Twice is once.
    expect(await h.service.failLostBuild(lost?.id ?? '')).toEqual(ended);
  });

  it('leaves a build whose job is still live alone', async () => {
    await start();
    const claimed = await claimNextBuild(h);
    const build = await h.service.failLostBuild(claimed.lease.jobId);
    expect(build?.buildComplete).toBe(false);
    expect(await h.service.failLostBuild('no-such-job')).toBeUndefined();
  });

  it('ends a build StopBuild asked to stop STOPPED when its runner goes', async () => {
    await start();
    const claimed = await claimNextBuild(h, 'runner-1', 15_000);
    await h.service.stopBuild(h.scope, claimed.build.id);
    h.clock.advance(15_000);
    const [cancelled] = await h.jobs.expireLeases();
    expect(cancelled?.status).toBe(JobStatus.Cancelled);
    const ended = await h.service.failLostBuild(cancelled?.id ?? '');
    expect(ended?.buildStatus).toBe('STOPPED');
  });

  it('the reconcile pass fails builds whose lost job nobody reported', async () => {
    await start();
    const claimed = await claimNextBuild(h, 'runner-1', 15_000);
    h.clock.advance(15_000);
    await h.jobs.expireLeases();
    const [ended] = await h.service.expireBuilds();
    expect(ended).toMatchObject({ id: claimed.build.id, buildStatus: 'FAILED' });
    expect(await h.service.expireBuilds()).toEqual([]);
  });

  it('refuses the lost runner’s late calls', async () => {
    await start();
    const claimed = await claimNextBuild(h, 'runner-1', 15_000);
    h.clock.advance(15_000);
    const [lost] = await h.jobs.expireLeases();
    await h.service.failLostBuild(lost?.id ?? '');
    await expect(
      h.service.completeBuild({
        buildId: claimed.build.id,
        leaseId: claimed.lease.leaseId,
        outcome: { buildStatus: 'SUCCEEDED' },
      }),
    ).rejects.toMatchObject({ kind: 'Conflict', resource: 'build-lease' });
  });
});
