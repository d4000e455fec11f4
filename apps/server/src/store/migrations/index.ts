import type { Migration, MigrationProvider } from 'kysely';
import type { Dialect } from '../schema.ts';
import * as foundation from './0001-foundation.ts';
import * as source from './0002-source.ts';
import * as serviceCredentials from './0003-service-credentials.ts';
import * as objects from './0004-objects.ts';
import * as builds from './0005-builds.ts';
import * as pipelines from './0006-pipelines.ts';
import * as customActionTypes from './0007-custom-action-types.ts';
import * as deployments from './0008-deployments.ts';
import * as iamUsers from './0009-iam-users.ts';

/**
 * Migrations are code, listed here in order; names sort in the order they apply. They are never
 * edited once released: a change is a new migration. Each gets the dialect for the few column
 * types that differ (auto-increment keys).
 */
const all = {
  '0001-foundation': foundation,
  '0002-source': source,
  '0003-service-credentials': serviceCredentials,
  '0004-objects': objects,
  '0005-builds': builds,
  '0006-pipelines': pipelines,
  '0007-custom-action-types': customActionTypes,
  '0008-deployments': deployments,
  '0009-iam-users': iamUsers,
};

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    getMigrations: () =>
      Promise.resolve(
        Object.fromEntries(
          Object.entries(all).map(([name, m]): [string, Migration] => [
            name,
            { up: (db) => m.up(db, dialect) },
          ]),
        ),
      ),
  };
}
