import { AppErrorKind } from '../errors/app-error.ts';
import { randomBase32 } from '../platform/random.ts';
import { checkApplicationName } from './applications.ts';
import { findPredefinedDeploymentConfig } from './deployment-config.model.ts';
import { checkDeploymentConfigName } from './deployment-configs.ts';
import { addAutoRollbackProblems } from './deployment-group-fields.ts';
import { checkDeploymentGroupKey } from './deployment-groups.ts';
import { DeploymentTargetStatus } from './deployment-health.ts';
import { decodeListToken, encodeListToken } from './deployment-paging.ts';
import type {
  CreateDeploymentInput,
  DeploymentOrigin,
  ListDeploymentsInput,
  ListInstancesInput,
  ListTargetsInput,
  Page,
  StopDeploymentInput,
  StopDeploymentResult,
  TargetsOfDeployment,
} from './deployment-requests.ts';
import { checkDescription, maxBatchSize } from './deployment-resources.ts';
import {
  DeploymentCreator,
  deploymentIdPattern,
  DeploymentStatus,
  deploymentStatuses,
  fileExistsBehaviors,
  FileExistsBehavior,
  terminalDeploymentStatuses,
  type Deployment,
  type HostCommandPayload,
} from './deployment.model.ts';
import type { DeploymentsDeps } from './deployments.deps.ts';
import {
  applicationNotFound,
  deploymentConfigNotFound,
  deploymentGroupNotFound,
  deploymentsError,
  DeploymentsProblems,
  DeploymentsSubject,
  invalidDeploymentsInput,
} from './deployments.errors.ts';
import type { DeploymentScope, DeploymentTransitionChange } from './deployments.ports.ts';
import {
  applyDeploymentEvent,
  newTargets,
  startDeployment,
  type Advanced,
  type DeploymentEvent,
} from './engine/advance-deployment.ts';
import { completeDeployment } from './engine/complete-deployment.ts';
import { selectOnPremisesInstances } from './instance-selection.ts';
import { parseRevisionLocation } from './revision-location.ts';

const pageSize = 100;
/** botocore `DeploymentTargetIdList`: at most 25 ids per BatchGetDeploymentTargets. */
const maxTargetIds = 25;

/** Deployments: creating and stopping them, reading them, and feeding the engine its events. */
export class DeploymentRuns {
  readonly #deps: DeploymentsDeps;

  constructor(deps: DeploymentsDeps) {
    this.#deps = deps;
  }

