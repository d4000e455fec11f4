import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../schema.ts';

/**
 * IAM users beyond the administrator: each user's path (the administrator's is `/`), their
 * inline policies (stored, not enforced), and an index to list a user's access keys. On
 * PostgreSQL user and policy names sort in byte order, as on SQLite.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const postgres = dialect === 'postgres';
  await db.schema
    .alterTable('users')
    .addColumn('path', 'text', (c) => c.notNull().defaultTo('/'))
    .execute();
  if (postgres) await sql`alter table users alter column name type text collate "C"`.execute(db);

  await db.schema
    .createTable('user_policies')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('policy_name', 'text', (c) =>
      postgres ? c.notNull().modifyEnd(sql`collate "C"`) : c.notNull(),
    )
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_policies_pk', ['user_id', 'policy_name'])
    .execute();

  await db.schema.createIndex('access_keys_by_user').on('access_keys').column('user_id').execute();
}
