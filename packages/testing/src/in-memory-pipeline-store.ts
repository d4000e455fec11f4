import {
  AppError,
  AppErrorKind,
  emptyRuntime,
  PipelinesSubject,
  pipelinesError,
  terminalExecutionStatuses,
  type Clock,
  type ListExecutionsQuery,
  type ListPipelinesQuery,
  type NewExecutionInput,
  type NewExecutionResult,
  type NewJob,
  type NewPipelineInput,
  type Pipeline,
  type PipelineExecution,
  type PipelineKey,
  type PipelineRuntime,
  type PipelineStore,
  type Random,
  type RuntimeChange,
  type Tag,
  type TransitionChange,
  type TransitionView,
} from '@slipway/core';
import { compareKeys, copyOf } from './in-memory-builds-support.ts';
import type { InMemoryJobQueue } from './in-memory-job-queue.ts';
import { settle } from './settle.ts';

export interface InMemoryPipelineStoreDeps {
  /** Where the jobs a change gives are enqueued, and its cancellations requested. */
  readonly jobs: InMemoryJobQueue;
  /** What a wake-up sets `dueAt` to. */
  readonly clock: Clock;
  /** Pipeline ids, and ids of jobs given without one. */
  readonly random: Random;
}

interface StoredPipeline {
  readonly id: string;
  readonly key: PipelineKey;
  readonly arn: string;
  latestVersion: number;
  runtime: PipelineRuntime;
  tags: Tag[];
  readonly versions: Map<number, Pipeline>;
}

interface StoredExecution {
  execution: PipelineExecution;
  readonly pipelineId: string;
  /** The document's `dueAt`, or when a wake-up made it due; none once finished. */
  dueAt: number | undefined;
  readonly token: string | undefined;
}

/** What a change did that must be awaited (jobs) and announced (due executions). */
interface Applied {
  due: boolean;
  readonly pending: Promise<unknown>[];
}

/**
 * Pipelines and executions in Maps, with the semantics of `KyselyPipelineStore`; the contract
 * suite holds both. Each write runs `decide` and applies its whole change before the first
 * await, as the SQL stores' transactions do under the pipeline's lock: the in-memory job queue
 * it writes through changes synchronously. Executions refer to their pipeline's id, so they
 * outlive its deletion and a pipeline created again under the name starts without them.
 */
export class InMemoryPipelineStore implements PipelineStore {
  readonly #deps: InMemoryPipelineStoreDeps;
  /** By pipeline id. */
  readonly #pipelines = new Map<string, StoredPipeline>();
  /** Pipeline ids by `keyText`. */
  readonly #names = new Map<string, string>();
  readonly #executions = new Map<string, StoredExecution>();
  readonly #listeners = new Set<() => void>();
  #lastSeq = 0;

  constructor(deps: InMemoryPipelineStoreDeps) {
    this.#deps = deps;
  }