  async create(
    scope: DeploymentScope,
    input: CreateDeploymentInput,
    origin: DeploymentOrigin,
  ): Promise<string> {
    const request = parseCreateDeployment(input);
    const { store } = this.#deps;
    const application = await store.findApplication(scope, request.applicationName);
    if (application === undefined) throw applicationNotFound(request.applicationName);
    const stored = await store.findDeploymentGroup(
      scope,
      request.applicationName,
      request.deploymentGroupName,
    );
    if (stored === undefined) {
      throw deploymentGroupNotFound(request.applicationName, request.deploymentGroupName);
    }
    const configName = request.deploymentConfigName ?? stored.group.deploymentConfigName;
    const config =
      findPredefinedDeploymentConfig(configName) ??
      (await store.findDeploymentConfig(scope, configName));
    if (config === undefined) throw deploymentConfigNotFound(configName);
    const bundle = await this.#deps.bundles.find(scope, request.revision.s3Location);
    if (bundle === undefined) {
      const { bucket, key } = request.revision.s3Location;
      throw deploymentsError(
        AppErrorKind.NotFound,
        DeploymentsSubject.RevisionMissing,
        `The revision s3://${bucket}/${key} does not exist`,
      );
    }
    const deploymentId = this.#newDeploymentId();
    const now = this.#deps.clock.now();
    const created = await store.createDeployment({
      scope,
      applicationName: request.applicationName,
      deploymentGroupName: request.deploymentGroupName,
      create: ({ group, instances }) => {
        const active = group.runtime.activeDeploymentId;
        if (active !== undefined) {
          throw deploymentsError(
            AppErrorKind.LimitExceeded,
            DeploymentsSubject.DeploymentLimit,
            `The deployment group ${group.group.deploymentGroupName} already has an active deployment ${active}`,
          );
        }
        const targets = selectOnPremisesInstances(group.group, instances).flatMap((instance) => {
          const hostIdentifier = instance.iamUserArn ?? instance.iamSessionArn;
          return hostIdentifier === undefined
            ? []
            : [
                {
                  targetId: instance.instanceName,
                  targetArn: instance.instanceArn,
                  hostIdentifier,
                },
              ];
        });
        const deployment: Deployment = {
          deploymentId,
          accountId: scope.accountId,
          region: scope.region,
          applicationName: application.applicationName,
          applicationId: application.applicationId,
          deploymentGroupName: group.group.deploymentGroupName,
          deploymentGroupId: group.group.deploymentGroupId,
          deploymentConfigName: config.name,
          minimumHealthyHosts: config.minimumHealthyHosts,
          revision: request.revision,
          ...(request.revision.s3Location.version === undefined && bundle.versionId !== undefined
            ? { bundleVersionId: bundle.versionId }
            : {}),
          ...(group.runtime.lastSuccessfulRevision === undefined
            ? {}
            : { previousRevision: group.runtime.lastSuccessfulRevision }),
          status: DeploymentStatus.Created,
          createTime: now,
          ...(request.description === undefined ? {} : { description: request.description }),
          creator: origin.creator ?? DeploymentCreator.User,
          ignoreApplicationStopFailures: request.ignoreApplicationStopFailures,
          fileExistsBehavior: request.fileExistsBehavior,
          autoRollbackConfiguration:
            request.autoRollbackConfiguration ?? group.group.autoRollbackConfiguration,
          ...(origin.externalId === undefined ? {} : { externalId: origin.externalId }),
          targets: newTargets(targets, now),
          version: 0,
        };
        const started = startDeployment(deployment, this.#engineContext(now));
        const change = this.#changeFor(started, group);
        return {
          ...change,
          deployment: change.deployment ?? started.deployment,
          groupRuntime: change.groupRuntime ?? {
            ...group.runtime,
            activeDeploymentId: deploymentId,
            targetRevision: request.revision,
            // Attempted from the start: GetDeploymentGroup shows the running deployment.
            lastAttemptedDeployment: {
              deploymentId,
              status: started.deployment.status,
              createTime: now,
            },
          },
          usedRevisions: [
            {
              applicationName: application.applicationName,
              deploymentGroupName: group.group.deploymentGroupName,
              revision: request.revision,
              usedAt: now,
            },
            ...(change.usedRevisions ?? []),
          ],
          result: deploymentId,
        };
      },
    });
    if (created.kind === 'group-missing') {
      throw deploymentGroupNotFound(request.applicationName, request.deploymentGroupName);
    }
    return created.result;
  }

  async get(scope: DeploymentScope, deploymentId: unknown): Promise<Deployment> {
    checkDeploymentId(deploymentId);
    return this.require(scope, deploymentId);
  }

  async require(scope: DeploymentScope, deploymentId: string): Promise<Deployment> {
    const deployment = await this.#deps.store.findDeployment(deploymentId);
    if (
      deployment === undefined ||
      deployment.accountId !== scope.accountId ||
      deployment.region !== scope.region
    ) {
      throw deploymentsError(
        AppErrorKind.NotFound,
        DeploymentsSubject.Deployment,
        `Deployment ${deploymentId} does not exist`,
      );
    }
    return deployment;
  }

  /** Unknown ids are left out, as CodeDeploy does. */
  async batchGet(scope: DeploymentScope, deploymentIds: unknown): Promise<Deployment[]> {
    if (!Array.isArray(deploymentIds) || deploymentIds.length === 0) {
      throw invalidDeploymentsInput(
        DeploymentsSubject.DeploymentIdRequired,
        'deploymentIds must name at least one deployment',
      );
    }
    if (deploymentIds.length > maxBatchSize) {
      throw invalidDeploymentsInput(
        DeploymentsSubject.BatchLimit,
        `deploymentIds names ${deploymentIds.length}; the limit is ${maxBatchSize}`,
      );
    }
    deploymentIds.forEach((id: unknown) => checkDeploymentId(id));
    const found: Deployment[] = [];
    for (const id of new Set(deploymentIds as string[])) {
      const deployment = await this.#deps.store.findDeployment(id);
      if (deployment?.accountId === scope.accountId && deployment.region === scope.region) {
        found.push(deployment);
      }
    }
    return found;
  }

  async list(scope: DeploymentScope, input: ListDeploymentsInput): Promise<Page<string>> {
    const query = parseListDeployments(input);
    if (query.applicationName !== undefined) {
      if ((await this.#deps.store.findApplication(scope, query.applicationName)) === undefined) {
        throw applicationNotFound(query.applicationName);
      }
      if (query.deploymentGroupName !== undefined) {
        const group = await this.#deps.store.findDeploymentGroup(
          scope,
          query.applicationName,
          query.deploymentGroupName,
        );
        if (group === undefined) {
          throw deploymentGroupNotFound(query.applicationName, query.deploymentGroupName);
        }
      }
    }
    const before = decodeListToken(input.nextToken, 'deployments');
    const listed = await this.#deps.store.listDeployments({
      scope,
      ...query,
      before: before === undefined ? undefined : Number(before),
      limit: pageSize + 1,
    });
    const page = listed.slice(0, pageSize);
    const last = page[page.length - 1];
    return {
      items: page.map((d) => d.deploymentId),
      ...(listed.length > pageSize && last !== undefined
        ? { nextToken: encodeListToken('deployments', String(last.seq)) }
        : {}),
    };
  }

  async stop(scope: DeploymentScope, input: StopDeploymentInput): Promise<StopDeploymentResult> {
    checkDeploymentId(input.deploymentId);
    const autoRollbackEnabled = input.autoRollbackEnabled;
    if (autoRollbackEnabled !== undefined && typeof autoRollbackEnabled !== 'boolean') {
      throw invalidDeploymentsInput(DeploymentsSubject.Input, 'autoRollbackEnabled is a boolean');
    }
    const deployment = await this.require(scope, input.deploymentId);
    if (terminalDeploymentStatuses.has(deployment.status)) throw alreadyCompleted(deployment);
    const stopped = await this.#transition(
      deployment.deploymentId,
      (current) =>
        terminalDeploymentStatuses.has(current.status)
          ? undefined
          : {
              ...current,
              stopRequest: { autoRollbackEnabled, requestedAt: this.#deps.clock.now() },
            },
      { kind: 'stop' },
    );
    if (stopped === false) throw alreadyCompleted(deployment);
    return { status: 'Succeeded', statusMessage: 'The deployment was stopped' };
  }

  async listTargets(scope: DeploymentScope, input: ListTargetsInput): Promise<Page<string>> {
    checkDeploymentId(input.deploymentId);
    const statuses = parseTargetFilters(input.targetFilters);
    const deployment = await this.require(scope, input.deploymentId);
    return pageTargets(deployment, statuses, input.nextToken);
  }

  async listInstances(scope: DeploymentScope, input: ListInstancesInput): Promise<Page<string>> {
    checkDeploymentId(input.deploymentId);
    const statuses = parseStatusList(input.instanceStatusFilter, 'instanceStatusFilter');
    if (input.instanceTypeFilter !== undefined) {
      const types = input.instanceTypeFilter;
      if (!Array.isArray(types) || types.some((t) => t !== 'Blue' && t !== 'Green')) {
        throw invalidDeploymentsInput(
          DeploymentsSubject.Input,
          'instanceTypeFilter lists Blue or Green',
        );
      }
    }
    const deployment = await this.require(scope, input.deploymentId);
    return pageTargets(deployment, statuses, input.nextToken);
  }

  async getTargets(
    scope: DeploymentScope,
    deploymentId: unknown,
    ids: unknown,
    kind: 'target' | 'instance',
    /** BatchGetDeploymentInstances: ids not in the deployment are listed, not refused. */
    lenient = false,
  ): Promise<TargetsOfDeployment> {
    checkDeploymentId(deploymentId);
    const limit = kind === 'target' ? maxTargetIds : maxBatchSize;
    if (
      !Array.isArray(ids) ||
      ids.length === 0 ||
      ids.some((id) => typeof id !== 'string' || id === '')
    ) {
      throw invalidDeploymentsInput(
        kind === 'target'
          ? DeploymentsSubject.DeploymentTargetIdRequired
          : DeploymentsSubject.InstanceIdRequired,
        `${kind === 'target' ? 'targetIds' : 'instanceIds'} must name at least one ${kind}`,
      );
    }
    if (ids.length > limit) {
      throw invalidDeploymentsInput(
        kind === 'target'
          ? DeploymentsSubject.DeploymentTargetListSize
          : DeploymentsSubject.BatchLimit,
        `At most ${limit} ${kind}s may be asked for at once`,
      );
    }
    const deployment = await this.require(scope, deploymentId);
    const missing: string[] = [];
    const targets = (ids as string[]).flatMap((id) => {
      // Instance ids may be given as the instance's ARN (what ListDeploymentInstances' users see).
      const target = deployment.targets.find((t) => t.targetId === id || t.targetArn === id);
      if (target === undefined && lenient) {
        missing.push(id);
        return [];
      }
      if (target === undefined) {
        throw deploymentsError(
          AppErrorKind.NotFound,
          kind === 'target'
            ? DeploymentsSubject.DeploymentTarget
            : DeploymentsSubject.DeploymentInstance,
          `The ${kind} ${id} is not part of deployment ${deployment.deploymentId}`,
        );
      }
      return [target];
    });
    return { deployment, targets, missing };
  }

  /** An event from a host command (the host-command door) or the lease reaper. */
  async apply(deploymentId: string, event: DeploymentEvent): Promise<boolean> {
    return (await this.#transition(deploymentId, undefined, event)) === true;
  }

  async commandLost(jobId: string, payload: unknown): Promise<void> {
    const command = payload as Partial<HostCommandPayload> | undefined;
    if (typeof command?.deploymentId !== 'string' || typeof command.targetId !== 'string') return;
    await this.apply(command.deploymentId, {
      kind: 'command-lost',
      targetId: command.targetId,
      jobId,
    });
  }

  /**
   * Looks at every unfinished deployment: a command whose job ended without the deployment
   * hearing of it (the server died between the two) is lost now, and a command no agent has
   * claimed within `pickupTimeoutMs` is cancelled and fails its instance, so a host whose
   * agent is not running never hangs a deployment. Every server runs this every few seconds.
   */
  async reconcile(pickupTimeoutMs: number): Promise<number> {
    const ids = await this.#deps.store.listUnfinishedDeployments(10_000);
    const now = this.#deps.clock.now();
    for (const id of ids) {
      const deployment = await this.#deps.store.findDeployment(id);
      for (const target of deployment?.targets ?? []) {
        const jobId = target.commandJobId;
        if (jobId === undefined) continue;
        const job = await this.#deps.jobs.findJob(jobId);
        const ref = { kind: 'command-lost', targetId: target.targetId, jobId } as const;
        if (job === undefined || !['queued', 'leased'].includes(job.status)) {
          await this.apply(id, ref);
        } else if (job.status === 'queued' && now - job.createdAt > pickupTimeoutMs) {
          await this.#deps.jobs.requestCancel(jobId);
          await this.apply(id, { ...ref, unclaimed: true });
        }
      }
    }
    return ids.length;
  }

  /**
   * One engine step in one transaction: `prepare` may annotate the document first (a stop
   * request); returns false when the deployment had already finished, undefined when gone.
   */
  async #transition(
    deploymentId: string,
    prepare: ((deployment: Deployment) => Deployment | undefined) | undefined,
    event: DeploymentEvent,
  ): Promise<boolean | undefined> {
    return this.#deps.store.transition(deploymentId, ({ deployment, group }) => {
      const prepared = prepare === undefined ? deployment : prepare(deployment);
      if (prepared === undefined) return { result: false };
      const now = this.#deps.clock.now();
      const advanced = applyDeploymentEvent(prepared, event, this.#engineContext(now));
      if (!advanced.changed) return { result: false };
      return { ...this.#changeFor(advanced, group), result: true };
    });
  }

  /** The store change for an engine step, with the completion's group update and rollback. */
  #changeFor(
    advanced: Advanced,
    group: Parameters<typeof completeDeployment>[1],
  ): Omit<DeploymentTransitionChange<unknown>, 'result'> {
    const now = this.#deps.clock.now();
    if (!advanced.finished) {
      return {
        deployment: advanced.deployment,
        jobs: advanced.jobs,
        cancelJobs: advanced.cancelJobs,
      };
    }
    const completion = completeDeployment(advanced, group, {
      ...this.#engineContext(now),
      newDeploymentId: () => this.#newDeploymentId(),
    });
    const rollback = completion.rollback;
    return {
      deployment: completion.deployment,
      jobs: completion.jobs,
      cancelJobs: advanced.cancelJobs,
      groupRuntime: completion.groupRuntime,
      newDeployments: rollback === undefined ? [] : [rollback],
      // A rollback deploys its revision again: ListApplicationRevisions' lastUsedTime moves.
      usedRevisions:
        rollback === undefined
          ? []
          : [
              {
                applicationName: rollback.applicationName,
                deploymentGroupName: rollback.deploymentGroupName,
                revision: rollback.revision,
                usedAt: now,
              },
            ],
    };
  }

  #engineContext(now: number) {
    return { now, newJobId: () => this.#deps.random.uuid() };
  }

  #newDeploymentId(): string {
    return `d-${randomBase32(this.#deps.random, 9)}`;
  }
}

