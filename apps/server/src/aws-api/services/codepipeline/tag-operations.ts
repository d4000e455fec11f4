import type { AwsOperation } from '../../service-definition.ts';
import { operation, scopeOf, type CodePipelineDeps } from './codepipeline-context.ts';
import { pageOf } from './door-paging.ts';
import { tagShape } from './pipeline-shapes.ts';
import { requestShapes as shapes } from './request-shapes.ts';

/** ListTagsForResource's page size when the request names none (the model's maximum). */
const tagPageSize = 100;

/** TagResource, UntagResource, ListTagsForResource: on pipeline ARNs. */
export function tagOperations({ pipelines }: CodePipelineDeps): Record<string, AwsOperation> {
  return {
    TagResource: operation(shapes.TagResource, async (input, context) => {
      await pipelines.tagResource(scopeOf(context), input.resourceArn, input.tags);
      return {};
    }),

    UntagResource: operation(shapes.UntagResource, async (input, context) => {
      await pipelines.untagResource(scopeOf(context), input.resourceArn, input.tagKeys);
      return {};
    }),

    /** The service answers every tag (50 at most per resource); the door pages them. */
    ListTagsForResource: operation(shapes.ListTagsForResource, async (input, context) => {
      const tags = await pipelines.listTagsForResource(scopeOf(context), input.resourceArn);
      const { page, nextToken } = pageOf(tags, input, tagPageSize);
      return { tags: page.map(tagShape), nextToken };
    }),
  };
}
