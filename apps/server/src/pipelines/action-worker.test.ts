import {
  pipelineActionQueue,
  systemClock,
  type ActionAttemptRef,
  type ActionControls,
  type ActionExecutor,
  type ActionResult,
  type ActionTask,
  type Clock,
  type ExternalExecution,
  type JsonValue,
  type PipelineActionJobPayload,
} from '@slipway/core';
import { eventually, FakeClock, InMemoryJobQueue, SeededRandom } from '@slipway/testing';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { abortKindOf, ActionAbortKind } from './action-abort.ts';
import { anActionTask } from './action-task.fixture.ts';
import { ActionWorker, type ActionTaskService, type ActionWorkerOptions } from './action-worker.ts';

const buildKey = 'Build/AWS/CodeBuild/1';

/** The pipelines service as the worker sees it, recording every call. */
class StubPipelines implements ActionTaskService {
  readonly tasks = new Map<string, ActionTask | undefined>();
  readonly completed: { ref: ActionAttemptRef; result: ActionResult; jobStatus: string }[] = [];
  readonly saved: { ref: ActionAttemptRef; checkpoint: JsonValue }[] = [];
  readonly jobs: InMemoryJobQueue;

  constructor(jobs: InMemoryJobQueue) {
    this.jobs = jobs;
  }

  openActionTask(payload: PipelineActionJobPayload): Promise<ActionTask | undefined> {
    return Promise.resolve(this.tasks.get(payload.actionExecutionId));
  }

  saveActionCheckpoint(
    ref: ActionAttemptRef,
    checkpoint: JsonValue,
    external?: ExternalExecution,
  ): Promise<void> {
    void external;
    this.saved.push({ ref, checkpoint });
    return Promise.resolve();
  }

  async completeActionTask(ref: ActionAttemptRef, result: ActionResult): Promise<void> {
    const [job] = (await this.#jobsOf(ref.actionExecutionId)).map((j) => j.status);
    this.completed.push({ ref, result, jobStatus: job ?? 'none' });
  }

  async #jobsOf(actionExecutionId: string) {
    const job = await this.jobs.findJob(`job-${actionExecutionId}`);
    return job === undefined ? [] : [job];
  }
}

/** An executor that waits until the test settles it or its signal aborts. */
class GatedExecutor implements ActionExecutor {
  readonly started: { task: ActionTask; controls: ActionControls }[] = [];
  readonly #gates: ((result: ActionResult) => void)[] = [];

  execute(task: ActionTask, controls: ActionControls): Promise<ActionResult> {
    this.started.push({ task, controls });
    return new Promise((resolve, reject) => {
      this.#gates.push(resolve);
      controls.signal.addEventListener('abort', () => reject(controls.signal.reason as Error));
    });
  }

  release(index: number, result: ActionResult = { status: 'Succeeded' }): void {
    this.#gates[index]?.(result);
  }
}

const workers: ActionWorker[] = [];
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.close();
});

interface Setup {
  readonly executors?: Record<string, ActionExecutor>;
  readonly options?: ActionWorkerOptions;
  readonly workerClock?: Clock;
}

function start(setup: Setup = {}) {
  const clock = new FakeClock();
  const jobs = new InMemoryJobQueue({ clock, random: new SeededRandom() });
  const pipelines = new StubPipelines(jobs);
  const worker = new ActionWorker(
    {
      jobs,
      pipelines,
      executors: new Map(Object.entries(setup.executors ?? {})),
      clock: setup.workerClock ?? clock,
      workerId: 'server-1',
      log: pino({ level: 'silent' }),
    },
    { closeGraceMs: 20, ...setup.options },
  );
  worker.start();
  workers.push(worker);
  return { clock, jobs, pipelines, worker };
}

async function enqueue(
  s: ReturnType<typeof start>,
  actionExecutionId: string,
  /** `null`: the action is already over. */
  task: ActionTask | null = anActionTask({ actionExecutionId }),
) {
  s.pipelines.tasks.set(actionExecutionId, task ?? undefined);
  await s.jobs.enqueue({
    id: `job-${actionExecutionId}`,
    queue: pipelineActionQueue,
    payload: { executionId: 'execution-1', actionExecutionId },
  });
}

const jobStatus = async (s: ReturnType<typeof start>, actionExecutionId: string) =>
  (await s.jobs.getJob(`job-${actionExecutionId}`)).status;

