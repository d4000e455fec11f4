import {
  AppErrorKind,
  emptyRuntime,
  PipelinesSubject,
  pipelinesError,
  type Clock,
  type ListExecutionsQuery,
  type ListPipelinesQuery,
  type NewExecutionInput,
  type NewExecutionResult,
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
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './database.ts';
import { inTransaction } from './kysely-builds-support.ts';
import {
  applyChange,
  executionColumns,
  findVersion,
  insertVersion,
  mergeTags,
  resetDue,
  toExecution,
  toPipeline,
  toRuntime,
  unfinishedStatuses,
  writeExecution,
  type Effects,
} from './kysely-pipeline-rows.ts';
import {
  selectDue,
  selectExecutions,
  selectNextDue,
  selectUnfinished,
} from './kysely-pipeline-queries.ts';
import { Channel } from './notifier.ts';
import type { Schema } from './schema.ts';

export interface PipelineStoreDeps {
  readonly database: Database;
  readonly clock: Clock;
  /** Pipeline ids, and ids of jobs a change gives without one. */
  readonly random: Random;
}

/** The pipeline row a transaction works under. */
interface PipelineHead {
  readonly id: string;
  readonly latest_version: number;
  readonly runtime: string;
}

type Outcome<T> = { readonly result: T; readonly effects?: Effects | undefined };

const parallel = 'PARALLEL';

/**
 * Pipelines and their executions on either dialect. A transition reads the execution, its
 * pipeline version and the runtime, runs the caller's synchronous `decide` and writes what it
 * decided (execution, runtime, jobs, cancellations, wake-ups) in one transaction. On PostgreSQL
 * it first locks the pipeline row (`FOR UPDATE`), then the execution's, so locks are always
 * taken pipeline first and two servers never act on the same state; PARALLEL executions lock
 * only their own row, and take the pipeline's only to write the runtime (the one reverse order:
 * a deadlock it meets is retried by `inTransaction`). SQLite has one writer, which serializes
 * transactions by itself. Jobs and due executions are announced after the commit.
 */
export class KyselyPipelineStore implements PipelineStore {
  readonly #deps: PipelineStoreDeps;

  constructor(deps: PipelineStoreDeps) {
    this.#deps = deps;
  }

  async insertPipeline(input: NewPipelineInput): Promise<void> {
    const { pipeline, tags } = input;
    const inserted = await inTransaction(this.#deps.database, async (trx) => {
      const existing = await trx
        .selectFrom('pipelines')
        .select('id')
        .where('account_id', '=', pipeline.accountId)
        .where('region', '=', pipeline.region)
        .where('name', '=', pipeline.name)
        .executeTakeFirst();
      if (existing !== undefined) return false;
      const id = this.#deps.random.uuid();
      await trx
        .insertInto('pipelines')
        .values({
          id,
          arn: pipeline.arn,
          account_id: pipeline.accountId,
          region: pipeline.region,
          name: pipeline.name,
          latest_version: pipeline.version,
          runtime: JSON.stringify(emptyRuntime),
          tags: JSON.stringify(tags),
        })
        .execute();
      await insertVersion(trx, id, pipeline);
      return true;
    });
    if (!inserted) {
      throw pipelinesError(
        AppErrorKind.AlreadyExists,
        PipelinesSubject.Pipeline,
        `A pipeline with name '${pipeline.name}' already exists`,
      );
    }
  }

  async findPipeline(key: PipelineKey, version?: number): Promise<Pipeline | undefined> {
    const row = await this.#db
      .selectFrom('pipelines as p')
      .innerJoin('pipeline_versions as v', 'v.pipeline_id', 'p.id')
      .select('v.document')
      .where('p.account_id', '=', key.accountId)
      .where('p.region', '=', key.region)
      .where('p.name', '=', key.name)
      .$if(version === undefined, (qb) => qb.whereRef('v.version', '=', 'p.latest_version'))
      .$if(version !== undefined, (qb) => qb.where('v.version', '=', version ?? 0))
      .executeTakeFirst();
    return row === undefined ? undefined : toPipeline(row.document);
  }

  async listPipelines(query: ListPipelinesQuery): Promise<Pipeline[]> {
    const { after } = query;
    const rows = await this.#db
      .selectFrom('pipelines as p')
      .innerJoin('pipeline_versions as v', (join) =>
        join.onRef('v.pipeline_id', '=', 'p.id').onRef('v.version', '=', 'p.latest_version'),
      )
      .select('v.document')
      .where('p.account_id', '=', query.accountId)
      .where('p.region', '=', query.region)
      .$if(after !== undefined, (qb) => qb.where('p.name', '>', after ?? ''))
      .orderBy('p.name')
      .limit(query.limit)
      .execute();
    return rows.map((row) => toPipeline(row.document));
  }

  async updatePipeline(pipeline: Pipeline): Promise<Pipeline | undefined> {
    return inTransaction(this.#deps.database, async (trx) => {
      const updated = await trx
        .updateTable('pipelines')
        .set({ latest_version: pipeline.version })
        .where('account_id', '=', pipeline.accountId)
        .where('region', '=', pipeline.region)
        .where('name', '=', pipeline.name)
        .where('latest_version', '=', pipeline.version - 1)
        .returning('id')
        .executeTakeFirst();
      if (updated === undefined) return undefined;
      return insertVersion(trx, updated.id, pipeline);
    });
  }

  async deletePipeline(key: PipelineKey): Promise<{ deleted: boolean; running: string[] }> {
    return inTransaction(this.#deps.database, async (trx) => {
      const head = await this.#lockPipeline(trx, key);
      if (head === undefined) return { deleted: false, running: [] };
      const running = await trx
        .selectFrom('pipeline_executions')
        .select('id')
        .where('pipeline_id', '=', head.id)
        .where('status', 'in', unfinishedStatuses)
        .orderBy('seq')
        .execute();
      // Nothing can transition them any more: they are due no more either.
      await trx
        .updateTable('pipeline_executions')
        .set({ due_at: null })
        .where('pipeline_id', '=', head.id)
        .where('due_at', 'is not', null)
        .execute();
      await trx.deleteFrom('pipeline_versions').where('pipeline_id', '=', head.id).execute();
      await trx.deleteFrom('pipelines').where('id', '=', head.id).execute();
      return { deleted: true, running: running.map((r) => r.id) };
    });
  }

  async findTags(arn: string): Promise<Tag[]> {
    const row = await this.#db
      .selectFrom('pipelines')
      .select('tags')
      .where('arn', '=', arn)
      .executeTakeFirst();
    return row === undefined ? [] : (JSON.parse(row.tags) as Tag[]);
  }

  async tag(arn: string, tags: readonly Tag[]): Promise<boolean> {
    return this.#changeTags(arn, (stored) => mergeTags(stored, tags));
  }

  async untag(arn: string, keys: readonly string[]): Promise<boolean> {
    const removed = new Set(keys);
    return this.#changeTags(arn, (stored) => stored.filter((t) => !removed.has(t.key)));
  }

  async findRuntime(key: PipelineKey): Promise<PipelineRuntime | undefined> {
    const row = await this.#db
      .selectFrom('pipelines')
      .select('runtime')
      .where('account_id', '=', key.accountId)
      .where('region', '=', key.region)
      .where('name', '=', key.name)
      .executeTakeFirst();
    return row === undefined ? undefined : toRuntime(row.runtime);
  }

  async updateRuntime<T>(
    key: PipelineKey,
    decide: (runtime: PipelineRuntime, pipeline: Pipeline) => RuntimeChange<T>,
  ): Promise<T | undefined> {
    const outcome = await inTransaction(
      this.#deps.database,
      async (trx): Promise<Outcome<T | undefined>> => {
        const head = await this.#lockPipeline(trx, key);
        if (head === undefined) return { result: undefined };
        const pipeline = await findVersion(trx, head.id, head.latest_version);
        if (pipeline === undefined) return { result: undefined };
        const change = decide(toRuntime(head.runtime), pipeline);
        const effects = await applyChange(trx, this.#target(head.id), change);
        return { result: change.result, effects };
      },
    );
    await this.#announce(outcome.effects);
    return outcome.result;
  }

  async createExecution<T>(input: NewExecutionInput<T>): Promise<NewExecutionResult<T>> {
    const { key, idempotencyToken } = input;
    const outcome = await inTransaction(
      this.#deps.database,
      async (trx): Promise<Outcome<NewExecutionResult<T>>> => {
        const head = await this.#lockPipeline(trx, key);
        if (head === undefined) return { result: { kind: 'pipeline-missing' } };
        if (idempotencyToken !== undefined) {
          const replayed = await trx
            .selectFrom('pipeline_executions')
            .select(['seq', 'version', 'document'])
            .where('pipeline_id', '=', head.id)
            .where('idempotency_token', '=', idempotencyToken)
            .executeTakeFirst();
          if (replayed !== undefined) {
            return { result: { kind: 'replayed', execution: toExecution(replayed) } };
          }
        }
        const pipeline = await findVersion(trx, head.id, head.latest_version);
        if (pipeline === undefined) return { result: { kind: 'pipeline-missing' } };
        const change = input.create({
          pipeline,
          runtime: toRuntime(head.runtime),
          latestVersion: head.latest_version,
        });
        const columns = executionColumns(change.execution);
        const { seq } = await trx
          .insertInto('pipeline_executions')
          .values({
            id: change.execution.id,
            pipeline_id: head.id,
            idempotency_token: idempotencyToken ?? null,
            version: 1,
            ...columns,
          })
          .returning('seq')
          .executeTakeFirstOrThrow();
        const effects = await applyChange(trx, this.#target(head.id), change);
        effects.due ||= columns.due_at !== null;
        const execution = toExecution({ seq, version: 1, document: columns.document });
        return { result: { kind: 'created', execution, result: change.result }, effects };
      },
    );
    await this.#announce(outcome.effects);
    return outcome.result;
  }

  async transition<T>(
    executionId: string,
    decide: (view: TransitionView) => TransitionChange<T>,
  ): Promise<T | undefined> {
    const outcome = await inTransaction(
      this.#deps.database,
      async (trx): Promise<Outcome<T | undefined>> => {
        const locked = await this.#lockExecution(trx, executionId);
        if (locked === undefined) return { result: undefined };
        const { execution, pipeline } = locked;
        let { head } = locked;
        const viewOf = (h: PipelineHead): TransitionView => ({
          execution,
          pipeline,
          runtime: toRuntime(h.runtime),
          latestVersion: h.latest_version,
        });
        let change = decide(viewOf(head));
        if (!locked.serial && change.runtime !== undefined && this.#postgres) {
          // A PARALLEL execution read the runtime unlocked: writing it takes the lock, and
          // decides again if the runtime moved meanwhile.
          const relocked = await this.#headOf(trx, head.id, true);
          if (relocked === undefined) return { result: undefined };
          if (
            relocked.runtime !== head.runtime ||
            relocked.latest_version !== head.latest_version
          ) {
            change = decide(viewOf(relocked));
          }
          head = relocked;
        }
        // A transition consumes any wake-up: `due_at` is the document's again even when the
        // document did not change, or a woken execution still waiting would stay due forever.
        const due =
          change.execution !== undefined
            ? await writeExecution(trx, execution, change.execution)
            : await resetDue(trx, execution);
        const effects = await applyChange(trx, this.#target(head.id), change);
        effects.due ||= due;
        return { result: change.result, effects };
      },
    );
    await this.#announce(outcome.effects);
    return outcome.result;
  }

  async findExecution(executionId: string): Promise<PipelineExecution | undefined> {
    const row = await this.#db
      .selectFrom('pipeline_executions')
      .select(['seq', 'version', 'document'])
      .where('id', '=', executionId)
      .executeTakeFirst();
    return row === undefined ? undefined : toExecution(row);
  }

  listExecutions(query: ListExecutionsQuery): Promise<PipelineExecution[]> {
    return selectExecutions(this.#db, query);
  }

  listDue(now: number, limit: number): Promise<string[]> {
    return selectDue(this.#db, now, limit);
  }

  nextDue(): Promise<number | undefined> {
    return selectNextDue(this.#db);
  }

  listUnfinished(limit: number, afterSeq?: number): Promise<PipelineExecution[]> {
    return selectUnfinished(this.#db, limit, afterSeq);
  }

  watchDue(listener: () => void): () => void {
    return this.#deps.database.notifier.subscribe(Channel.Pipelines, () => listener());
  }

  /** The pipeline row, locked for this transaction on PostgreSQL; undefined when deleted. */
  async #lockPipeline(trx: Transaction<Schema>, key: PipelineKey) {
    return trx
      .selectFrom('pipelines')
      .select(['id', 'latest_version', 'runtime'])
      .where('account_id', '=', key.accountId)
      .where('region', '=', key.region)
      .where('name', '=', key.name)
      .$if(this.#postgres, (qb) => qb.forUpdate())
      .executeTakeFirst();
  }

  /**
   * The execution and its pipeline version, locked for a transition: on PostgreSQL the pipeline
   * row first (except for PARALLEL executions), then the execution's. Undefined when either is
   * gone.
   */
  async #lockExecution(trx: Transaction<Schema>, executionId: string) {
    const found = await trx
      .selectFrom('pipeline_executions')
      .select(['pipeline_id', 'execution_mode'])
      .where('id', '=', executionId)
      .executeTakeFirst();
    if (found === undefined) return undefined;
    const serial = found.execution_mode !== parallel;
    const head = await this.#headOf(trx, found.pipeline_id, serial);
    if (head === undefined) return undefined;
    const row = await trx
      .selectFrom('pipeline_executions')
      .select(['seq', 'version', 'document'])
      .where('id', '=', executionId)
      .$if(this.#postgres, (qb) => qb.forUpdate())
      .executeTakeFirstOrThrow();
    const execution = toExecution(row);
    const pipeline = await findVersion(trx, head.id, execution.pipelineVersion);
    return pipeline === undefined ? undefined : { serial, head, execution, pipeline };
  }

  async #headOf(
    trx: Transaction<Schema>,
    pipelineId: string,
    lock: boolean,
  ): Promise<PipelineHead | undefined> {
    return trx
      .selectFrom('pipelines')
      .select(['id', 'latest_version', 'runtime'])
      .where('id', '=', pipelineId)
      .$if(lock && this.#postgres, (qb) => qb.forUpdate())
      .executeTakeFirst();
  }

  async #changeTags(arn: string, change: (stored: Tag[]) => Tag[]): Promise<boolean> {
    return inTransaction(this.#deps.database, async (trx) => {
      const row = await trx
        .selectFrom('pipelines')
        .select(['id', 'tags'])
        .where('arn', '=', arn)
        .$if(this.#postgres, (qb) => qb.forUpdate())
        .executeTakeFirst();
      if (row === undefined) return false;
      const tags = change(JSON.parse(row.tags) as Tag[]);
      await trx
        .updateTable('pipelines')
        .set({ tags: JSON.stringify(tags) })
        .where('id', '=', row.id)
        .execute();
      return true;
    });
  }

  #target(pipelineId: string) {
    return { pipelineId, now: this.#deps.clock.now(), random: this.#deps.random };
  }

  /** After commit: wakes claimers of the queues given jobs, and the due-execution waiters. */
  async #announce(effects: Effects | undefined): Promise<void> {
    if (effects === undefined) return;
    const { notifier } = this.#deps.database;
    for (const queue of effects.queues) await notifier.publish(Channel.Jobs, queue);
    if (effects.due) await notifier.publish(Channel.Pipelines, '');
  }

  get #postgres(): boolean {
    return this.#deps.database.dialect === 'postgres';
  }

  get #db(): Kysely<Schema> {
    return this.#deps.database.db;
  }
}
