import type { AwsOperation } from '../../service-definition.ts';
import { callerOf, operation, scopeOf, type CodePipelineDeps } from './codepipeline-context.ts';
import {
  actionExecutionDetailShape,
  executionSummaryShape,
  pipelineExecutionShape,
} from './execution-shapes.ts';
import { requestShapes as shapes } from './request-shapes.ts';
import { pipelineStateShape } from './state-shapes.ts';
import { validationError } from './wire-schema.ts';

/**
 * StartPipelineExecution, StopPipelineExecution, GetPipelineState, GetPipelineExecution,
 * ListPipelineExecutions, ListActionExecutions.
 */
export function executionOperations({ pipelines }: CodePipelineDeps): Record<string, AwsOperation> {
  return {
    StartPipelineExecution: operation(shapes.StartPipelineExecution, async (input, context) => {
      const execution = await pipelines.startPipelineExecution(
        scopeOf(context),
        callerOf(context),
        {
          name: input.name,
          variables: input.variables,
          clientRequestToken: input.clientRequestToken,
          sourceRevisions: input.sourceRevisions,
        },
      );
      return { pipelineExecutionId: execution.id };
    }),

    StopPipelineExecution: operation(shapes.StopPipelineExecution, async (input, context) => {
      const execution = await pipelines.stopPipelineExecution(scopeOf(context), callerOf(context), {
        pipelineName: input.pipelineName,
        pipelineExecutionId: input.pipelineExecutionId,
        abandon: input.abandon,
        reason: input.reason,
      });
      return { pipelineExecutionId: execution.id };
    }),

    GetPipelineState: operation(shapes.GetPipelineState, async (input, context) => {
      return pipelineStateShape(await pipelines.getPipelineState(scopeOf(context), input.name));
    }),

    GetPipelineExecution: operation(shapes.GetPipelineExecution, async (input, context) => {
      const execution = await pipelines.getPipelineExecution(
        scopeOf(context),
        input.pipelineName,
        input.pipelineExecutionId,
      );
      return { pipelineExecution: pipelineExecutionShape(execution) };
    }),

    ListPipelineExecutions: operation(shapes.ListPipelineExecutions, async (input, context) => {
      const listed = await pipelines.listPipelineExecutions(scopeOf(context), {
        pipelineName: input.pipelineName,
        maxResults: input.maxResults,
        nextToken: input.nextToken,
        succeededInStage: input.filter?.succeededInStage?.stageName,
      });
      return {
        pipelineExecutionSummaries: listed.executions.map(executionSummaryShape),
        nextToken: listed.nextToken,
      };
    }),

    /**
     * `filter.latestInPipelineExecution` names the execution as `filter.pipelineExecutionId`
     * does; the two are alternatives. Its `startTimeRange` is not applied (see the service).
     */
    ListActionExecutions: operation(shapes.ListActionExecutions, async (input, context) => {
      const filter = input.filter;
      if (filter?.pipelineExecutionId !== undefined && filter.latestInPipelineExecution) {
        throw validationError(
          'filter',
          filter,
          'must set only one of pipelineExecutionId and latestInPipelineExecution',
        );
      }
      const listed = await pipelines.listActionExecutions(scopeOf(context), {
        pipelineName: input.pipelineName,
        pipelineExecutionId:
          filter?.pipelineExecutionId ?? filter?.latestInPipelineExecution?.pipelineExecutionId,
        maxResults: input.maxResults,
        nextToken: input.nextToken,
      });
      return {
        actionExecutionDetails: listed.actionExecutionDetails.map(actionExecutionDetailShape),
        nextToken: listed.nextToken,
      };
    }),
  };
}
