import type { AwsOperation } from '../../service-definition.ts';
import { callerOf, operation, scopeOf, type CodePipelineDeps } from './codepipeline-context.ts';
import {
  declarationShape,
  pipelineMetadataShape,
  pipelineSummaryShape,
  tagShape,
} from './pipeline-shapes.ts';
import { requestShapes as shapes } from './request-shapes.ts';

/** CreatePipeline, GetPipeline, UpdatePipeline, DeletePipeline, ListPipelines. */
export function pipelineOperations({ pipelines }: CodePipelineDeps): Record<string, AwsOperation> {
  return {
    CreatePipeline: operation(shapes.CreatePipeline, async (input, context) => {
      const created = await pipelines.createPipeline(scopeOf(context), callerOf(context), {
        pipeline: input.pipeline,
        tags: input.tags,
      });
      return {
        pipeline: declarationShape(created.pipeline),
        tags: created.tags.length > 0 ? created.tags.map(tagShape) : undefined,
      };
    }),

    /** `version` picks an earlier version: PipelineVersionNotFoundException when there is none. */
    GetPipeline: operation(shapes.GetPipeline, async (input, context) => {
      const pipeline = await pipelines.getPipeline(scopeOf(context), input.name, input.version);
      return { pipeline: declarationShape(pipeline), metadata: pipelineMetadataShape(pipeline) };
    }),

    UpdatePipeline: operation(shapes.UpdatePipeline, async (input, context) => {
      const pipeline = await pipelines.updatePipeline(scopeOf(context), callerOf(context), {
        pipeline: input.pipeline,
      });
      return { pipeline: declarationShape(pipeline) };
    }),

    DeletePipeline: operation(shapes.DeletePipeline, async (input, context) => {
      await pipelines.deletePipeline(scopeOf(context), input.name);
      return {};
    }),

    ListPipelines: operation(shapes.ListPipelines, async (input, context) => {
      const listed = await pipelines.listPipelines(scopeOf(context), {
        maxResults: input.maxResults,
        nextToken: input.nextToken,
      });
      return { pipelines: listed.pipelines.map(pipelineSummaryShape), nextToken: listed.nextToken };
    }),
  };
}
