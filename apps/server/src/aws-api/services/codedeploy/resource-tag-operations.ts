import type { AwsOperation } from '../../service-definition.ts';
import { operation, scopeOf, type CodeDeployDeps } from './codedeploy-context.ts';
import { requestShapes as shapes } from './request-shapes.ts';

/**
 * TagResource, UntagResource and ListTagsForResource on application
 * (`arn:aws:codedeploy:<region>:<account>:application:<name>`) and deployment group
 * (`…:deploymentgroup:<application>/<group>`) ARNs. ListTagsForResource answers every tag (50 at
 * most per resource) and never a `NextToken`.
 */
export function resourceTagOperations({
  deployments,
}: CodeDeployDeps): Record<string, AwsOperation> {
  return {
    TagResource: operation(shapes.TagResource, async (input, context) => {
      await deployments.tagResource(scopeOf(context), input);
      return {};
    }),

    UntagResource: operation(shapes.UntagResource, async (input, context) => {
      await deployments.untagResource(scopeOf(context), input);
      return {};
    }),

    ListTagsForResource: operation(shapes.ListTagsForResource, async (input, context) => ({
      Tags: await deployments.listTagsForResource(scopeOf(context), input),
    })),
  };
}