  insertPipeline(input: NewPipelineInput): Promise<void> {
    return settle(() => {
      const { pipeline, tags } = input;
      const name = keyText(pipeline);
      if (this.#names.has(name)) {
        throw pipelinesError(
          AppErrorKind.AlreadyExists,
          PipelinesSubject.Pipeline,
          `A pipeline with name '${pipeline.name}' already exists`,
        );
      }
      const id = this.#deps.random.uuid();
      this.#pipelines.set(id, {
        id,
        key: { accountId: pipeline.accountId, region: pipeline.region, name: pipeline.name },
        arn: pipeline.arn,
        latestVersion: pipeline.version,
        runtime: copyOf(emptyRuntime),
        tags: copyOf([...tags]),
        versions: new Map([[pipeline.version, copyOf(pipeline)]]),
      });
      this.#names.set(name, id);
    });
  }

  findPipeline(key: PipelineKey, version?: number): Promise<Pipeline | undefined> {
    return settle(() => {
      const stored = this.#find(key);
      const pipeline = stored?.versions.get(version ?? stored.latestVersion);
      return pipeline === undefined ? undefined : copyOf(pipeline);
    });
  }

  listPipelines(query: ListPipelinesQuery): Promise<Pipeline[]> {
    return settle(() =>
      [...this.#pipelines.values()]
        .filter(
          ({ key }) =>
            key.accountId === query.accountId &&
            key.region === query.region &&
            (query.after === undefined || compareKeys(key.name, query.after) > 0),
        )
        .sort((a, b) => compareKeys(a.key.name, b.key.name))
        .slice(0, Math.max(0, query.limit))
        .flatMap((stored) => {
          const latest = stored.versions.get(stored.latestVersion);
          return latest === undefined ? [] : [copyOf(latest)];
        }),
    );
  }

  updatePipeline(pipeline: Pipeline): Promise<Pipeline | undefined> {
    return settle(() => {
      const stored = this.#find(pipeline);
      if (stored?.latestVersion !== pipeline.version - 1) return undefined;
      stored.latestVersion = pipeline.version;
      stored.versions.set(pipeline.version, copyOf(pipeline));
      return copyOf(pipeline);
    });
  }

  deletePipeline(key: PipelineKey): Promise<{ deleted: boolean; running: string[] }> {
    return settle(() => {
      const stored = this.#find(key);
      if (stored === undefined) return { deleted: false, running: [] };
      const running: string[] = [];
      for (const entry of this.#sorted()) {
        if (entry.pipelineId !== stored.id) continue;
        // Nothing can transition them any more: they are due no more either.
        entry.dueAt = undefined;
        if (isUnfinished(entry.execution)) running.push(entry.execution.id);
      }
      this.#pipelines.delete(stored.id);
      this.#names.delete(keyText(key));
      return { deleted: true, running };
    });
  }

  findTags(arn: string): Promise<Tag[]> {
    return settle(() => copyOf(this.#byArn(arn)?.tags ?? []));
  }

  tag(arn: string, tags: readonly Tag[]): Promise<boolean> {
    return settle(() => {
      const stored = this.#byArn(arn);
      if (stored === undefined) return false;
      const merged = new Map(stored.tags.map((t) => [t.key, t.value]));
      for (const tag of tags) merged.set(tag.key, tag.value);
      stored.tags = [...merged].map(([key, value]) => ({ key, value }));
      return true;
    });
  }

  untag(arn: string, keys: readonly string[]): Promise<boolean> {
    return settle(() => {
      const stored = this.#byArn(arn);
      if (stored === undefined) return false;
      const removed = new Set(keys);
      stored.tags = stored.tags.filter((t) => !removed.has(t.key));
      return true;
    });
  }

  findRuntime(key: PipelineKey): Promise<PipelineRuntime | undefined> {
    return settle(() => {
      const stored = this.#find(key);
      return stored === undefined ? undefined : copyOf(stored.runtime);
    });
  }

  async updateRuntime<T>(
    key: PipelineKey,
    decide: (runtime: PipelineRuntime, pipeline: Pipeline) => RuntimeChange<T>,
  ): Promise<T | undefined> {
    const stored = this.#find(key);
    const latest = stored?.versions.get(stored.latestVersion);
    if (stored === undefined || latest === undefined) return undefined;
    const change = decide(copyOf(stored.runtime), copyOf(latest));
    await this.#settle(this.#apply(stored, change));
    return change.result;
  }

  async createExecution<T>(input: NewExecutionInput<T>): Promise<NewExecutionResult<T>> {
    const { idempotencyToken } = input;
    const stored = this.#find(input.key);
    const latest = stored?.versions.get(stored.latestVersion);
    if (stored === undefined || latest === undefined) return { kind: 'pipeline-missing' };
    if (idempotencyToken !== undefined) {
      for (const entry of this.#executions.values()) {
        if (entry.pipelineId === stored.id && entry.token === idempotencyToken) {
          return { kind: 'replayed', execution: copyOf(entry.execution) };
        }
      }
    }
    const change = input.create({
      pipeline: copyOf(latest),
      runtime: copyOf(stored.runtime),
      latestVersion: stored.latestVersion,
    });
    checkJobs(change.jobs);
    if (this.#executions.has(change.execution.id)) {
      throw new Error(`execution ${change.execution.id} already exists`);
    }
    const execution = copyOf({ ...change.execution, seq: ++this.#lastSeq, version: 1 });
    this.#executions.set(execution.id, {
      execution,
      pipelineId: stored.id,
      dueAt: dueOf(execution),
      token: idempotencyToken,
    });
    const applied = this.#apply(stored, change);
    applied.due ||= dueOf(execution) !== undefined;
    await this.#settle(applied);
    return { kind: 'created', execution: copyOf(execution), result: change.result };
  }

  async transition<T>(
    executionId: string,
    decide: (view: TransitionView) => TransitionChange<T>,
  ): Promise<T | undefined> {
    const entry = this.#executions.get(executionId);
    const stored = entry === undefined ? undefined : this.#pipelines.get(entry.pipelineId);
    const pipeline = stored?.versions.get(entry?.execution.pipelineVersion ?? 0);
    if (entry === undefined || stored === undefined || pipeline === undefined) return undefined;
    const change = decide({
      execution: copyOf(entry.execution),
      pipeline: copyOf(pipeline),
      runtime: copyOf(stored.runtime),
      latestVersion: stored.latestVersion,
    });
    checkJobs(change.jobs);
    let due = false;
    if (change.execution !== undefined) {
      const { seq, version } = entry.execution;
      entry.execution = copyOf({ ...change.execution, seq, version: version + 1 });
      entry.dueAt = dueOf(entry.execution);
      due = entry.dueAt !== undefined;
    } else {
      // A transition consumes any wake-up, as the SQL stores do.
      entry.dueAt = dueOf(entry.execution);
    }
    const applied = this.#apply(stored, change);
    applied.due ||= due;
    await this.#settle(applied);
    return change.result;
  }

  findExecution(executionId: string): Promise<PipelineExecution | undefined> {
    return settle(() => {
      const entry = this.#executions.get(executionId);
      return entry === undefined ? undefined : copyOf(entry.execution);
    });
  }

  listExecutions(query: ListExecutionsQuery): Promise<PipelineExecution[]> {
    return settle(() => {
      const pipelineId = this.#find(query.key)?.id;
      const { before, statuses } = query;
      return this.#sorted()
        .reverse()
        .map((entry) => ({ pipelineId: entry.pipelineId, execution: entry.execution }))
        .filter(
          ({ pipelineId: id, execution }) =>
            id === pipelineId &&
            (before === undefined || execution.seq < before) &&
            (statuses === undefined || statuses.includes(execution.status)),
        )
        .slice(0, Math.max(0, query.limit))
        .map(({ execution }) => copyOf(execution));
    });
  }

  listDue(now: number, limit: number): Promise<string[]> {
    return settle(() =>
      this.#due()
        .filter(({ dueAt }) => dueAt <= now)
        .slice(0, Math.max(0, limit))
        .map(({ id }) => id),
    );
  }

  nextDue(): Promise<number | undefined> {
    return settle(() => this.#due()[0]?.dueAt);
  }

  listUnfinished(limit: number, afterSeq?: number): Promise<PipelineExecution[]> {
    return settle(() =>
      this.#sorted()
        .filter(
          ({ execution, pipelineId }) =>
            this.#pipelines.has(pipelineId) &&
            isUnfinished(execution) &&
            (afterSeq === undefined || execution.seq > afterSeq),
        )
        .slice(0, Math.max(0, limit))
        .map(({ execution }) => copyOf(execution)),
    );
  }

  watchDue(listener: () => void): () => void {
    // A wrapper, so subscribing the same function twice gives two independent subscriptions.
    const subscription = () => listener();
    this.#listeners.add(subscription);
    return () => this.#listeners.delete(subscription);
  }

  /** Writes the runtime, jobs, cancellations and wake-ups of a change, synchronously. */
  #apply(stored: StoredPipeline, change: Omit<TransitionChange<unknown>, 'result'>): Applied {
    const applied: Applied = { due: false, pending: [] };
    if (change.runtime !== undefined) stored.runtime = copyOf(change.runtime);
    for (const job of change.jobs ?? []) {
      const id = job.id ?? this.#deps.random.uuid();
      applied.pending.push(this.#deps.jobs.enqueue({ ...job, id }));
    }
    for (const jobId of new Set(change.cancelJobs ?? [])) {
      // The SQL stores' UPDATE changes nothing for a job that does not exist.
      applied.pending.push(this.#deps.jobs.requestCancel(jobId).catch(() => undefined));
    }
    const now = this.#deps.clock.now();
    for (const id of new Set(change.wake ?? [])) {
      const entry = this.#executions.get(id);
      if (entry?.pipelineId !== stored.id || !isUnfinished(entry.execution)) continue;
      entry.dueAt = now;
      applied.due = true;
    }
    return applied;
  }

  /** After the change: waits for the job queue, then tells the due-execution waiters. */
  async #settle(applied: Applied): Promise<void> {
    await Promise.all(applied.pending);
    if (applied.due) for (const listener of [...this.#listeners]) listener();
  }

  #due(): { id: string; dueAt: number }[] {
    return this.#sorted()
      .flatMap(({ execution, dueAt }) =>
        dueAt === undefined || !isUnfinished(execution) ? [] : [{ id: execution.id, dueAt }],
      )
      .sort((a, b) => a.dueAt - b.dueAt);
  }

  #find(key: PipelineKey): StoredPipeline | undefined {
    const id = this.#names.get(keyText(key));
    return id === undefined ? undefined : this.#pipelines.get(id);
  }

  #byArn(arn: string): StoredPipeline | undefined {
    for (const stored of this.#pipelines.values()) if (stored.arn === arn) return stored;
    return undefined;
  }

  #sorted(): StoredExecution[] {
    return [...this.#executions.values()].sort((a, b) => a.execution.seq - b.execution.seq);
  }
}

function keyText(key: PipelineKey): string {
  return `${key.accountId}\n${key.region}\n${key.name}`;
}

function isUnfinished(execution: PipelineExecution): boolean {
  return !terminalExecutionStatuses.has(execution.status);
}

function dueOf(execution: PipelineExecution): number | undefined {
  return isUnfinished(execution) ? execution.dueAt : undefined;
}

/**
 * Refuses the change before any of it is written when a job is malformed, as the SQL stores'
 * transaction rolls back.
 */
function checkJobs(jobs: readonly NewJob[] | undefined): void {
  for (const job of jobs ?? []) {
    const maxAttempts = job.maxAttempts ?? 1;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw AppError.invalidInput('maxAttempts must be a positive integer', [
        { path: 'maxAttempts', message: 'must be a positive integer' },
      ]);
    }
  }
}
