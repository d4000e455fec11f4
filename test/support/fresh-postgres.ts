import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createDatabase } from './postgres.ts';

/** A new, empty PostgreSQL database for one suite, dropped when the test run ends. */
export async function freshPostgresUrl(): Promise<string> {
  return createDatabase(`${inject('postgresRunPrefix')}_${randomBytes(4).toString('hex')}`);
}
