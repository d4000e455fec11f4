import {
  BuildDispatch,
  buildJobQueue,
  JobStatus,
  type Build,
  type BuildListing,
  type BuildStore,
  type Clock,
  type CreateBuild,
  type CreateBuildResult,
  type DueBuildsQuery,
  type FinishBuild,
  type FinishedBuild,
  type IdempotencyRecord,
  type ListBuildsQuery,
  type NewReport,
  type ProjectKey,
  type Random,
} from '@slipway/core';
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database } from './database.ts';
import { chunks, inTransaction } from './kysely-builds-support.ts';
import { newJobRow } from './kysely-job-queue.ts';
import { Channel } from './notifier.ts';
import type { Schema } from './schema.ts';

export interface BuildStoreDeps {
  readonly database: Database;
  readonly clock: Clock;
  /** Job ids for dispatched builds. */
  readonly random: Random;
}

const slotHolders = [BuildDispatch.Queued, BuildDispatch.Running];

/**
 * Builds on either dialect. Every write is a compare-and-swap on `version`. Taking and freeing
 * concurrency slots happens under the project row's lock (`FOR UPDATE` on PostgreSQL; SQLite
 * has one writer): StartBuild takes the counter and decides queued-or-held there, and every
 * transaction that ends a build or raises a limit dispatches held builds into the free slots
 * before it commits, their jobs inserted in the same transaction. So a slot is never handed
 * out twice and a held build is never forgotten, whatever crashes. Locks are always taken
 * project first, then builds, so two transactions never wait on each other in a cycle.
 */
export class KyselyBuildStore implements BuildStore {
  readonly #deps: BuildStoreDeps;

  constructor(deps: BuildStoreDeps) {
    this.#deps = deps;
  }

