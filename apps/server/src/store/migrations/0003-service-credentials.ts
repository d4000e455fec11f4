import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.ts';

/** Per-user static passwords for one service (IAM ServiceSpecificCredential; git over HTTPS). */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('service_credentials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('service_name', 'text', (c) => c.notNull())
    .addColumn('service_user_name', 'text', (c) => c.notNull())
    .addColumn('sealed_password', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('service_credentials_by_user_name')
    .on('service_credentials')
    .columns(['service_user_name', 'service_name'])
    .execute();
}
