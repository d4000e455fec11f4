import {
  AppErrorKind,
  applicationAlreadyExists,
  deploymentConfigAlreadyExists,
  deploymentGroupAlreadyExists,
  DeploymentsSubject,
  deploymentsError,
  onPremisesInstanceAlreadyRegistered,
  revisionKey,
  selectOnPremisesInstances,
  type ApplicationRevision,
  type Clock,
  type Deployment,
  type DeploymentApplication,
  type DeploymentConfig,
  type DeploymentGroup,
  type DeploymentScope,
  type DeploymentStore,
  type DeploymentTag,
  type DeploymentTransitionChange,
  type DeploymentTransitionView,
  type ListDeploymentsQuery,
  type ListedDeployment,
  type NamePage,
  type NewDeploymentInput,
  type NewDeploymentResult,
  type OnPremisesInstance,
  type Random,
  type RevisionLocation,
  type StoredDeploymentGroup,
} from '@slipway/core';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './database.ts';
import { inTransaction } from './kysely-builds-support.ts';
import {
  applicationDocument,
  applyChange,
  groupColumns,
  insertDeployment,
  instanceArn,
  instanceColumns,
  mergeRevision,
  reregistered,
  toApplication,
  toDeployment,
  toGroup,
  toInstance,
  toRevision,
  toStoredGroup,
  writeDeployment,
  type Effects,
} from './kysely-deployment-rows.ts';
import {
  selectConfig,
  selectDeployments,
  selectInstance,
  selectInstances,
  selectNamed,
  selectRegisteredByArn,
  selectUnfinishedDeployments,
} from './kysely-deployment-queries.ts';
import { Channel } from './notifier.ts';
import type { Schema } from './schema.ts';

export interface DeploymentStoreDeps {
  readonly database: Database;
  /** When jobs a change gives are created. */
  readonly clock: Clock;
  /** Ids of jobs a change gives without one. */
  readonly random: Random;
}

type Outcome<T> = { readonly result: T; readonly effects?: Effects | undefined };

const groupRowColumns = ['group_id', 'application_name', 'name', 'document', 'runtime'] as const;
const deploymentRowColumns = [
  'seq',
  'account_id',
  'region',
  'group_id',
  'application_name',
  'group_name',
  'version',
  'document',
] as const;

/**
 * CodeDeploy resources on either dialect. A deployment transition reads the deployment, locks
 * its group's row by id and then the deployment's (PostgreSQL `FOR UPDATE`, group first, as
 * `createDeployment` locks the group before inserting), runs the caller's synchronous `decide`
 * and writes what it decided — the deployment (compare-and-swap on its version), the group's
 * runtime, new deployments, revisions used, jobs and cancellations — in one transaction. SQLite
 * has one writer, which serializes transactions by itself. Jobs are announced after the commit.
 */
export class KyselyDeploymentStore implements DeploymentStore {
  readonly #deps: DeploymentStoreDeps;

  constructor(deps: DeploymentStoreDeps) {
    this.#deps = deps;
  }

  async insertApplication(scope: DeploymentScope, application: DeploymentApplication) {
    await inTransaction(this.#deps.database, async (trx) => {
      const name = application.applicationName;
      if ((await this.#application(trx, scope, name, false)) !== undefined) {
        throw applicationAlreadyExists(name);
      }
      await trx
        .insertInto('cd_applications')
        .values({ ...scoped(scope), name, document: applicationDocument(application) })
        .execute();
    });
  }

  async findApplication(scope: DeploymentScope, name: string) {
    const row = await this.#application(this.#db, scope, name, false);
    return row === undefined ? undefined : toApplication(row);
  }

