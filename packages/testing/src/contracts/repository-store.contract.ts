import {
  AppErrorKind,
  JobStatus,
  RepositorySortBy,
  SortOrder,
  TriggerEvent,
  type EventLog,
  type EventRecord,
  type Job,
  type JobQueue,
  type ListRepositoriesQuery,
  type NewEvent,
  type NewJob,
  type RecordRefUpdates,
  type RepositoryCursor,
  type Repository,
  type RepositoryStore,
} from '@slipway/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeClockStart, type FakeClock } from '../fake-clock.ts';
import type { ContractFactory, ContractHarness } from './contract-harness.ts';
import { expectAppError } from './expect-app-error.ts';

/**
 * A repository store under test, the event log and job queue its `recordRefUpdates` writes to
 * (to read back what it wrote), and a way to add accounts the way that implementation keeps them.
 */
export interface RepositoryStoreSubject {
  readonly store: RepositoryStore;
  readonly events: EventLog;
  readonly jobs: JobQueue;
  /** Adds the account repositories may then belong to. */
  addAccount(accountId: string): Promise<void>;
}

const accountId = '123456789012';
const otherAccountId = '210987654321';
const region = 'us-east-1';
const otherRegion = 'eu-west-1';

function repositoryId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function aRepository(n: number, overrides: Partial<Repository> = {}): Repository {
  return {
    id: repositoryId(n),
    accountId,
    region,
    name: `repo-${n}`,
    description: undefined,
    defaultBranch: undefined,
    kmsKeyId: undefined,
    tags: {},
    triggers: { configurationId: undefined, triggers: [] },
    createdAt: fakeClockStart,
    lastModifiedAt: fakeClockStart,
    ...overrides,
  };
}

/** Every field set, including triggers with and without custom data. */
const complete = aRepository(1, {
  name: 'complete',
  description: 'Everything set, ünïcödé included',
  defaultBranch: 'main',
  kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c',
  tags: { team: 'platform', 'cost-center': '42' },
  triggers: {
    configurationId: '11111111-2222-4333-8444-555555555555',
    triggers: [
      {
        name: 'webhook',
        destinationArn: 'https://hooks.example.com/codecommit',
        customData: 'from the contract',
        branches: ['main', 'release/1.x'],
        events: [TriggerEvent.UpdateReference, TriggerEvent.CreateReference],
      },
      {
        name: 'sns',
        destinationArn: 'arn:aws:sns:us-east-1:123456789012:topic',
        customData: undefined,
        branches: [],
        events: [TriggerEvent.All],
      },
    ],
  },
  createdAt: fakeClockStart - 5_000,
  lastModifiedAt: fakeClockStart - 1_000,
});

/** Nothing optional set. */
const bare = aRepository(2, { name: 'bare' });

const deliveryQueue = 'contract:deliveries';

function anEvent(ref: string, n: number): NewEvent {
  return {
    type: 'source.reference-updated',
    subject: `arn:aws:codecommit:${region}:${accountId}:complete`,
    data: { ref, n, nested: { ok: true, none: null } },
  };
}

function aDelivery(url: string): NewJob {
  return {
    queue: deliveryQueue,
    payload: { url, triggerName: 'webhook', body: { Records: [{ ref: 'refs/heads/main' }] } },
    maxAttempts: 3,
  };
}

