import type { NewJob } from '../jobs/job.model.ts';
import type { DeploymentApplication } from './application.model.ts';
import type { DeploymentConfig } from './deployment-config.model.ts';
import type { DeploymentGroup } from './deployment-group.model.ts';
import type { DeploymentTag } from './deployment-tags.ts';
import type { Deployment, DeploymentStatus, RevisionLocation } from './deployment.model.ts';
import type { OnPremisesInstance } from './on-premises-instance.model.ts';
import type { ApplicationRevision } from './revision.model.ts';

/** Where resources live: CodeDeploy resources are per account and region. */
export interface DeploymentScope {
  readonly accountId: string;
  readonly region: string;
}

/** botocore `LastDeploymentInfo`. */
export interface LastDeploymentInfo {
  readonly deploymentId: string;
  readonly status: DeploymentStatus;
  readonly endTime?: number;
  readonly createTime: number;
}

/**
 * What deployments keep on their group, changed only inside deployment transactions: the one
 * deployment allowed to run at a time, and what GetDeploymentGroup reports about the last ones.
 */
export interface DeploymentGroupRuntime {
  readonly activeDeploymentId?: string;
  readonly targetRevision?: RevisionLocation;
  readonly lastSuccessfulDeployment?: LastDeploymentInfo;
  /** The revision of the last successful deployment: what an automatic rollback redeploys. */
  readonly lastSuccessfulRevision?: RevisionLocation;
  readonly lastAttemptedDeployment?: LastDeploymentInfo;
}

export interface StoredDeploymentGroup {
  readonly group: DeploymentGroup;
  readonly runtime: DeploymentGroupRuntime;
}

/** What a deployment transition sees, under the deployment's and its group's locks. */
export interface DeploymentTransitionView {
  readonly deployment: Deployment;
  /** Undefined when the group was deleted while the deployment ran. */
  readonly group: StoredDeploymentGroup | undefined;
}

/**
 * What a transition decided, written in one transaction: the deployment (compare-and-swap on the
 * version it was read at), the group's runtime, new deployments (an automatic rollback), jobs to
 * enqueue and jobs whose cancellation is requested.
 */
export interface DeploymentTransitionChange<T> {
  readonly deployment?: Deployment | undefined;
  readonly groupRuntime?: DeploymentGroupRuntime | undefined;
  readonly newDeployments?: readonly Deployment[] | undefined;
  readonly jobs?: readonly NewJob[] | undefined;
  readonly cancelJobs?: readonly string[] | undefined;
  /** Revisions to record as used by the group (RegisterApplicationRevision's `deploymentGroups`). */
  readonly usedRevisions?: readonly RevisionUse[] | undefined;
  readonly result: T;
}

export interface RevisionUse {
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  readonly revision: RevisionLocation;
  readonly usedAt: number;
}

export interface NewDeploymentInput<T> {
  readonly scope: DeploymentScope;
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  /**
   * Builds the deployment from the group (locked) and its registered, matching instances. The
   * store inserts whatever it returns, in the same transaction.
   */
  readonly create: (view: {
    readonly group: StoredDeploymentGroup;
    readonly instances: readonly OnPremisesInstance[];
  }) => DeploymentTransitionChange<T> & { readonly deployment: Deployment };
}

export type NewDeploymentResult<T> =
  { readonly kind: 'created'; readonly result: T } | { readonly kind: 'group-missing' };

export interface ListDeploymentsQuery {
  readonly scope: DeploymentScope;
  readonly applicationName?: string | undefined;
  readonly deploymentGroupName?: string | undefined;
  readonly externalId?: string | undefined;
  readonly statuses?: readonly DeploymentStatus[] | undefined;
  readonly createdFrom?: number | undefined;
  readonly createdTo?: number | undefined;
  /** Deployments created before this `seq` (pages are newest first). */
  readonly before?: number | undefined;
  readonly limit: number;
}

export interface ListedDeployment {
  readonly deploymentId: string;
  readonly seq: number;
}

export interface NamePage {
  readonly after?: string | undefined;
  readonly limit: number;
}

/**
 * Applications, deployment groups, custom deployment configurations, on-premises instances,
 * revisions and deployments, per account and region. Deployment transitions run the caller's
 * pure `decide` inside one transaction holding the deployment's row and its group's (PostgreSQL:
 * `FOR UPDATE`, group first; SQLite has one writer), so two servers never both act on the same
 * state and whatever `decide` enqueues is enqueued exactly once.
 */
