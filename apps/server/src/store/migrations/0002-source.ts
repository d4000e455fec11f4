import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../schema.ts';

/** Repository metadata (the source component). Git objects live on disk, one directory per id. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('repositories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('region', 'text', (c) => c.notNull())
    // Byte order on PostgreSQL too, so ListRepositories sorts and pages alike on both stores
    // whatever the database's default collation.
    .addColumn('name', 'text', (c) =>
      dialect === 'postgres' ? c.notNull().modifyEnd(sql`collate "C"`) : c.notNull(),
    )
    .addColumn('description', 'text')
    .addColumn('default_branch', 'text')
    .addColumn('kms_key_id', 'text')
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('triggers', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('repositories_account_region_name', ['account_id', 'region', 'name'])
    .execute();
  // One row per recorded push: recording the same push again (crash recovery) does nothing.
  await db.schema
    .createTable('source_pushes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('repository_id', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('repositories_by_modified')
    .on('repositories')
    .columns(['account_id', 'region', 'last_modified_at', 'id'])
    .execute();
}
