import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../schema.ts';

/**
 * CodePipeline custom action types: one row per (account, region, category, provider, version),
 * the definition as a JSON document. DeleteCustomActionType only sets `deleted_at`: a deleted
 * version keeps its key, so it can be restored but never redefined.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  // Byte order on PostgreSQL too, so both stores list in the same order.
  const ordered = (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.notNull().modifyEnd(sql`collate "C"`) : c.notNull();

  await db.schema
    .createTable('custom_action_types')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('category', 'text', ordered)
    .addColumn('provider', 'text', ordered)
    .addColumn('version', 'text', ordered)
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    // CustomActionType as JSON, without its key and `deleted` (the columns hold them).
    .addColumn('document', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('custom_action_types_pk', [
      'account_id',
      'region',
      'category',
      'provider',
      'version',
    ])
    .execute();
}
