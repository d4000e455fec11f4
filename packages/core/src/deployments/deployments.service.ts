import type { Principal } from '../identity/identity.model.ts';
import type { DeploymentApplication } from './application.model.ts';
import type { CreateApplicationInput, UpdateApplicationInput } from './applications.ts';
import type { DeploymentConfig } from './deployment-config.model.ts';
import type { DeploymentConfigInput } from './deployment-configs.ts';
import type {
  CreateDeploymentGroupInput,
  UpdateDeploymentGroupInput,
} from './deployment-groups.ts';
import type {
  BatchResult,
  CreateDeploymentInput,
  DeploymentGroupInfo,
  DeploymentOrigin,
  GetRevisionInput,
  ListDeploymentsInput,
  ListInstancesInput,
  ListOnPremisesInput,
  ListRevisionsInput,
  ListTargetsInput,
  Page,
  RegisterRevisionInput,
  RevisionInfo,
  StopDeploymentInput,
  StopDeploymentResult,
  TargetsOfDeployment,
} from './deployment-requests.ts';
import type { Deployment, RevisionLocation } from './deployment.model.ts';
import type { DeploymentsDeps } from './deployments.deps.ts';
import type { DeploymentScope } from './deployments.ports.ts';
import { DeploymentResources } from './deployment-resources.ts';
import { DeploymentRuns } from './deployment-runs.ts';
import {
  hostCommandPickupTimeoutMs,
  HostCommands,
  type HostCommandAnswer,
  type HostCommandCompletion,
  type PolledHostCommand,
} from './host-commands.ts';
import type { OnPremisesInstance } from './on-premises-instance.model.ts';
import type {
  OnPremisesTagsInput,
  RegisterOnPremisesInstanceInput,
} from './on-premises-instances.ts';
import { OnPremisesRegistry } from './on-premises-registry.ts';
import {
  ResourceTags,
  type ListTagsForResourceInput,
  type TagResourceInput,
  type UntagResourceInput,
} from './resource-tags.ts';
import type { DeploymentTag } from './deployment-tags.ts';
import type { DeploymentSpecification } from './host-command-spec.ts';

/**
 * CodeDeploy's model for the Server compute platform: applications, deployment groups,
 * configurations, on-premises instances, revisions and deployments (decision 15). Transport-free:
 * the CodeDeploy door and the host-command door call it, and the pipeline's Deploy action.
 */
export class DeploymentsService {
  readonly #resources: DeploymentResources;
  readonly #instances: OnPremisesRegistry;
  readonly #runs: DeploymentRuns;
  readonly #hosts: HostCommands;
  readonly #tags: ResourceTags;

  constructor(deps: DeploymentsDeps) {
    this.#resources = new DeploymentResources(deps);
    this.#instances = new OnPremisesRegistry(deps);
    this.#runs = new DeploymentRuns(deps);
    this.#hosts = new HostCommands(deps, this.#runs);
    this.#tags = new ResourceTags(deps);
  }

  // Applications
  createApplication(scope: DeploymentScope, input: CreateApplicationInput): Promise<string> {
    return this.#resources.createApplication(scope, input);
  }
  getApplication(scope: DeploymentScope, name: unknown): Promise<DeploymentApplication> {
    return this.#resources.getApplication(scope, name);
  }
  batchGetApplications(scope: DeploymentScope, names: unknown): Promise<DeploymentApplication[]> {
    return this.#resources.batchGetApplications(scope, names);
  }
  listApplications(scope: DeploymentScope, nextToken: unknown): Promise<Page<string>> {
    return this.#resources.listApplications(scope, nextToken);
  }
  updateApplication(scope: DeploymentScope, input: UpdateApplicationInput): Promise<void> {
    return this.#resources.updateApplication(scope, input);
  }
  deleteApplication(scope: DeploymentScope, name: unknown): Promise<void> {
    return this.#resources.deleteApplication(scope, name);
  }

  // Revisions
  registerApplicationRevision(scope: DeploymentScope, input: RegisterRevisionInput): Promise<void> {
    return this.#resources.registerRevision(scope, input);
  }
  getApplicationRevision(scope: DeploymentScope, input: GetRevisionInput): Promise<RevisionInfo> {
    return this.#resources.getRevision(scope, input);
  }
  listApplicationRevisions(
    scope: DeploymentScope,
    input: ListRevisionsInput,
  ): Promise<Page<RevisionLocation>> {
    return this.#resources.listRevisions(scope, input);
  }