/** Lets the worker finish the completion that follows its last step. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('ActionWorker', () => {
  it('reports the result to the pipelines service before completing the job', async () => {
    const executor = new GatedExecutor();
    const s = start({ executors: { [buildKey]: executor } });
    await enqueue(s, 'a1');
    await eventually(() => executor.started.length === 1);
    executor.release(0, { status: 'Succeeded', outputVariables: { X: '1' } });
    await eventually(() => s.pipelines.completed.length === 1);
    await settled();
    expect(s.pipelines.completed).toEqual([
      {
        ref: { executionId: 'execution-1', actionExecutionId: 'a1' },
        result: { status: 'Succeeded', outputVariables: { X: '1' } },
        jobStatus: 'leased',
      },
    ]);
    expect(await jobStatus(s, 'a1')).toBe('succeeded');
  });

  it('saves checkpoints through the pipelines service', async () => {
    const executor = new GatedExecutor();
    const s = start({ executors: { [buildKey]: executor } });
    await enqueue(s, 'a1');
    await eventually(() => executor.started.length === 1);
    await executor.started[0]?.controls.save({ buildId: 'app:1' });
    expect(s.pipelines.saved).toEqual([
      {
        ref: { executionId: 'execution-1', actionExecutionId: 'a1' },
        checkpoint: { buildId: 'app:1' },
      },
    ]);
  });

  it('fails an action whose provider it has no executor for', async () => {
    const s = start();
    await enqueue(s, 'a1');
    await eventually(() => s.pipelines.completed.length === 1);
    await settled();
    expect(s.pipelines.completed[0]?.result).toMatchObject({
      status: 'Failed',
      summary: `Slipway cannot run actions of type ${buildKey} on the server`,
    });
    expect(await jobStatus(s, 'a1')).toBe('failed');
  });

  it('completes the job of an action that is already over', async () => {
    const s = start();
    await enqueue(s, 'a1', null);
    let status = '';
    await eventually(() => {
      void jobStatus(s, 'a1').then((current) => (status = current));
      return status === 'succeeded';
    });
    expect(s.pipelines.completed).toEqual([]);
  });

  it('fails the action with the message of an executor that throws', async () => {
    const failing: ActionExecutor = { execute: () => Promise.reject(new Error('disk on fire')) };
    const s = start({ executors: { [buildKey]: failing } });
    await enqueue(s, 'a1');
    await eventually(() => s.pipelines.completed.length === 1);
    expect(s.pipelines.completed[0]?.result).toEqual({
      status: 'Failed',
      summary: 'disk on fire',
      errorDetails: { code: 'JobFailed', message: 'disk on fire' },
    });
  });

  it('fails an action past its deadline with a TimeoutError, without running it', async () => {
    const executor = new GatedExecutor();
    const s = start({ executors: { [buildKey]: executor } });
    await enqueue(s, 'a1', anActionTask({ actionExecutionId: 'a1', deadline: s.clock.now() - 1 }));
    await eventually(() => s.pipelines.completed.length === 1);
    expect(s.pipelines.completed[0]?.result).toMatchObject({
      status: 'Failed',
      errorDetails: { code: 'TimeoutError' },
    });
    expect(executor.started).toEqual([]);
  });

  it('aborts an action that reaches its deadline while running', async () => {
    const executor = new GatedExecutor();
    const s = start({ executors: { [buildKey]: executor }, workerClock: systemClock });
    await enqueue(s, 'a1', anActionTask({ actionExecutionId: 'a1', deadline: Date.now() + 30 }));
    await eventually(() => s.pipelines.completed.length === 1);
    const signal = executor.started[0]?.controls.signal;
    expect(signal && abortKindOf(signal)).toBe(ActionAbortKind.TimedOut);
    expect(s.pipelines.completed[0]?.result.errorDetails?.code).toBe('TimeoutError');
  });

  it('stops without completing anything when its lease is lost', async () => {
    const executor = new GatedExecutor();
    const s = start({ executors: { [buildKey]: executor }, options: { leaseMs: 60 } });
    await enqueue(s, 'a1');
    await eventually(() => executor.started.length === 1);
    s.clock.advance(61); // The lease lapses; the next heartbeat is refused.
    const signal = executor.started[0]?.controls.signal;
    await eventually(() => signal?.aborted === true);
    await settled();
    expect(signal && abortKindOf(signal)).toBe(ActionAbortKind.LeaseLost);
    expect(s.pipelines.completed).toEqual([]);
    expect(await jobStatus(s, 'a1')).toBe('leased');
    await expect(executor.started[0]?.controls.save({ late: true })).rejects.toThrow();
    expect(s.pipelines.saved).toEqual([]);
  });

  it('aborts an abandoned action and completes its job without reporting a result', async () => {
    const executor = new GatedExecutor();
    const s = start({ executors: { [buildKey]: executor }, options: { leaseMs: 60 } });
    await enqueue(s, 'a1');
    await eventually(() => executor.started.length === 1);
    await s.jobs.requestCancel('job-a1');
    const signal = executor.started[0]?.controls.signal;
    await eventually(() => signal?.aborted === true);
    await settled();
    expect(signal && abortKindOf(signal)).toBe(ActionAbortKind.Cancelled);
    expect(s.pipelines.completed).toEqual([]);
    expect(await jobStatus(s, 'a1')).toBe('failed');
  });

  it('runs at most `concurrency` actions at once', async () => {
    const executor = new GatedExecutor();
    const s = start({ executors: { [buildKey]: executor }, options: { concurrency: 2 } });
    for (const id of ['a1', 'a2', 'a3']) await enqueue(s, id);
    await eventually(() => executor.started.length === 2);
    await settled();
    expect(executor.started).toHaveLength(2);
    executor.release(0);
    await eventually(() => executor.started.length === 3);
  });

  it('leaves running actions to another server when closed', async () => {
    const executor = new GatedExecutor();
    const s = start({ executors: { [buildKey]: executor } });
    await enqueue(s, 'a1');
    await eventually(() => executor.started.length === 1);
    await s.worker.close();
    const signal = executor.started[0]?.controls.signal;
    expect(signal && abortKindOf(signal)).toBe(ActionAbortKind.Released);
    await settled();
    expect(s.pipelines.completed).toEqual([]);
    expect(await jobStatus(s, 'a1')).toBe('leased');
  });
});
