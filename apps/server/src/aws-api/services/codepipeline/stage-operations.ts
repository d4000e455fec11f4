import type { AwsOperation } from '../../service-definition.ts';
import { callerOf, operation, scopeOf, type CodePipelineDeps } from './codepipeline-context.ts';
import { seconds } from './pipeline-shapes.ts';
import { requestShapes as shapes } from './request-shapes.ts';

/**
 * PutApprovalResult, RetryStageExecution, RollbackStage, EnableStageTransition,
 * DisableStageTransition.
 */
export function stageOperations({ pipelines }: CodePipelineDeps): Record<string, AwsOperation> {
  return {
    PutApprovalResult: operation(shapes.PutApprovalResult, async (input, context) => {
      const approvedAt = await pipelines.putApprovalResult(scopeOf(context), callerOf(context), {
        pipelineName: input.pipelineName,
        stageName: input.stageName,
        actionName: input.actionName,
        result: { summary: input.result.summary, status: input.result.status },
        token: input.token,
      });
      return { approvedAt: seconds(approvedAt) };
    }),

    RetryStageExecution: operation(shapes.RetryStageExecution, async (input, context) => {
      const execution = await pipelines.retryStageExecution(scopeOf(context), callerOf(context), {
        pipelineName: input.pipelineName,
        stageName: input.stageName,
        pipelineExecutionId: input.pipelineExecutionId,
        retryMode: input.retryMode,
      });
      return { pipelineExecutionId: execution.id };
    }),

    /** Answers the new ROLLBACK execution's id. */
    RollbackStage: operation(shapes.RollbackStage, async (input, context) => {
      const execution = await pipelines.rollbackStage(scopeOf(context), callerOf(context), {
        pipelineName: input.pipelineName,
        stageName: input.stageName,
        targetPipelineExecutionId: input.targetPipelineExecutionId,
      });
      return { pipelineExecutionId: execution.id };
    }),

    EnableStageTransition: operation(shapes.EnableStageTransition, async (input, context) => {
      await pipelines.enableStageTransition(scopeOf(context), callerOf(context), {
        pipelineName: input.pipelineName,
        stageName: input.stageName,
        transitionType: input.transitionType,
      });
      return {};
    }),

    DisableStageTransition: operation(shapes.DisableStageTransition, async (input, context) => {
      await pipelines.disableStageTransition(scopeOf(context), callerOf(context), {
        pipelineName: input.pipelineName,
        stageName: input.stageName,
        transitionType: input.transitionType,
        reason: input.reason,
      });
      return {};
    }),
  };
}
