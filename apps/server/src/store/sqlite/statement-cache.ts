import type BetterSqlite3 from 'better-sqlite3';

/** Enough for every distinct query the stores build; beyond it the oldest are dropped. */
const defaultCapacity = 512;

/**
 * Prepared statements by SQL text. Kysely prepares each query afresh, and preparing was a tenth
 * of a small PUT's time; a statement is reused only after its previous run has finished (the
 * connection is used by one caller at a time), and SQLite re-prepares it after a schema change.
 */
export class StatementCache {
  readonly database: BetterSqlite3.Database;
  readonly #capacity: number;
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  constructor(database: BetterSqlite3.Database, capacity = defaultCapacity) {
    this.database = database;
    this.#capacity = capacity;
  }

  get(sql: string): BetterSqlite3.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.database.prepare(sql);
      if (this.#statements.size >= this.#capacity) {
        const oldest = this.#statements.keys().next().value;
        if (oldest !== undefined) this.#statements.delete(oldest);
      }
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
