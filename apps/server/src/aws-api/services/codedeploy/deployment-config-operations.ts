import type { AwsOperation } from '../../service-definition.ts';
import { operation, scopeOf, type CodeDeployDeps } from './codedeploy-context.ts';
import { requestShapes as shapes } from './request-shapes.ts';
import { deploymentConfigInfoShape } from './resource-shapes.ts';

/** Deployment configurations: the predefined ones and the account's own (Server only). */
export function deploymentConfigOperations({
  deployments,
}: CodeDeployDeps): Record<string, AwsOperation> {
  return {
    CreateDeploymentConfig: operation(shapes.CreateDeploymentConfig, async (input, context) => ({
      deploymentConfigId: await deployments.createDeploymentConfig(scopeOf(context), input),
    })),

    GetDeploymentConfig: operation(shapes.GetDeploymentConfig, async (input, context) => {
      const config = await deployments.getDeploymentConfig(
        scopeOf(context),
        input.deploymentConfigName,
      );
      return { deploymentConfigInfo: deploymentConfigInfoShape(config) };
    }),

    ListDeploymentConfigs: operation(shapes.ListDeploymentConfigs, async (input, context) => {
      const page = await deployments.listDeploymentConfigs(scopeOf(context), input.nextToken);
      return { deploymentConfigsList: [...page.items], nextToken: page.nextToken };
    }),

    DeleteDeploymentConfig: operation(shapes.DeleteDeploymentConfig, async (input, context) => {
      await deployments.deleteDeploymentConfig(scopeOf(context), input.deploymentConfigName);
      return {};
    }),
  };
}
