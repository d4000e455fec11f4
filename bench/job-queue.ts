// Leased-job throughput of the store: claim + complete cycles per second on SQLite and on
// PostgreSQL, with one worker and with four sharing the queue. Calls KyselyJobQueue directly,
// in this process, so the figures are the store's and not HTTP's.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { JobOutcome, JobStatus, systemClock, type JobQueue, type Random } from '@slipway/core';
import { createLogger } from '../apps/server/src/logger.ts';
import { openDatabase, type Database } from '../apps/server/src/store/database.ts';
import { KyselyJobQueue } from '../apps/server/src/store/kysely-job-queue.ts';
import { adminUrl, createDatabase, withAdmin } from '../test/support/postgres.ts';
import { describeBackgroundLoad, measureBackgroundLoad } from './support/machine-load.ts';
import { isMain, printReport, progress, type BenchReport } from './support/report.ts';
import { formatRate, formatTable } from './support/stats.ts';

const plan = {
  jobs: 2_000,
  warmupJobs: 200,
  workerCounts: [1, 4],
  /** Per run; a slow disk stops the run here and reports the partial rate. */
  timeLimitMs: 20_000,
  leaseMs: 5 * 60_000,
  postgresPoolSize: 10,
} as const;

const random: Random = { bytes: (n) => randomBytes(n), uuid: () => randomUUID() };

type StoreKind = 'SQLite' | 'PostgreSQL';

interface Run {
  readonly store: StoreKind;
  readonly workers: number;
  readonly enqueuePerSecond: number;
  readonly cyclesPerSecond: number;
  readonly cycles: number;
  readonly timedOut: boolean;
}

/** A fresh, migrated store and how to throw it away. */
interface Scratch {
  readonly database: Database;
  dispose(): Promise<void>;
}

export async function runJobQueueBench(): Promise<BenchReport> {
  const background = await measureBackgroundLoad();
  const failures: string[] = [];
  const notes: string[] = [];
  const runs: Run[] = [];
  const log = await createLogger('warn');
  for (const workers of plan.workerCounts) {
    runs.push(await runOnce({ store: 'SQLite', workers, open: () => freshSqlite(log), failures }));
  }
  const postgresProblem = await findPostgresProblem();
  if (postgresProblem === undefined) {
    for (const workers of plan.workerCounts) {
      runs.push(
        await runOnce({ store: 'PostgreSQL', workers, open: () => freshPostgres(log), failures }),
      );
    }
  } else {
    notes.push(`PostgreSQL skipped: ${postgresProblem} (set SLIPWAY_TEST_POSTGRES_URL).`);
    failures.push(`PostgreSQL not measured: ${postgresProblem}`);
  }
  return { name: 'job-queue', ...format({ runs, notes, background }), failures };
}

interface RunOptions {
  readonly store: StoreKind;
  readonly workers: number;
  readonly open: () => Promise<Scratch>;
  /** Where the run records what makes its figure untrustworthy. */
  readonly failures: string[];
}

async function runOnce({ store, workers, open, failures }: RunOptions): Promise<Run> {
  progress(`job-queue: ${store}, ${workers} worker(s), ${plan.jobs} jobs`);
  const scratch = await open();
  try {
    const queue = new KyselyJobQueue({ database: scratch.database, clock: systemClock, random });
    // Warm the JIT and the connection pool on another queue so the first run is not penalised.
    await enqueueAll(queue, 'warm-up', plan.warmupJobs);
    await drain({ queue, name: 'warm-up', workers, deadline: Infinity });

    const enqueueMs = await enqueueAll(queue, 'bench', plan.jobs);
    const start = performance.now();
    const drained = await drain({
      queue,
      name: 'bench',
      workers,
      deadline: start + plan.timeLimitMs,
    });
    const elapsedMs = performance.now() - start;
    const { cycles, timedOut } = drained;
    if (drained.claimedTwice > 0) {
      failures.push(`${store}, ${workers} worker(s): ${drained.claimedTwice} jobs claimed twice`);
    }

    const succeeded = await countSucceeded(scratch.database, 'bench');
    if (!timedOut && succeeded !== plan.jobs) {
      failures.push(
        `${store}, ${workers} worker(s): ${succeeded} of ${plan.jobs} jobs succeeded ` +
          '(a worker found the queue empty while jobs remained)',
      );
    }
    if (succeeded !== cycles) {
      failures.push(`${store}, ${workers} worker(s): ${cycles} cycles but ${succeeded} succeeded`);
    }
    return {
      store,
      workers,
      enqueuePerSecond: (plan.jobs * 1000) / enqueueMs,
      cyclesPerSecond: (cycles * 1000) / elapsedMs,
      cycles,
      timedOut,
    };
  } finally {
    await scratch.dispose();
  }
}