  // Deployment groups
  createDeploymentGroup(
    scope: DeploymentScope,
    input: CreateDeploymentGroupInput,
  ): Promise<string> {
    return this.#resources.createDeploymentGroup(scope, input);
  }
  getDeploymentGroup(
    scope: DeploymentScope,
    applicationName: unknown,
    name: unknown,
  ): Promise<DeploymentGroupInfo> {
    return this.#resources.getDeploymentGroup(scope, applicationName, name);
  }
  batchGetDeploymentGroups(
    scope: DeploymentScope,
    applicationName: unknown,
    names: unknown,
  ): Promise<BatchResult<DeploymentGroupInfo>> {
    return this.#resources.batchGetDeploymentGroups(scope, applicationName, names);
  }
  listDeploymentGroups(
    scope: DeploymentScope,
    applicationName: unknown,
    nextToken: unknown,
  ): Promise<Page<string>> {
    return this.#resources.listDeploymentGroups(scope, applicationName, nextToken);
  }
  updateDeploymentGroup(scope: DeploymentScope, input: UpdateDeploymentGroupInput): Promise<void> {
    return this.#resources.updateDeploymentGroup(scope, input);
  }
  deleteDeploymentGroup(
    scope: DeploymentScope,
    applicationName: unknown,
    name: unknown,
  ): Promise<void> {
    return this.#resources.deleteDeploymentGroup(scope, applicationName, name);
  }

  // Deployment configurations
  createDeploymentConfig(scope: DeploymentScope, input: DeploymentConfigInput): Promise<string> {
    return this.#resources.createDeploymentConfig(scope, input);
  }
  getDeploymentConfig(scope: DeploymentScope, name: unknown): Promise<DeploymentConfig> {
    return this.#resources.getDeploymentConfig(scope, name);
  }
  listDeploymentConfigs(scope: DeploymentScope, nextToken: unknown): Promise<Page<string>> {
    return this.#resources.listDeploymentConfigs(scope, nextToken);
  }
  deleteDeploymentConfig(scope: DeploymentScope, name: unknown): Promise<void> {
    return this.#resources.deleteDeploymentConfig(scope, name);
  }

  // Resource tags (application and deployment group ARNs)
  tagResource(scope: DeploymentScope, input: TagResourceInput): Promise<void> {
    return this.#tags.tag(scope, input);
  }
  untagResource(scope: DeploymentScope, input: UntagResourceInput): Promise<void> {
    return this.#tags.untag(scope, input);
  }
  /** Every tag of the resource: `NextToken` is ignored. */
  listTagsForResource(
    scope: DeploymentScope,
    input: ListTagsForResourceInput,
  ): Promise<DeploymentTag[]> {
    return this.#tags.list(scope, input);
  }

  // On-premises instances
  registerOnPremisesInstance(
    scope: DeploymentScope,
    input: RegisterOnPremisesInstanceInput,
  ): Promise<void> {
    return this.#instances.register(scope, input);
  }
  deregisterOnPremisesInstance(scope: DeploymentScope, name: unknown): Promise<void> {
    return this.#instances.deregister(scope, name);
  }
  getOnPremisesInstance(scope: DeploymentScope, name: unknown): Promise<OnPremisesInstance> {
    return this.#instances.get(scope, name);
  }
  batchGetOnPremisesInstances(
    scope: DeploymentScope,
    names: unknown,
  ): Promise<OnPremisesInstance[]> {
    return this.#instances.batchGet(scope, names);
  }
  listOnPremisesInstances(
    scope: DeploymentScope,
    input: ListOnPremisesInput,
  ): Promise<Page<string>> {
    return this.#instances.list(scope, input);
  }
  addTagsToOnPremisesInstances(scope: DeploymentScope, input: OnPremisesTagsInput): Promise<void> {
    return this.#instances.addTags(scope, input);
  }
  removeTagsFromOnPremisesInstances(
    scope: DeploymentScope,
    input: OnPremisesTagsInput,
  ): Promise<void> {
    return this.#instances.removeTags(scope, input);
  }