  async create(input: CreateBuild): Promise<CreateBuildResult> {
    const { build, idempotency } = input;
    const key = keyOf(build);
    const outcome = await inTransaction(this.#deps.database, async (trx) => {
      const project = await this.#lockProject(trx, key);
      if (project === undefined) return { result: { kind: 'project-missing' as const } };
      const replay = await this.#replay(trx, build, idempotency);
      if (replay !== undefined) return { result: replay };
      const limit = project.concurrent_build_limit;
      const { held, active } = await this.#counts(trx, key);
      // A new build queues behind held ones: it is held, then the oldest held get the slots.
      const waits = limit !== null && (held > 0 || active >= limit);
      if (waits && held >= limit * input.maxHeldPerSlot) {
        return { result: { kind: 'queue-full' as const, limit, held } };
      }
      const counter = await trx
        .updateTable('projects')
        .set((eb) => ({ build_counter: eb('build_counter', '+', 1) }))
        .where('arn', '=', project.arn)
        .returning('build_counter')
        .executeTakeFirstOrThrow();
      const created: Build = {
        ...build,
        buildNumber: Number(counter.build_counter),
        run: { ...build.run, dispatch: BuildDispatch.Held, jobId: undefined },
        version: 1,
      };
      await trx.insertInto('builds').values(rowOf(created)).execute();
      if (idempotency !== undefined) await recordToken(trx, created, idempotency);
      const released = await this.#release(trx, key, limit);
      const mine = released.find((b) => b.id === created.id) ?? created;
      return { result: { kind: 'created' as const, build: mine }, changed: [created, ...released] };
    });
    await this.#announce(outcome.changed ?? []);
    return outcome.result;
  }

  /** What an idempotency token recorded within its window says: replay, or mismatch. */
  async #replay(
    trx: Transaction<Schema>,
    build: Build,
    idempotency: IdempotencyRecord | undefined,
  ): Promise<CreateBuildResult | undefined> {
    if (idempotency === undefined) return undefined;
    const token = await trx
      .selectFrom('build_idempotency_tokens')
      .select(['fingerprint', 'build_id', 'created_at'])
      .where('account_id', '=', build.accountId)
      .where('region', '=', build.region)
      .where('token', '=', idempotency.token)
      .executeTakeFirst();
    if (token === undefined || Number(token.created_at) < idempotency.validSince) return undefined;
    if (token.fingerprint !== idempotency.fingerprint) return { kind: 'token-mismatch' };
    const replayed = await this.#findIn(trx, token.build_id);
    // A build deleted since is started anew, and the token then names the new one.
    return replayed === undefined ? undefined : { kind: 'replayed', build: replayed };
  }

  async find(id: string): Promise<Build | undefined> {
    return this.#findIn(this.#db, id);
  }

  async findByJob(jobId: string): Promise<Build | undefined> {
    const row = await this.#db
      .selectFrom('builds')
      .select(['document', 'version'])
      .where('job_id', '=', jobId)
      .executeTakeFirst();
    return row === undefined ? undefined : toBuild(row);
  }

  async findMany(ids: readonly string[]): Promise<Build[]> {
    if (ids.length === 0) return [];
    const rows = await this.#db
      .selectFrom('builds')
      .select(['document', 'version'])
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return rows.map(toBuild);
  }

  async list(query: ListBuildsQuery): Promise<BuildListing[]> {
    const ascending = query.sortOrder === 'ASCENDING';
    const { after, projectName } = query;
    const rows = await this.#db
      .selectFrom('builds')
      .select(['id', 'seq'])
      .where('account_id', '=', query.accountId)
      .where('region', '=', query.region)
      .$if(projectName !== undefined, (qb) => qb.where('project_name', '=', projectName ?? ''))
      .$if(after !== undefined, (qb) => qb.where('seq', ascending ? '>' : '<', after ?? 0))
      .orderBy('seq', ascending ? 'asc' : 'desc')
      .limit(query.limit)
      .execute();
    return rows.map((r) => ({ id: r.id, seq: Number(r.seq) }));
  }

  async update(build: Build): Promise<Build | undefined> {
    const next = { ...build, version: build.version + 1 };
    const result = await this.#db
      .updateTable('builds')
      .set(changesOf(next))
      .where('id', '=', build.id)
      .where('version', '=', build.version)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    await this.#announce([next]);
    return next;
  }

  async finish(input: FinishBuild): Promise<FinishedBuild | undefined> {
    const { build } = input;
    const key = keyOf(build);
    const next = { ...build, version: build.version + 1 };
    const released = await inTransaction(this.#deps.database, async (trx) => {
      const project = await this.#lockProject(trx, key);
      const result = await trx
        .updateTable('builds')
        .set(changesOf(next))
        .where('id', '=', build.id)
        .where('version', '=', build.version)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return undefined;
      await insertReports(trx, input.reports);
      return this.#release(trx, key, project?.concurrent_build_limit ?? null);
    });
    if (released === undefined) return undefined;
    await this.#announce([next, ...released]);
    return { build: next, released };
  }

  async releaseHeld(project: ProjectKey): Promise<Build[]> {
    const released = await inTransaction(this.#deps.database, async (trx) => {
      const locked = await this.#lockProject(trx, project);
      return this.#release(trx, project, locked?.concurrent_build_limit ?? null);
    });
    await this.#announce(released);
    return released;
  }

  async delete(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.#db
      .deleteFrom('builds')
      .where('id', 'in', [...new Set(ids)])
      .where('dispatch', '=', BuildDispatch.Ended)
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  async listDue(query: DueBuildsQuery): Promise<Build[]> {
    const rows = await this.#db
      .selectFrom('builds')
      .select(['document', 'version'])
      .where((eb) =>
        eb.or([
          eb.and([
            eb('dispatch', 'in', [BuildDispatch.Held, BuildDispatch.Queued]),
            eb('queued_deadline', '<=', query.queuedBefore),
          ]),
          eb.and([
            eb('dispatch', '=', BuildDispatch.Running),
            eb('run_deadline', '<=', query.runningBefore),
          ]),
        ]),
      )
      .orderBy('seq')
      .limit(query.limit)
      .execute();
    return rows.map(toBuild);
  }

  async listOrphaned(limit: number): Promise<Build[]> {
    const rows = await this.#db
      .selectFrom('builds')
      .leftJoin('jobs', 'jobs.id', 'builds.job_id')
      .select(['builds.document', 'builds.version'])
      .where('builds.dispatch', 'in', slotHolders)
      .where('builds.job_id', 'is not', null)
      .where((eb) =>
        eb.or([
          eb('jobs.id', 'is', null),
          eb('jobs.status', 'not in', [JobStatus.Queued, JobStatus.Leased]),
        ]),
      )
      .orderBy('builds.seq')
      .limit(limit)
      .execute();
    return rows.map(toBuild);
  }

  async listReleasable(limit: number): Promise<ProjectKey[]> {
    const rows = await this.#db
      .selectFrom('builds as b')
      .leftJoin('projects as p', (join) =>
        join
          .onRef('p.account_id', '=', 'b.account_id')
          .onRef('p.region', '=', 'b.region')
          .onRef('p.name', '=', 'b.project_name'),
      )
      .select(['b.account_id', 'b.region', 'b.project_name'])
      .distinct()
      .where('b.dispatch', '=', BuildDispatch.Held)
      .where((eb) =>
        eb.or([
          eb('p.concurrent_build_limit', 'is', null),
          eb(
            eb
              .selectFrom('builds as a')
              .select((e) => e.fn.countAll<number>().as('n'))
              .whereRef('a.account_id', '=', 'b.account_id')
              .whereRef('a.region', '=', 'b.region')
              .whereRef('a.project_name', '=', 'b.project_name')
              .where('a.dispatch', 'in', slotHolders),
            '<',
            eb.ref('p.concurrent_build_limit'),
          ),
        ]),
      )
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      accountId: r.account_id,
      region: r.region,
      projectName: r.project_name,
    }));
  }

  watch(listener: (buildId: string) => void): () => void {
    return this.#deps.database.notifier.subscribe(Channel.Builds, listener);
  }

  /** The project row, locked for this transaction on PostgreSQL; undefined when deleted. */
  async #lockProject(trx: Transaction<Schema>, key: ProjectKey) {
    return trx
      .selectFrom('projects')
      .select(['arn', 'concurrent_build_limit'])
      .where('account_id', '=', key.accountId)
      .where('region', '=', key.region)
      .where('name', '=', key.projectName)
      .$if(this.#deps.database.dialect === 'postgres', (qb) => qb.forUpdate())
      .executeTakeFirst();
  }

  async #counts(trx: Transaction<Schema>, key: ProjectKey) {
    const row = await trx
      .selectFrom('builds')
      .select((eb) => [
        eb.fn
          .sum<number>(eb.case().when('dispatch', '=', BuildDispatch.Held).then(1).else(0).end())
          .as('held'),
        eb.fn
          .sum<number>(eb.case().when('dispatch', 'in', slotHolders).then(1).else(0).end())
          .as('active'),
      ])
      .where('account_id', '=', key.accountId)
      .where('region', '=', key.region)
      .where('project_name', '=', key.projectName)
      .where('dispatch', '!=', BuildDispatch.Ended)
      .executeTakeFirst();
    return { held: Number(row?.held ?? 0), active: Number(row?.active ?? 0) };
  }

  /**
   * Dispatches the project's oldest held builds into its free slots (all of them without a
   * limit, or without the project), enqueueing their jobs; the caller holds the project lock.
   */
  async #release(trx: Transaction<Schema>, key: ProjectKey, limit: number | null) {
    let free = Infinity;
    if (limit !== null) free = limit - (await this.#counts(trx, key)).active;
    if (free <= 0) return [];
    const held = await trx
      .selectFrom('builds')
      .select(['document', 'version'])
      .where('account_id', '=', key.accountId)
      .where('region', '=', key.region)
      .where('project_name', '=', key.projectName)
      .where('dispatch', '=', BuildDispatch.Held)
      .orderBy('seq')
      .$if(Number.isFinite(free), (qb) => qb.limit(free))
      .execute();
    const now = this.#deps.clock.now();
    const released: Build[] = [];
    for (const row of held.map(toBuild)) {
      const jobId = this.#deps.random.uuid();
      const dispatched: Build = {
        ...row,
        run: { ...row.run, dispatch: BuildDispatch.Queued, jobId },
        version: row.version + 1,
      };
      const result = await trx
        .updateTable('builds')
        .set(changesOf(dispatched))
        .where('id', '=', row.id)
        .where('version', '=', row.version)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) continue;
      await trx
        .insertInto('jobs')
        .values(
          newJobRow(
            { queue: buildJobQueue, payload: { buildId: row.id }, maxAttempts: 1 },
            jobId,
            now,
          ),
        )
        .execute();
      released.push(dispatched);
    }
    return released;
  }

  async #findIn(db: Kysely<Schema>, id: string): Promise<Build | undefined> {
    const row = await db
      .selectFrom('builds')
      .select(['document', 'version'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toBuild(row);
  }

  /** After commit: wakes build watchers, and claimers when jobs were enqueued. */
  async #announce(builds: readonly Build[]): Promise<void> {
    const { notifier } = this.#deps.database;
    if (builds.some((b) => b.run.dispatch === BuildDispatch.Queued)) {
      await notifier.publish(Channel.Jobs, buildJobQueue);
    }
    for (const build of builds) await notifier.publish(Channel.Builds, build.id);
  }

  get #db() {
    return this.#deps.database.db;
  }
}

