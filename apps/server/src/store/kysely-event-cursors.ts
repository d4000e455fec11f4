import { sql } from 'kysely';
import type { Database } from './database.ts';

/**
 * Durable positions of event-log consumers (the pipelines' push trigger), kept in the
 * `installation` key/value table. A cursor only moves forward; consumers are idempotent, so a
 * position written late (or by two servers at once) re-reads a few events, never skips one.
 */
export class KyselyEventCursors {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  async get(consumer: string): Promise<number> {
    const row = await this.#database.db
      .selectFrom('installation')
      .select('value')
      .where('key', '=', keyOf(consumer))
      .executeTakeFirst();
    return row === undefined ? 0 : Number(row.value);
  }

  async advance(consumer: string, seq: number): Promise<void> {
    const key = keyOf(consumer);
    await this.#database.db
      .insertInto('installation')
      .values({ key, value: String(seq) })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet({ value: String(seq) })
          .where(sql`cast(installation.value as bigint)`, '<', seq),
      )
      .execute();
  }
}

function keyOf(consumer: string): string {
  return `event-cursor:${consumer}`;
}
