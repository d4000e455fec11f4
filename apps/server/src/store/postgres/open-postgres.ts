import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Schema } from '../schema.ts';

// int8 (bigint, bigserial) arrives as a string by default; every such column here holds epoch
// milliseconds or a sequence number, well inside Number's exact range.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface PostgresOptions {
  readonly url: string;
  readonly poolSize: number;
}

export function openPostgres(options: PostgresOptions): Kysely<Schema> {
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize });
  // An idle client that loses its connection emits 'error'; without a listener it would crash the
  // process. The pool drops the client and the next query opens a new one.
  pool.on('error', () => {});
  return new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
}