/** The behaviour every `RepositoryStore` shares; each test opens a store of its own. */
export function repositoryStoreContract(
  name: string,
  factory: ContractFactory<RepositoryStoreSubject>,
): void {
  describe(`RepositoryStore contract: ${name}`, () => {
    let harness: ContractHarness<RepositoryStoreSubject> | undefined;

    beforeEach(async () => {
      harness = await factory();
      for (const id of [accountId, otherAccountId]) await harness.subject.addAccount(id);
    });
    afterEach(async () => {
      await harness?.close();
      harness = undefined;
    });

    function opened(): ContractHarness<RepositoryStoreSubject> {
      if (harness === undefined) throw new Error('the store under test did not open');
      return harness;
    }
    const store = () => opened().subject.store;
    const clock = (): FakeClock => opened().clock;

    async function insertAll(...repositories: Repository[]): Promise<void> {
      for (const repository of repositories) await store().insert(repository);
    }

    describe('insert and find', () => {
      it('finds nothing in an empty store', async () => {
        expect(await store().findById(complete.id)).toBeUndefined();
        expect(await store().findByName(accountId, region, complete.name)).toBeUndefined();
        expect(await store().list(listQuery())).toEqual([]);
      });

      it('finds a repository by id and by name with every field as it was stored', async () => {
        await insertAll(complete);
        expect(await store().findById(complete.id)).toEqual(complete);
        expect(await store().findByName(accountId, region, 'complete')).toEqual(complete);
      });

      it('keeps unset optional fields undefined, not null', async () => {
        await insertAll(bare);
        const found = await store().findById(bare.id);
        expect(found).toEqual(bare);
        expect(found?.description).toBeUndefined();
        expect(found?.defaultBranch).toBeUndefined();
        expect(found?.kmsKeyId).toBeUndefined();
        expect(found?.triggers.configurationId).toBeUndefined();
      });

      it('finds by name only in the same account and region', async () => {
        await insertAll(complete);
        expect(await store().findByName(otherAccountId, region, 'complete')).toBeUndefined();
        expect(await store().findByName(accountId, otherRegion, 'complete')).toBeUndefined();
        expect(await store().findByName(accountId, region, 'Complete')).toBeUndefined();
      });

      it('refuses a name taken in the same account and region, keeping the first', async () => {
        await insertAll(complete);
        const error = await expectAppError(
          store().insert(aRepository(3, { name: 'complete' })),
          AppErrorKind.AlreadyExists,
        );
        expect(error.resource).toBe('repository');
        expect(await store().findByName(accountId, region, 'complete')).toEqual(complete);
        expect(await store().findById(repositoryId(3))).toBeUndefined();
      });

      it('allows the same name in another region or another account', async () => {
        const elsewhere = aRepository(3, { name: 'complete', region: otherRegion });
        const otherAccount = aRepository(4, { name: 'complete', accountId: otherAccountId });
        await insertAll(complete, elsewhere, otherAccount);
        expect(await store().findByName(accountId, region, 'complete')).toEqual(complete);
        expect(await store().findByName(accountId, otherRegion, 'complete')).toEqual(elsewhere);
        expect(await store().findByName(otherAccountId, region, 'complete')).toEqual(otherAccount);
      });
    });

    describe('list', () => {
      // Names and modification times sort differently; two share a modification time.
      const listed = [
        aRepository(10, { name: 'delta', lastModifiedAt: fakeClockStart + 300 }),
        aRepository(11, { name: 'alpha', lastModifiedAt: fakeClockStart + 200 }),
        aRepository(12, { name: 'echo', lastModifiedAt: fakeClockStart + 100 }),
        aRepository(13, { name: 'charlie', lastModifiedAt: fakeClockStart + 200 }),
        aRepository(14, { name: 'bravo', lastModifiedAt: fakeClockStart + 400 }),
      ];
      const byName = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
      // alpha (id 11) and charlie (id 13) tie on time: the id breaks the tie.
      const byModified = ['echo', 'alpha', 'charlie', 'delta', 'bravo'];
      const cases = [
        [RepositorySortBy.Name, SortOrder.Ascending, byName],
        [RepositorySortBy.Name, SortOrder.Descending, [...byName].reverse()],
        [RepositorySortBy.LastModified, SortOrder.Ascending, byModified],
        [RepositorySortBy.LastModified, SortOrder.Descending, [...byModified].reverse()],
      ] as const;
      // Same names elsewhere, which no list of the account and region shows.
      const elsewhere = [
        aRepository(20, { name: 'alpha', region: otherRegion }),
        aRepository(21, { name: 'aardvark', region: otherRegion, lastModifiedAt: 0 }),
        aRepository(22, { name: 'alpha', accountId: otherAccountId }),
        aRepository(23, { name: 'zulu', accountId: otherAccountId }),
      ];

      beforeEach(async () => {
        await insertAll(...elsewhere.slice(0, 2), ...listed, ...elsewhere.slice(2));
      });

      for (const [sortBy, order, expected] of cases) {
        it(`sorts by ${sortBy} ${order}, within the account and region`, async () => {
          const page = await store().list(listQuery({ sortBy, order }));
          expect(page.map((r) => r.name)).toEqual(expected);
          expect(page).toEqual(expected.map((n) => listed.find((r) => r.name === n)));
        });

        it(`pages by ${sortBy} ${order} with cursors, every repository once`, async () => {
          const seen: string[] = [];
          let after: RepositoryCursor | undefined;
          for (let pages = 0; pages < 10; pages++) {
            const page = await store().list(listQuery({ sortBy, order, after, limit: 2 }));
            expect(page.length).toBeLessThanOrEqual(2);
            seen.push(...page.map((r) => r.name));
            const last = page.at(-1);
            if (last === undefined) break;
            after = {
              key: sortBy === RepositorySortBy.Name ? last.name : last.lastModifiedAt,
              id: last.id,
            };
          }
          expect(seen).toEqual(expected);
        });
      }

      it('returns at most limit repositories', async () => {
        const page = await store().list(listQuery({ limit: 3 }));
        expect(page.map((r) => r.name)).toEqual(['alpha', 'bravo', 'charlie']);
      });

      it('lists only the account and region asked for', async () => {
        const page = await store().list(listQuery({ accountId: otherAccountId }));
        expect(page.map((r) => r.id)).toEqual([repositoryId(22), repositoryId(23)]);
        const other = await store().list(listQuery({ region: otherRegion }));
        expect(other.map((r) => r.name)).toEqual(['aardvark', 'alpha']);
      });
    });

    describe('update', () => {
      it('renames a repository, freeing the old name', async () => {
        await insertAll(complete);
        const renamed = { ...complete, name: 'renamed', lastModifiedAt: fakeClockStart + 10 };
        expect(
          await store().update(complete.id, {
            name: 'renamed',
            lastModifiedAt: fakeClockStart + 10,
          }),
        ).toEqual(renamed);
        expect(await store().findById(complete.id)).toEqual(renamed);
        expect(await store().findByName(accountId, region, 'renamed')).toEqual(renamed);
        expect(await store().findByName(accountId, region, 'complete')).toBeUndefined();
      });

      it('refuses to rename onto a name taken in the account and region', async () => {
        await insertAll(complete, bare);
        const error = await expectAppError(
          store().update(bare.id, { name: 'complete', lastModifiedAt: fakeClockStart + 10 }),
          AppErrorKind.AlreadyExists,
        );
        expect(error.resource).toBe('repository');
        expect(await store().findById(bare.id)).toEqual(bare);
        expect(await store().findById(complete.id)).toEqual(complete);
      });

      it('renames onto a name taken only elsewhere, and onto its own name', async () => {
        await insertAll(bare, aRepository(3, { name: 'taken', region: otherRegion }));
        const at = fakeClockStart + 10;
        expect((await store().update(bare.id, { name: 'taken', lastModifiedAt: at })).name).toBe(
          'taken',
        );
        expect((await store().update(bare.id, { name: 'taken', lastModifiedAt: at })).name).toBe(
          'taken',
        );
      });

      it('sets and clears the description', async () => {
        await insertAll(bare);
        const described = await store().update(bare.id, {
          description: 'Now described',
          lastModifiedAt: fakeClockStart + 10,
        });
        expect(described).toEqual({
          ...bare,
          description: 'Now described',
          lastModifiedAt: fakeClockStart + 10,
        });
        // Without the key, the description stays.
        const touched = await store().update(bare.id, { lastModifiedAt: fakeClockStart + 20 });
        expect(touched.description).toBe('Now described');
        // With the key present and undefined, it is cleared.
        const cleared = await store().update(bare.id, {
          description: undefined,
          lastModifiedAt: fakeClockStart + 30,
        });
        expect(cleared).toEqual({ ...bare, lastModifiedAt: fakeClockStart + 30 });
        expect(cleared.description).toBeUndefined();
        expect((await store().findById(bare.id))?.description).toBeUndefined();
      });

      it('sets the default branch, tags and triggers, leaving the rest', async () => {
        await insertAll(bare);
        const changes = {
          defaultBranch: 'develop',
          tags: { env: 'prod' },
          triggers: complete.triggers,
          lastModifiedAt: fakeClockStart + 10,
        };
        const { lastModifiedAt, ...rest } = changes;
        const expected = { ...bare, ...rest, lastModifiedAt };
        expect(await store().update(bare.id, changes)).toEqual(expected);
        expect(await store().findById(bare.id)).toEqual(expected);
        // Tags and triggers are replaced, not merged.
        const replaced = await store().update(bare.id, {
          tags: { owner: 'someone' },
          triggers: { configurationId: 'c2', triggers: [] },
          lastModifiedAt: fakeClockStart + 20,
        });
        expect(replaced.tags).toEqual({ owner: 'someone' });
        expect(replaced.triggers).toEqual({ configurationId: 'c2', triggers: [] });
        expect(replaced.defaultBranch).toBe('develop');
      });

      it('fails with NotFound for a repository that does not exist', async () => {
        const error = await expectAppError(
          store().update(repositoryId(99), { name: 'x', lastModifiedAt: fakeClockStart }),
          AppErrorKind.NotFound,
        );
        expect(error.resource).toBe('repository');
      });
    });

    describe('delete', () => {
      it('deletes a repository once, freeing its name', async () => {
        await insertAll(complete, bare);
        expect(await store().delete(complete.id)).toBe(true);
        expect(await store().delete(complete.id)).toBe(false);
        expect(await store().findById(complete.id)).toBeUndefined();
        expect(await store().findByName(accountId, region, 'complete')).toBeUndefined();
        expect(await store().findById(bare.id)).toEqual(bare);
        await store().insert(aRepository(3, { name: 'complete' }));
        expect((await store().findByName(accountId, region, 'complete'))?.id).toBe(repositoryId(3));
      });
    });

    describe('recordRefUpdates', () => {
      function aPush(overrides: Partial<RecordRefUpdates> = {}): RecordRefUpdates {
        return {
          pushId: 'push-1',
          repositoryId: bare.id,
          events: [anEvent('refs/heads/main', 1), anEvent('refs/tags/v1', 2)],
          deliveries: [aDelivery('https://a.example.com/'), aDelivery('https://b.example.com/')],
          defaultBranch: 'main',
          lastModifiedAt: clock().now(),
          ...overrides,
        };
      }

      async function allEvents(): Promise<EventRecord[]> {
        return opened().subject.events.read({ after: 0, limit: 1_000 });
      }

      /** Claims every delivery there is, in any order. */
      async function claimAll(): Promise<Job[]> {
        const claimed: Job[] = [];
        for (;;) {
          const next = await opened().subject.jobs.claim({
            queue: deliveryQueue,
            workerId: 'contract-worker',
            leaseMs: 60_000,
          });
          if (next === undefined) return claimed;
          claimed.push(next.job);
        }
      }

      it('appends the events in order and returns them as the log keeps them', async () => {
        await insertAll(bare);
        clock().advance(1_000);
        const push = aPush();
        const records = await store().recordRefUpdates(push);
        expect(records).toHaveLength(2);
        expect(records.map((r) => r.data)).toEqual(push.events.map((e) => e.data));
        expect(records.map(({ type, subject }) => ({ type, subject }))).toEqual(
          push.events.map(({ type, subject }) => ({ type, subject })),
        );
        const [first, second] = records;
        expect(second?.seq).toBeGreaterThan(first?.seq ?? Infinity);
        for (const record of records) expect(record.createdAt).toBe(clock().now());
        expect(await allEvents()).toEqual(records);
      });

      it('enqueues the deliveries, claimable from their queue', async () => {
        await insertAll(bare);
        const push = aPush();
        await store().recordRefUpdates(push);
        const claimed = await claimAll();
        const byUrl = (job: { payload: unknown }) => (job.payload as { url: string }).url;
        expect(claimed.map(byUrl).sort()).toEqual(push.deliveries.map(byUrl).sort());
        for (const job of claimed) {
          expect(job).toMatchObject({
            queue: deliveryQueue,
            status: JobStatus.Leased,
            attempts: 1,
            maxAttempts: 3,
          });
        }
        expect(claimed.map((job) => job.payload)).toContainEqual(push.deliveries[0]?.payload);
        expect(new Set(claimed.map((job) => job.id)).size).toBe(2);
      });

      it('gives a repository without one its default branch and a new modification time', async () => {
        await insertAll(bare);
        const at = clock().advance(1_000);
        await store().recordRefUpdates(aPush({ lastModifiedAt: at }));
        expect(await store().findById(bare.id)).toEqual({
          ...bare,
          defaultBranch: 'main',
          lastModifiedAt: at,
        });
      });

      it('keeps the default branch a repository has, still updating its modification time', async () => {
        await insertAll(bare);
        await store().recordRefUpdates(aPush({ lastModifiedAt: clock().advance(1_000) }));
        const later = clock().advance(1_000);
        const second = await store().recordRefUpdates(
          aPush({ pushId: 'push-2', defaultBranch: 'develop', lastModifiedAt: later }),
        );
        expect(second).toHaveLength(2);
        expect(await store().findById(bare.id)).toEqual({
          ...bare,
          defaultBranch: 'main',
          lastModifiedAt: later,
        });
      });

      it('leaves the default branch alone when the push names none', async () => {
        await insertAll(complete);
        const at = clock().advance(1_000);
        await store().recordRefUpdates(
          aPush({ repositoryId: complete.id, defaultBranch: undefined, lastModifiedAt: at }),
        );
        expect(await store().findById(complete.id)).toEqual({ ...complete, lastModifiedAt: at });
      });

      it('records a push id once: the second time it appends and enqueues nothing', async () => {
        await insertAll(bare);
        const first = await store().recordRefUpdates(aPush());
        expect(first).toHaveLength(2);
        const recorded = await store().findById(bare.id);
        clock().advance(1_000);
        const again = await store().recordRefUpdates(
          aPush({ defaultBranch: 'develop', lastModifiedAt: clock().now() }),
        );
        expect(again).toEqual([]);
        expect(await allEvents()).toEqual(first);
        expect(await claimAll()).toHaveLength(2);
        expect(await store().findById(bare.id)).toEqual(recorded);
      });

      it('records a push with no deliveries', async () => {
        await insertAll(bare);
        const records = await store().recordRefUpdates(aPush({ deliveries: [] }));
        expect(records).toHaveLength(2);
        expect(await claimAll()).toEqual([]);
      });
    });
  });
}

function listQuery(overrides: Partial<ListRepositoriesQuery> = {}): ListRepositoriesQuery {
  return {
    accountId,
    region,
    sortBy: RepositorySortBy.Name,
    order: SortOrder.Ascending,
    after: undefined,
    limit: 100,
    ...overrides,
  };
}
