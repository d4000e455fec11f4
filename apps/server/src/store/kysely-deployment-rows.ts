import {
  revisionKey,
  terminalDeploymentStatuses,
  type ApplicationRevision,
  type Deployment,
  type DeploymentApplication,
  type DeploymentGroup,
  type DeploymentGroupRuntime,
  type DeploymentScope,
  type DeploymentTransitionChange,
  type OnPremisesInstance,
  type Random,
  type RevisionUse,
  type StoredDeploymentGroup,
} from '@slipway/core';
import type { Transaction } from 'kysely';
import { writeJobChanges } from './kysely-job-queue.ts';
import type { Schema } from './schema.ts';

/**
 * Rows of the deployments component and the writes every deployment transaction shares.
 * Documents leave out what the columns hold (names, `version`): reading overlays the columns.
 */

export function applicationDocument(application: DeploymentApplication): string {
  return JSON.stringify({ ...application, applicationName: undefined });
}

export function toApplication(row: { name: string; document: string }): DeploymentApplication {
  return { ...(JSON.parse(row.document) as DeploymentApplication), applicationName: row.name };
}

export interface GroupRow {
  readonly group_id: string;
  readonly application_name: string;
  readonly name: string;
  readonly document: string;
  readonly runtime: string;
}

export function groupColumns(group: DeploymentGroup) {
  return {
    application_name: group.applicationName,
    name: group.deploymentGroupName,
    deployment_config_name: group.deploymentConfigName,
    document: JSON.stringify({
      ...group,
      applicationName: undefined,
      deploymentGroupName: undefined,
    }),
  };
}

export function toGroup(row: Omit<GroupRow, 'group_id' | 'runtime'>): DeploymentGroup {
  return {
    ...(JSON.parse(row.document) as DeploymentGroup),
    applicationName: row.application_name,
    deploymentGroupName: row.name,
  };
}

export function toStoredGroup(row: GroupRow): StoredDeploymentGroup {
  return { group: toGroup(row), runtime: JSON.parse(row.runtime) as DeploymentGroupRuntime };
}

export function instanceArn(instance: OnPremisesInstance): string {
  return instance.iamUserArn ?? instance.iamSessionArn ?? '';
}

export function instanceColumns(instance: OnPremisesInstance) {
  return {
    iam_arn: instanceArn(instance),
    deregister_time: instance.deregisterTime ?? null,
    document: JSON.stringify(instance),
  };
}

export function toInstance(row: { document: string }): OnPremisesInstance {
  return JSON.parse(row.document) as OnPremisesInstance;
}

export function revisionDocument(revision: ApplicationRevision): string {
  return JSON.stringify({ ...revision, applicationName: undefined });
}

export function toRevision(row: { application_name: string; document: string }) {
  return {
    ...(JSON.parse(row.document) as ApplicationRevision),
    applicationName: row.application_name,
  };
}

/**
 * `given` registered over `stored`: the location, description and registration time are the
 * new ones, the usage (groups, first and last use) is what deployments recorded, merged.
 */
export function reregistered(
  stored: ApplicationRevision | undefined,
  given: ApplicationRevision,
): ApplicationRevision {
  if (stored === undefined) return given;
  const groups = [...stored.deploymentGroups];
  for (const group of given.deploymentGroups) if (!groups.includes(group)) groups.push(group);
  const firstUsedTime = stored.firstUsedTime ?? given.firstUsedTime;
  const lastUsed = [stored.lastUsedTime, given.lastUsedTime].filter((t) => t !== undefined);
  return {
    ...given,
    deploymentGroups: groups,
    firstUsedTime,
    lastUsedTime: lastUsed.length === 0 ? undefined : Math.max(...lastUsed),
  };
}

/** `stored` (or a revision first seen now) after its use by a deployment group. */
export function used(
  stored: ApplicationRevision | undefined,
  use: RevisionUse,
): ApplicationRevision {
  const base: ApplicationRevision = stored ?? {
    applicationName: use.applicationName,
    revision: use.revision,
    deploymentGroups: [],
    registerTime: use.usedAt,
  };
  return {
    ...base,
    deploymentGroups: base.deploymentGroups.includes(use.deploymentGroupName)
      ? base.deploymentGroups
      : [...base.deploymentGroups, use.deploymentGroupName],
    firstUsedTime: base.firstUsedTime ?? use.usedAt,
    lastUsedTime: use.usedAt,
  };
}

export interface DeploymentRow {
  readonly seq: number;
  readonly application_name: string;
  readonly group_name: string;
  readonly version: number;
  readonly document: string;
}

export function toDeployment(row: DeploymentRow): Deployment {
  return {
    ...(JSON.parse(row.document) as Deployment),
    applicationName: row.application_name,
    deploymentGroupName: row.group_name,
    version: Number(row.version),
  };
}

