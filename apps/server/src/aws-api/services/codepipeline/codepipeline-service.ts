import type { JsonServiceDefinition } from '../../service-definition.ts';
import { actionTypeOperations } from './action-type-operations.ts';
import type { CodePipelineDeps } from './codepipeline-context.ts';
import { codepipelineErrors } from './codepipeline-errors.ts';
import { executionOperations } from './execution-operations.ts';
import { jobOperations } from './job-operations.ts';
import { pipelineOperations } from './pipeline-operations.ts';
import { stageOperations } from './stage-operations.ts';
import { tagOperations } from './tag-operations.ts';

export type { CodePipelineDeps } from './codepipeline-context.ts';

/**
 * CodePipeline (JSON 1.1): pipelines, executions, stage control, action types (custom ones
 * created and deleted), tags and the custom action job workers' calls, over the transport-free PipelinesService.
 * Its other operations (UpdateActionType, third-party jobs, webhooks, rules,
 * PutActionRevision, OverrideStageCondition …) are not in the table, so they answer
 * UnknownOperationException, as AWS answers an operation it lacks.
 */
export function createCodePipelineService(deps: CodePipelineDeps): JsonServiceDefinition {
  return {
    signingName: 'codepipeline',
    protocol: 'json1.1',
    targetPrefix: 'CodePipeline_20150709',
    errors: codepipelineErrors,
    operations: {
      ...pipelineOperations(deps),
      ...executionOperations(deps),
      ...stageOperations(deps),
      ...actionTypeOperations(deps),
      ...tagOperations(deps),
      ...jobOperations(deps),
    },
  };
}
