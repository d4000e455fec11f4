import {
  AppError,
  AppErrorKind,
  applicationAlreadyExists,
  deploymentConfigAlreadyExists,
  deploymentGroupAlreadyExists,
  DeploymentsSubject,
  deploymentsError,
  onPremisesInstanceAlreadyRegistered,
  revisionKey,
  selectOnPremisesInstances,
  terminalDeploymentStatuses,
  type ApplicationRevision,
  type Clock,
  type Deployment,
  type DeploymentApplication,
  type DeploymentConfig,
  type DeploymentGroup,
  type DeploymentGroupRuntime,
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
  type NewJob,
  type OnPremisesInstance,
  type Random,
  type RevisionLocation,
  type RevisionUse,
  type StoredDeploymentGroup,
} from '@slipway/core';
import { compareKeys, copyOf } from './in-memory-builds-support.ts';
import type { InMemoryJobQueue } from './in-memory-job-queue.ts';
import { settle } from './settle.ts';

export interface InMemoryDeploymentStoreDeps {
  /** Where the jobs a change gives are enqueued, and its cancellations requested. */
  readonly jobs: InMemoryJobQueue;
  /** When jobs a change gives are created. */
  readonly clock: Clock;
  /** Ids of jobs given without one. */
  readonly random: Random;
}

interface Scoped {
  readonly accountId: string;
  readonly region: string;
}

interface StoredGroup extends Scoped {
  group: DeploymentGroup;
  runtime: DeploymentGroupRuntime;
}

interface StoredInstance extends Scoped {
  instance: OnPremisesInstance;
}

interface StoredRevision extends Scoped {
  revision: ApplicationRevision;
}

interface StoredDeployment {
  deployment: Deployment;
  readonly seq: number;
}

/**
 * CodeDeploy resources in arrays and Maps, with the semantics of `KyselyDeploymentStore`; the
 * contract suite holds both. Each write runs `decide` (or `create`) and applies its whole change
 * before the first await, as the SQL stores' transactions do under the group's lock: the
 * in-memory job queue it writes through changes synchronously.
 */
export class InMemoryDeploymentStore implements DeploymentStore {
  readonly #deps: InMemoryDeploymentStoreDeps;
  readonly #applications: (Scoped & { application: DeploymentApplication })[] = [];
  /** By group id. */
  readonly #groups = new Map<string, StoredGroup>();
  readonly #configs: (Scoped & { config: DeploymentConfig })[] = [];
  readonly #instances: StoredInstance[] = [];
  readonly #revisions: StoredRevision[] = [];
  readonly #deployments = new Map<string, StoredDeployment>();
  #lastSeq = 0;

  constructor(deps: InMemoryDeploymentStoreDeps) {
    this.#deps = deps;
  }

