import {
  buildJobQueue,
  JobStatus,
  type Build,
  type BuildStore,
  type CreateBuild,
  type JobQueue,
  type Project,
  type ProjectStore,
  type ReportStore,
} from '@slipway/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { fakeClockStart, type FakeClock } from '../fake-clock.ts';
import type { ContractFactory, ContractHarness } from './contract-harness.ts';
import {
  aBuild,
  accountId,
  aProject,
  aReport,
  ended,
  otherAccountId,
  region,
} from './builds-fixtures.ts';

/**
 * A build store under test, with the stores it works with: projects (counters and limits),
 * reports (which `finish` records) and the job queue (which dispatched builds' jobs go to).
 */
export interface BuildStoreSubject {
  readonly builds: BuildStore;
  readonly projects: ProjectStore;
  readonly reports: ReportStore;
  readonly jobs: JobQueue;
  addAccount(accountId: string): Promise<void>;
}

const creating = (build: Build, more: Partial<CreateBuild> = {}): CreateBuild => ({
  build,
  idempotency: undefined,
  maxHeldPerSlot: 5,
  ...more,
});

/** The behaviour every `BuildStore` shares; each test opens a store of its own. */
export function buildStoreContract(
  name: string,
  factory: ContractFactory<BuildStoreSubject>,
): void {
  describe(`BuildStore contract: ${name}`, () => {
    let harness: ContractHarness<BuildStoreSubject> | undefined;

    beforeEach(async () => {
      harness = await factory();
      for (const id of [accountId, otherAccountId]) await harness.subject.addAccount(id);
    });
    afterEach(async () => {
      await harness?.close();
      harness = undefined;
    });

    const subject = (): BuildStoreSubject => {
      if (harness === undefined) throw new Error('the store under test did not open');
      return harness.subject;
    };
    const builds = () => subject().builds;
    const clock = (): FakeClock => harness!.clock;

    async function withProject(overrides: Parameters<typeof aProject>[0] = {}): Promise<Project> {
      const project = aProject(overrides);
      await subject().projects.insert(project);
      return project;
    }

    async function start(project: Project, more: Partial<CreateBuild> = {}): Promise<Build> {
      clock().advance(1);
      const result = await builds().create(creating(aBuild(project, clock().now()), more));
      if (result.kind !== 'created') throw new Error(`expected a build, got ${result.kind}`);
      return result.build;
    }

    const dispatchOf = async (build: Build) => (await builds().find(build.id))?.run.dispatch;

    describe('create', () => {
      it('numbers builds per project, dispatches them with a job, and finds them', async () => {
        const app = await withProject();
        const other = await withProject({ name: 'other' });
        const first = await start(app);
        const second = await start(app);
        const third = await start(other);
        expect([first, second, third].map((b) => b.buildNumber)).toEqual([1, 2, 1]);
        expect(first).toMatchObject({ run: { dispatch: 'queued' } });
        expect(await builds().find(first.id)).toEqual(first);
        expect(await builds().findByJob(first.run.jobId ?? '')).toEqual(first);
        const job = await subject().jobs.getJob(first.run.jobId ?? '');
        expect(job).toMatchObject({
          queue: buildJobQueue,
          payload: { buildId: first.id },
          maxAttempts: 1,
          status: JobStatus.Queued,
        });
        const many = await builds().findMany([third.id, 'app:nope', first.id, first.id]);
        expect(many.map((b) => b.id).sort()).toEqual([first.id, third.id].sort());
      });

      it('keeps every field of a build, as it was given', async () => {
        const project = await withProject({
          secondarySources: [{ type: 'S3', location: 'b/k.zip', sourceIdentifier: 'lib' }],
          environment: {
            type: 'LINUX_CONTAINER',
            image: 'img',
            computeType: 'BUILD_GENERAL1_SMALL',
            environmentVariables: [{ name: 'K', value: 'ünïcödé "quoted"', type: 'PLAINTEXT' }],
          },
        });
        const given = aBuild(project, fakeClockStart);
        const result = await builds().create(creating(given));
        expect(result.kind).toBe('created');
        const created = result.kind === 'created' ? result.build : given;
        expect(created).toEqual({
          ...given,
          buildNumber: 1,
          version: created.version,
          run: { ...given.run, dispatch: 'queued', jobId: created.run.jobId },
        });
      });

      it('says project-missing for a project that does not exist', async () => {
        const project = aProject();
        expect(await builds().create(creating(aBuild(project)))).toEqual({
          kind: 'project-missing',
        });
      });

      it('gives concurrent starts distinct, consecutive numbers', async () => {
        const project = await withProject();
        const results = await Promise.all(
          Array.from({ length: 12 }, () => builds().create(creating(aBuild(project)))),
        );
        const numbers = results.map((r) => (r.kind === 'created' ? r.build.buildNumber : 0));
        expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      });
    });

    describe('concurrency limit', () => {
      it('holds builds over the limit, without a job, and refuses past five times it', async () => {
        const project = await withProject({ concurrentBuildLimit: 1 });
        const running = await start(project);
        const held = await start(project);
        expect(held.run.dispatch).toBe('held');
        expect(held.run.jobId).toBeUndefined();
        for (let i = 0; i < 4; i++) await start(project);
        const full = await builds().create(creating(aBuild(project)));
        expect(full).toEqual({ kind: 'queue-full', limit: 1, held: 5 });
        expect(running.run.dispatch).toBe('queued');
      });

      it('never lets concurrent starts exceed the limit', async () => {
        const project = await withProject({ concurrentBuildLimit: 3 });
        const results = await Promise.all(
          Array.from({ length: 10 }, () => builds().create(creating(aBuild(project)))),
        );
        const dispatches = results.map((r) =>
          r.kind === 'created' ? r.build.run.dispatch : r.kind,
        );
        expect(dispatches.filter((d) => d === 'queued')).toHaveLength(3);
        expect(dispatches.filter((d) => d === 'held')).toHaveLength(7);
      });

      it('finishing a build releases the oldest held one into its slot, with a job', async () => {
        const project = await withProject({ concurrentBuildLimit: 1 });
        const first = await start(project);
        const second = await start(project);
        const third = await start(project);
        const finished = await builds().finish({ build: ended(first, clock().now()), reports: [] });
        expect(finished?.build).toMatchObject({ buildComplete: true, version: first.version + 1 });
        expect(finished?.released.map((b) => b.id)).toEqual([second.id]);
        const released = await builds().find(second.id);
        expect(released?.run).toMatchObject({ dispatch: 'queued' });
        expect((await subject().jobs.getJob(released?.run.jobId ?? '')).payload).toEqual({
          buildId: second.id,
        });
        expect(await dispatchOf(third)).toBe('held');
      });

      it('queues a new build behind held ones even with a slot free, then releases in order', async () => {
        const project = await withProject({ concurrentBuildLimit: 1 });
        await start(project);
        const held = await start(project);
        await subject().projects.update({ ...project, concurrentBuildLimit: 2 });
        const newest = await start(project);
        expect(await dispatchOf(held)).toBe('queued');
        expect(newest.run.dispatch).toBe('held');
      });

      it('releases held builds after a limit change, and all of a deleted project’s', async () => {
        const project = await withProject({ concurrentBuildLimit: 1 });
        await start(project);
        const a = await start(project);
        const b = await start(project);
        const c = await start(project);
        await subject().projects.update({ ...project, concurrentBuildLimit: 2 });
        expect(await builds().listReleasable(10)).toEqual([
          { accountId, region, projectName: 'app' },
        ]);
        expect(
          (await builds().releaseHeld({ accountId, region, projectName: 'app' })).map((x) => x.id),
        ).toEqual([a.id]);
        expect(await builds().listReleasable(10)).toEqual([]);
        await subject().projects.delete(accountId, region, 'app');
        expect(await builds().listReleasable(10)).toEqual([
          { accountId, region, projectName: 'app' },
        ]);
        const released = await builds().releaseHeld({ accountId, region, projectName: 'app' });
        expect(released.map((x) => x.id)).toEqual([b.id, c.id]);
      });
    });

    describe('idempotency tokens', () => {
      const token = (fingerprint: string) => ({
        idempotency: { token: 't', fingerprint, validSince: clock().now() - 300_000 },
      });

      it('replays the same request, refuses another, and expires', async () => {
        const project = await withProject();
        const first = await start(project, token('req-1'));
        const replay = await builds().create(
          creating(aBuild(project, clock().now()), token('req-1')),
        );
        expect(replay).toEqual({ kind: 'replayed', build: first });
        const mismatch = await builds().create(creating(aBuild(project), token('req-2')));
        expect(mismatch).toEqual({ kind: 'token-mismatch' });
        clock().advance(300_001);
        const fresh = await start(project, token('req-2'));
        expect(fresh.buildNumber).toBe(2);
        const replayFresh = await builds().create(creating(aBuild(project), token('req-2')));
        expect(replayFresh).toMatchObject({ kind: 'replayed', build: { id: fresh.id } });
      });

      it('gives concurrent requests with one token one build', async () => {
        const project = await withProject();
        const results = await Promise.all(
          Array.from({ length: 6 }, () =>
            builds().create(creating(aBuild(project), token('same'))),
          ),
        );
        const ids = new Set(
          results.map((r) => (r.kind === 'created' || r.kind === 'replayed' ? r.build.id : r.kind)),
        );
        expect(ids.size).toBe(1);
      });
    });

    describe('update and finish', () => {
      it('writes only from the version it was given', async () => {
        const project = await withProject();
        const build = await start(project);
        const updated = await builds().update({ ...build, currentPhase: 'PROVISIONING' });
        expect(updated).toMatchObject({ version: build.version + 1, currentPhase: 'PROVISIONING' });
        expect(await builds().update({ ...build, currentPhase: 'BUILD' })).toBeUndefined();
        expect(await builds().finish({ build: ended(build, 1), reports: [] })).toBeUndefined();
        expect(await builds().find(build.id)).toEqual(updated);
        expect(await builds().update({ ...aBuild(project), version: 1 })).toBeUndefined();
      });

      it('records the reports of a finished build, creating their groups once', async () => {
        const project = await withProject();
        const one = await start(project);
        const two = await start(project);
        const first = aReport(one, 'app-unit', ['SUCCEEDED', 'FAILED']);
        await builds().finish({ build: ended(one, 5), reports: [first] });
        const second = aReport(two, 'app-unit', ['SUCCEEDED']);
        await builds().finish({
          build: ended(two, 6),
          reports: [second, aReport(two, 'app-e2e', [])],
        });
        const reports = subject().reports;
        expect(await reports.findGroup(accountId, region, 'app-unit')).toEqual(first.group);
        expect(await reports.findReport(first.report.arn)).toEqual(first.report);
        const cases = await reports.listTestCases({
          reportArn: first.report.arn,
          status: undefined,
          keyword: undefined,
          after: undefined,
          limit: 10,
        });
        expect(cases.map((c) => c.testCase)).toEqual(first.testCases);
        const listed = await reports.listReports({
          accountId,
          region,
          reportGroupArn: first.group.arn,
          status: undefined,
          sortOrder: 'ASCENDING',
          after: undefined,
          limit: 10,
        });
        expect(listed.map((r) => r.arn)).toEqual([first.report.arn, second.report.arn]);
      });
    });

    describe('listing and deleting', () => {
      it('lists in start order either way, per project or all, a page at a time', async () => {
        const app = await withProject();
        const other = await withProject({ name: 'other' });
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) ids.push((await start(i % 2 === 0 ? app : other)).id);
        const elsewhere = { ...app, accountId: otherAccountId, arn: `${app.arn}-elsewhere` };
        await subject().projects.insert(elsewhere);
        expect((await builds().create(creating(aBuild(elsewhere)))).kind).toBe('created');
        const page = (more: {
          projectName?: string;
          sortOrder: 'ASCENDING' | 'DESCENDING';
          after?: number;
        }) =>
          builds().list({
            accountId,
            region,
            projectName: undefined,
            limit: 2,
            after: undefined,
            ...more,
          });
        const all: string[] = [];
        let after: number | undefined;
        for (;;) {
          const listed = await page({ sortOrder: 'ASCENDING', after });
          if (listed.length === 0) break;
          all.push(...listed.map((b) => b.id));
          after = listed.at(-1)?.seq;
        }
        expect(all).toEqual(ids);
        const newest = await page({ sortOrder: 'DESCENDING' });
        expect(newest.map((b) => b.id)).toEqual([ids[4], ids[3]]);
        const ofApp = await page({
          projectName: 'app',
          sortOrder: 'DESCENDING',
          after: newest[0]?.seq,
        });
        expect(ofApp.map((b) => b.id)).toEqual([ids[2], ids[0]]);
      });

      it('deletes ended builds only', async () => {
        const project = await withProject();
        const done = await start(project);
        const running = await start(project);
        await builds().finish({ build: ended(done, 9), reports: [] });
        expect(await builds().delete([done.id, running.id, 'app:nope'])).toEqual([done.id]);
        expect(await builds().find(done.id)).toBeUndefined();
        expect(await builds().find(running.id)).toBeDefined();
      });
    });

    describe('reconcile queries', () => {
      it('lists builds past their queued or run deadline', async () => {
        const project = await withProject({ concurrentBuildLimit: 1 });
        const queued = await start(project);
        const held = await start(project);
        const runningSoon = {
          ...queued,
          run: { ...queued.run, dispatch: 'running' as const, deadline: 5000 },
        };
        const running = await builds().update(runningSoon);
        const deadline = held.run.queuedDeadline;
        const due = (queuedBefore: number, runningBefore: number) =>
          builds()
            .listDue({ queuedBefore, runningBefore, limit: 10 })
            .then((list) => list.map((b) => b.id));
        expect(await due(deadline - 1, 4999)).toEqual([]);
        expect(await due(deadline, 4999)).toEqual([held.id]);
        expect(await due(0, 5000)).toEqual([running?.id]);
      });

      it('lists unfinished builds whose job is no longer live', async () => {
        const project = await withProject();
        const a = await start(project);
        const b = await start(project);
        expect(await builds().listOrphaned(10)).toEqual([]);
        await subject().jobs.requestCancel(a.run.jobId ?? '');
        const orphaned = await builds().listOrphaned(10);
        expect(orphaned.map((x) => x.id)).toEqual([a.id]);
        expect(b.run.jobId).toBeDefined();
      });
    });

    it('tells watchers which build changed', async () => {
      const project = await withProject();
      const seen: string[] = [];
      const stop = builds().watch((id) => seen.push(id));
      const build = await start(project);
      await builds().update({ ...build, currentPhase: 'PROVISIONING' });
      // A cross-server notifier (LISTEN/NOTIFY) delivers a little later, never before commit.
      await eventually(() => seen.filter((id) => id === build.id).length >= 2);
      stop();
    });
  });
}
