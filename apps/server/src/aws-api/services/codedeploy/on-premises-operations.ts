import type { AwsOperation } from '../../service-definition.ts';
import { operation, scopeOf, type CodeDeployDeps } from './codedeploy-context.ts';
import { requestShapes as shapes } from './request-shapes.ts';
import { instanceInfoShape } from './resource-shapes.ts';

/** On-premises instances: registration, tags, lookups. */
export function onPremisesOperations({
  deployments,
}: CodeDeployDeps): Record<string, AwsOperation> {
  return {
    RegisterOnPremisesInstance: operation(
      shapes.RegisterOnPremisesInstance,
      async (input, context) => {
        await deployments.registerOnPremisesInstance(scopeOf(context), input);
        return {};
      },
    ),

    DeregisterOnPremisesInstance: operation(
      shapes.DeregisterOnPremisesInstance,
      async (input, context) => {
        await deployments.deregisterOnPremisesInstance(scopeOf(context), input.instanceName);
        return {};
      },
    ),

    GetOnPremisesInstance: operation(shapes.GetOnPremisesInstance, async (input, context) => ({
      instanceInfo: instanceInfoShape(
        await deployments.getOnPremisesInstance(scopeOf(context), input.instanceName),
      ),
    })),

    BatchGetOnPremisesInstances: operation(
      shapes.BatchGetOnPremisesInstances,
      async (input, context) => {
        const found = await deployments.batchGetOnPremisesInstances(
          scopeOf(context),
          input.instanceNames,
        );
        return { instanceInfos: found.map(instanceInfoShape) };
      },
    ),

    ListOnPremisesInstances: operation(shapes.ListOnPremisesInstances, async (input, context) => {
      const page = await deployments.listOnPremisesInstances(scopeOf(context), input);
      return { instanceNames: [...page.items], nextToken: page.nextToken };
    }),

    AddTagsToOnPremisesInstances: operation(
      shapes.AddTagsToOnPremisesInstances,
      async (input, context) => {
        await deployments.addTagsToOnPremisesInstances(scopeOf(context), input);
        return {};
      },
    ),

    RemoveTagsFromOnPremisesInstances: operation(
      shapes.RemoveTagsFromOnPremisesInstances,
      async (input, context) => {
        await deployments.removeTagsFromOnPremisesInstances(scopeOf(context), input);
        return {};
      },
    ),
  };
}