async function enqueueAll(queue: JobQueue, name: string, count: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i += 1) await queue.enqueue({ queue: name, payload: { i } });
  return performance.now() - start;
}

interface DrainOptions {
  readonly queue: JobQueue;
  readonly name: string;
  readonly workers: number;
  /** performance.now() after which workers stop claiming. */
  readonly deadline: number;
}

/** Workers claim and complete until the queue is empty (or the deadline passes). */
async function drain(
  options: DrainOptions,
): Promise<{ cycles: number; claimedTwice: number; timedOut: boolean }> {
  const claimed = new Set<string>();
  let cycles = 0;
  let claimedTwice = 0;
  let timedOut = false;
  const work = async (workerId: string) => {
    for (;;) {
      if (performance.now() > options.deadline) {
        timedOut = true;
        return;
      }
      const next = await options.queue.claim({
        queue: options.name,
        workerId,
        leaseMs: plan.leaseMs,
      });
      if (next === undefined) return;
      if (claimed.has(next.job.id)) claimedTwice += 1;
      claimed.add(next.job.id);
      await options.queue.complete({
        jobId: next.lease.jobId,
        leaseId: next.lease.leaseId,
        outcome: JobOutcome.Succeeded,
      });
      cycles += 1;
    }
  };
  await Promise.all(Array.from({ length: options.workers }, (_, i) => work(`worker-${i}`)));
  return { cycles, claimedTwice, timedOut };
}

async function countSucceeded(database: Database, queue: string): Promise<number> {
  const row = await database.db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('queue', '=', queue)
    .where('status', '=', JobStatus.Succeeded)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

type Log = Awaited<ReturnType<typeof createLogger>>;

async function freshSqlite(log: Log): Promise<Scratch> {
  const dataDir = await mkdtemp(join(tmpdir(), 'slipway-bench-queue-'));
  const database = await openDatabase(
    { databaseUrl: undefined, dataDir, sqliteBusyTimeoutMs: 5_000, postgresPoolSize: 1 },
    log,
  );
  return {
    database,
    dispose: async () => {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function freshPostgres(log: Log): Promise<Scratch> {
  const name = `slipway_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const databaseUrl = await createDatabase(name);
  const dropDatabase = () =>
    withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  let database: Database;
  try {
    database = await openDatabase(
      {
        databaseUrl,
        dataDir: tmpdir(),
        sqliteBusyTimeoutMs: 5_000,
        postgresPoolSize: plan.postgresPoolSize,
      },
      log,
    );
  } catch (error) {
    await dropDatabase();
    throw error;
  }
  return {
    database,
    dispose: async () => {
      try {
        await database.close();
      } finally {
        await dropDatabase();
      }
    },
  };
}

/** Undefined when reachable, else why not. */
async function findPostgresProblem(): Promise<string | undefined> {
  try {
    await withAdmin((client) => client.query('SELECT 1'));
    return undefined;
  } catch (error) {
    const url = new URL(adminUrl);
    return `${url.host}: ${(error as Error).message}`;
  }
}

interface Results {
  readonly runs: readonly Run[];
  readonly notes: readonly string[];
  readonly background: number | undefined;
}

function format({ runs, notes, background }: Results): Pick<BenchReport, 'text' | 'headline'> {
  const rows = runs.map((run) => [
    run.store,
    String(run.workers),
    formatRate(run.cyclesPerSecond, 'cycles/s') +
      (run.timedOut ? ` (stopped at the time limit after ${run.cycles})` : ''),
    formatRate(run.enqueuePerSecond, 'jobs/s'),
  ]);
  const text = [
    `== job-queue: KyselyJobQueue claim + complete, ${plan.jobs} jobs per run, fresh store each ==`,
    'Peer: none on this machine (no other leased-queue implementation to run), so the figures',
    'stand alone. SQLite: WAL, synchronous=FULL, one connection, so extra workers only',
    `interleave. PostgreSQL: the local server, a pool of ${plan.postgresPoolSize}, claims with`,
    'FOR UPDATE SKIP LOCKED. One cycle = claim (1 UPDATE) + complete (1 UPDATE).',
    describeBackgroundLoad(background),
    '',
    formatTable([['store', 'workers', 'claim+complete', 'enqueue (1 at a time)'], ...rows]),
    ...(notes.length === 0 ? [] : ['', ...notes]),
  ].join('\n');
  const headline = runs.map(
    (run) =>
      `job-queue  ${run.store}, ${run.workers} worker(s): ` +
      formatRate(run.cyclesPerSecond, 'cycles/s'),
  );
  return { text, headline };
}

if (isMain(import.meta.filename)) printReport(await runJobQueueBench());
