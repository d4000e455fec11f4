import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { dropDatabasesWithPrefix, withAdmin } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Prefix of every PostgreSQL database this run may create; all are dropped at the end. */
    postgresRunPrefix: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const prefix = `slipway_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  try {
    await withAdmin((client) => client.query('SELECT 1'));
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable (${(error as Error).message}); the store suites run on both ` +
        'SQLite and PostgreSQL. Start it (.ci/run does) or set SLIPWAY_TEST_POSTGRES_URL.',
      { cause: error },
    );
  }
  project.provide('postgresRunPrefix', prefix);
  return () => dropDatabasesWithPrefix(prefix);
}