function alreadyCompleted(deployment: Deployment) {
  return deploymentsError(
    AppErrorKind.Conflict,
    DeploymentsSubject.DeploymentAlreadyCompleted,
    `Deployment ${deployment.deploymentId} has already completed`,
  );
}

function checkDeploymentId(id: unknown): asserts id is string {
  if (id === undefined || id === null || id === '') {
    throw invalidDeploymentsInput(
      DeploymentsSubject.DeploymentIdRequired,
      'deploymentId is required',
      [{ path: 'deploymentId', message: 'is required' }],
    );
  }
  if (typeof id !== 'string' || !deploymentIdPattern.test(id)) {
    throw invalidDeploymentsInput(
      DeploymentsSubject.DeploymentId,
      `${typeof id === 'string' ? id : 'The value'} is not a deployment id (d- and nine letters or digits)`,
      [{ path: 'deploymentId', message: 'is not a deployment id' }],
    );
  }
}

function parseCreateDeployment(input: CreateDeploymentInput) {
  checkApplicationName(input.applicationName);
  if (input.deploymentGroupName === undefined || input.deploymentGroupName === '') {
    throw invalidDeploymentsInput(
      DeploymentsSubject.DeploymentGroupNameRequired,
      'deploymentGroupName is required for the Server compute platform',
      [{ path: 'deploymentGroupName', message: 'is required' }],
    );
  }
  const key = checkDeploymentGroupKey(input.applicationName, input.deploymentGroupName);
  const revision = parseRevisionLocation(input.revision);
  if (input.deploymentConfigName !== undefined) {
    checkDeploymentConfigName(input.deploymentConfigName as string);
  }
  const description = checkDescription(input.description);
  const problems = new DeploymentsProblems([
    DeploymentsSubject.IgnoreApplicationStopFailures,
    DeploymentsSubject.FileExistsBehavior,
    DeploymentsSubject.TargetInstances,
    DeploymentsSubject.UpdateOutdatedInstancesOnly,
    DeploymentsSubject.AutoRollbackConfig,
  ]);
  const ignore = input.ignoreApplicationStopFailures;
  if (ignore !== undefined && typeof ignore !== 'boolean') {
    problems.add(
      DeploymentsSubject.IgnoreApplicationStopFailures,
      'ignoreApplicationStopFailures',
      'is a boolean',
    );
  }
  const behavior = input.fileExistsBehavior ?? FileExistsBehavior.Disallow;
  if (!(fileExistsBehaviors as readonly unknown[]).includes(behavior)) {
    problems.add(
      DeploymentsSubject.FileExistsBehavior,
      'fileExistsBehavior',
      'must be DISALLOW, OVERWRITE or RETAIN',
    );
  }
  if (input.targetInstances !== undefined) {
    problems.add(
      DeploymentsSubject.TargetInstances,
      'targetInstances',
      'is for EC2 and Auto Scaling targets; Slipway deploys to the group’s on-premises instances',
    );
  }
  if (input.updateOutdatedInstancesOnly === true) {
    problems.add(
      DeploymentsSubject.UpdateOutdatedInstancesOnly,
      'updateOutdatedInstancesOnly',
      'is for Auto Scaling replacement instances, which Slipway does not have',
    );
  }
  const rollback =
    input.autoRollbackConfiguration === undefined
      ? undefined
      : addAutoRollbackProblems(problems, input.autoRollbackConfiguration);
  problems.throwIfAny();
  return {
    applicationName: key.applicationName,
    deploymentGroupName: key.deploymentGroupName,
    revision,
    deploymentConfigName: input.deploymentConfigName as string | undefined,
    description,
    ignoreApplicationStopFailures: ignore === true,
    fileExistsBehavior: behavior as FileExistsBehavior,
    autoRollbackConfiguration: rollback,
  };
}

