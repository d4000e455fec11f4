import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommitSqliteDialect, type GroupCommitSqliteDriver } from './group-commit-driver.ts';

interface TestSchema {
  items: { name: string; parent: string | null };
}

describe.each([
  ['reader, WAL synced by the driver', true, true],
  ['reader, synchronous = FULL', true, false],
  ['writer only', false, false],
])('GroupCommitSqliteDriver, %s', (_, withReader, syncWal) => {
  let dir: string;
  let path: string;
  let db: Kysely<TestSchema>;
  let driver: GroupCommitSqliteDriver;
  /** A second connection: what another process (or the file after a crash) sees. */
  let observer: BetterSqlite3.Database;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-group-commit-'));
    path = join(dir, 'test.db');
    const database = new BetterSqlite3(path);
    database.pragma('journal_mode = WAL');
    database.pragma('foreign_keys = ON');
    const dialect = new GroupCommitSqliteDialect({
      writer: database,
      busyTimeoutMs: 5_000,
      reader: withReader ? new BetterSqlite3(path, { readonly: true }) : undefined,
      walPath: syncWal ? `${path}-wal` : undefined,
    });
    db = new Kysely<TestSchema>({
      dialect: {
        createAdapter: () => dialect.createAdapter(),
        createIntrospector: (k) => dialect.createIntrospector(k),
        createQueryCompiler: () => dialect.createQueryCompiler(),
        createDriver: () => {
          driver = dialect.createDriver() as GroupCommitSqliteDriver;
          return driver;
        },
      },
    });
    await sql`create table items (
      name text primary key,
      parent text references items(name) deferrable initially deferred
    )`.execute(db);
    observer = new BetterSqlite3(path, { readonly: true });
  });

  afterEach(async () => {
    observer.close();
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  const committedNames = () =>
    (observer.prepare('select name from items order by name').all() as { name: string }[]).map(
      (row) => row.name,
    );

  const insert = (name: string, parent: string | null = null) =>
    db.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ name, parent }).execute();
      return name;
    });

  it('commits concurrent transactions together, each visible to others once it resolves', async () => {
    const before = driver.commits;
    const seenOnResolve: string[][] = [];
    const names = ['a', 'b', 'c', 'd', 'e'];
    await Promise.all(
      names.map((name) => insert(name).then(() => seenOnResolve.push(committedNames()))),
    );
    expect(driver.commits - before).toBe(1);
    for (const seen of seenOnResolve) expect(seen).toEqual(names);
  });

  it('sets the synchronous mode its durability needs', async () => {
    // Inside a transaction, so the writer answers rather than the reader.
    const rows = await db
      .transaction()
      .execute((trx) => sql<{ synchronous: number }>`pragma synchronous`.execute(trx));
    // NORMAL = 1 when the driver fsyncs the WAL itself, FULL = 2 otherwise.
    expect(rows.rows[0]?.synchronous).toBe(syncWal ? 1 : 2);
  });

  it.runIf(!withReader)(
    'answers a read made while a batch is open only after that batch is durable',
    async () => {
      const write = insert('x');
      let visibleWhenRead: string[] | undefined;
      const read = db
        .selectFrom('items')
        .select('name')
        .execute()
        .then((rows) => {
          visibleWhenRead = committedNames();
          return rows.map((row) => row.name);
        });
      expect(await read).toEqual(['x']);
      expect(visibleWhenRead).toEqual(['x']);
      await write;
    },
  );

  it.runIf(withReader)('reads the last commit beside an open batch, without waiting', async () => {
    await insert('before');
    const trx = await db.startTransaction().execute();
    await trx.insertInto('items').values({ name: 'uncommitted', parent: null }).execute();
    const rows = await db.selectFrom('items').select('name').execute();
    expect(rows.map((row) => row.name)).toEqual(['before']);
    await trx.commit().execute();
    await db.insertInto('items').values({ name: 'after', parent: null }).execute();
    expect(committedNames()).toEqual(['after', 'before', 'uncommitted']);
  });

  it('rolls back one transaction of a batch and keeps the others', async () => {
    const failing = db.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ name: 'gone', parent: null }).execute();
      throw new Error('changed my mind');
    });
    const results = await Promise.allSettled([insert('kept-1'), failing, insert('kept-2')]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committedNames()).toEqual(['kept-1', 'kept-2']);
  });

  it('fails a transaction whose statement fails, without undoing its batch', async () => {
    await insert('taken');
    const results = await Promise.allSettled([insert('one'), insert('taken'), insert('two')]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committedNames()).toEqual(['one', 'taken', 'two']);
  });

  it('fails every member of a batch whose COMMIT fails, and keeps none of them', async () => {
    // A deferred foreign key is checked at COMMIT: the whole outer transaction is refused.
    const results = await Promise.allSettled([
      insert('fine'),
      insert('orphan', 'no-such-parent'),
      insert('also-fine'),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(committedNames()).toEqual([]);
    // The connection is usable afterwards.
    await insert('later');
    expect(committedNames()).toEqual(['later']);
  });

  it('groups writes made outside transactions too, durable when they resolve', async () => {
    const before = driver.commits;
    await Promise.all(
      ['p', 'q', 'r'].map((name) =>
        db.insertInto('items').values({ name, parent: null }).execute(),
      ),
    );
    expect(committedNames()).toEqual(['p', 'q', 'r']);
    expect(driver.commits - before).toBe(1);
  });

  it('waits for a write lock held by another connection without blocking the event loop', async () => {
    const other = new BetterSqlite3(path);
    other.prepare('begin immediate').run();
    other.prepare(`insert into items values ('theirs', null)`).run();
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 5);
    setTimeout(() => other.prepare('commit').run(), 100);
    try {
      await insert('ours');
    } finally {
      clearInterval(ticker);
      other.close();
    }
    expect(ticks).toBeGreaterThan(5);
    expect(committedNames()).toEqual(['ours', 'theirs']);
  });

  it('supports nested savepoints in a controlled transaction', async () => {
    const trx = await db.startTransaction().execute();
    await trx.insertInto('items').values({ name: 'outer', parent: null }).execute();
    const nested = await trx.savepoint('inner').execute();
    await nested.insertInto('items').values({ name: 'inner', parent: null }).execute();
    await nested.rollbackToSavepoint('inner').execute();
    await trx.commit().execute();
    // Kysely does not await a controlled transaction's release; a later write commits after it.
    await db.insertInto('items').values({ name: 'z', parent: null }).execute();
    expect(committedNames()).toEqual(['outer', 'z']);
  });

  it('commits what is pending when destroyed', async () => {
    const trx = await db.startTransaction().execute();
    await trx.insertInto('items').values({ name: 'last', parent: null }).execute();
    await trx.commit().execute();
    await db.destroy();
    expect(committedNames()).toEqual(['last']);
    db = new Kysely<TestSchema>({
      dialect: new GroupCommitSqliteDialect({ writer: new BetterSqlite3(path), busyTimeoutMs: 0 }),
    });
  });
});
