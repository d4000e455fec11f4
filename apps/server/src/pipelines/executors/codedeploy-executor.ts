import {
  DeploymentStatus,
  isAppError,
  terminalDeploymentStatuses,
  type ActionControls,
  type ActionExecutor,
  type ActionResult,
  type ActionTask,
  type Deployment,
  type DeploymentsService,
  type ExternalExecution,
  type JsonValue,
} from '@slipway/core';
import { abortError, stopsExternalWork } from '../action-abort.ts';
import { failedResult, messageOf } from './action-results.ts';

export interface CodeDeployExecutorDeps {
  readonly deployments: Pick<
    DeploymentsService,
    'createDeployment' | 'getDeployment' | 'listDeployments' | 'stopDeployment'
  >;
  /** How often a running deployment is looked at. Default 250 ms. */
  readonly pollMs?: number | undefined;
  /** Where a person can follow the deployment (the console), when the server knows. */
  readonly deploymentUrl?: ((deployment: Deployment) => string) | undefined;
}

interface DeployCheckpoint {
  readonly deploymentId: string;
}

/**
 * Deploy/AWS/CodeDeploy/1: one deployment of the input artifact (a zip in the artifact bucket)
 * to ApplicationName/DeploymentGroupName, created by `CodePipeline` with the action execution
 * as its externalId, and followed until it ends: the action fails when the deployment fails or
 * is stopped. Idempotent: a re-run resumes the saved deployment, or finds it by externalId when
 * the crash came before the save. Abandoning the action stops the deployment.
 */
export class CodeDeployExecutor implements ActionExecutor {
  readonly #deps: CodeDeployExecutorDeps;

  constructor(deps: CodeDeployExecutorDeps) {
    this.#deps = deps;
  }

  async execute(task: ActionTask, controls: ActionControls): Promise<ActionResult> {
    const scope = task.scope;
    let deploymentId = checkpointOf(task.checkpoint)?.deploymentId;
    deploymentId ??= await this.#existing(task);
    if (deploymentId === undefined) {
      const started = await this.#start(task);
      if (typeof started !== 'string') return started;
      deploymentId = started;
    }
    let deployment = await this.#deps.deployments.getDeployment(scope, deploymentId);
    await controls.save({ deploymentId } satisfies DeployCheckpoint, this.#external(deployment));
    while (!terminalDeploymentStatuses.has(deployment.status)) {
      await sleep(this.#deps.pollMs ?? 250, controls.signal).catch(async (error: unknown) => {
        if (stopsExternalWork(controls.signal)) {
          await this.#deps.deployments
            .stopDeployment(scope, { deploymentId })
            .catch((stopError: unknown) => {
              if (!isAppError(stopError)) throw stopError;
            });
        }
        throw error;
      });
      deployment = await this.#deps.deployments.getDeployment(scope, deploymentId);
    }
    const external = this.#external(deployment);
    if (deployment.status === DeploymentStatus.Succeeded) {
      return { status: 'Succeeded', summary: `Deployment ${deploymentId} succeeded`, external };
    }
    const reason = deployment.errorInformation?.message ?? deployment.status;
    return {
      ...failedResult(`Deployment ${deploymentId} ${deployment.status.toLowerCase()}: ${reason}`),
      external,
    };
  }

  async #existing(task: ActionTask): Promise<string | undefined> {
    const listed = await this.#deps.deployments.listDeployments(task.scope, {
      externalId: task.actionExecutionId,
    });
    return listed.items[0];
  }

  async #start(task: ActionTask): Promise<string | ActionResult> {
    const input = task.inputArtifacts[0];
    if (input === undefined)
      return failedResult('The action has no input artifact', 'ConfigurationError');
    try {
      return await this.#deps.deployments.createDeployment(
        task.scope,
        {
          applicationName: task.configuration.ApplicationName,
          deploymentGroupName: task.configuration.DeploymentGroupName,
          revision: {
            revisionType: 'S3',
            s3Location: {
              bucket: input.location.bucket,
              key: input.location.key,
              bundleType: 'zip',
            },
          },
          description: `${task.initiator} ${task.executionId}`,
        },
        { creator: 'CodePipeline', externalId: task.actionExecutionId },
      );
    } catch (error) {
      if (!isAppError(error)) throw error;
      return failedResult(
        `The deployment could not be created: ${messageOf(error)}`,
        'ConfigurationError',
      );
    }
  }

  #external(deployment: Deployment): ExternalExecution {
    return {
      externalExecutionId: deployment.deploymentId,
      externalExecutionSummary: `Deployment ${deployment.deploymentId}: ${deployment.status}`,
      ...(this.#deps.deploymentUrl === undefined
        ? {}
        : { externalExecutionUrl: this.#deps.deploymentUrl(deployment) }),
    };
  }
}

function checkpointOf(checkpoint: JsonValue | undefined): DeployCheckpoint | undefined {
  const id = (checkpoint as { deploymentId?: unknown } | undefined)?.deploymentId;
  return typeof id === 'string' ? { deploymentId: id } : undefined;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError(signal));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