function parseListDeployments(input: ListDeploymentsInput) {
  const { applicationName, deploymentGroupName, externalId } = input;
  if (applicationName !== undefined) checkApplicationName(applicationName);
  if (deploymentGroupName !== undefined) {
    if (applicationName === undefined) {
      throw invalidDeploymentsInput(
        DeploymentsSubject.ApplicationNameRequired,
        'applicationName is required with deploymentGroupName',
      );
    }
    checkDeploymentGroupKey(applicationName, deploymentGroupName);
  }
  if (externalId !== undefined && (typeof externalId !== 'string' || externalId.length > 1024)) {
    throw invalidDeploymentsInput(DeploymentsSubject.ExternalId, 'externalId is a string');
  }
  const statuses = input.includeOnlyStatuses;
  if (
    statuses !== undefined &&
    (!Array.isArray(statuses) ||
      statuses.some(
        (s) =>
          !(deploymentStatuses as readonly unknown[]).includes(s) &&
          s !== 'Ready' &&
          s !== 'Baking',
      ))
  ) {
    throw invalidDeploymentsInput(
      DeploymentsSubject.DeploymentStatus,
      `includeOnlyStatuses lists deployment statuses (${deploymentStatuses.join(', ')})`,
    );
  }
  const range = input.createTimeRange as { start?: unknown; end?: unknown } | undefined;
  const time = (value: unknown) => {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (value instanceof Date) return value.getTime();
    throw invalidDeploymentsInput(DeploymentsSubject.TimeRange, 'createTimeRange holds times');
  };
  const createdFrom = time(range?.start);
  const createdTo = time(range?.end);
  if (createdFrom !== undefined && createdTo !== undefined && createdFrom > createdTo) {
    throw invalidDeploymentsInput(
      DeploymentsSubject.TimeRange,
      'createTimeRange ends before it starts',
    );
  }
  return {
    applicationName,
    deploymentGroupName: deploymentGroupName as string | undefined,
    externalId,
    statuses: statuses as DeploymentStatus[] | undefined,
    createdFrom,
    createdTo,
  };
}

