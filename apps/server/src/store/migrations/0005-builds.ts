import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../schema.ts';

/**
 * The builds component: projects, builds, idempotency tokens, report groups, reports, test
 * cases, and build logs in CloudWatch Logs' model. Each row keeps its model as JSON in
 * `document`; the other columns are what queries filter, sort and lock on. Builds and log
 * events get a growing `seq`/`id`, which orders listings and pages them by keyset.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const postgres = dialect === 'postgres';
  // Byte order on PostgreSQL too, so names sort and page alike on both stores.
  const ordered = (c: ColumnDefinitionBuilder) =>
    postgres ? c.notNull().modifyEnd(sql`collate "C"`) : c.notNull();
  const serial = postgres ? 'bigserial' : 'integer';
  const serialKey = (c: ColumnDefinitionBuilder) =>
    postgres ? c.primaryKey() : c.primaryKey().autoIncrement();

  await db.schema
    .createTable('projects')
    .addColumn('arn', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', ordered)
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    .addColumn('concurrent_build_limit', 'integer')
    .addColumn('build_counter', 'bigint', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addUniqueConstraint('projects_account_region_name', ['account_id', 'region', 'name'])
    .execute();
  for (const column of ['created_at', 'last_modified_at']) {
    await db.schema
      .createIndex(`projects_by_${column}`)
      .on('projects')
      .columns(['account_id', 'region', column, 'name'])
      .execute();
  }

  await db.schema
    .createTable('builds')
    .addColumn('seq', serial, serialKey)
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('project_name', 'text', (c) => c.notNull())
    .addColumn('build_number', 'bigint', (c) => c.notNull())
    // held | queued | running | ended (see BuildDispatch).
    .addColumn('dispatch', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text')
    .addColumn('queued_deadline', 'bigint', (c) => c.notNull())
    .addColumn('run_deadline', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('builds_by_account')
    .on('builds')
    .columns(['account_id', 'region', 'seq'])
    .execute();
  await db.schema
    .createIndex('builds_by_project')
    .on('builds')
    .columns(['account_id', 'region', 'project_name', 'dispatch', 'seq'])
    .execute();
  await db.schema.createIndex('builds_by_job').on('builds').column('job_id').execute();
  await db.schema
    .createIndex('builds_by_queued_deadline')
    .on('builds')
    .columns(['dispatch', 'queued_deadline'])
    .execute();
  await db.schema
    .createIndex('builds_by_run_deadline')
    .on('builds')
    .columns(['dispatch', 'run_deadline'])
    .execute();

  await db.schema
    .createTable('build_idempotency_tokens')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('build_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('build_idempotency_tokens_pk', ['account_id', 'region', 'token'])
    .execute();

  await db.schema
    .createTable('report_groups')
    .addColumn('arn', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', ordered)
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addUniqueConstraint('report_groups_account_region_name', ['account_id', 'region', 'name'])
    .execute();

  await db.schema
    .createTable('reports')
    .addColumn('seq', serial, serialKey)
    .addColumn('arn', 'text', (c) => c.notNull().unique())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('report_group_arn', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('reports_by_account')
    .on('reports')
    .columns(['account_id', 'region', 'seq'])
    .execute();
  await db.schema
    .createIndex('reports_by_group')
    .on('reports')
    .columns(['report_group_arn', 'seq'])
    .execute();

  await db.schema
    .createTable('test_cases')
    .addColumn('report_arn', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('test_cases_pk', ['report_arn', 'position'])
    .execute();

  await db.schema
    .createTable('log_groups')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', ordered)
    .addColumn('creation_time', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('log_groups_pk', ['account_id', 'region', 'name'])
    .execute();

  await db.schema
    .createTable('log_streams')
    .addColumn('id', serial, serialKey)
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', ordered)
    .addColumn('name', 'text', ordered)
    .addColumn('creation_time', 'bigint', (c) => c.notNull())
    .addColumn('first_event_timestamp', 'bigint')
    .addColumn('last_event_timestamp', 'bigint')
    .addColumn('last_ingestion_time', 'bigint')
    .addColumn('stored_bytes', 'bigint', (c) => c.notNull())
    .addColumn('event_count', 'bigint', (c) => c.notNull())
    // The runner's last chunk number: appends are idempotent by it.
    .addColumn('last_sequence', 'bigint', (c) => c.notNull())
    .addColumn('truncated', 'integer', (c) => c.notNull())
    .addUniqueConstraint('log_streams_key', ['account_id', 'region', 'group_name', 'name'])
    .execute();
  await db.schema
    .createIndex('log_streams_by_last_event')
    .on('log_streams')
    .columns(['account_id', 'region', 'group_name', 'last_event_timestamp', 'name'])
    .execute();

  await db.schema
    .createTable('log_events')
    .addColumn('id', serial, serialKey)
    .addColumn('stream_id', 'bigint', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('ingestion_time', 'bigint', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addUniqueConstraint('log_events_stream_seq', ['stream_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('log_events_by_time')
    .on('log_events')
    .columns(['stream_id', 'timestamp', 'id'])
    .execute();
}