export interface DeploymentStore {
  /** AlreadyExists (`application`) when the name is taken. */
  insertApplication(scope: DeploymentScope, application: DeploymentApplication): Promise<void>;
  findApplication(scope: DeploymentScope, name: string): Promise<DeploymentApplication | undefined>;
  /** Ascending by name. */
  listApplications(scope: DeploymentScope, page: NamePage): Promise<DeploymentApplication[]>;
  /**
   * Renames, carrying its groups, revisions and deployments' names along; false when the old
   * name is gone; AlreadyExists (`application`) when the new name is taken.
   */
  renameApplication(scope: DeploymentScope, from: string, to: string): Promise<boolean>;
  /** Replaces the application's tags (TagResource, UntagResource); false when it is gone. */
  updateApplicationTags(
    scope: DeploymentScope,
    name: string,
    tags: readonly DeploymentTag[],
  ): Promise<boolean>;
  /** Deletes the application, its groups and revisions; deployments stay readable by id. */
  deleteApplication(scope: DeploymentScope, name: string): Promise<void>;

  /** AlreadyExists (`deployment-group`) when the name is taken in the application. */
  insertDeploymentGroup(scope: DeploymentScope, group: DeploymentGroup): Promise<void>;
  findDeploymentGroup(
    scope: DeploymentScope,
    applicationName: string,
    name: string,
  ): Promise<StoredDeploymentGroup | undefined>;
  listDeploymentGroups(
    scope: DeploymentScope,
    applicationName: string,
    page: NamePage,
  ): Promise<DeploymentGroup[]>;
  /**
   * Replaces the group's settings (its name may change: `currentName` is the stored one); false
   * when it is gone; AlreadyExists (`deployment-group`) when a new name is taken.
   */
  updateDeploymentGroup(
    scope: DeploymentScope,
    currentName: string,
    group: DeploymentGroup,
  ): Promise<boolean>;
  deleteDeploymentGroup(
    scope: DeploymentScope,
    applicationName: string,
    name: string,
  ): Promise<boolean>;
  /** Whether any group of the scope uses the configuration (DeploymentConfigInUseException). */
  isDeploymentConfigInUse(scope: DeploymentScope, configName: string): Promise<boolean>;

  /** Custom configurations only; AlreadyExists (`deployment-config`) when the name is taken. */
  insertDeploymentConfig(scope: DeploymentScope, config: DeploymentConfig): Promise<void>;
  findDeploymentConfig(scope: DeploymentScope, name: string): Promise<DeploymentConfig | undefined>;
  listDeploymentConfigs(scope: DeploymentScope, page: NamePage): Promise<DeploymentConfig[]>;
  deleteDeploymentConfig(scope: DeploymentScope, name: string): Promise<boolean>;

  /**
   * AlreadyExists (`instance`) when the name is registered (a deregistered name stays taken, as
   * in CodeDeploy), (`iam-user-arn` / `iam-session-arn`) when the ARN is another's.
   */
  insertOnPremisesInstance(scope: DeploymentScope, instance: OnPremisesInstance): Promise<void>;
  findOnPremisesInstance(
    scope: DeploymentScope,
    name: string,
  ): Promise<OnPremisesInstance | undefined>;
  /** The registered instance whose IAM user or session ARN this is, in any region of the account. */
  findOnPremisesInstanceByArn(
    accountId: string,
    arn: string,
  ): Promise<(OnPremisesInstance & { readonly region: string }) | undefined>;
  /** Every instance of the scope, ascending by name. */
  listOnPremisesInstances(scope: DeploymentScope): Promise<OnPremisesInstance[]>;
  /** Replaces the stored instance (tags, deregistration); false when it is gone. */
  updateOnPremisesInstance(scope: DeploymentScope, instance: OnPremisesInstance): Promise<boolean>;
  /** Removes a deregistered instance record entirely (DeleteResourcesByExternalId-style clean-up). */
  deleteOnPremisesInstance(scope: DeploymentScope, name: string): Promise<boolean>;

  /** Registers or re-describes a revision (RegisterApplicationRevision). */
  upsertRevision(scope: DeploymentScope, revision: ApplicationRevision): Promise<void>;
  findRevision(
    scope: DeploymentScope,
    applicationName: string,
    revision: RevisionLocation,
  ): Promise<ApplicationRevision | undefined>;
  listRevisions(scope: DeploymentScope, applicationName: string): Promise<ApplicationRevision[]>;

  /**
   * Creates a deployment under its group's lock; `group-missing` when the group (or its
   * application) is gone. The caller's `create` sees the group's runtime, so it can refuse a
   * second active deployment by throwing.
   */
  createDeployment<T>(input: NewDeploymentInput<T>): Promise<NewDeploymentResult<T>>;
  /** Runs `decide` on the deployment in one transaction; undefined when it does not exist. */
  transition<T>(
    deploymentId: string,
    decide: (view: DeploymentTransitionView) => DeploymentTransitionChange<T>,
  ): Promise<T | undefined>;
  findDeployment(deploymentId: string): Promise<Deployment | undefined>;
  /** Newest first. */
  listDeployments(query: ListDeploymentsQuery): Promise<ListedDeployment[]>;
  /** Ids of every unfinished deployment (a restart looks at each once). */
  listUnfinishedDeployments(limit: number): Promise<string[]>;
}
