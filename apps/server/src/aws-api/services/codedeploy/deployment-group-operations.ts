import type { AwsOperation } from '../../service-definition.ts';
import { operation, scopeOf, type CodeDeployDeps } from './codedeploy-context.ts';
import { requestShapes as shapes } from './request-shapes.ts';
import { deploymentGroupInfoShape } from './resource-shapes.ts';

/**
 * Deployment groups. Create/UpdateDeploymentGroup pass the
 * request on whole: the service refuses what Slipway does not deploy to (EC2 tags, Auto Scaling,
 * load balancers, blue/green, ECS) with CodeDeploy's exception for each.
 */
export function deploymentGroupOperations({
  deployments,
}: CodeDeployDeps): Record<string, AwsOperation> {
  return {
    CreateDeploymentGroup: operation(shapes.CreateDeploymentGroup, async (input, context) => ({
      deploymentGroupId: await deployments.createDeploymentGroup(scopeOf(context), input),
    })),

    GetDeploymentGroup: operation(shapes.GetDeploymentGroup, async (input, context) => {
      const info = await deployments.getDeploymentGroup(
        scopeOf(context),
        input.applicationName,
        input.deploymentGroupName,
      );
      return { deploymentGroupInfo: deploymentGroupInfoShape(info) };
    }),

    BatchGetDeploymentGroups: operation(shapes.BatchGetDeploymentGroups, async (input, context) => {
      const result = await deployments.batchGetDeploymentGroups(
        scopeOf(context),
        input.applicationName,
        input.deploymentGroupNames,
      );
      return {
        deploymentGroupsInfo: result.found.map(deploymentGroupInfoShape),
        errorMessage: result.errorMessage,
      };
    }),

    ListDeploymentGroups: operation(shapes.ListDeploymentGroups, async (input, context) => {
      const page = await deployments.listDeploymentGroups(
        scopeOf(context),
        input.applicationName,
        input.nextToken,
      );
      return {
        applicationName: input.applicationName,
        deploymentGroups: [...page.items],
        nextToken: page.nextToken,
      };
    }),

    /** No Auto Scaling groups, so no lifecycle hooks are ever left behind. */
    UpdateDeploymentGroup: operation(shapes.UpdateDeploymentGroup, async (input, context) => {
      await deployments.updateDeploymentGroup(scopeOf(context), input);
      return { hooksNotCleanedUp: [] };
    }),

    DeleteDeploymentGroup: operation(shapes.DeleteDeploymentGroup, async (input, context) => {
      await deployments.deleteDeploymentGroup(
        scopeOf(context),
        input.applicationName,
        input.deploymentGroupName,
      );
      return { hooksNotCleanedUp: [] };
    }),
  };
}
