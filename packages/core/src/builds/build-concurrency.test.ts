import {
  aProjectInput,
  buildsHarness,
  claimNextBuild,
  expectAppError,
  runClaimedBuild,
  type BuildsHarness,
} from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppErrorKind } from '../errors/app-error.ts';
import type { Build } from './build.model.ts';

let h: BuildsHarness;
beforeEach(async () => {
  h = buildsHarness();
  await h.service.createProject(h.scope, aProjectInput({ concurrentBuildLimit: 2 }));
});

const start = () => h.service.startBuild(h.scope, { projectName: 'app', initiator: 'a' });
const dispatchOf = async (build: Build) =>
  (await h.service.getBuild(h.scope, build.id)).run.dispatch;

async function startMany(count: number): Promise<Build[]> {
  const builds: Build[] = [];
  for (let i = 0; i < count; i++) {
    h.clock.advance(1);
    builds.push(await start());
  }
  return builds;
}

describe('concurrentBuildLimit', () => {
  it('holds builds over the limit in QUEUED, without a job', async () => {
    const [a, b, c] = await startMany(3);
    expect(a?.run).toMatchObject({ dispatch: 'queued' });
    expect(b?.run).toMatchObject({ dispatch: 'queued' });
    expect(c).toMatchObject({ currentPhase: 'QUEUED', run: { dispatch: 'held' } });
    expect(c?.run.jobId).toBeUndefined();
    await claimNextBuild(h);
    await claimNextBuild(h);
    expect(await h.service.claimBuild({ workerId: 'r', leaseMs: 1000 })).toBeUndefined();
  });

  it('releases the oldest held build when a running one completes', async () => {
    const [, , c, d] = await startMany(4);
    const first = await claimNextBuild(h);
    await claimNextBuild(h);
    await runClaimedBuild(h, first);
    expect(await dispatchOf(c!)).toBe('queued');
    expect(await dispatchOf(d!)).toBe('held');
    expect((await claimNextBuild(h)).build.id).toBe(c?.id);
  });

  it('releases a slot when a queued build is stopped', async () => {
    const [a, , c] = await startMany(3);
    await h.service.stopBuild(h.scope, a!.id);
    expect(await dispatchOf(c!)).toBe('queued');
  });

  it('a stopped held build gives no slot away', async () => {
    const [, , c, d] = await startMany(4);
    await h.service.stopBuild(h.scope, c!.id);
    expect(await dispatchOf(d!)).toBe('held');
  });

  it('releases a slot when the runner is lost', async () => {
    const [, , c] = await startMany(3);
    const claimed = await claimNextBuild(h, 'runner-1', 10_000);
    h.clock.advance(10_000);
    const [lost] = await h.jobs.expireLeases();
    const ended = await h.service.failLostBuild(lost?.id ?? '');
    expect(ended).toMatchObject({ id: claimed.build.id, buildStatus: 'FAILED' });
    expect(await dispatchOf(c!)).toBe('queued');
  });

  it('releases held builds at once when the limit is raised or removed', async () => {
    const [, , c, d, e] = await startMany(5);
    await h.service.updateProject(h.scope, { name: 'app', concurrentBuildLimit: 3 });
    expect(await dispatchOf(c!)).toBe('queued');
    expect(await dispatchOf(d!)).toBe('held');
    await h.service.updateProject(h.scope, { name: 'app', concurrentBuildLimit: -1 });
    expect(await dispatchOf(d!)).toBe('queued');
    expect(await dispatchOf(e!)).toBe('queued');
  });

  it('dispatches held builds when their project is deleted: a started build is never dropped', async () => {
    const [, , c] = await startMany(3);
    await h.service.deleteProject(h.scope, 'app');
    expect(await dispatchOf(c!)).toBe('queued');
  });

  it('queues a new build behind held ones, even when a slot is free', async () => {
    const [, , c] = await startMany(3);
    // As a crash between a slot freeing and the release would leave it: a slot free, c held.
    await h.projects.update({
      ...(await h.service.getProject(h.scope, 'app')),
      concurrentBuildLimit: 3,
    });
    const d = await start();
    expect(await dispatchOf(c!)).toBe('queued');
    expect(d.run.dispatch).toBe('held');
  });

  it('refuses a build when the queue holds five times the limit (AccountLimitExceeded)', async () => {
    await startMany(2 + 10);
    const error = await expectAppError(start(), AppErrorKind.LimitExceeded);
    expect(error.resource).toBe('build-queue');
  });

  it('the reconcile pass releases held builds a crash left behind', async () => {
    const [, , c] = await startMany(3);
    await h.projects.update({
      ...(await h.service.getProject(h.scope, 'app')),
      concurrentBuildLimit: 3,
    });
    expect(await dispatchOf(c!)).toBe('held');
    const changed = await h.service.expireBuilds();
    expect(changed.map((b) => b.id)).toEqual([c?.id]);
    expect(await dispatchOf(c!)).toBe('queued');
  });
});
