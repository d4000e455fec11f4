import type {
  DeploymentScope,
  ListDeploymentsQuery,
  ListedDeployment,
  NamePage,
} from '@slipway/core';
import type { Kysely } from 'kysely';
import type { Schema } from './schema.ts';

/** The listings and look-ups of `KyselyDeploymentStore`. */

/** Deployments of a scope matching every given filter, newest (highest `seq`) first. */
export async function selectDeployments(
  db: Kysely<Schema>,
  query: ListDeploymentsQuery,
): Promise<ListedDeployment[]> {
  const { scope, applicationName, deploymentGroupName, externalId, statuses, before } = query;
  const { createdFrom, createdTo } = query;
  // `in ()` is no SQL PostgreSQL accepts.
  if (statuses?.length === 0) return [];
  const rows = await db
    .selectFrom('cd_deployments')
    .select(['deployment_id', 'seq'])
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .$if(applicationName !== undefined, (qb) =>
      qb.where('application_name', '=', applicationName ?? ''),
    )
    .$if(deploymentGroupName !== undefined, (qb) =>
      qb.where('group_name', '=', deploymentGroupName ?? ''),
    )
    .$if(externalId !== undefined, (qb) => qb.where('external_id', '=', externalId ?? ''))
    .$if(statuses !== undefined, (qb) => qb.where('status', 'in', [...(statuses ?? [])]))
    .$if(createdFrom !== undefined, (qb) => qb.where('create_time', '>=', createdFrom ?? 0))
    .$if(createdTo !== undefined, (qb) => qb.where('create_time', '<=', createdTo ?? 0))
    .$if(before !== undefined, (qb) => qb.where('seq', '<', before ?? 0))
    .orderBy('seq', 'desc')
    .limit(query.limit)
    .execute();
  return rows.map((row) => ({ deploymentId: row.deployment_id, seq: Number(row.seq) }));
}

export async function selectUnfinishedDeployments(
  db: Kysely<Schema>,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('cd_deployments')
    .select('deployment_id')
    .where('unfinished', '=', 1)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((row) => row.deployment_id);
}

/** One page of a scope's named documents (applications, custom configurations), by name. */
export async function selectNamed(
  db: Kysely<Schema>,
  table: 'cd_applications' | 'cd_deployment_configs',
  scope: { readonly accountId: string; readonly region: string },
  page: NamePage,
): Promise<{ name: string; document: string }[]> {
  const { after } = page;
  return db
    .selectFrom(table)
    .select(['name', 'document'])
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .$if(after !== undefined, (qb) => qb.where('name', '>', after ?? ''))
    .orderBy('name')
    .limit(page.limit)
    .execute();
}

export async function selectConfig(db: Kysely<Schema>, scope: DeploymentScope, name: string) {
  return db
    .selectFrom('cd_deployment_configs')
    .select('document')
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function selectInstance(db: Kysely<Schema>, scope: DeploymentScope, name: string) {
  return db
    .selectFrom('cd_onprem_instances')
    .select('document')
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function selectInstances(db: Kysely<Schema>, scope: DeploymentScope) {
  return db
    .selectFrom('cd_onprem_instances')
    .select('document')
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .orderBy('name')
    .execute();
}

/** The registered (not deregistered) instance of the account holding this IAM ARN. */
export async function selectRegisteredByArn(db: Kysely<Schema>, accountId: string, arn: string) {
  return db
    .selectFrom('cd_onprem_instances')
    .select(['region', 'name', 'document'])
    .where('account_id', '=', accountId)
    .where('iam_arn', '=', arn)
    .where('deregister_time', 'is', null)
    .executeTakeFirst();
}