/** Records (or, once expired, replaces) a token with the build it started. */
async function recordToken(trx: Transaction<Schema>, build: Build, idempotency: IdempotencyRecord) {
  const token = {
    fingerprint: idempotency.fingerprint,
    build_id: build.id,
    created_at: build.startTime,
  };
  await trx
    .insertInto('build_idempotency_tokens')
    .values({
      account_id: build.accountId,
      region: build.region,
      token: idempotency.token,
      ...token,
    })
    .onConflict((oc) => oc.columns(['account_id', 'region', 'token']).doUpdateSet(token))
    .execute();
}

function keyOf(build: Build): ProjectKey {
  return { accountId: build.accountId, region: build.region, projectName: build.projectName };
}

function rowOf(build: Build): Insertable<Schema['builds']> {
  return {
    id: build.id,
    account_id: build.accountId,
    region: build.region,
    project_name: build.projectName,
    build_number: build.buildNumber,
    ...changesOf(build),
  };
}

function changesOf(build: Build) {
  return {
    dispatch: build.run.dispatch,
    job_id: build.run.jobId ?? null,
    queued_deadline: build.run.queuedDeadline,
    run_deadline: build.run.deadline ?? null,
    version: build.version,
    document: JSON.stringify(build),
  };
}

function toBuild(row: { document: string; version: number }): Build {
  return { ...(JSON.parse(row.document) as Build), version: Number(row.version) };
}

/** Records reports and creates their missing groups, inside the caller’s transaction. */
export async function insertReports(trx: Transaction<Schema>, reports: readonly NewReport[]) {
  for (const { group, report, testCases } of reports) {
    await trx
      .insertInto('report_groups')
      .values({
        arn: group.arn,
        account_id: group.accountId,
        region: group.region,
        name: group.name,
        created_at: group.created,
        last_modified_at: group.lastModified,
        document: JSON.stringify(group),
      })
      .onConflict((oc) => oc.columns(['account_id', 'region', 'name']).doNothing())
      .execute();
    await trx
      .insertInto('reports')
      .values({
        arn: report.arn,
        account_id: report.accountId,
        region: report.region,
        report_group_arn: report.reportGroupArn,
        status: report.status,
        document: JSON.stringify(report),
      })
      .execute();
    for (const batch of chunks(testCases.map((testCase, position) => ({ testCase, position })))) {
      await trx
        .insertInto('test_cases')
        .values(
          batch.map(({ testCase, position }) => ({
            report_arn: report.arn,
            position,
            status: testCase.status,
            name: testCase.name,
            prefix: testCase.prefix,
            document: JSON.stringify(testCase),
          })),
        )
        .execute();
    }
  }
}
