import type { NewJob } from '../../jobs/job.model.ts';
import { AutoRollbackEvent } from '../deployment-group.model.ts';
import { DeploymentCreator, DeploymentStatus, type Deployment } from '../deployment.model.ts';
import type {
  DeploymentGroupRuntime,
  LastDeploymentInfo,
  StoredDeploymentGroup,
} from '../deployments.ports.ts';
import {
  newTargets,
  startDeployment,
  type Advanced,
  type EngineContext,
} from './advance-deployment.ts';

export interface CompletionContext extends EngineContext {
  readonly newDeploymentId: () => string;
}

export interface Completion {
  readonly deployment: Deployment;
  readonly groupRuntime?: DeploymentGroupRuntime;
  /** The automatic rollback, started, with its first commands in `jobs`. */
  readonly rollback?: Deployment;
  readonly jobs: readonly NewJob[];
}

/**
 * What a finished deployment leaves behind (reference §5.6): the group's last attempted and last
 * successful deployment, and — on DEPLOYMENT_FAILURE or DEPLOYMENT_STOP_ON_REQUEST when the
 * deployment's rollback configuration lists it — a new deployment of the last successful revision
 * (creator codeDeployRollback) to the same instances, linked both ways through rollbackInfo. A
 * rollback is never itself rolled back.
 */
export function completeDeployment(
  advanced: Advanced,
  group: StoredDeploymentGroup | undefined,
  ctx: CompletionContext,
): Completion {
  const deployment = advanced.deployment;
  const base = { deployment, jobs: advanced.jobs };
  if (group === undefined) return base;
  const runtime = group.runtime;
  const info: LastDeploymentInfo = {
    deploymentId: deployment.deploymentId,
    status: deployment.status,
    createTime: deployment.createTime,
    ...(deployment.completeTime === undefined ? {} : { endTime: deployment.completeTime }),
  };
  const released: { -readonly [K in keyof DeploymentGroupRuntime]: DeploymentGroupRuntime[K] } = {
    ...runtime,
  };
  if (runtime.activeDeploymentId === deployment.deploymentId) delete released.activeDeploymentId;
  if (deployment.status === DeploymentStatus.Succeeded) {
    return {
      ...base,
      groupRuntime: {
        ...released,
        lastAttemptedDeployment: info,
        lastSuccessfulDeployment: info,
        lastSuccessfulRevision: pinnedRevision(deployment),
      },
    };
  }
  const afterAttempt: DeploymentGroupRuntime = { ...released, lastAttemptedDeployment: info };
  const trigger = rollbackTrigger(deployment);
  // A deployment with no instances has nothing to roll back.
  if (trigger === undefined || deployment.targets.length === 0) {
    return { ...base, groupRuntime: afterAttempt };
  }
  const revision = runtime.lastSuccessfulRevision;
  if (revision === undefined) {
    return {
      ...base,
      deployment: {
        ...deployment,
        rollbackInfo: {
          rollbackMessage:
            'Automatic rollback was not started: the deployment group has no successful deployment to roll back to',
        },
      },
      groupRuntime: afterAttempt,
    };
  }
  const rollbackId = ctx.newDeploymentId();
  const created: Deployment = {
    deploymentId: rollbackId,
    accountId: deployment.accountId,
    region: deployment.region,
    applicationName: deployment.applicationName,
    applicationId: deployment.applicationId,
    deploymentGroupName: deployment.deploymentGroupName,
    deploymentGroupId: deployment.deploymentGroupId,
    deploymentConfigName: deployment.deploymentConfigName,
    minimumHealthyHosts: deployment.minimumHealthyHosts,
    revision,
    previousRevision: deployment.revision,
    status: DeploymentStatus.Created,
    createTime: ctx.now,
    creator: DeploymentCreator.CodeDeployRollback,
    ignoreApplicationStopFailures: deployment.ignoreApplicationStopFailures,
    fileExistsBehavior: deployment.fileExistsBehavior,
    autoRollbackConfiguration: deployment.autoRollbackConfiguration,
    rollbackInfo: {
      rollbackTriggeringDeploymentId: deployment.deploymentId,
      rollbackMessage: `Rollback of deployment ${deployment.deploymentId} (${trigger})`,
    },
    // Every instance the failed deployment targeted, touched or not, goes back to the revision.
    targets: newTargets(deployment.targets, ctx.now),
    version: 0,
  };
  const started = startDeployment(created, ctx);
  const rollback = started.deployment;
  const rolledBack: Deployment = {
    ...deployment,
    rollbackInfo: {
      rollbackDeploymentId: rollbackId,
      rollbackMessage: `${trigger}: rolled back by deployment ${rollbackId}`,
    },
  };
  // A rollback that cannot start (no instances) finishes at once and leaves the group free.
  const rollbackRuntime: DeploymentGroupRuntime = started.finished
    ? afterAttempt
    : { ...afterAttempt, activeDeploymentId: rollbackId, targetRevision: revision };
  return {
    deployment: rolledBack,
    rollback,
    groupRuntime: rollbackRuntime,
    jobs: [...advanced.jobs, ...started.jobs],
  };
}

function rollbackTrigger(deployment: Deployment): AutoRollbackEvent | undefined {
  if (deployment.creator === DeploymentCreator.CodeDeployRollback) return undefined;
  const config = deployment.autoRollbackConfiguration;
  const listed = (event: AutoRollbackEvent) => config.enabled && config.events.includes(event);
  if (deployment.status === DeploymentStatus.Failed) {
    return listed(AutoRollbackEvent.DeploymentFailure)
      ? AutoRollbackEvent.DeploymentFailure
      : undefined;
  }
  if (deployment.status !== DeploymentStatus.Stopped) return undefined;
  // StopDeployment's autoRollbackEnabled decides when given; else the configuration does.
  const asked = deployment.stopRequest?.autoRollbackEnabled;
  const rollBack = asked ?? listed(AutoRollbackEvent.DeploymentStopOnRequest);
  return rollBack ? AutoRollbackEvent.DeploymentStopOnRequest : undefined;
}

/** The revision with the bundle version the deployment used, when it resolved one. */
function pinnedRevision(deployment: Deployment): Deployment['revision'] {
  const { revision, bundleVersionId } = deployment;
  if (bundleVersionId === undefined || revision.s3Location.version !== undefined) return revision;
  return { ...revision, s3Location: { ...revision.s3Location, version: bundleVersionId } };
}
