import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../schema.ts';

/**
 * The deployments component (CodeDeploy): applications, deployment groups, custom deployment
 * configurations, on-premises instances, application revisions and deployments, per account and
 * region. Each row keeps its model as a JSON document without the names the columns hold
 * (application and group names), so renaming an application or a group rewrites columns only.
 *
 * Deployments refer to their group by its generated id as well as by name: a transition locks
 * the group row by id, then the deployment's, and a deployment outlives its group and
 * application (readable by id). `unfinished` is 1 until the status is Succeeded, Failed or
 * Stopped. An IAM user or session ARN belongs to at most one registered instance of an account,
 * in any region (the agent is found by it); a deregistered instance frees it but keeps its name.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const postgres = dialect === 'postgres';
  // Byte order on PostgreSQL too, so names sort and page alike on both stores.
  const ordered = (c: ColumnDefinitionBuilder) =>
    postgres ? c.notNull().modifyEnd(sql`collate "C"`) : c.notNull();
  const account = (c: ColumnDefinitionBuilder) => c.notNull().references('accounts.id');

  await db.schema
    .createTable('cd_applications')
    .addColumn('account_id', 'text', account)
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', ordered)
    // DeploymentApplication as JSON, without `applicationName` (the column holds it).
    .addColumn('document', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cd_applications_pk', ['account_id', 'region', 'name'])
    .execute();

  await db.schema
    .createTable('cd_deployment_groups')
    .addColumn('group_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', account)
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('application_name', 'text', ordered)
    .addColumn('name', 'text', ordered)
    .addColumn('deployment_config_name', 'text', (c) => c.notNull())
    // DeploymentGroup as JSON, without `applicationName` and `deploymentGroupName`.
    .addColumn('document', 'text', (c) => c.notNull())
    // DeploymentGroupRuntime as JSON, written by deployment transactions only.
    .addColumn('runtime', 'text', (c) => c.notNull())
    .addUniqueConstraint('cd_deployment_groups_name', [
      'account_id',
      'region',
      'application_name',
      'name',
    ])
    .execute();
  await db.schema
    .createIndex('cd_deployment_groups_by_config')
    .on('cd_deployment_groups')
    .columns(['account_id', 'region', 'deployment_config_name'])
    .execute();

  await db.schema
    .createTable('cd_deployment_configs')
    .addColumn('account_id', 'text', account)
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', ordered)
    // DeploymentConfig as JSON; custom configurations only.
    .addColumn('document', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cd_deployment_configs_pk', ['account_id', 'region', 'name'])
    .execute();

  await db.schema
    .createTable('cd_onprem_instances')
    .addColumn('account_id', 'text', account)
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', ordered)
    // The instance's IAM user ARN or IAM session ARN, whichever it has.
    .addColumn('iam_arn', 'text', (c) => c.notNull())
    .addColumn('deregister_time', 'bigint')
    // OnPremisesInstance as JSON.
    .addColumn('document', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cd_onprem_instances_pk', ['account_id', 'region', 'name'])
    .execute();
  await db.schema
    .createIndex('cd_onprem_instances_registered_arn')
    .on('cd_onprem_instances')
    .columns(['account_id', 'iam_arn'])
    .unique()
    .where(sql.ref('deregister_time'), 'is', null)
    .execute();

  await db.schema
    .createTable('cd_revisions')
    .addColumn('account_id', 'text', account)
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('application_name', 'text', ordered)
    // `revisionKey(revision)`: bucket, key, version and ETag.
    .addColumn('revision_key', 'text', ordered)
    // ApplicationRevision as JSON, without `applicationName`.
    .addColumn('document', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cd_revisions_pk', [
      'account_id',
      'region',
      'application_name',
      'revision_key',
    ])
    .execute();

  await db.schema
    .createTable('cd_deployments')
    .addColumn('seq', postgres ? 'bigserial' : 'integer', (c) =>
      postgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('deployment_id', 'text', (c) => c.notNull().unique())
    .addColumn('account_id', 'text', account)
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('application_name', 'text', ordered)
    .addColumn('group_name', 'text', ordered)
    // No foreign key: deployments stay readable after their group is deleted.
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('create_time', 'bigint', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('unfinished', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    // Deployment as JSON, without the names and `version` (the columns hold them).
    .addColumn('document', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('cd_deployments_by_group')
    .on('cd_deployments')
    .columns(['account_id', 'region', 'application_name', 'group_name', 'seq'])
    .execute();
  await db.schema
    .createIndex('cd_deployments_by_group_id')
    .on('cd_deployments')
    .column('group_id')
    .execute();
  await db.schema
    .createIndex('cd_deployments_by_external_id')
    .on('cd_deployments')
    .columns(['account_id', 'external_id'])
    .execute();
  await db.schema
    .createIndex('cd_deployments_unfinished')
    .on('cd_deployments')
    .columns(['unfinished', 'seq'])
    .execute();
}