  async listApplications(scope: DeploymentScope, page: NamePage) {
    const rows = await selectNamed(this.#db, 'cd_applications', scope, page);
    return rows.map(toApplication);
  }

  async renameApplication(scope: DeploymentScope, from: string, to: string): Promise<boolean> {
    return inTransaction(this.#deps.database, async (trx) => {
      if ((await this.#application(trx, scope, from, true)) === undefined) return false;
      if (from === to) return true;
      if ((await this.#application(trx, scope, to, false)) !== undefined) {
        throw applicationAlreadyExists(to);
      }
      await trx
        .updateTable('cd_applications')
        .set({ name: to })
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('name', '=', from)
        .execute();
      for (const table of ['cd_deployment_groups', 'cd_revisions', 'cd_deployments'] as const) {
        await trx
          .updateTable(table)
          .set({ application_name: to })
          .where('account_id', '=', scope.accountId)
          .where('region', '=', scope.region)
          .where('application_name', '=', from)
          .execute();
      }
      return true;
    });
  }

  async updateApplicationTags(
    scope: DeploymentScope,
    name: string,
    tags: readonly DeploymentTag[],
  ): Promise<boolean> {
    return inTransaction(this.#deps.database, async (trx) => {
      const row = await this.#application(trx, scope, name, true);
      if (row === undefined) return false;
      await trx
        .updateTable('cd_applications')
        .set({ document: applicationDocument({ ...toApplication(row), tags }) })
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('name', '=', name)
        .execute();
      return true;
    });
  }

  async deleteApplication(scope: DeploymentScope, name: string): Promise<void> {
    await inTransaction(this.#deps.database, async (trx) => {
      await trx
        .deleteFrom('cd_applications')
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('name', '=', name)
        .execute();
      for (const table of ['cd_deployment_groups', 'cd_revisions'] as const) {
        await trx
          .deleteFrom(table)
          .where('account_id', '=', scope.accountId)
          .where('region', '=', scope.region)
          .where('application_name', '=', name)
          .execute();
      }
    });
  }

  async insertDeploymentGroup(scope: DeploymentScope, group: DeploymentGroup): Promise<void> {
    await inTransaction(this.#deps.database, async (trx) => {
      const { applicationName: app, deploymentGroupName: name } = group;
      if ((await this.#group(trx, scope, app, name, false)) !== undefined) {
        throw deploymentGroupAlreadyExists(app, name);
      }
      await trx
        .insertInto('cd_deployment_groups')
        .values({
          ...scoped(scope),
          group_id: group.deploymentGroupId,
          ...groupColumns(group),
          runtime: '{}',
        })
        .execute();
    });
  }

  async findDeploymentGroup(
    scope: DeploymentScope,
    applicationName: string,
    name: string,
  ): Promise<StoredDeploymentGroup | undefined> {
    const row = await this.#group(this.#db, scope, applicationName, name, false);
    return row === undefined ? undefined : toStoredGroup(row);
  }

  async listDeploymentGroups(
    scope: DeploymentScope,
    applicationName: string,
    page: NamePage,
  ): Promise<DeploymentGroup[]> {
    const { after } = page;
    const rows = await this.#db
      .selectFrom('cd_deployment_groups')
      .select(['application_name', 'name', 'document'])
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('application_name', '=', applicationName)
      .$if(after !== undefined, (qb) => qb.where('name', '>', after ?? ''))
      .orderBy('name')
      .limit(page.limit)
      .execute();
    return rows.map(toGroup);
  }

  async updateDeploymentGroup(
    scope: DeploymentScope,
    currentName: string,
    group: DeploymentGroup,
  ): Promise<boolean> {
    return inTransaction(this.#deps.database, async (trx) => {
      const { applicationName: app, deploymentGroupName: name } = group;
      const row = await this.#group(trx, scope, app, currentName, true);
      if (row === undefined) return false;
      if (name !== currentName && (await this.#group(trx, scope, app, name, false)) !== undefined) {
        throw deploymentGroupAlreadyExists(app, name);
      }
      await trx
        .updateTable('cd_deployment_groups')
        .set(groupColumns({ ...group, deploymentGroupId: row.group_id }))
        .where('group_id', '=', row.group_id)
        .execute();
      if (name !== currentName) {
        // Its deployments follow it, as an application's do.
        await trx
          .updateTable('cd_deployments')
          .set({ group_name: name })
          .where('group_id', '=', row.group_id)
          .execute();
      }
      return true;
    });
  }

  async deleteDeploymentGroup(
    scope: DeploymentScope,
    applicationName: string,
    name: string,
  ): Promise<boolean> {
    const deleted = await this.#db
      .deleteFrom('cd_deployment_groups')
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('application_name', '=', applicationName)
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(deleted.numDeletedRows) > 0;
  }

  async isDeploymentConfigInUse(scope: DeploymentScope, configName: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('cd_deployment_groups')
      .select('group_id')
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('deployment_config_name', '=', configName)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async insertDeploymentConfig(scope: DeploymentScope, config: DeploymentConfig): Promise<void> {
    await inTransaction(this.#deps.database, async (trx) => {
      if ((await selectConfig(trx, scope, config.name)) !== undefined) {
        throw deploymentConfigAlreadyExists(config.name);
      }
      await trx
        .insertInto('cd_deployment_configs')
        .values({ ...scoped(scope), name: config.name, document: JSON.stringify(config) })
        .execute();
    });
  }

  async findDeploymentConfig(scope: DeploymentScope, name: string) {
    const row = await selectConfig(this.#db, scope, name);
    return row === undefined ? undefined : (JSON.parse(row.document) as DeploymentConfig);
  }

  async listDeploymentConfigs(scope: DeploymentScope, page: NamePage) {
    const rows = await selectNamed(this.#db, 'cd_deployment_configs', scope, page);
    return rows.map((row) => JSON.parse(row.document) as DeploymentConfig);
  }

  async deleteDeploymentConfig(scope: DeploymentScope, name: string): Promise<boolean> {
    const deleted = await this.#db
      .deleteFrom('cd_deployment_configs')
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(deleted.numDeletedRows) > 0;
  }

  async insertOnPremisesInstance(
    scope: DeploymentScope,
    instance: OnPremisesInstance,
  ): Promise<void> {
    await inTransaction(this.#deps.database, async (trx) => {
      const name = instance.instanceName;
      if ((await selectInstance(trx, scope, name)) !== undefined) {
        throw onPremisesInstanceAlreadyRegistered(name);
      }
      if (instance.deregisterTime === undefined) {
        const holder = await selectRegisteredByArn(trx, scope.accountId, instanceArn(instance));
        if (holder !== undefined) throw arnTaken(instance);
      }
      await trx
        .insertInto('cd_onprem_instances')
        .values({ ...scoped(scope), name, ...instanceColumns(instance) })
        .execute();
    });
  }

  async findOnPremisesInstance(scope: DeploymentScope, name: string) {
    const row = await selectInstance(this.#db, scope, name);
    return row === undefined ? undefined : toInstance(row);
  }

  async findOnPremisesInstanceByArn(accountId: string, arn: string) {
    const row = await selectRegisteredByArn(this.#db, accountId, arn);
    return row === undefined ? undefined : { ...toInstance(row), region: row.region };
  }

  async listOnPremisesInstances(scope: DeploymentScope): Promise<OnPremisesInstance[]> {
    const rows = await selectInstances(this.#db, scope);
    return rows.map(toInstance);
  }

  async updateOnPremisesInstance(
    scope: DeploymentScope,
    instance: OnPremisesInstance,
  ): Promise<boolean> {
    return inTransaction(this.#deps.database, async (trx) => {
      const name = instance.instanceName;
      if ((await selectInstance(trx, scope, name)) === undefined) return false;
      if (instance.deregisterTime === undefined) {
        const holder = await selectRegisteredByArn(trx, scope.accountId, instanceArn(instance));
        const own = holder?.region === scope.region && holder.name === name;
        if (holder !== undefined && !own) throw arnTaken(instance);
      }
      await trx
        .updateTable('cd_onprem_instances')
        .set(instanceColumns(instance))
        .where('account_id', '=', scope.accountId)
        .where('region', '=', scope.region)
        .where('name', '=', name)
        .execute();
      return true;
    });
  }

  async deleteOnPremisesInstance(scope: DeploymentScope, name: string): Promise<boolean> {
    const deleted = await this.#db
      .deleteFrom('cd_onprem_instances')
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(deleted.numDeletedRows) > 0;
  }

  async upsertRevision(scope: DeploymentScope, revision: ApplicationRevision): Promise<void> {
    await inTransaction(this.#deps.database, (trx) =>
      mergeRevision(trx, { scope, postgres: this.#postgres }, revision, (stored) =>
        reregistered(stored, revision),
      ),
    );
  }

  async findRevision(
    scope: DeploymentScope,
    applicationName: string,
    revision: RevisionLocation,
  ): Promise<ApplicationRevision | undefined> {
    const row = await this.#revisions(scope, applicationName)
      .where('revision_key', '=', revisionKey(revision))
      .executeTakeFirst();
    return row === undefined ? undefined : toRevision(row);
  }

  /** Ascending by `revisionKey`. */
  async listRevisions(
    scope: DeploymentScope,
    applicationName: string,
  ): Promise<ApplicationRevision[]> {
    const rows = await this.#revisions(scope, applicationName).orderBy('revision_key').execute();
    return rows.map(toRevision);
  }

  async createDeployment<T>(input: NewDeploymentInput<T>): Promise<NewDeploymentResult<T>> {
    const { scope, applicationName, deploymentGroupName } = input;
    const outcome = await inTransaction(
      this.#deps.database,
      async (trx): Promise<Outcome<NewDeploymentResult<T>>> => {
        const missing = { result: { kind: 'group-missing' as const } };
        const row = await this.#group(trx, scope, applicationName, deploymentGroupName, true);
        if (row === undefined) return missing;
        if ((await this.#application(trx, scope, applicationName, false)) === undefined) {
          return missing;
        }
        const group = toStoredGroup(row);
        const instances = (await selectInstances(trx, scope)).map(toInstance);
        const change = input.create({
          group,
          instances: selectOnPremisesInstances(group.group, instances),
        });
        await insertDeployment(trx, change.deployment);
        const effects = await applyChange(trx, this.#target(scope, row.group_id), change);
        return { result: { kind: 'created', result: change.result }, effects };
      },
    );
    await this.#announce(outcome.effects);
    return outcome.result;
  }

  async transition<T>(
    deploymentId: string,
    decide: (view: DeploymentTransitionView) => DeploymentTransitionChange<T>,
  ): Promise<T | undefined> {
    const outcome = await inTransaction(
      this.#deps.database,
      async (trx): Promise<Outcome<T | undefined>> => {
        const locked = await this.#lockDeployment(trx, deploymentId);
        if (locked === undefined) return { result: undefined };
        const { deployment, group } = locked;
        const change = decide({ deployment, group: group && toStoredGroup(group) });
        if (change.deployment !== undefined) {
          await writeDeployment(trx, deployment, change.deployment);
        }
        const scope = { accountId: deployment.accountId, region: deployment.region };
        const effects = await applyChange(trx, this.#target(scope, group?.group_id), change);
        return { result: change.result, effects };
      },
    );
    await this.#announce(outcome.effects);
    return outcome.result;
  }

  async findDeployment(deploymentId: string): Promise<Deployment | undefined> {
    const row = await this.#db
      .selectFrom('cd_deployments')
      .select(deploymentRowColumns)
      .where('deployment_id', '=', deploymentId)
      .executeTakeFirst();
    return row === undefined ? undefined : toDeployment(row);
  }

  listDeployments(query: ListDeploymentsQuery): Promise<ListedDeployment[]> {
    return selectDeployments(this.#db, query);
  }

  listUnfinishedDeployments(limit: number): Promise<string[]> {
    return selectUnfinishedDeployments(this.#db, limit);
  }

  /**
   * The deployment and its group's row, locked for a transition: on PostgreSQL the group's row
   * first (found by the id the deployment keeps, whatever its names became), then the
   * deployment's. The group is undefined when it was deleted.
   */
  async #lockDeployment(trx: Transaction<Schema>, deploymentId: string) {
    const found = await trx
      .selectFrom('cd_deployments')
      .select('group_id')
      .where('deployment_id', '=', deploymentId)
      .executeTakeFirst();
    if (found === undefined) return undefined;
    const group = await trx
      .selectFrom('cd_deployment_groups')
      .select(groupRowColumns)
      .where('group_id', '=', found.group_id)
      .$if(this.#postgres, (qb) => qb.forUpdate())
      .executeTakeFirst();
    const row = await trx
      .selectFrom('cd_deployments')
      .select(deploymentRowColumns)
      .where('deployment_id', '=', deploymentId)
      .$if(this.#postgres, (qb) => qb.forUpdate())
      .executeTakeFirstOrThrow();
    return { deployment: toDeployment(row), group };
  }

  async #application(
    db: Kysely<Schema>,
    scope: DeploymentScope,
    name: string,
    lock: boolean,
  ): Promise<{ name: string; document: string } | undefined> {
    return db
      .selectFrom('cd_applications')
      .select(['name', 'document'])
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('name', '=', name)
      .$if(lock && this.#postgres, (qb) => qb.forUpdate())
      .executeTakeFirst();
  }

  async #group(
    db: Kysely<Schema>,
    scope: DeploymentScope,
    applicationName: string,
    name: string,
    lock: boolean,
  ) {
    return db
      .selectFrom('cd_deployment_groups')
      .select(groupRowColumns)
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('application_name', '=', applicationName)
      .where('name', '=', name)
      .$if(lock && this.#postgres, (qb) => qb.forUpdate())
      .executeTakeFirst();
  }

  #revisions(scope: DeploymentScope, applicationName: string) {
    return this.#db
      .selectFrom('cd_revisions')
      .select(['application_name', 'document'])
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('application_name', '=', applicationName);
  }

  #target(scope: DeploymentScope, groupId: string | undefined) {
    const { clock, random } = this.#deps;
    return { scope, groupId, postgres: this.#postgres, now: clock.now(), random };
  }

  /** After commit: wakes claimers of the queues given jobs. */
  async #announce(effects: Effects | undefined): Promise<void> {
    const { notifier } = this.#deps.database;
    for (const queue of effects ?? []) await notifier.publish(Channel.Jobs, queue);
  }

  get #postgres(): boolean {
    return this.#deps.database.dialect === 'postgres';
  }

  get #db(): Kysely<Schema> {
    return this.#deps.database.db;
  }
}

function scoped(scope: DeploymentScope) {
  return { account_id: scope.accountId, region: scope.region };
}

function arnTaken(instance: OnPremisesInstance) {
  return instance.iamUserArn !== undefined
    ? deploymentsError(
        AppErrorKind.AlreadyExists,
        DeploymentsSubject.IamUserArn,
        `The IAM user ARN '${instance.iamUserArn}' is already registered`,
      )
    : deploymentsError(
        AppErrorKind.AlreadyExists,
        DeploymentsSubject.IamSessionArn,
        `The IAM session ARN '${instance.iamSessionArn ?? ''}' is already registered`,
      );
}