  // Deployments
  createDeployment(
    scope: DeploymentScope,
    input: CreateDeploymentInput,
    origin: DeploymentOrigin = {},
  ): Promise<string> {
    return this.#runs.create(scope, input, origin);
  }
  getDeployment(scope: DeploymentScope, deploymentId: unknown): Promise<Deployment> {
    return this.#runs.get(scope, deploymentId);
  }
  batchGetDeployments(scope: DeploymentScope, deploymentIds: unknown): Promise<Deployment[]> {
    return this.#runs.batchGet(scope, deploymentIds);
  }
  listDeployments(scope: DeploymentScope, input: ListDeploymentsInput): Promise<Page<string>> {
    return this.#runs.list(scope, input);
  }
  stopDeployment(
    scope: DeploymentScope,
    input: StopDeploymentInput,
  ): Promise<StopDeploymentResult> {
    return this.#runs.stop(scope, input);
  }
  /** ListDeploymentTargets: target ids (instance names) of a deployment, filtered. */
  listDeploymentTargets(scope: DeploymentScope, input: ListTargetsInput): Promise<Page<string>> {
    return this.#runs.listTargets(scope, input);
  }
  /** BatchGetDeploymentTargets / GetDeploymentTarget. */
  getDeploymentTargets(
    scope: DeploymentScope,
    deploymentId: unknown,
    targetIds: unknown,
  ): Promise<TargetsOfDeployment> {
    return this.#runs.getTargets(scope, deploymentId, targetIds, 'target');
  }
  /** ListDeploymentInstances (deprecated twin of ListDeploymentTargets). */
  listDeploymentInstances(
    scope: DeploymentScope,
    input: ListInstancesInput,
  ): Promise<Page<string>> {
    return this.#runs.listInstances(scope, input);
  }
  /** BatchGetDeploymentInstances: unknown ids are listed in `missing`, as AWS's errorMessage. */
  batchGetDeploymentInstances(
    scope: DeploymentScope,
    deploymentId: unknown,
    instanceIds: unknown,
  ): Promise<TargetsOfDeployment> {
    return this.#runs.getTargets(scope, deploymentId, instanceIds, 'instance', true);
  }
  /** GetDeploymentInstance (instance ids are instance names or ARNs). */
  getDeploymentInstances(
    scope: DeploymentScope,
    deploymentId: unknown,
    instanceIds: unknown,
  ): Promise<TargetsOfDeployment> {
    return this.#runs.getTargets(scope, deploymentId, instanceIds, 'instance');
  }

  // The agent-facing host-command protocol (packages/protocol host-commands.ts)
  pollHostCommand(
    principal: Principal,
    hostIdentifier: unknown,
    waitMs: number,
    signal: AbortSignal | undefined,
  ): Promise<PolledHostCommand | undefined> {
    return this.#hosts.poll(principal, hostIdentifier, waitMs, signal);
  }
  getDeploymentSpecification(
    principal: Principal,
    deploymentExecutionId: unknown,
    hostIdentifier: unknown,
  ): Promise<DeploymentSpecification> {
    return this.#hosts.specification(principal, deploymentExecutionId, hostIdentifier);
  }
  acknowledgeHostCommand(principal: Principal, commandId: unknown): Promise<HostCommandAnswer> {
    return this.#hosts.acknowledge(principal, commandId);
  }
  updateHostCommand(
    principal: Principal,
    commandId: unknown,
    log: string | undefined,
  ): Promise<HostCommandAnswer> {
    return this.#hosts.update(principal, commandId, log);
  }
  completeHostCommand(principal: Principal, completion: HostCommandCompletion): Promise<void> {
    return this.#hosts.complete(principal, completion);
  }

  // Orchestration
  /** The lease of a host command lapsed (its agent died): its instance fails. */
  hostCommandLost(jobId: string, payload: unknown): Promise<void> {
    return this.#runs.commandLost(jobId, payload);
  }
  /**
   * Settles what no transition reported: commands whose jobs ended unseen (a crash between the
   * two), and commands no agent claimed within `pickupTimeoutMs` (their instance fails).
   */
  reconcile(pickupTimeoutMs: number = hostCommandPickupTimeoutMs): Promise<number> {
    return this.#runs.reconcile(pickupTimeoutMs);
  }
  /** After a restart: settles commands whose jobs ended unseen, without pickup timeouts. */
  resumeUnfinished(): Promise<number> {
    return this.#runs.reconcile(Number.POSITIVE_INFINITY);
  }
}
