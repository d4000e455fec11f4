import { AppErrorKind, DeploymentsSubject, deploymentsError } from '@slipway/core';
import type { AwsOperation } from '../../service-definition.ts';
import { operation, scopeOf, type CodeDeployDeps } from './codedeploy-context.ts';
import {
  deploymentInfoShape,
  deploymentTargetShape,
  instanceSummaryShape,
} from './deployment-shapes.ts';
import { requestShapes as shapes } from './request-shapes.ts';

/** Deployments, and their instances both as targets and as the deprecated instance calls. */
export function deploymentOperations({
  deployments,
}: CodeDeployDeps): Record<string, AwsOperation> {
  return {
    CreateDeployment: operation(shapes.CreateDeployment, async (input, context) => ({
      deploymentId: await deployments.createDeployment(scopeOf(context), input),
    })),

    GetDeployment: operation(shapes.GetDeployment, async (input, context) => ({
      deploymentInfo: deploymentInfoShape(
        await deployments.getDeployment(scopeOf(context), input.deploymentId),
      ),
    })),

    BatchGetDeployments: operation(shapes.BatchGetDeployments, async (input, context) => {
      const found = await deployments.batchGetDeployments(scopeOf(context), input.deploymentIds);
      return { deploymentsInfo: found.map(deploymentInfoShape) };
    }),

    /** `createTimeRange` is read from epoch seconds into epoch milliseconds. */
    ListDeployments: operation(shapes.ListDeployments, async (input, context) => {
      const page = await deployments.listDeployments(scopeOf(context), input);
      return { deployments: [...page.items], nextToken: page.nextToken };
    }),

    StopDeployment: operation(shapes.StopDeployment, async (input, context) => {
      const stopped = await deployments.stopDeployment(scopeOf(context), input);
      return { status: stopped.status, statusMessage: stopped.statusMessage };
    }),

    ListDeploymentTargets: operation(shapes.ListDeploymentTargets, async (input, context) => {
      const page = await deployments.listDeploymentTargets(scopeOf(context), input);
      return { targetIds: [...page.items], nextToken: page.nextToken };
    }),

    BatchGetDeploymentTargets: operation(
      shapes.BatchGetDeploymentTargets,
      async (input, context) => {
        const { deployment, targets } = await deployments.getDeploymentTargets(
          scopeOf(context),
          input.deploymentId,
          input.targetIds,
        );
        return {
          deploymentTargets: targets.map((t) => deploymentTargetShape(deployment.deploymentId, t)),
        };
      },
    ),

    GetDeploymentTarget: operation(shapes.GetDeploymentTarget, async (input, context) => {
      const { deployment, targets } = await deployments.getDeploymentTargets(
        scopeOf(context),
        input.deploymentId,
        input.targetId === undefined ? undefined : [input.targetId],
      );
      const [target] = targets;
      if (target === undefined) {
        throw deploymentsError(
          AppErrorKind.NotFound,
          DeploymentsSubject.DeploymentTarget,
          `Deployment ${deployment.deploymentId} has no target ${input.targetId ?? ''}`,
        );
      }
      return { deploymentTarget: deploymentTargetShape(deployment.deploymentId, target) };
    }),

    ListDeploymentInstances: operation(shapes.ListDeploymentInstances, async (input, context) => {
      const page = await deployments.listDeploymentInstances(scopeOf(context), input);
      return { instancesList: [...page.items], nextToken: page.nextToken };
    }),

    GetDeploymentInstance: operation(shapes.GetDeploymentInstance, async (input, context) => {
      const { deployment, targets } = await deployments.getDeploymentInstances(
        scopeOf(context),
        input.deploymentId,
        input.instanceId === undefined ? undefined : [input.instanceId],
      );
      const [target] = targets;
      if (target === undefined) {
        throw deploymentsError(
          AppErrorKind.NotFound,
          DeploymentsSubject.DeploymentInstance,
          `Deployment ${deployment.deploymentId} has no instance ${input.instanceId ?? ''}`,
        );
      }
      return { instanceSummary: instanceSummaryShape(deployment.deploymentId, target) };
    }),

    BatchGetDeploymentInstances: operation(
      shapes.BatchGetDeploymentInstances,
      async (input, context) => {
        const { deployment, targets, missing } = await deployments.batchGetDeploymentInstances(
          scopeOf(context),
          input.deploymentId,
          input.instanceIds,
        );
        return {
          instancesSummary: targets.map((t) => instanceSummaryShape(deployment.deploymentId, t)),
          ...(missing.length === 0
            ? {}
            : {
                errorMessage: `Instances not in deployment ${deployment.deploymentId}: ${missing.join(', ')}`,
              }),
        };
      },
    ),
  };
}
