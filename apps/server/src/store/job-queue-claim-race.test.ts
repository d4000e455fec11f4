import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobQueue } from '@slipway/core';
import { FakeClock, SeededRandom } from '@slipway/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresUrl } from '../../../../test/support/fresh-postgres.ts';
import { openDatabase, type Database, type StoreConfig } from './database.ts';
import { KyselyJobQueue } from './kysely-job-queue.ts';

/**
 * Two servers on one database claim from the same queue: every job goes to exactly one of them.
 * On PostgreSQL the two have separate pools, so their claims really overlap; on SQLite they are
 * two connections to one file.
 */
const logger = pino({ level: 'silent' });
const leaseMs = 60_000;

interface SharedStore {
  /** Where the same database is found again by a second server. */
  readonly config: StoreConfig;
  cleanUp(): Promise<void>;
}

const dialects: Record<'sqlite' | 'postgres', () => Promise<SharedStore>> = {
  sqlite: async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'slipway-race-'));
    return {
      config: { databaseUrl: undefined, dataDir, sqliteBusyTimeoutMs: 5_000, postgresPoolSize: 4 },
      cleanUp: () => rm(dataDir, { recursive: true, force: true }),
    };
  },
  postgres: async () => ({
    config: {
      databaseUrl: await freshPostgresUrl(),
      dataDir: '',
      sqliteBusyTimeoutMs: 0,
      postgresPoolSize: 4,
    },
    cleanUp: () => Promise.resolve(),
  }),
};

describe.each(Object.entries(dialects))('claim races on %s', (_name, shared) => {
  const clock = new FakeClock();
  let store: SharedStore | undefined;
  const servers: Database[] = [];
  let one: JobQueue;
  let other: JobQueue;

  beforeAll(async () => {
    store = await shared();
    const { config } = store;
    // One after the other: the migration race has a test of its own.
    const first = await openDatabase(config, logger);
    servers.push(first);
    const second = await openDatabase(config, logger);
    servers.push(second);
    one = new KyselyJobQueue({ database: first, clock, random: new SeededRandom(1) });
    other = new KyselyJobQueue({ database: second, clock, random: new SeededRandom(2) });
  });
  afterAll(async () => {
    for (const database of servers) await database.close();
    await store?.cleanUp();
  });

  it('hands a single job to exactly one of two simultaneous claimers', async () => {
    for (let round = 0; round < 50; round++) {
      const queue = `single-${round}`;
      await one.enqueue({ queue, payload: { round } });
      const claims = await Promise.all([
        one.claim({ queue, workerId: 'one', leaseMs }),
        other.claim({ queue, workerId: 'other', leaseMs }),
      ]);
      expect(claims.filter((claim) => claim !== undefined)).toHaveLength(1);
    }
  });

  it('hands each of 200 jobs to exactly one of two claimers draining the queue', async () => {
    const queue = 'drain';
    const enqueued: string[] = [];
    for (let i = 0; i < 200; i++) enqueued.push((await one.enqueue({ queue, payload: { i } })).id);

    const drain = async (jobs: JobQueue, workerId: string): Promise<string[]> => {
      const claimed: string[] = [];
      for (;;) {
        const claim = await jobs.claim({ queue, workerId, leaseMs });
        if (claim === undefined) return claimed;
        claimed.push(claim.job.id);
      }
    };
    const [byOne, byOther] = await Promise.all([drain(one, 'one'), drain(other, 'other')]);

    expect([...byOne, ...byOther].sort()).toEqual([...enqueued].sort());
    // Both took part, so the claims did overlap.
    expect(byOne.length).toBeGreaterThan(0);
    expect(byOther.length).toBeGreaterThan(0);
    // The stored jobs agree: claimed once each, by the claimer that was told it had them.
    const worker = new Map([
      ...byOne.map((id) => [id, 'one'] as const),
      ...byOther.map((id) => [id, 'other'] as const),
    ]);
    for (const id of enqueued) {
      expect(await other.getJob(id)).toMatchObject({ attempts: 1, workerId: worker.get(id) });
    }
  });
});