/** The columns a deployment's document decides, beside its names and version. */
export function deploymentColumns(deployment: Deployment) {
  return {
    status: deployment.status,
    create_time: deployment.createTime,
    external_id: deployment.externalId ?? null,
    unfinished: terminalDeploymentStatuses.has(deployment.status) ? 0 : 1,
    document: JSON.stringify({
      ...deployment,
      applicationName: undefined,
      deploymentGroupName: undefined,
      version: undefined,
    }),
  };
}

export async function insertDeployment(
  trx: Transaction<Schema>,
  deployment: Deployment,
): Promise<void> {
  await trx
    .insertInto('cd_deployments')
    .values({
      deployment_id: deployment.deploymentId,
      account_id: deployment.accountId,
      region: deployment.region,
      application_name: deployment.applicationName,
      group_name: deployment.deploymentGroupName,
      group_id: deployment.deploymentGroupId,
      version: 1,
      ...deploymentColumns(deployment),
    })
    .execute();
}

/** Writes `next` over `read`, a compare-and-swap on the version `read` has. */
export async function writeDeployment(
  trx: Transaction<Schema>,
  read: Deployment,
  next: Deployment,
): Promise<void> {
  const written = await trx
    .updateTable('cd_deployments')
    .set({ ...deploymentColumns(next), version: read.version + 1 })
    .where('deployment_id', '=', read.deploymentId)
    .where('version', '=', read.version)
    .executeTakeFirst();
  // Cannot happen under the locks; a bug if it does, so the transaction rolls back.
  if (Number(written.numUpdatedRows) !== 1) {
    throw new Error(`deployment ${read.deploymentId} changed under its lock`);
  }
}

/** Queues given jobs by the change: what must be announced once it is committed. */
export type Effects = Set<string>;

export interface ChangeTarget {
  readonly scope: DeploymentScope;
  /** The locked group, when it still exists. */
  readonly groupId: string | undefined;
  readonly postgres: boolean;
  readonly now: number;
  /** Ids for jobs given without one. */
  readonly random: Random;
}

/**
 * Writes the parts of a change beside the deployment itself, inside the caller's transaction:
 * the group's runtime, new deployments, revisions used, new jobs and cancellations (queued →
 * cancelled, leased → cancel requested, as `KyselyJobQueue.requestCancel` does).
 */
export async function applyChange(
  trx: Transaction<Schema>,
  target: ChangeTarget,
  change: Omit<DeploymentTransitionChange<unknown>, 'deployment' | 'result'>,
): Promise<Effects> {
  const { groupId, now } = target;
  if (change.groupRuntime !== undefined && groupId !== undefined) {
    await trx
      .updateTable('cd_deployment_groups')
      .set({ runtime: JSON.stringify(change.groupRuntime) })
      .where('group_id', '=', groupId)
      .execute();
  }
  for (const deployment of change.newDeployments ?? []) await insertDeployment(trx, deployment);
  for (const use of change.usedRevisions ?? []) {
    await mergeRevision(trx, target, used(undefined, use), (stored) => used(stored, use));
  }
  return writeJobChanges(trx, change, { now, newId: () => target.random.uuid() });
}

/**
 * Records `revision` (for `scope`) as `merge` of the stored one and itself: inserts it when
 * missing, else merges under the row's lock (PostgreSQL `FOR UPDATE`; SQLite has one writer), so
 * two groups using one revision at once both get recorded.
 */
export async function mergeRevision(
  trx: Transaction<Schema>,
  target: { readonly scope: DeploymentScope; readonly postgres: boolean },
  fresh: ApplicationRevision,
  merge: (stored: ApplicationRevision) => ApplicationRevision,
): Promise<void> {
  const { scope } = target;
  const key = {
    account_id: scope.accountId,
    region: scope.region,
    application_name: fresh.applicationName,
    revision_key: revisionKey(fresh.revision),
  };
  const inserted = await trx
    .insertInto('cd_revisions')
    .values({ ...key, document: revisionDocument(fresh) })
    .onConflict((oc) =>
      oc.columns(['account_id', 'region', 'application_name', 'revision_key']).doNothing(),
    )
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return;
  const row = await trx
    .selectFrom('cd_revisions')
    .select(['application_name', 'document'])
    .where('account_id', '=', key.account_id)
    .where('region', '=', key.region)
    .where('application_name', '=', key.application_name)
    .where('revision_key', '=', key.revision_key)
    .$if(target.postgres, (qb) => qb.forUpdate())
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('cd_revisions')
    .set({ document: revisionDocument(merge(toRevision(row))) })
    .where('account_id', '=', key.account_id)
    .where('region', '=', key.region)
    .where('application_name', '=', key.application_name)
    .where('revision_key', '=', key.revision_key)
    .execute();
}
