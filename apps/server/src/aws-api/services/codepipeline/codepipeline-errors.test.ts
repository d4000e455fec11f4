import {
  AppError,
  AppErrorKind,
  DeclarationSubject,
  PipelinesSubject,
  ResolutionSubject,
  type AppErrorKind as Kind,
} from '@slipway/core';
import { describe, expect, it } from 'vitest';
import { resolveError, type AwsErrorRule } from '../../error-table.ts';
import { codepipelineErrors } from './codepipeline-errors.ts';

const codeOf = (kind: Kind, resource?: string) =>
  resolveError(codepipelineErrors, new AppError(kind, 'm', { resource }));

/** The exceptions of botocore's codepipeline 2015-07-09 model. */
const modelled = new Set([
  'ActionExecutionNotFoundException',
  'ActionNotFoundException',
  'ActionTypeAlreadyExistsException',
  'ActionTypeNotFoundException',
  'ApprovalAlreadyCompletedException',
  'ConcurrentModificationException',
  'ConcurrentPipelineExecutionsLimitExceededException',
  'ConditionNotOverridableException',
  'ConflictException',
  'DuplicatedStopRequestException',
  'InvalidActionDeclarationException',
  'InvalidApprovalTokenException',
  'InvalidArnException',
  'InvalidBlockerDeclarationException',
  'InvalidClientTokenException',
  'InvalidJobException',
  'InvalidJobStateException',
  'InvalidNextTokenException',
  'InvalidNonceException',
  'InvalidStageDeclarationException',
  'InvalidStructureException',
  'InvalidTagsException',
  'InvalidWebhookAuthenticationParametersException',
  'InvalidWebhookFilterPatternException',
  'JobNotFoundException',
  'LimitExceededException',
  'NotLatestPipelineExecutionException',
  'OutputVariablesSizeExceededException',
  'PipelineExecutionNotFoundException',
  'PipelineExecutionNotStoppableException',
  'PipelineExecutionOutdatedException',
  'PipelineNameInUseException',
  'PipelineNotFoundException',
  'PipelineVersionNotFoundException',
  'RequestFailedException',
  'ResourceNotFoundException',
  'StageNotFoundException',
  'StageNotRetryableException',
  'TooManyTagsException',
  'UnableToRollbackStageException',
  'ValidationException',
  'WebhookNotFoundException',
]);
/** What every AWS JSON service may answer, whatever its model lists. */
const common = new Set([
  'UnrecognizedClientException',
  'AccessDeniedException',
  'ThrottlingException',
  'ServiceUnavailableException',
  'InternalFailure',
]);

describe('CodePipeline error table', () => {
  // The tables of pipelines.errors.ts, declaration-problems.ts and resolution.errors.ts.
  it.each([
    ['NotFound', 'pipeline', 'PipelineNotFoundException'],
    ['NotFound', 'pipeline-version', 'PipelineVersionNotFoundException'],
    ['AlreadyExists', 'pipeline', 'PipelineNameInUseException'],
    ['NotFound', 'pipeline-execution', 'PipelineExecutionNotFoundException'],
    ['NotFound', 'stage', 'StageNotFoundException'],
    ['NotFound', 'action', 'ActionNotFoundException'],
    ['NotFound', 'action-type', 'ActionTypeNotFoundException'],
    ['NotFound', 'job', 'JobNotFoundException'],
    ['NotFound', 'tagged-resource', 'ResourceNotFoundException'],
    ['InvalidInput', 'arn', 'InvalidArnException'],
    ['InvalidInput', 'tags', 'InvalidTagsException'],
    ['LimitExceeded', 'tags', 'TooManyTagsException'],
    ['InvalidInput', 'approval-token', 'InvalidApprovalTokenException'],
    ['Conflict', 'approval-completed', 'ApprovalAlreadyCompletedException'],
    ['Conflict', 'stage-not-retryable', 'StageNotRetryableException'],
    ['Conflict', 'not-latest-execution', 'NotLatestPipelineExecutionException'],
    ['Conflict', 'execution-not-stoppable', 'PipelineExecutionNotStoppableException'],
    ['Conflict', 'duplicated-stop', 'DuplicatedStopRequestException'],
    ['Conflict', 'execution-outdated', 'PipelineExecutionOutdatedException'],
    ['Conflict', 'unable-to-rollback', 'UnableToRollbackStageException'],
    ['Conflict', 'pipeline-busy', 'ConflictException'],
    ['InvalidInput', 'job-nonce', 'InvalidNonceException'],
    ['Conflict', 'job-state', 'InvalidJobStateException'],
    ['InvalidInput', 'output-variables-size', 'OutputVariablesSizeExceededException'],
    ['InvalidInput', 'next-token', 'InvalidNextTokenException'],
    ['LimitExceeded', 'pipelines', 'LimitExceededException'],
    ['InvalidInput', 'pipeline-input', 'ValidationException'],
    ['InvalidInput', 'declaration-shape', 'ValidationException'],
    ['InvalidInput', 'invalid-structure', 'InvalidStructureException'],
    ['InvalidInput', 'invalid-stage-declaration', 'InvalidStageDeclarationException'],
    ['InvalidInput', 'invalid-action-declaration', 'InvalidActionDeclarationException'],
    ['InvalidInput', 'pipeline-execution-variables', 'ValidationException'],
  ] as const)('maps %s × %s to %s (400)', (kind, subject, code) => {
    expect(codeOf(kind, subject)).toMatchObject({ code, status: 400 });
  });

  it('names every subject of the core explicitly, none left to a fallback', () => {
    const named = new Set(
      Object.values(codepipelineErrors).flatMap((rule: AwsErrorRule) =>
        'byResource' in rule ? Object.keys(rule.byResource) : [],
      ),
    );
    const subjects = [
      ...Object.values(PipelinesSubject),
      ...Object.values(DeclarationSubject),
      ...Object.values(ResolutionSubject),
    ];
    expect(subjects.filter((s) => !named.has(s))).toEqual([]);
  });

  it('answers only codes the model or every AWS JSON service has', () => {
    const codes = Object.values(codepipelineErrors).flatMap((rule: AwsErrorRule) =>
      'byResource' in rule ? [...Object.values(rule.byResource), rule.otherwise] : [rule],
    );
    expect(codes.map((c) => c.code).filter((c) => !modelled.has(c) && !common.has(c))).toEqual([]);
  });

  it.each([
    [AppErrorKind.NotFound, 'ValidationException', 400],
    [AppErrorKind.AlreadyExists, 'ValidationException', 400],
    [AppErrorKind.InvalidInput, 'ValidationException', 400],
    [AppErrorKind.Conflict, 'ConflictException', 400],
    [AppErrorKind.LimitExceeded, 'LimitExceededException', 400],
    [AppErrorKind.Throttled, 'ThrottlingException', 400],
    [AppErrorKind.Unavailable, 'ServiceUnavailableException', 503],
    [AppErrorKind.Internal, 'InternalFailure', 500],
  ])('answers %s about a subject it does not know with %s', (kind, code, status) => {
    expect(codeOf(kind, 'something-else')).toMatchObject({ code, status });
  });
});
