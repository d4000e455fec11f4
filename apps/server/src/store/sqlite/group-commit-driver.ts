import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SelectQueryNode,
  SqliteDialect,
} from 'kysely';
import { StatementCache } from './statement-cache.ts';
import { SharedFsync } from '../../platform/shared-fsync.ts';

/**
 * Kysely's SQLite driver with group commit (docs/decisions/0012-…).
 *
 * With `synchronous = FULL` every COMMIT fsyncs the WAL, and better-sqlite3 does it on the event
 * loop: one fsync per request was most of a small PUT's time. Here a transaction runs inside a
 * savepoint of a shared outer transaction, which commits once the callers queued for the
 * connection have had their turn; the WAL is then fsynced on the thread pool (SharedFsync), and
 * commits made while one fsync runs share the next. Nothing is acknowledged before it
 * is durable: a transaction, and any query that ran while an outer transaction was open (it may
 * have read another's uncommitted work), resolves only after that outer COMMIT, and fails if the
 * COMMIT does. (Kysely does not await the release after a controlled transaction's
 * `commit()`: use `db.transaction().execute()`, or await a query after it.)
 */
export class GroupCommitSqliteDialect extends SqliteDialect {
  readonly #connections: SqliteConnections;

  constructor(connections: SqliteConnections) {
    super({ database: connections.writer });
    this.#connections = connections;
  }

  override createDriver(): Driver {
    return new GroupCommitSqliteDriver(this.#connections);
  }
}

export interface SqliteConnections {
  /** Transactions and every write, one caller at a time. */
  readonly writer: BetterSqlite3.Database;
  /** How long to wait for another process's write lock (the driver sets the writer's to 0). */
  readonly busyTimeoutMs: number;
  /**
   * Read-only statements outside transactions, on the file's last commit: they never wait for
   * the writer's lock or its COMMIT. Without it, reads go to the writer (and wait).
   */
  readonly reader?: BetterSqlite3.Database | undefined;
  /**
   * The writer's WAL file. Given, the driver makes COMMITs durable itself: SQLite commits with
   * `synchronous = NORMAL` and the WAL is fsynced on the thread pool before a batch is
   * acknowledged. Without it, SQLite's own `synchronous = FULL` fsyncs on the event loop.
   */
  readonly walPath?: string | undefined;
}

interface Batch {
  readonly committed: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

const groupSavepoint = 'slipway_group';
/** Lock attempts before waiting between event-loop turns. */
const immediateRetries = 64;

export class GroupCommitSqliteDriver implements Driver {
  readonly #writer: BetterSqlite3.Database;
  readonly #writes: StatementCache;
  readonly #reads: StatementCache | undefined;
  readonly #wal: SharedFsync | undefined;
  readonly #busyTimeoutMs: number;
  readonly #mutex = new FifoMutex();
  /** The open outer transaction, if any. */
  #batch: Batch | undefined;
  #flushScheduled = false;
  /** Outer COMMITs so far, for tests and diagnostics. */
  commits = 0;

  constructor(connections: SqliteConnections) {
    this.#writer = connections.writer;
    this.#busyTimeoutMs = connections.busyTimeoutMs;
    // SQLite's own wait would block the event loop: #beginImmediate waits between turns.
    this.#writer.pragma('busy_timeout = 0');
    if (connections.walPath === undefined) {
      this.#writer.pragma('synchronous = FULL');
    } else {
      this.#writer.pragma('synchronous = NORMAL');
      // fdatasync: SQLite's own WAL sync in FULL mode is one too.
      this.#wal = new SharedFsync(connections.walPath, { dataOnly: true });
    }
    this.#writes = new StatementCache(connections.writer);
    this.#reads = connections.reader && new StatementCache(connections.reader);
  }

  async init(): Promise<void> {}

  /** The writer's lock is taken only when the caller writes or begins a transaction. */
  acquireConnection(): Promise<DatabaseConnection> {
    return Promise.resolve(new GroupConnection(this));
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const session = asGroup(connection);
    await this.#lock(session);
    await this.#joinBatch(session);
    this.#run(`savepoint ${groupSavepoint}`);
    session.inTransaction = true;
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    asGroup(connection).inTransaction = false;
    this.#run(`release ${groupSavepoint}`);
    this.#scheduleFlush();
    return Promise.resolve();
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    asGroup(connection).inTransaction = false;
    // An I/O or disk-full error rolls the whole outer transaction back; #failIfRolledBack saw
    // to the batch. Otherwise its error waits for the COMMIT like any result: what it read may
    // have been others' uncommitted work.
    if (this.#writer.inTransaction) {
      this.#run(`rollback to ${groupSavepoint}`);
      this.#run(`release ${groupSavepoint}`);
    }
    this.#scheduleFlush();
    return Promise.resolve();
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(savepointCommand('savepoint', name));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(savepointCommand('rollback to', name));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(savepointCommand('release', name));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const session = asGroup(connection);
    if (!session.locked) return;
    session.locked = false;
    this.#mutex.unlock();
    if (session.joined !== undefined) await session.joined.committed;
  }

  async destroy(): Promise<void> {
    await this.#mutex.lock();
    try {
      this.#flushNow();
    } finally {
      this.#writer.close();
      this.#reads?.database.close();
      await this.#wal?.close();
      this.#mutex.unlock();
    }
  }

