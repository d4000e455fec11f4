import {
  AppErrorKind,
  emptyRuntime,
  ExecutionStatus,
  JobStatus,
  type ExecutionMode,
  type PipelineExecution,
  type PipelineRuntime,
  type TransitionChange,
  type TransitionView,
} from '@slipway/core';
import { describe, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { expectAppError } from './expect-app-error.ts';
import {
  aJob,
  actionQueue as queue,
  aPipeline,
  anExecution,
  ids,
  keyOf,
  nextVersion,
  waitingFor,
  type PipelineStoreCase,
} from './pipeline-store-fixtures.ts';

/**
 * Executions: creation (numbering, idempotency), transitions and what they write with the
 * execution (runtime, jobs, cancellations, wake-ups), due executions, listings, and no lost
 * update under concurrent transitions.
 */
export function pipelineExecutionCases(cases: PipelineStoreCase): void {
  const { store, jobs, clock, withPipeline, start, write } = cases;

  describe('createExecution', () => {
    it('numbers executions in start order across pipelines, at version 1', async () => {
      const a = await withPipeline({ name: 'a' });
      const b = await withPipeline({ name: 'b' });
      const first = await start(a);
      const second = await start(b);
      const third = await start(a);
      expect(first.seq).toBeLessThan(second.seq);
      expect(second.seq).toBeLessThan(third.seq);
      expect([first, second, third].map((e) => e.version)).toEqual([1, 1, 1]);
      expect(await store().findExecution(first.id)).toEqual(first);
      expect(await store().findExecution('nope')).toBeUndefined();
    });

    it('keeps every field of the execution, as it was given', async () => {
      const pipeline = await withPipeline();
      const given = anExecution(pipeline, {
        variables: { greeting: 'ünïcödé "quoted"' },
        sourceRevisions: [{ actionName: 'Fetch', revisionId: 'abc' }],
        namespaces: { Source: { CommitId: 'abc' } },
        statusSummary: undefined,
        dueAt: clock().now() + 60_000,
      });
      const result = await store().createExecution({
        key: keyOf(pipeline),
        create: () => ({ execution: given, result: undefined }),
      });
      const created = result.kind === 'created' ? result.execution : undefined;
      expect(created).toEqual({ ...given, seq: created?.seq, version: 1 });
      expect(await store().findExecution(given.id)).toEqual(created);
    });

    it('builds from the latest version and the runtime, and writes the rest of the change', async () => {
      const first = await withPipeline();
      const key = keyOf(first);
      await store().updatePipeline(nextVersion(first));
      const runtime: PipelineRuntime = { stages: { Source: { holder: 'earlier' } } };
      await store().updateRuntime(key, () => ({ runtime, result: undefined }));
      const views: Omit<TransitionView, 'execution'>[] = [];
      const job = aJob();
      const result = await store().createExecution({
        key,
        create: (view) => {
          views.push(view);
          return {
            execution: anExecution(view.pipeline),
            runtime: waitingFor(view.runtime, 'new'),
            jobs: [job],
            result: 'made',
          };
        },
      });
      expect(result).toMatchObject({ kind: 'created', result: 'made' });
      expect(views).toEqual([{ pipeline: nextVersion(first), runtime, latestVersion: 2 }]);
      expect(result.kind === 'created' ? result.execution.pipelineVersion : 0).toBe(2);
      expect(await store().findRuntime(key)).toEqual(waitingFor(runtime, 'new'));
      expect(await jobs().getJob(job.id ?? '')).toMatchObject({
        queue,
        payload: job.payload,
        status: JobStatus.Queued,
      });
    });

    it('replays the execution of a token seen before on the pipeline, without deciding', async () => {
      const pipeline = await withPipeline();
      const other = await withPipeline({ name: 'other' });
      const create = (view: Omit<TransitionView, 'execution'>) => ({
        execution: anExecution(view.pipeline),
        result: 'created',
      });
      const first = await store().createExecution({
        key: keyOf(pipeline),
        idempotencyToken: 't1',
        create,
      });
      expect(first.kind).toBe('created');
      const execution = first.kind === 'created' ? first.execution : undefined;
      const again = await store().createExecution({
        key: keyOf(pipeline),
        idempotencyToken: 't1',
        create: () => {
          throw new Error('a replay must not decide');
        },
      });
      expect(again).toEqual({ kind: 'replayed', execution });
      const elsewhere = await store().createExecution({
        key: keyOf(other),
        idempotencyToken: 't1',
        create,
      });
      expect(elsewhere.kind).toBe('created');
      const untokened = await store().createExecution({ key: keyOf(pipeline), create });
      expect(untokened.kind).toBe('created');
    });

    it('creates one execution for concurrent starts with the same token', async () => {
      const pipeline = await withPipeline();
      const results = await Promise.all(
        Array.from({ length: 6 }, () =>
          store().createExecution({
            key: keyOf(pipeline),
            idempotencyToken: 'same',
            create: (view) => ({ execution: anExecution(view.pipeline), result: undefined }),
          }),
        ),
      );
      expect(results.filter((r) => r.kind === 'created')).toHaveLength(1);
      const executions = results.map((r) => (r.kind === 'pipeline-missing' ? '' : r.execution.id));
      expect(new Set(executions).size).toBe(1);
      const listed = await store().listExecutions({
        key: keyOf(pipeline),
        before: undefined,
        limit: 10,
      });
      expect(listed).toHaveLength(1);
    });

    it('says pipeline-missing without deciding', async () => {
      const result = await store().createExecution({
        key: keyOf(aPipeline()),
        create: () => {
          throw new Error('a missing pipeline must not decide');
        },
      });
      expect(result).toEqual({ kind: 'pipeline-missing' });
    });

    it('writes nothing when create throws', async () => {
      const pipeline = await withPipeline();
      const job = aJob();
      const failed = store().createExecution({
        key: keyOf(pipeline),
        create: () => {
          throw new Error('boom');
        },
      });
      await expect(failed).rejects.toThrow('boom');
      const refused = store().createExecution({
        key: keyOf(pipeline),
        create: (view) => ({
          execution: anExecution(view.pipeline),
          runtime: waitingFor(view.runtime, 'x'),
          jobs: [job, aJob({ maxAttempts: 0 })],
          result: undefined,
        }),
      });
      await expectAppError(refused, AppErrorKind.InvalidInput);
      const key = keyOf(pipeline);
      expect(await store().listExecutions({ key, before: undefined, limit: 10 })).toEqual([]);
      expect(await store().findRuntime(key)).toEqual(emptyRuntime);
      expect(await jobs().findJob(job.id ?? '')).toBeUndefined();
    });
  });

  describe('transition', () => {
    it('sees the execution at its own pipeline version, writes it and bumps its version', async () => {
      const pipeline = await withPipeline();
      const execution = await start(pipeline);
      await store().updatePipeline(nextVersion(pipeline));
      const views: TransitionView[] = [];
      const result = await store().transition(execution.id, (view) => {
        views.push(view);
        return {
          execution: { ...view.execution, statusSummary: 'entering Build', lastUpdateTime: 7 },
          result: 42,
        };
      });
      expect(result).toBe(42);
      expect(views).toEqual([{ execution, pipeline, runtime: emptyRuntime, latestVersion: 2 }]);
      expect(await store().findExecution(execution.id)).toEqual({
        ...execution,
        statusSummary: 'entering Build',
        lastUpdateTime: 7,
        version: 2,
      });
    });

    it('leaves the document as it was when the change has no execution', async () => {
      const execution = await start(await withPipeline());
      expect(await store().transition(execution.id, () => ({ result: 'looked' }))).toBe('looked');
      expect(await store().findExecution(execution.id)).toEqual(execution);
    });

    it('is undefined for an unknown execution, without deciding', async () => {
      let decided = false;
      const result = await store().transition('nope', () => {
        decided = true;
        return { result: 'decided' };
      });
      expect(result).toBeUndefined();
      expect(decided).toBe(false);
    });

    it('enqueues its jobs and requests cancellations with the change', async () => {
      const execution = await start(await withPipeline());
      const queued = aJob();
      const leased = aJob({ queue: 'custom', maxAttempts: 3 });
      await write(execution, { statusSummary: 'dispatched' }, { jobs: [queued, leased] });
      expect(await jobs().getJob(queued.id ?? '')).toMatchObject({
        queue,
        payload: queued.payload,
        status: JobStatus.Queued,
        maxAttempts: 1,
      });
      const claimed = await jobs().claim({
        queue: 'custom',
        workerId: 'w1',
        leaseMs: 60_000,
      });
      expect(claimed?.job.id).toBe(leased.id);
      await write(
        execution,
        { statusSummary: 'abandoned' },
        { cancelJobs: [queued.id ?? '', leased.id ?? '', 'absent'] },
      );
      expect(await jobs().getJob(queued.id ?? '')).toMatchObject({
        status: JobStatus.Cancelled,
      });
      expect(await jobs().getJob(leased.id ?? '')).toMatchObject({
        status: JobStatus.Leased,
        cancelRequested: true,
      });
      expect(await store().findExecution(execution.id)).toMatchObject({
        statusSummary: 'abandoned',
        version: 3,
      });
    });

    it('writes nothing and enqueues nothing when decide throws or a job is refused', async () => {
      const pipeline = await withPipeline();
      const execution = await start(pipeline);
      const job = aJob();
      const thrown = store().transition(execution.id, () => {
        throw new Error('boom');
      });
      await expect(thrown).rejects.toThrow('boom');
      const refused = store().transition(execution.id, (view) => ({
        execution: { ...view.execution, statusSummary: 'never' },
        runtime: waitingFor(view.runtime, execution.id),
        jobs: [job, aJob({ maxAttempts: 0 })],
        result: undefined,
      }));
      await expectAppError(refused, AppErrorKind.InvalidInput);
      expect(await store().findExecution(execution.id)).toEqual(execution);
      expect(await store().findRuntime(keyOf(pipeline))).toEqual(emptyRuntime);
      expect(await jobs().findJob(job.id ?? '')).toBeUndefined();
    });

    it('wakes unfinished executions of its own pipeline only, and says so', async () => {
      const pipeline = await withPipeline();
      const other = await withPipeline({ name: 'other' });
      const waker = await start(pipeline);
      const waiting = await start(pipeline);
      const finished = await start(pipeline, { status: ExecutionStatus.Succeeded });
      const elsewhere = await start(other);
      let told = 0;
      const stop = store().watchDue(() => (told += 1));
      try {
        const now = clock().advance(500);
        const result = await store().transition(waker.id, () => ({
          wake: [waiting.id, finished.id, elsewhere.id, 'absent'],
          result: 'woke',
        }));
        expect(result).toBe('woke');
        expect(await store().listDue(now, 10)).toEqual([waiting.id]);
        await eventually(() => told > 0, { message: 'the due watcher was told' });
      } finally {
        stop();
      }
      // A wake-up is not part of the document.
      expect(await store().findExecution(waiting.id)).toEqual(waiting);
    });

    it("consumes a wake-up with the woken execution's next transition, even a no-op", async () => {
      const pipeline = await withPipeline();
      const waker = await start(pipeline);
      const waiting = await start(pipeline);
      const now = clock().advance(500);
      await store().transition(waker.id, () => ({ wake: [waiting.id], result: undefined }));
      expect(await store().listDue(now, 10)).toEqual([waiting.id]);
      await store().transition(waiting.id, () => ({ result: undefined }));
      expect(await store().listDue(now + 1_000, 10)).toEqual([]);
      expect(await store().nextDue()).toBeUndefined();
    });
  });

  describe('due executions', () => {
    it('lists due executions soonest first, up to a limit; nextDue is the earliest', async () => {
      const pipeline = await withPipeline();
      const now = clock().now();
      const late = await start(pipeline, { dueAt: now + 300 });
      const soon = await start(pipeline, { dueAt: now + 100 });
      const middle = await start(pipeline, { dueAt: now + 200 });
      await start(pipeline);
      await start(pipeline, { status: ExecutionStatus.Failed, dueAt: now + 50 });
      expect(await store().listDue(now, 10)).toEqual([]);
      expect(await store().nextDue()).toBe(now + 100);
      expect(await store().listDue(now + 200, 10)).toEqual([soon.id, middle.id]);
      expect(await store().listDue(now + 1_000, 2)).toEqual([soon.id, middle.id]);
      expect(await store().listDue(now + 1_000, 10)).toEqual([soon.id, middle.id, late.id]);
    });

    it('is due no more once a transition clears dueAt or finishes the execution', async () => {
      const pipeline = await withPipeline();
      const now = clock().now();
      const cleared = await start(pipeline, { dueAt: now });
      const ended = await start(pipeline, { dueAt: now });
      await write(cleared, { dueAt: undefined });
      await write(ended, { status: ExecutionStatus.Stopped });
      expect(await store().listDue(now + 1_000, 10)).toEqual([]);
      expect(await store().nextDue()).toBeUndefined();
      await write(cleared, { dueAt: now + 5 });
      expect(await store().nextDue()).toBe(now + 5);
    });

    it('tells due watchers after a commit gave an execution a dueAt', async () => {
      const pipeline = await withPipeline();
      let told = 0;
      const stop = store().watchDue(() => (told += 1));
      try {
        const execution = await start(pipeline, { dueAt: clock().now() + 1_000 });
        await eventually(() => told > 0, { message: 'the due watcher was told of a start' });
        const before = told;
        await write(execution, { dueAt: clock().now() + 2_000 });
        await eventually(() => told > before, { message: 'the watcher was told of a deadline' });
      } finally {
        stop();
      }
    });
  });

  describe('listing executions', () => {
    it('lists a pipeline’s executions newest first, a page before a seq, by status', async () => {
      const pipeline = await withPipeline();
      const key = keyOf(pipeline);
      const started: PipelineExecution[] = [];
      for (let i = 0; i < 5; i++) started.push(await start(pipeline));
      await start(await withPipeline({ name: 'other' }));
      const [e1, e2, e3, e4, e5] = started.map((e) => e.id);
      for (const execution of [started[1], started[3]]) {
        if (execution !== undefined) await write(execution, { status: ExecutionStatus.Succeeded });
      }
      const first = await store().listExecutions({ key, before: undefined, limit: 3 });
      expect(ids(first)).toEqual([e5, e4, e3]);
      expect(first[1]).toMatchObject({ status: ExecutionStatus.Succeeded, version: 2 });
      const next = await store().listExecutions({ key, before: first[2]?.seq, limit: 3 });
      expect(ids(next)).toEqual([e2, e1]);
      const succeeded = await store().listExecutions({
        key,
        before: undefined,
        limit: 10,
        statuses: [ExecutionStatus.Succeeded],
      });
      expect(ids(succeeded)).toEqual([e4, e2]);
      const none = await store().listExecutions({
        key,
        before: undefined,
        limit: 10,
        statuses: [],
      });
      expect(none).toEqual([]);
    });

    it('lists unfinished executions by seq, a page after a seq', async () => {
      const pipeline = await withPipeline();
      const first = await start(pipeline);
      await start(pipeline, { status: ExecutionStatus.Cancelled });
      const third = await start(pipeline, { status: ExecutionStatus.Stopping });
      const fourth = await start(await withPipeline({ name: 'other' }));
      expect(ids(await store().listUnfinished(10))).toEqual([first.id, third.id, fourth.id]);
      expect(ids(await store().listUnfinished(2))).toEqual([first.id, third.id]);
      expect(ids(await store().listUnfinished(10, third.seq))).toEqual([fourth.id]);
    });
  });

  describe('concurrency', () => {
    const counted = (view: TransitionView): TransitionChange<undefined> => {
      const count = Number(view.execution.variables.count ?? '0') + 1;
      return {
        execution: { ...view.execution, variables: { count: String(count) } },
        result: undefined,
      };
    };

    for (const mode of ['SUPERSEDED', 'PARALLEL'] as const satisfies ExecutionMode[]) {
      it(`loses none of 20 concurrent transitions of one ${mode} execution`, async () => {
        const execution = await start(await withPipeline({ executionMode: mode }));
        await Promise.all(
          Array.from({ length: 20 }, () => store().transition(execution.id, counted)),
        );
        expect(await store().findExecution(execution.id)).toMatchObject({
          variables: { count: '20' },
          version: 21,
        });
      });
    }

    for (const mode of ['QUEUED', 'PARALLEL'] as const satisfies ExecutionMode[]) {
      it(`loses no runtime change of two ${mode} executions transitioning at once`, async () => {
        const pipeline = await withPipeline({ executionMode: mode });
        const a = await start(pipeline);
        const b = await start(pipeline);
        const appending = (id: string) =>
          store().transition(id, (view) => ({
            runtime: waitingFor(view.runtime, id),
            result: undefined,
          }));
        await Promise.all(
          Array.from({ length: 10 }, () => [appending(a.id), appending(b.id)]).flat(),
        );
        const waiting = (await store().findRuntime(keyOf(pipeline)))?.stages.Build?.waiting;
        expect(waiting?.filter((id) => id === a.id)).toHaveLength(10);
        expect(waiting?.filter((id) => id === b.id)).toHaveLength(10);
      });
    }
  });
}
