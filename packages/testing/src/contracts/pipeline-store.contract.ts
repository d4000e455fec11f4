import {
  AppErrorKind,
  emptyRuntime,
  ExecutionStatus,
  type JobQueue,
  type Pipeline,
  type PipelineExecution,
  type PipelineRuntime,
  type PipelineStore,
  type Tag,
  type TransitionChange,
} from '@slipway/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import type { FakeClock } from '../fake-clock.ts';
import { accountId, otherAccountId, region } from './builds-fixtures.ts';
import type { ContractFactory, ContractHarness } from './contract-harness.ts';
import { expectAppError } from './expect-app-error.ts';
import { pipelineExecutionCases } from './pipeline-execution.contract.ts';
import {
  aPipeline,
  anExecution,
  ids,
  keyOf,
  nextVersion,
  type PipelineOverrides,
  type PipelineStoreCase,
} from './pipeline-store-fixtures.ts';

/** A pipeline store under test, with the job queue its changes enqueue into. */
export interface PipelineStoreSubject {
  readonly store: PipelineStore;
  readonly jobs: JobQueue;
  addAccount(accountId: string): Promise<void>;
}

/** The behaviour every `PipelineStore` shares; each test opens a store of its own. */
export function pipelineStoreContract(
  name: string,
  factory: ContractFactory<PipelineStoreSubject>,
): void {
  describe(`PipelineStore contract: ${name}`, () => {
    let harness: ContractHarness<PipelineStoreSubject> | undefined;

    beforeEach(async () => {
      harness = await factory();
      for (const id of [accountId, otherAccountId]) await harness.subject.addAccount(id);
    });
    afterEach(async () => {
      await harness?.close();
      harness = undefined;
    });

    const subject = (): PipelineStoreSubject => {
      if (harness === undefined) throw new Error('the store under test did not open');
      return harness.subject;
    };
    const store = () => subject().store;
    const clock = (): FakeClock => harness!.clock;

    async function withPipeline(
      overrides: PipelineOverrides = {},
      tags: readonly Tag[] = [{ key: 'team', value: 'core' }],
    ): Promise<Pipeline> {
      const pipeline = aPipeline(overrides);
      await store().insertPipeline({ pipeline, tags });
      return pipeline;
    }

    async function start(
      pipeline: Pipeline,
      overrides: Partial<PipelineExecution> = {},
    ): Promise<PipelineExecution> {
      const result = await store().createExecution({
        key: keyOf(pipeline),
        create: (view) => ({ execution: anExecution(view.pipeline, overrides), result: undefined }),
      });
      if (result.kind !== 'created') throw new Error(`expected an execution, got ${result.kind}`);
      return result.execution;
    }

    async function write(
      execution: PipelineExecution,
      changes: Partial<PipelineExecution>,
      more: Omit<TransitionChange<undefined>, 'result'> = {},
    ): Promise<void> {
      await store().transition(execution.id, (view) => ({
        ...more,
        execution: { ...view.execution, ...changes },
        result: undefined,
      }));
    }

    const cases: PipelineStoreCase = {
      store,
      jobs: () => subject().jobs,
      clock,
      withPipeline,
      start,
      write,
    };

    describe('pipelines', () => {
      it('stores a pipeline and finds its latest version, in its account and region only', async () => {
        const pipeline = await withPipeline();
        const key = keyOf(pipeline);
        expect(await store().findPipeline(key)).toEqual(pipeline);
        expect(await store().findPipeline({ ...key, accountId: otherAccountId })).toBeUndefined();
        expect(await store().findPipeline({ ...key, region: 'eu-west-1' })).toBeUndefined();
        expect(await store().findPipeline({ ...key, name: 'nope' })).toBeUndefined();
        expect(await store().findRuntime(key)).toEqual(emptyRuntime);
      });

      it('refuses a name taken in the account and region: AlreadyExists on pipeline', async () => {
        await withPipeline();
        const error = await expectAppError(
          store().insertPipeline({ pipeline: aPipeline(), tags: [] }),
          AppErrorKind.AlreadyExists,
        );
        expect(error.resource).toBe('pipeline');
        await withPipeline({ accountId: otherAccountId });
        await withPipeline({ region: 'eu-west-1' });
      });

      it('keeps every version; an update is a compare-and-swap on the latest', async () => {
        const first = await withPipeline();
        const key = keyOf(first);
        const second = nextVersion(first);
        expect(await store().updatePipeline(second)).toEqual(second);
        expect(await store().findPipeline(key)).toEqual(second);
        expect(await store().findPipeline(key, 1)).toEqual(first);
        expect(await store().findPipeline(key, 2)).toEqual(second);
        expect(await store().findPipeline(key, 3)).toBeUndefined();
        // A writer that read version 1 lost the race; one that skips a version is refused.
        expect(await store().updatePipeline({ ...second, updated: 9 })).toBeUndefined();
        expect(await store().updatePipeline(nextVersion(nextVersion(second)))).toBeUndefined();
        expect(await store().findPipeline(key)).toEqual(second);
        expect(await store().updatePipeline(aPipeline({ name: 'nope', version: 2 }))).toBe(
          undefined,
        );
      });

      it('lists the latest versions by name, a page after a name', async () => {
        for (const name of ['c', 'a', 'b']) await withPipeline({ name });
        await withPipeline({ name: 'd', accountId: otherAccountId });
        const b2 = nextVersion(aPipeline({ name: 'b' }));
        await store().updatePipeline(b2);
        const page = { accountId, region, limit: 2 };
        const first = await store().listPipelines({ ...page, after: undefined });
        expect(first.map((p) => [p.name, p.version])).toEqual([
          ['a', 1],
          ['b', 2],
        ]);
        expect(first[1]).toEqual(b2);
        const rest = await store().listPipelines({ ...page, after: 'b' });
        expect(rest.map((p) => p.name)).toEqual(['c']);
      });

      it('deletes versions, runtime and tags, and says which executions were running', async () => {
        const pipeline = await withPipeline();
        const key = keyOf(pipeline);
        const running = await start(pipeline, { dueAt: clock().now() });
        const done = await start(pipeline);
        await write(done, { status: ExecutionStatus.Succeeded });
        const stopping = await start(pipeline, { status: ExecutionStatus.Stopping });
        expect(await store().deletePipeline(key)).toEqual({
          deleted: true,
          running: [running.id, stopping.id],
        });
        expect(await store().findPipeline(key)).toBeUndefined();
        expect(await store().findPipeline(key, 1)).toBeUndefined();
        expect(await store().findRuntime(key)).toBeUndefined();
        expect(await store().findTags(pipeline.arn)).toEqual([]);
        // Readable by id, listed no more, due no more.
        expect(await store().findExecution(running.id)).toEqual(running);
        expect(await store().listExecutions({ key, before: undefined, limit: 10 })).toEqual([]);
        expect(await store().listUnfinished(10)).toEqual([]);
        expect(await store().listDue(clock().now(), 10)).toEqual([]);
        expect(await store().nextDue()).toBeUndefined();
        expect(await store().deletePipeline(key)).toEqual({ deleted: false, running: [] });
      });

      it('starts a pipeline created again under a deleted name without executions', async () => {
        const pipeline = await withPipeline();
        const key = keyOf(pipeline);
        const old = await start(pipeline);
        await store().deletePipeline(key);
        let decided = false;
        const gone = await store().transition(old.id, () => {
          decided = true;
          return { result: 'decided' };
        });
        expect(gone).toBeUndefined();
        expect(decided).toBe(false);
        await withPipeline();
        expect(await store().listExecutions({ key, before: undefined, limit: 10 })).toEqual([]);
        const fresh = await start(pipeline);
        const listed = await store().listExecutions({ key, before: undefined, limit: 10 });
        expect(ids(listed)).toEqual([fresh.id]);
        expect(await store().transition(old.id, () => ({ result: 'decided' }))).toBeUndefined();
      });

      it('tags by ARN: adds, replaces by key, removes', async () => {
        const { arn } = await withPipeline({}, [{ key: 'team', value: 'core' }]);
        expect(await store().findTags(arn)).toEqual([{ key: 'team', value: 'core' }]);
        const tags = [
          { key: 'team', value: 'web' },
          { key: 'env', value: 'prod' },
        ];
        expect(await store().tag(arn, tags)).toBe(true);
        expect(await store().findTags(arn)).toEqual(tags);
        expect(await store().untag(arn, ['team', 'absent'])).toBe(true);
        expect(await store().findTags(arn)).toEqual([{ key: 'env', value: 'prod' }]);
        const missing = aPipeline({ name: 'nope' }).arn;
        expect(await store().tag(missing, tags)).toBe(false);
        expect(await store().untag(missing, ['env'])).toBe(false);
        expect(await store().findTags(missing)).toEqual([]);
      });
    });

    describe('runtime', () => {
      it('decides on the runtime and the latest pipeline, and writes what it returns', async () => {
        const first = await withPipeline();
        const key = keyOf(first);
        const second = nextVersion(first);
        await store().updatePipeline(second);
        const seen: { runtime: PipelineRuntime; pipeline: Pipeline }[] = [];
        const held: PipelineRuntime = { stages: { Build: { holder: 'e1' } } };
        const result = await store().updateRuntime(key, (runtime, pipeline) => {
          seen.push({ runtime, pipeline });
          return { runtime: held, result: 'held' };
        });
        expect(result).toBe('held');
        expect(seen).toEqual([{ runtime: emptyRuntime, pipeline: second }]);
        expect(await store().findRuntime(key)).toEqual(held);
        expect(await store().updateRuntime(key, () => ({ result: 'kept' }))).toBe('kept');
        expect(await store().findRuntime(key)).toEqual(held);
      });

      it('is undefined for a missing pipeline, without deciding', async () => {
        let decided = false;
        const result = await store().updateRuntime(keyOf(aPipeline()), () => {
          decided = true;
          return { result: 'decided' };
        });
        expect(result).toBeUndefined();
        expect(decided).toBe(false);
      });

      it("wakes the pipeline's executions: due now, and due watchers are told", async () => {
        const pipeline = await withPipeline();
        const other = await withPipeline({ name: 'other' });
        const mine = await start(pipeline);
        const theirs = await start(other);
        let told = 0;
        const stop = store().watchDue(() => (told += 1));
        try {
          const now = clock().advance(1_000);
          await store().updateRuntime(keyOf(pipeline), () => ({
            wake: [mine.id, theirs.id],
            result: undefined,
          }));
          expect(await store().listDue(now, 10)).toEqual([mine.id]);
          expect(await store().nextDue()).toBe(now);
          await eventually(() => told > 0, { message: 'the due watcher was told' });
        } finally {
          stop();
        }
      });
    });

    pipelineExecutionCases(cases);
  });
}