  insertApplication(scope: DeploymentScope, application: DeploymentApplication): Promise<void> {
    return settle(() => {
      const name = application.applicationName;
      if (this.#application(scope, name) !== undefined) throw applicationAlreadyExists(name);
      this.#applications.push({ ...scoped(scope), application: copyOf(application) });
    });
  }

  findApplication(scope: DeploymentScope, name: string) {
    return settle(() => copyMaybe(this.#application(scope, name)?.application));
  }

  listApplications(scope: DeploymentScope, page: NamePage): Promise<DeploymentApplication[]> {
    return settle(() =>
      pageOf(
        this.#applications.filter((a) => inScope(a, scope)).map((a) => a.application),
        (a) => a.applicationName,
        page,
      ),
    );
  }

  renameApplication(scope: DeploymentScope, from: string, to: string): Promise<boolean> {
    return settle(() => {
      const stored = this.#application(scope, from);
      if (stored === undefined) return false;
      if (from === to) return true;
      if (this.#application(scope, to) !== undefined) throw applicationAlreadyExists(to);
      stored.application = { ...stored.application, applicationName: to };
      for (const g of this.#groups.values()) {
        if (inScope(g, scope) && g.group.applicationName === from) {
          g.group = { ...g.group, applicationName: to };
        }
      }
      for (const r of this.#revisions) {
        if (inScope(r, scope) && r.revision.applicationName === from) {
          r.revision = { ...r.revision, applicationName: to };
        }
      }
      for (const d of this.#deployments.values()) {
        if (inScope(d.deployment, scope) && d.deployment.applicationName === from) {
          d.deployment = { ...d.deployment, applicationName: to };
        }
      }
      return true;
    });
  }

  updateApplicationTags(
    scope: DeploymentScope,
    name: string,
    tags: readonly DeploymentTag[],
  ): Promise<boolean> {
    return settle(() => {
      const stored = this.#application(scope, name);
      if (stored === undefined) return false;
      stored.application = { ...stored.application, tags: copyOf(tags) };
      return true;
    });
  }

  deleteApplication(scope: DeploymentScope, name: string): Promise<void> {
    return settle(() => {
      remove(
        this.#applications,
        (a) => inScope(a, scope) && a.application.applicationName === name,
      );
      for (const [id, g] of this.#groups) {
        if (inScope(g, scope) && g.group.applicationName === name) this.#groups.delete(id);
      }
      remove(this.#revisions, (r) => inScope(r, scope) && r.revision.applicationName === name);
    });
  }

  insertDeploymentGroup(scope: DeploymentScope, group: DeploymentGroup): Promise<void> {
    return settle(() => {
      const { applicationName: app, deploymentGroupName: name } = group;
      if (this.#group(scope, app, name) !== undefined) {
        throw deploymentGroupAlreadyExists(app, name);
      }
      if (this.#groups.has(group.deploymentGroupId)) {
        throw new Error(`deployment group id ${group.deploymentGroupId} is taken`);
      }
      this.#groups.set(group.deploymentGroupId, {
        ...scoped(scope),
        group: copyOf(group),
        runtime: {},
      });
    });
  }

  findDeploymentGroup(
    scope: DeploymentScope,
    applicationName: string,
    name: string,
  ): Promise<StoredDeploymentGroup | undefined> {
    return settle(() => {
      const stored = this.#group(scope, applicationName, name);
      return stored === undefined ? undefined : storedGroupOf(stored);
    });
  }

  listDeploymentGroups(
    scope: DeploymentScope,
    applicationName: string,
    page: NamePage,
  ): Promise<DeploymentGroup[]> {
    return settle(() =>
      pageOf(
        [...this.#groups.values()]
          .filter((g) => inScope(g, scope) && g.group.applicationName === applicationName)
          .map((g) => g.group),
        (g) => g.deploymentGroupName,
        page,
      ),
    );
  }

  updateDeploymentGroup(
    scope: DeploymentScope,
    currentName: string,
    group: DeploymentGroup,
  ): Promise<boolean> {
    return settle(() => {
      const { applicationName: app, deploymentGroupName: name } = group;
      const stored = this.#group(scope, app, currentName);
      if (stored === undefined) return false;
      if (name !== currentName && this.#group(scope, app, name) !== undefined) {
        throw deploymentGroupAlreadyExists(app, name);
      }
      const groupId = stored.group.deploymentGroupId;
      // The SQL stores key the row by the id it was created with.
      stored.group = copyOf({ ...group, deploymentGroupId: groupId });
      for (const d of this.#deployments.values()) {
        if (d.deployment.deploymentGroupId === groupId) {
          d.deployment = { ...d.deployment, deploymentGroupName: name };
        }
      }
      return true;
    });
  }

  deleteDeploymentGroup(
    scope: DeploymentScope,
    applicationName: string,
    name: string,
  ): Promise<boolean> {
    return settle(() => {
      const stored = this.#group(scope, applicationName, name);
      return stored !== undefined && this.#groups.delete(stored.group.deploymentGroupId);
    });
  }

  isDeploymentConfigInUse(scope: DeploymentScope, configName: string): Promise<boolean> {
    return settle(() =>
      [...this.#groups.values()].some(
        (g) => inScope(g, scope) && g.group.deploymentConfigName === configName,
      ),
    );
  }

  insertDeploymentConfig(scope: DeploymentScope, config: DeploymentConfig): Promise<void> {
    return settle(() => {
      if (this.#config(scope, config.name) !== undefined) {
        throw deploymentConfigAlreadyExists(config.name);
      }
      this.#configs.push({ ...scoped(scope), config: copyOf(config) });
    });
  }

  findDeploymentConfig(scope: DeploymentScope, name: string) {
    return settle(() => copyMaybe(this.#config(scope, name)?.config));
  }

  listDeploymentConfigs(scope: DeploymentScope, page: NamePage): Promise<DeploymentConfig[]> {
    return settle(() =>
      pageOf(
        this.#configs.filter((c) => inScope(c, scope)).map((c) => c.config),
        (c) => c.name,
        page,
      ),
    );
  }

  deleteDeploymentConfig(scope: DeploymentScope, name: string): Promise<boolean> {
    return settle(() => remove(this.#configs, (c) => inScope(c, scope) && c.config.name === name));
  }

  insertOnPremisesInstance(scope: DeploymentScope, instance: OnPremisesInstance): Promise<void> {
    return settle(() => {
      const name = instance.instanceName;
      if (this.#instance(scope, name) !== undefined) {
        throw onPremisesInstanceAlreadyRegistered(name);
      }
      if (instance.deregisterTime === undefined && this.#byArn(scope.accountId, arnOf(instance))) {
        throw arnTaken(instance);
      }
      this.#instances.push({ ...scoped(scope), instance: copyOf(instance) });
    });
  }

  findOnPremisesInstance(scope: DeploymentScope, name: string) {
    return settle(() => copyMaybe(this.#instance(scope, name)?.instance));
  }

  findOnPremisesInstanceByArn(accountId: string, arn: string) {
    return settle(() => {
      const stored = this.#byArn(accountId, arn);
      return stored === undefined
        ? undefined
        : { ...copyOf(stored.instance), region: stored.region };
    });
  }

  listOnPremisesInstances(scope: DeploymentScope): Promise<OnPremisesInstance[]> {
    return settle(() => this.#scopeInstances(scope).map(copyOf));
  }

  updateOnPremisesInstance(scope: DeploymentScope, instance: OnPremisesInstance): Promise<boolean> {
    return settle(() => {
      const stored = this.#instance(scope, instance.instanceName);
      if (stored === undefined) return false;
      const holder =
        instance.deregisterTime === undefined
          ? this.#byArn(scope.accountId, arnOf(instance))
          : undefined;
      if (holder !== undefined && holder !== stored) throw arnTaken(instance);
      stored.instance = copyOf(instance);
      return true;
    });
  }

  deleteOnPremisesInstance(scope: DeploymentScope, name: string): Promise<boolean> {
    return settle(() =>
      remove(this.#instances, (i) => inScope(i, scope) && i.instance.instanceName === name),
    );
  }

  upsertRevision(scope: DeploymentScope, revision: ApplicationRevision): Promise<void> {
    return settle(() => {
      const stored = this.#revision(scope, revision.applicationName, revision.revision);
      if (stored === undefined) {
        this.#revisions.push({ ...scoped(scope), revision: copyOf(revision) });
      } else {
        stored.revision = copyOf(reregistered(stored.revision, revision));
      }
    });
  }

  findRevision(scope: DeploymentScope, applicationName: string, revision: RevisionLocation) {
    return settle(() => copyMaybe(this.#revision(scope, applicationName, revision)?.revision));
  }

  /** Ascending by `revisionKey`, as the SQL stores list them. */
  listRevisions(scope: DeploymentScope, applicationName: string): Promise<ApplicationRevision[]> {
    return settle(() =>
      this.#revisions
        .filter((r) => inScope(r, scope) && r.revision.applicationName === applicationName)
        .sort((a, b) =>
          compareKeys(revisionKey(a.revision.revision), revisionKey(b.revision.revision)),
        )
        .map((r) => copyOf(r.revision)),
    );
  }

  async createDeployment<T>(input: NewDeploymentInput<T>): Promise<NewDeploymentResult<T>> {
    const { scope } = input;
    const stored = this.#group(scope, input.applicationName, input.deploymentGroupName);
    if (stored === undefined || this.#application(scope, input.applicationName) === undefined) {
      return { kind: 'group-missing' };
    }
    const group = storedGroupOf(stored);
    const instances = selectOnPremisesInstances(
      group.group,
      this.#scopeInstances(scope).map(copyOf),
    );
    const change = input.create({ group, instances });
    this.#check(change, [change.deployment]);
    this.#insert(change.deployment);
    await this.#apply(scope, stored, change);
    return { kind: 'created', result: change.result };
  }

  async transition<T>(
    deploymentId: string,
    decide: (view: DeploymentTransitionView) => DeploymentTransitionChange<T>,
  ): Promise<T | undefined> {
    const entry = this.#deployments.get(deploymentId);
    if (entry === undefined) return undefined;
    const stored = this.#groups.get(entry.deployment.deploymentGroupId);
    const change = decide({
      deployment: copyOf(entry.deployment),
      group: stored === undefined ? undefined : storedGroupOf(stored),
    });
    this.#check(change, []);
    if (change.deployment !== undefined) {
      const { version } = entry.deployment;
      entry.deployment = copyOf({ ...change.deployment, version: version + 1 });
    }
    const { accountId, region } = entry.deployment;
    await this.#apply({ accountId, region }, stored, change);
    return change.result;
  }

  findDeployment(deploymentId: string): Promise<Deployment | undefined> {
    return settle(() => copyMaybe(this.#deployments.get(deploymentId)?.deployment));
  }

  listDeployments(query: ListDeploymentsQuery): Promise<ListedDeployment[]> {
    return settle(() => {
      const { applicationName, deploymentGroupName, externalId, statuses, before } = query;
      const { createdFrom, createdTo } = query;
      return [...this.#deployments.values()]
        .filter(({ deployment: d, seq }) => {
          const matches =
            inScope(d, query.scope) &&
            (applicationName === undefined || d.applicationName === applicationName) &&
            (deploymentGroupName === undefined || d.deploymentGroupName === deploymentGroupName) &&
            (externalId === undefined || d.externalId === externalId) &&
            (statuses === undefined || statuses.includes(d.status));
          const inRange =
            (createdFrom === undefined || d.createTime >= createdFrom) &&
            (createdTo === undefined || d.createTime <= createdTo);
          return matches && inRange && (before === undefined || seq < before);
        })
        .sort((a, b) => b.seq - a.seq)
        .slice(0, Math.max(0, query.limit))
        .map(({ deployment, seq }) => ({ deploymentId: deployment.deploymentId, seq }));
    });
  }

  listUnfinishedDeployments(limit: number): Promise<string[]> {
    return settle(() =>
      [...this.#deployments.values()]
        .filter(({ deployment }) => !terminalDeploymentStatuses.has(deployment.status))
        .sort((a, b) => a.seq - b.seq)
        .slice(0, Math.max(0, limit))
        .map(({ deployment }) => deployment.deploymentId),
    );
  }

  /**
   * Refuses the change before any of it is written when a job is malformed or a deployment id
   * is taken, as the SQL stores' transaction rolls back.
   */
  #check(change: DeploymentTransitionChange<unknown>, inserted: readonly Deployment[]): void {
    checkJobs(change.jobs);
    const ids = [...inserted, ...(change.newDeployments ?? [])].map((d) => d.deploymentId);
    for (const [i, id] of ids.entries()) {
      if (this.#deployments.has(id) || ids.indexOf(id) !== i) {
        throw new Error(`deployment ${id} already exists`);
      }
    }
  }

  #insert(deployment: Deployment): void {
    const stored = copyOf({ ...deployment, version: 1 });
    this.#deployments.set(deployment.deploymentId, { deployment: stored, seq: ++this.#lastSeq });
  }

  /** Writes the rest of a change synchronously, then waits for the job queue. */
  async #apply(
    scope: DeploymentScope,
    group: StoredGroup | undefined,
    change: Omit<DeploymentTransitionChange<unknown>, 'deployment' | 'result'>,
  ): Promise<void> {
    if (change.groupRuntime !== undefined && group !== undefined) {
      group.runtime = copyOf(change.groupRuntime);
    }
    for (const deployment of change.newDeployments ?? []) this.#insert(deployment);
    for (const use of change.usedRevisions ?? []) this.#use(scope, use);
    const pending: Promise<unknown>[] = [];
    for (const job of change.jobs ?? []) {
      pending.push(this.#deps.jobs.enqueue({ ...job, id: job.id ?? this.#deps.random.uuid() }));
    }
    for (const jobId of new Set(change.cancelJobs ?? [])) {
      // The SQL stores' UPDATE changes nothing for a job that does not exist.
      pending.push(this.#deps.jobs.requestCancel(jobId).catch(() => undefined));
    }
    await Promise.all(pending);
  }

  #use(scope: DeploymentScope, use: RevisionUse): void {
    const stored = this.#revision(scope, use.applicationName, use.revision);
    if (stored === undefined) {
      this.#revisions.push({ ...scoped(scope), revision: copyOf(usedRevision(undefined, use)) });
    } else {
      stored.revision = copyOf(usedRevision(stored.revision, use));
    }
  }

  #application(scope: DeploymentScope, name: string) {
    return this.#applications.find(
      (a) => inScope(a, scope) && a.application.applicationName === name,
    );
  }

  #group(scope: DeploymentScope, applicationName: string, name: string) {
    for (const stored of this.#groups.values()) {
      const { group } = stored;
      if (
        inScope(stored, scope) &&
        group.applicationName === applicationName &&
        group.deploymentGroupName === name
      ) {
        return stored;
      }
    }
    return undefined;
  }

  #config(scope: DeploymentScope, name: string) {
    return this.#configs.find((c) => inScope(c, scope) && c.config.name === name);
  }

  #instance(scope: DeploymentScope, name: string) {
    return this.#instances.find((i) => inScope(i, scope) && i.instance.instanceName === name);
  }

  #scopeInstances(scope: DeploymentScope): OnPremisesInstance[] {
    return this.#instances
      .filter((i) => inScope(i, scope))
      .map((i) => i.instance)
      .sort((a, b) => compareKeys(a.instanceName, b.instanceName));
  }

  #byArn(accountId: string, arn: string): StoredInstance | undefined {
    return this.#instances.find(
      (i) =>
        i.accountId === accountId &&
        i.instance.deregisterTime === undefined &&
        arnOf(i.instance) === arn,
    );
  }

  #revision(scope: DeploymentScope, applicationName: string, revision: RevisionLocation) {
    const key = revisionKey(revision);
    return this.#revisions.find(
      (r) =>
        inScope(r, scope) &&
        r.revision.applicationName === applicationName &&
        revisionKey(r.revision.revision) === key,
    );
  }
}

function copyMaybe<T>(value: T | undefined): T | undefined {
  return value === undefined ? undefined : copyOf(value);
}

function scoped(scope: DeploymentScope): Scoped {
  return { accountId: scope.accountId, region: scope.region };
}

function inScope(item: Scoped, scope: DeploymentScope): boolean {
  return item.accountId === scope.accountId && item.region === scope.region;
}

function storedGroupOf(stored: StoredGroup): StoredDeploymentGroup {
  return copyOf({ group: stored.group, runtime: stored.runtime });
}

function pageOf<T>(items: readonly T[], name: (item: T) => string, page: NamePage): T[] {
  const { after } = page;
  return items
    .filter((item) => after === undefined || compareKeys(name(item), after) > 0)
    .sort((a, b) => compareKeys(name(a), name(b)))
    .slice(0, Math.max(0, page.limit))
    .map(copyOf);
}

/** Removes the items matching `match`; whether there was any. */
function remove<T>(items: T[], match: (item: T) => boolean): boolean {
  const before = items.length;
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item !== undefined && match(item)) items.splice(i, 1);
  }
  return items.length < before;
}

function arnOf(instance: OnPremisesInstance): string {
  return instance.iamUserArn ?? instance.iamSessionArn ?? '';
}

function arnTaken(instance: OnPremisesInstance): AppError {
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

/** `given` registered over `stored`: new location, description and time; usage merged. */
function reregistered(
  stored: ApplicationRevision,
  given: ApplicationRevision,
): ApplicationRevision {
  const groups = [...stored.deploymentGroups];
  for (const group of given.deploymentGroups) if (!groups.includes(group)) groups.push(group);
  const lastUsed = [stored.lastUsedTime, given.lastUsedTime].filter((t) => t !== undefined);
  return {
    ...given,
    deploymentGroups: groups,
    firstUsedTime: stored.firstUsedTime ?? given.firstUsedTime,
    lastUsedTime: lastUsed.length === 0 ? undefined : Math.max(...lastUsed),
  };
}

function usedRevision(
  stored: ApplicationRevision | undefined,
  use: RevisionUse,
): ApplicationRevision {
  const base: ApplicationRevision = stored ?? {
    applicationName: use.applicationName,
    revision: use.revision,
    deploymentGroups: [],
    registerTime: use.usedAt,
  };
  const groups = base.deploymentGroups.includes(use.deploymentGroupName)
    ? base.deploymentGroups
    : [...base.deploymentGroups, use.deploymentGroupName];
  return {
    ...base,
    deploymentGroups: groups,
    firstUsedTime: base.firstUsedTime ?? use.usedAt,
    lastUsedTime: use.usedAt,
  };
}

function checkJobs(jobs: readonly NewJob[] | undefined): void {
  for (const job of jobs ?? []) {
    const maxAttempts = job.maxAttempts ?? 1;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw AppError.invalidInput('maxAttempts must be a positive integer', [
        { path: 'maxAttempts', message: 'must be a positive integer' },
      ]);
    }
  }
}
