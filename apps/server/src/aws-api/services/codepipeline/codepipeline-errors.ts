import {
  DeclarationSubject as D,
  PipelinesSubject as S,
  ResolutionSubject as R,
} from '@slipway/core';
import { commonJsonErrors, type AwsErrorSpec, type AwsErrorTable } from '../../error-table.ts';

// botocore's model gives CodePipeline's exceptions no HTTP status: all are client errors (400).
const e = (code: string): AwsErrorSpec => ({ code, status: 400 });
const validation = e('ValidationException');

/**
 * CodePipeline's wire errors by kind × subject, as pipelines.errors.ts, declaration-problems.ts
 * and resolution.errors.ts tabulate them. A subject this table does not know falls back per
 * kind to a code the operations' botocore error lists allow: ValidationException is the one
 * every operation lists, ConflictException the one every conflicting operation lists.
 */
export const codepipelineErrors: AwsErrorTable = {
  ...commonJsonErrors,
  NotFound: {
    byResource: {
      [S.Pipeline]: e('PipelineNotFoundException'),
      [S.PipelineVersion]: e('PipelineVersionNotFoundException'),
      [S.Execution]: e('PipelineExecutionNotFoundException'),
      [S.Stage]: e('StageNotFoundException'),
      [S.Action]: e('ActionNotFoundException'),
      [S.ActionType]: e('ActionTypeNotFoundException'),
      [S.Job]: e('JobNotFoundException'),
      [S.TaggedResource]: e('ResourceNotFoundException'),
      // DeleteCustomActionType lists no not-found error.
      [S.CustomActionType]: validation,
    },
    otherwise: validation,
  },
  AlreadyExists: {
    byResource: {
      [S.Pipeline]: e('PipelineNameInUseException'),
      // CreateCustomActionType lists no already-exists error.
      [S.CustomActionType]: validation,
    },
    otherwise: validation,
  },
  InvalidInput: {
    byResource: {
      [S.Arn]: e('InvalidArnException'),
      [S.Tags]: e('InvalidTagsException'),
      [S.ApprovalToken]: e('InvalidApprovalTokenException'),
      [S.JobNonce]: e('InvalidNonceException'),
      [S.OutputVariablesSize]: e('OutputVariablesSizeExceededException'),
      [S.NextToken]: e('InvalidNextTokenException'),
      [S.Input]: validation,
      [D.Shape]: validation,
      [D.Structure]: e('InvalidStructureException'),
      [D.Stage]: e('InvalidStageDeclarationException'),
      [D.Action]: e('InvalidActionDeclarationException'),
      [R.ExecutionVariables]: validation,
    },
    otherwise: validation,
  },
  Conflict: {
    byResource: {
      [S.ApprovalCompleted]: e('ApprovalAlreadyCompletedException'),
      [S.StageNotRetryable]: e('StageNotRetryableException'),
      [S.NotLatestExecution]: e('NotLatestPipelineExecutionException'),
      [S.ExecutionNotStoppable]: e('PipelineExecutionNotStoppableException'),
      [S.DuplicatedStop]: e('DuplicatedStopRequestException'),
      [S.ExecutionOutdated]: e('PipelineExecutionOutdatedException'),
      [S.UnableToRollback]: e('UnableToRollbackStageException'),
      [S.PipelineBusy]: e('ConflictException'),
      [S.JobState]: e('InvalidJobStateException'),
    },
    otherwise: e('ConflictException'),
  },
  LimitExceeded: {
    byResource: {
      [S.Tags]: e('TooManyTagsException'),
      [S.Pipelines]: e('LimitExceededException'),
      [S.CustomActionTypes]: e('LimitExceededException'),
    },
    otherwise: e('LimitExceededException'),
  },
};
