import { AppError, AppErrorKind, type AppErrorKind as Kind } from '../errors/app-error.ts';

/**
 * The pipelines component's errors. The resource names the subject precisely enough for the
 * CodePipeline door to pick its wire error (kind × subject → code):
 *
 * | kind          | subject                  | code                                    |
 * | ------------- | ------------------------ | --------------------------------------- |
 * | NotFound      | pipeline                 | PipelineNotFoundException               |
 * | NotFound      | pipeline-version         | PipelineVersionNotFoundException        |
 * | AlreadyExists | pipeline                 | PipelineNameInUseException              |
 * | NotFound      | pipeline-execution       | PipelineExecutionNotFoundException      |
 * | NotFound      | stage                    | StageNotFoundException                  |
 * | NotFound      | action                   | ActionNotFoundException                 |
 * | NotFound      | action-type              | ActionTypeNotFoundException             |
 * | NotFound      | custom-action-type       | ValidationException                     |
 * | AlreadyExists | custom-action-type       | ValidationException                     |
 * | LimitExceeded | custom-action-types      | LimitExceededException                  |
 * | NotFound      | job                      | JobNotFoundException                    |
 * | NotFound      | tagged-resource          | ResourceNotFoundException               |
 * | InvalidInput  | arn                      | InvalidArnException                     |
 * | InvalidInput  | tags                     | InvalidTagsException                    |
 * | LimitExceeded | tags                     | TooManyTagsException                    |
 * | InvalidInput  | approval-token           | InvalidApprovalTokenException           |
 * | Conflict      | approval-completed       | ApprovalAlreadyCompletedException       |
 * | Conflict      | stage-not-retryable      | StageNotRetryableException              |
 * | Conflict      | not-latest-execution     | NotLatestPipelineExecutionException     |
 * | Conflict      | execution-not-stoppable  | PipelineExecutionNotStoppableException  |
 * | Conflict      | duplicated-stop          | DuplicatedStopRequestException          |
 * | Conflict      | execution-outdated       | PipelineExecutionOutdatedException      |
 * | Conflict      | unable-to-rollback       | UnableToRollbackStageException          |
 * | Conflict      | pipeline-busy            | ConflictException                       |
 * | InvalidInput  | job-nonce                | InvalidNonceException                   |
 * | Conflict      | job-state                | InvalidJobStateException                |
 * | InvalidInput  | output-variables-size    | OutputVariablesSizeExceededException    |
 * | InvalidInput  | next-token               | InvalidNextTokenException               |
 * | LimitExceeded | pipelines                | LimitExceededException                  |
 * | InvalidInput  | (any other)              | ValidationException                     |
 *
 * Declaration problems carry the subjects of declaration/declaration-problems.ts
 * (InvalidStructureException, InvalidStageDeclarationException, InvalidActionDeclarationException,
 * ValidationException), and StartPipelineExecution `variables` problems the subject of
 * resolution/resolution.errors.ts (ValidationException).
 */
export const PipelinesSubject = {
  Pipeline: 'pipeline',
  PipelineVersion: 'pipeline-version',
  Execution: 'pipeline-execution',
  Stage: 'stage',
  Action: 'action',
  ActionType: 'action-type',
  CustomActionType: 'custom-action-type',
  CustomActionTypes: 'custom-action-types',
  Job: 'job',
  TaggedResource: 'tagged-resource',
  Arn: 'arn',
  Tags: 'tags',
  ApprovalToken: 'approval-token',
  ApprovalCompleted: 'approval-completed',
  StageNotRetryable: 'stage-not-retryable',
  NotLatestExecution: 'not-latest-execution',
  ExecutionNotStoppable: 'execution-not-stoppable',
  DuplicatedStop: 'duplicated-stop',
  ExecutionOutdated: 'execution-outdated',
  UnableToRollback: 'unable-to-rollback',
  PipelineBusy: 'pipeline-busy',
  JobNonce: 'job-nonce',
  JobState: 'job-state',
  OutputVariablesSize: 'output-variables-size',
  NextToken: 'next-token',
  Pipelines: 'pipelines',
  Input: 'pipeline-input',
} as const;
export type PipelinesSubject = (typeof PipelinesSubject)[keyof typeof PipelinesSubject];

export function pipelinesError(kind: Kind, subject: PipelinesSubject, message: string): AppError {
  return new AppError(kind, message, { resource: subject });
}

export function pipelineNotFound(name: string): AppError {
  return pipelinesError(
    AppErrorKind.NotFound,
    PipelinesSubject.Pipeline,
    `Account does not have a pipeline with name '${name}'`,
  );
}

export function executionNotFound(pipelineName: string, id: string): AppError {
  return pipelinesError(
    AppErrorKind.NotFound,
    PipelinesSubject.Execution,
    `Pipeline execution '${id}' of pipeline '${pipelineName}' does not exist`,
  );
}

export function stageNotFound(pipelineName: string, stageName: string): AppError {
  return pipelinesError(
    AppErrorKind.NotFound,
    PipelinesSubject.Stage,
    `Stage '${stageName}' does not exist in pipeline '${pipelineName}'`,
  );
}

export function invalidPipelineInput(message: string): AppError {
  return pipelinesError(AppErrorKind.InvalidInput, PipelinesSubject.Input, message);
}
