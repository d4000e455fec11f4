import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../schema.ts';

/**
 * The pipelines component: pipelines (one row per created pipeline, under a generated id, with
 * its latest version number, shared runtime and tags), every version's declaration, and
 * executions as one JSON document each. Executions refer to the pipeline's id, not its name, so
 * they outlive a deleted pipeline (readable by id, listed no more) and a pipeline created again
 * under the same name starts with none. Transitions lock the pipeline row, then the execution's.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const postgres = dialect === 'postgres';
  // Byte order on PostgreSQL too, so names sort and page alike on both stores.
  const ordered = (c: ColumnDefinitionBuilder) =>
    postgres ? c.notNull().modifyEnd(sql`collate "C"`) : c.notNull();

  await db.schema
    .createTable('pipelines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('arn', 'text', (c) => c.notNull().unique())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', ordered)
    .addColumn('latest_version', 'integer', (c) => c.notNull())
    // PipelineRuntime as JSON.
    .addColumn('runtime', 'text', (c) => c.notNull())
    // Tag[] as JSON.
    .addColumn('tags', 'text', (c) => c.notNull())
    .addUniqueConstraint('pipelines_account_region_name', ['account_id', 'region', 'name'])
    .execute();

  await db.schema
    .createTable('pipeline_versions')
    .addColumn('pipeline_id', 'text', (c) => c.notNull().references('pipelines.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    // Pipeline as JSON.
    .addColumn('document', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('pipeline_versions_pk', ['pipeline_id', 'version'])
    .execute();

  await db.schema
    .createTable('pipeline_executions')
    .addColumn('seq', postgres ? 'bigserial' : 'integer', (c) =>
      postgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('id', 'text', (c) => c.notNull().unique())
    // No foreign key: executions stay readable after their pipeline is deleted.
    .addColumn('pipeline_id', 'text', (c) => c.notNull())
    .addColumn('execution_mode', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // `dueAt` of the document, or the time a wake-up set; NULL once finished.
    .addColumn('due_at', 'bigint')
    .addColumn('idempotency_token', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    // PipelineExecution as JSON, without `seq` and `version` (the columns hold them).
    .addColumn('document', 'text', (c) => c.notNull())
    .addUniqueConstraint('pipeline_executions_token', ['pipeline_id', 'idempotency_token'])
    .execute();
  await db.schema
    .createIndex('pipeline_executions_by_pipeline')
    .on('pipeline_executions')
    .columns(['pipeline_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('pipeline_executions_by_status')
    .on('pipeline_executions')
    .columns(['status', 'seq'])
    .execute();
  await db.schema
    .createIndex('pipeline_executions_by_due')
    .on('pipeline_executions')
    .column('due_at')
    .execute();
}