const targetStatuses: readonly string[] = Object.values(DeploymentTargetStatus);

function parseStatusList(raw: unknown, path: string): readonly string[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.some((s) => !targetStatuses.includes(s as string))) {
    throw invalidDeploymentsInput(
      DeploymentsSubject.InstanceStatus,
      `${path} lists instance statuses (${targetStatuses.join(', ')})`,
    );
  }
  return raw as string[];
}

function parseTargetFilters(raw: unknown): readonly string[] | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalidDeploymentsInput(DeploymentsSubject.TargetFilterName, 'targetFilters is a map');
  }
  let statuses: readonly string[] | undefined;
  for (const [name, values] of Object.entries(raw)) {
    if (name === 'TargetStatus') statuses = parseStatusList(values, 'targetFilters.TargetStatus');
    else if (name !== 'ServerInstanceLabel') {
      throw invalidDeploymentsInput(
        DeploymentsSubject.TargetFilterName,
        `targetFilters has no filter ${name} (TargetStatus, ServerInstanceLabel)`,
      );
    }
  }
  return statuses;
}

function pageTargets(
  deployment: Deployment,
  statuses: readonly string[] | undefined,
  nextToken: unknown,
): Page<string> {
  const after = decodeListToken(nextToken, 'targets');
  const ids = deployment.targets
    .filter((t) => statuses === undefined || statuses.includes(t.status))
    .map((t) => t.targetId)
    .filter((id) => after === undefined || id > after)
    .sort();
  if (ids.length <= pageSize) return { items: ids };
  const page = ids.slice(0, pageSize);
  return { items: page, nextToken: encodeListToken('targets', page[pageSize - 1] as string) };
}