  async executeQuery<R>(session: GroupConnection, query: CompiledQuery): Promise<QueryResult<R>> {
    const read = this.#readOnly(session, query.sql);
    if (read !== undefined) return run(read, query);
    await this.#lock(session);
    // A write outside a transaction joins the batch too; a read inside one may see it.
    await this.#joinBatch(session);
    try {
      return run(this.#writes.get(query.sql), query);
    } catch (error) {
      this.#failIfRolledBack(error);
      throw error;
    } finally {
      if (!session.inTransaction) this.#scheduleFlush();
    }
  }

  async *streamQuery<R>(
    session: GroupConnection,
    query: CompiledQuery,
  ): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) {
      throw new Error('SQLite streams only select queries');
    }
    const read = this.#readOnly(session, query.sql);
    if (read === undefined) {
      await this.#lock(session);
      await this.#joinBatch(session);
    }
    // Prepared afresh: a cached statement iterated here could be reused before the end.
    const database = read === undefined ? this.#writer : read.database;
    for (const row of database.prepare(query.sql).iterate(query.parameters)) {
      yield { rows: [row as R] };
    }
  }

  /** The reader's statement, when `sql` only reads and runs outside a transaction. */
  #readOnly(session: GroupConnection, sql: string): BetterSqlite3.Statement | undefined {
    if (this.#reads === undefined || session.inTransaction || session.locked) return undefined;
    const statement = this.#reads.get(sql);
    return statement.readonly ? statement : undefined;
  }

  async #lock(session: GroupConnection): Promise<void> {
    if (session.locked) return;
    await this.#mutex.lock();
    session.locked = true;
  }

  /** Opens the batch if none is, and makes the session's result wait for its COMMIT. */
  async #joinBatch(session: GroupConnection): Promise<void> {
    if (this.#batch === undefined) {
      await this.#beginImmediate();
      this.#batch = newBatch();
    }
    session.joined = this.#batch;
  }

  /**
   * IMMEDIATE takes the write lock now, so a batch never fails to upgrade a read lock because
   * another process (`slipway build`) wrote meanwhile. While another connection holds the lock,
   * this retries without blocking the event loop as SQLite's own busy handler would: first at
   * once (a connection in this process commits within a few microtasks), then after pauses.
   */
  async #beginImmediate(): Promise<void> {
    const deadline = performance.now() + this.#busyTimeoutMs;
    for (let attempt = 1; ; attempt++) {
      try {
        this.#run('begin immediate');
        return;
      } catch (error) {
        if (!isBusy(error) || performance.now() >= deadline) throw error;
      }
      if (attempt <= immediateRetries) await Promise.resolve();
      else await sleep(Math.min(2 ** (attempt - immediateRetries - 1), 50));
    }
  }

  /**
   * COMMITs once the callers already queued for the connection have run, so they join this
   * batch. Not later (say, after other I/O callbacks): the write lock would then be held across
   * event-loop turns, and another connection to the file in this process, which busy-waits
   * synchronously, would never see it released.
   */
  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    void this.#mutex.lock().then(() => {
      this.#flushScheduled = false;
      try {
        this.#flushNow();
      } finally {
        this.#mutex.unlock();
      }
    });
  }

  #flushNow(): void {
    const batch = this.#batch;
    if (batch === undefined) return;
    this.#batch = undefined;
    try {
      this.#run('commit');
      this.commits += 1;
      if (this.#wal === undefined) batch.resolve();
      else {
        this.#wal.sync().then(
          () => batch.resolve(),
          (error: unknown) => batch.reject(error),
        );
      }
    } catch (error) {
      if (this.#writer.inTransaction) this.#run('rollback');
      batch.reject(error);
    }
  }

  #run(sql: string): void {
    try {
      this.#writes.get(sql).run();
    } catch (error) {
      this.#failIfRolledBack(error);
      throw error;
    }
  }

  /**
   * Most statement errors undo only the statement; some (disk full, I/O) roll the whole
   * transaction back, and with it every member of the batch: they all fail with that error.
   */
  #failIfRolledBack(error: unknown): void {
    const batch = this.#batch;
    if (batch === undefined || this.#writer.inTransaction) return;
    this.#batch = undefined;
    batch.reject(error);
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function run<R>(statement: BetterSqlite3.Statement, query: CompiledQuery): QueryResult<R> {
  if (statement.reader) return { rows: statement.all(query.parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(query.parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

/** One caller's use of the connection (Kysely acquires one per query or transaction). */
class GroupConnection implements DatabaseConnection {
  readonly #driver: GroupCommitSqliteDriver;
  /** Holds the writer's lock. */
  locked = false;
  inTransaction = false;
  /** The batch whose COMMIT this caller's results wait for. */
  joined: Batch | undefined;

  constructor(driver: GroupCommitSqliteDriver) {
    this.#driver = driver;
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.#driver.executeQuery<R>(this, query);
  }

  streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    return this.#driver.streamQuery<R>(this, query);
  }
}

function asGroup(connection: DatabaseConnection): GroupConnection {
  if (!(connection instanceof GroupConnection)) throw new Error('not a group-commit connection');
  return connection;
}

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const committed = new Promise<void>((done, fail) => {
    resolve = done;
    reject = fail;
  });
  // Members observe it in releaseConnection; a batch nobody waits on must not crash the process.
  committed.catch(() => undefined);
  return { committed, resolve, reject };
}

/** Nested savepoints (`trx.savepoint(name)`), named by word characters only. */
function savepointCommand(
  command: 'savepoint' | 'rollback to' | 'release',
  name: string,
): CompiledQuery {
  if (!/^\w+$/.test(name) || name === groupSavepoint) {
    throw new Error(`Invalid savepoint name: ${name}`);
  }
  return CompiledQuery.raw(`${command} ${name}`);
}

/** Hands the single connection out in arrival order. */
class FifoMutex {
  #locked = false;
  readonly #waiting: (() => void)[] = [];

  lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  unlock(): void {
    const next = this.#waiting.shift();
    if (next === undefined) this.#locked = false;
    else next();
  }
}
