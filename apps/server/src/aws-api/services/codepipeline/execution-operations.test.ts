import {
  AppError,
  AppErrorKind,
  executionNotFound,
  pipelinesError,
  PipelinesSubject,
  ResolutionSubject,
  type PipelinesService,
} from '@slipway/core';
import { describe, expect, it, vi } from 'vitest';
import {
  actionExecutionId,
  anActionRun,
  anExecution,
  aPipelineState,
  approvalToken,
  executionId,
  otherExecutionId,
} from './codepipeline-builders.ts';
import { caller, codepipelineHarness, scope, stubPipelines } from './codepipeline-harness.ts';

describe('CodePipeline door: StartPipelineExecution', () => {
  it('starts with the variables, token and source revisions given, answering the id', async () => {
    const startPipelineExecution = vi
      .fn<PipelinesService['startPipelineExecution']>()
      .mockResolvedValue(anExecution());
    const door = codepipelineHarness(stubPipelines({ startPipelineExecution }));
    const request = {
      name: 'app',
      variables: [{ name: 'env', value: 'prod' }],
      clientRequestToken: 'token-1',
      sourceRevisions: [
        { actionName: 'Source', revisionType: 'COMMIT_ID', revisionValue: 'abc123' },
      ],
    };
    expect(await door.call('StartPipelineExecution', request)).toEqual({
      pipelineExecutionId: executionId,
    });
    expect(startPipelineExecution).toHaveBeenCalledWith(scope, caller, request);
  });

  it('refuses an empty variables list, a bad revision type and a bad token in one answer', async () => {
    const door = codepipelineHarness(stubPipelines({}));
    const response = await door.send('StartPipelineExecution', {
      name: 'app',
      variables: [],
      clientRequestToken: 'not a token!',
      sourceRevisions: [{ actionName: 'Source', revisionType: 'BRANCH', revisionValue: 'main' }],
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toBe(
      '3 validation errors detected: ' +
        "Value '[]' at 'variables' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value 'not a token!' at 'clientRequestToken' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9-]+$; " +
        "Value 'BRANCH' at 'sourceRevisions[0].revisionType' failed to satisfy constraint: " +
        'Member must satisfy enum value set: [COMMIT_ID, IMAGE_DIGEST, S3_OBJECT_VERSION_ID, S3_OBJECT_KEY]',
    );
  });

  it('answers variables the pipeline does not declare, a busy pipeline, as the model names them', async () => {
    const startPipelineExecution = vi
      .fn<PipelinesService['startPipelineExecution']>()
      .mockRejectedValueOnce(
        new AppError(AppErrorKind.InvalidInput, 'variables[0]: not declared', {
          resource: ResolutionSubject.ExecutionVariables,
        }),
      )
      .mockRejectedValueOnce(
        pipelinesError(AppErrorKind.Conflict, PipelinesSubject.PipelineBusy, 'same token'),
      );
    const door = codepipelineHarness(stubPipelines({ startPipelineExecution }));
    const first = await door.send('StartPipelineExecution', { name: 'app' });
    const second = await door.send('StartPipelineExecution', { name: 'app' });
    expect([first.status, first.errorType]).toEqual([400, 'ValidationException']);
    expect([second.status, second.errorType]).toEqual([400, 'ConflictException']);
  });
});

describe('CodePipeline door: StopPipelineExecution', () => {
  it('passes abandon and reason, answering the id', async () => {
    const stopPipelineExecution = vi
      .fn<PipelinesService['stopPipelineExecution']>()
      .mockResolvedValue(anExecution({ status: 'Stopping' }));
    const door = codepipelineHarness(stubPipelines({ stopPipelineExecution }));
    const request = {
      pipelineName: 'app',
      pipelineExecutionId: executionId,
      abandon: true,
      reason: 'bad commit',
    };
    expect(await door.call('StopPipelineExecution', request)).toEqual({
      pipelineExecutionId: executionId,
    });
    expect(stopPipelineExecution).toHaveBeenCalledWith(scope, caller, request);
  });

  it.each([
    ['execution-not-stoppable', 'PipelineExecutionNotStoppableException'],
    ['duplicated-stop', 'DuplicatedStopRequestException'],
  ] as const)('answers a %s conflict as %s', async (subject, code) => {
    const stopPipelineExecution = vi
      .fn<PipelinesService['stopPipelineExecution']>()
      .mockRejectedValue(pipelinesError(AppErrorKind.Conflict, subject, 'no'));
    const door = codepipelineHarness(stubPipelines({ stopPipelineExecution }));
    const response = await door.send('StopPipelineExecution', {
      pipelineName: 'app',
      pipelineExecutionId: executionId,
    });
    expect([response.status, response.errorType]).toEqual([400, code]);
  });

  it('refuses an execution id that is not a UUID and a reason over 200 characters', async () => {
    const door = codepipelineHarness(stubPipelines({}));
    const response = await door.send('StopPipelineExecution', {
      pipelineName: 'app',
      pipelineExecutionId: 'EXEC-1',
      reason: 'r'.repeat(201),
    });
    expect(response.body.message).toMatch(/^2 validation errors detected: /);
    expect(response.body.message).toContain("at 'pipelineExecutionId'");
    expect(response.body.message).toContain(
      "at 'reason' failed to satisfy constraint: Member must have length less than or equal to 200",
    );
  });
});

describe('CodePipeline door: GetPipelineExecution', () => {
  it('answers the PipelineExecution shape, absent members omitted', async () => {
    const getPipelineExecution = vi
      .fn<PipelinesService['getPipelineExecution']>()
      .mockResolvedValue(anExecution());
    const door = codepipelineHarness(stubPipelines({ getPipelineExecution }));
    const output = await door.call('GetPipelineExecution', {
      pipelineName: 'app',
      pipelineExecutionId: executionId,
    });
    expect(getPipelineExecution).toHaveBeenCalledWith(scope, 'app', executionId);
    expect(output).toEqual({
      pipelineExecution: {
        pipelineName: 'app',
        pipelineVersion: 1,
        pipelineExecutionId: executionId,
        status: 'InProgress',
        artifactRevisions: [],
        trigger: { triggerType: 'StartPipelineExecution', triggerDetail: 'arn:aws:iam::1:user/a' },
        executionMode: 'SUPERSEDED',
        executionType: 'STANDARD',
      },
    });
  });

  it('answers revisions, resolved variables and the rollback target of a rollback', async () => {
    const getPipelineExecution = vi
      .fn<PipelinesService['getPipelineExecution']>()
      .mockResolvedValue(
        anExecution({
          status: 'Succeeded',
          statusSummary: 'done',
          executionType: 'ROLLBACK',
          trigger: { triggerType: 'ManualRollback', triggerDetail: otherExecutionId },
          rollbackTargetExecutionId: otherExecutionId,
          variables: { env: 'prod' },
          sourceRevisions: [
            {
              actionName: 'Source',
              artifactName: 'SourceArtifact',
              revisionId: 'abc123',
              revisionSummary: 'Fix the build',
              created: Date.UTC(2026, 0, 1),
            },
          ],
        }),
      );
    const door = codepipelineHarness(stubPipelines({ getPipelineExecution }));
    const { pipelineExecution } = await door.call('GetPipelineExecution', {
      pipelineName: 'app',
      pipelineExecutionId: executionId,
    });
    expect(pipelineExecution).toMatchObject({
      status: 'Succeeded',
      statusSummary: 'done',
      executionType: 'ROLLBACK',
      artifactRevisions: [
        {
          name: 'SourceArtifact',
          revisionId: 'abc123',
          revisionSummary: 'Fix the build',
          created: 1767225600,
        },
      ],
      variables: [{ name: 'env', resolvedValue: 'prod' }],
      trigger: { triggerType: 'ManualRollback', triggerDetail: otherExecutionId },
      rollbackMetadata: { rollbackTargetPipelineExecutionId: otherExecutionId },
    });
  });

  it('answers an unknown execution with PipelineExecutionNotFoundException', async () => {
    const getPipelineExecution = vi
      .fn<PipelinesService['getPipelineExecution']>()
      .mockRejectedValue(executionNotFound('app', executionId));
    const door = codepipelineHarness(stubPipelines({ getPipelineExecution }));
    const response = await door.send('GetPipelineExecution', {
      pipelineName: 'app',
      pipelineExecutionId: executionId,
    });
    expect(response.errorType).toBe('PipelineExecutionNotFoundException');
  });
});

describe('CodePipeline door: ListPipelineExecutions', () => {
  it('passes the succeededInStage filter and answers summaries', async () => {
    const listPipelineExecutions = vi
      .fn<PipelinesService['listPipelineExecutions']>()
      .mockResolvedValue({
        executions: [
          anExecution({
            status: 'Stopped',
            stopRequest: { abandon: false, reason: 'bad commit', at: 0 },
            sourceRevisions: [
              { actionName: 'Source', artifactName: 'SourceArtifact', revisionId: 'abc123' },
            ],
          }),
        ],
        nextToken: 'next',
      });
    const door = codepipelineHarness(stubPipelines({ listPipelineExecutions }));
    const output = await door.call('ListPipelineExecutions', {
      pipelineName: 'app',
      maxResults: 100,
      filter: { succeededInStage: { stageName: 'Deploy' } },
    });
    expect(listPipelineExecutions).toHaveBeenCalledWith(scope, {
      pipelineName: 'app',
      maxResults: 100,
      nextToken: undefined,
      succeededInStage: 'Deploy',
    });
    expect(output).toEqual({
      pipelineExecutionSummaries: [
        {
          pipelineExecutionId: executionId,
          status: 'Stopped',
          startTime: 1767225600.25,
          lastUpdateTime: 1767225602.25,
          sourceRevisions: [{ actionName: 'Source', revisionId: 'abc123' }],
          trigger: {
            triggerType: 'StartPipelineExecution',
            triggerDetail: 'arn:aws:iam::1:user/a',
          },
          stopTrigger: { reason: 'bad commit' },
          executionMode: 'SUPERSEDED',
          executionType: 'STANDARD',
        },
      ],
      nextToken: 'next',
    });
  });

  it('refuses maxResults over 100', async () => {
    const door = codepipelineHarness(stubPipelines({}));
    const response = await door.send('ListPipelineExecutions', {
      pipelineName: 'app',
      maxResults: 1_000_000,
    });
    expect(response).toMatchObject({ status: 400, errorType: 'ValidationException' });
    expect(response.body.message).toContain('Member must have value less than or equal to 100');
  });
});

describe('CodePipeline door: ListActionExecutions', () => {
  it('answers ActionExecutionDetail rows: input, output, result and times in seconds', async () => {
    const listActionExecutions = vi
      .fn<PipelinesService['listActionExecutions']>()
      .mockResolvedValue({
        actionExecutionDetails: [
          {
            pipelineExecutionId: executionId,
            pipelineVersion: 3,
            action: anActionRun({
              namespace: 'BuildVariables',
              resolvedConfiguration: { ProjectName: 'app', EnvironmentVariables: '[]' },
              outputArtifacts: [
                {
                  name: 'BuildArtifact',
                  location: { bucket: 'artifacts', key: 'app/BuildArti/x' },
                },
              ],
              outputVariables: { VERSION: '1.2.3' },
              external: {
                externalExecutionId: 'app:build-1',
                externalExecutionUrl: 'http://localhost/builds/app:build-1',
              },
            }),
          },
        ],
      });
    const door = codepipelineHarness(stubPipelines({ listActionExecutions }));
    const output = await door.call('ListActionExecutions', {
      pipelineName: 'app',
      filter: { pipelineExecutionId: executionId },
      maxResults: 10,
    });
    expect(listActionExecutions).toHaveBeenCalledWith(scope, {
      pipelineName: 'app',
      pipelineExecutionId: executionId,
      maxResults: 10,
      nextToken: undefined,
    });
    expect(output).toEqual({
      actionExecutionDetails: [
        {
          pipelineExecutionId: executionId,
          actionExecutionId,
          pipelineVersion: 3,
          stageName: 'Build',
          actionName: 'Build',
          startTime: 1767225600.25,
          lastUpdateTime: 1767225660.25,
          status: 'Succeeded',
          input: {
            actionTypeId: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' },
            configuration: { ProjectName: 'app', EnvironmentVariables: '[]' },
            resolvedConfiguration: { ProjectName: 'app', EnvironmentVariables: '[]' },
            inputArtifacts: [
              {
                name: 'SourceArtifact',
                s3location: { bucket: 'artifacts', key: 'app/SourceArti/abc' },
              },
            ],
            namespace: 'BuildVariables',
          },
          output: {
            outputArtifacts: [
              {
                name: 'BuildArtifact',
                s3location: { bucket: 'artifacts', key: 'app/BuildArti/x' },
              },
            ],
            executionResult: {
              externalExecutionId: 'app:build-1',
              externalExecutionUrl: 'http://localhost/builds/app:build-1',
            },
            outputVariables: { VERSION: '1.2.3' },
          },
        },
      ],
    });
  });

  it('gives an approval its token as external id, its approver and summary, a failure its details', async () => {
    const approval = anActionRun({
      actionName: 'Approve',
      actionTypeId: { category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' },
      status: 'Failed',
      inputArtifacts: [],
      token: approvalToken,
      approval: { status: 'Rejected', summary: 'not now', approvedBy: caller.arn, at: 0 },
      errorDetails: { code: 'JobFailed', message: 'Rejected' },
    });
    const listActionExecutions = vi
      .fn<PipelinesService['listActionExecutions']>()
      .mockResolvedValue({
        actionExecutionDetails: [
          { pipelineExecutionId: executionId, pipelineVersion: 1, action: approval },
        ],
      });
    const door = codepipelineHarness(stubPipelines({ listActionExecutions }));
    const output = await door.call('ListActionExecutions', { pipelineName: 'app' });
    expect(output.actionExecutionDetails).toMatchObject([
      {
        updatedBy: caller.arn,
        output: {
          outputArtifacts: [],
          executionResult: {
            externalExecutionId: approvalToken,
            externalExecutionSummary: 'not now',
            errorDetails: { code: 'JobFailed', message: 'Rejected' },
          },
        },
      },
    ]);
  });

  it('reads filter.latestInPipelineExecution as the execution to list', async () => {
    const listActionExecutions = vi
      .fn<PipelinesService['listActionExecutions']>()
      .mockResolvedValue({ actionExecutionDetails: [] });
    const door = codepipelineHarness(stubPipelines({ listActionExecutions }));
    const output = await door.call('ListActionExecutions', {
      pipelineName: 'app',
      filter: {
        latestInPipelineExecution: { pipelineExecutionId: executionId, startTimeRange: 'All' },
      },
    });
    expect(output).toEqual({ actionExecutionDetails: [] });
    expect(listActionExecutions).toHaveBeenCalledWith(
      scope,
      expect.objectContaining({ pipelineExecutionId: executionId }),
    );
  });

  it('refuses both filters at once, and a latestInPipelineExecution without its members', async () => {
    const door = codepipelineHarness(stubPipelines({}));
    const both = await door.send('ListActionExecutions', {
      pipelineName: 'app',
      filter: {
        pipelineExecutionId: executionId,
        latestInPipelineExecution: { pipelineExecutionId: executionId, startTimeRange: 'Latest' },
      },
    });
    expect(both.body.message).toBe(
      "1 validation error detected: Value '{…}' at 'filter' failed to satisfy constraint: " +
        'Member must set only one of pipelineExecutionId and latestInPipelineExecution',
    );
    const incomplete = await door.send('ListActionExecutions', {
      pipelineName: 'app',
      filter: { latestInPipelineExecution: {} },
    });
    expect(incomplete.body.message).toMatch(/^2 validation errors detected: /);
  });
});

describe('CodePipeline door: GetPipelineState', () => {
  it('answers the state of every stage and action, times in seconds, absent members omitted', async () => {
    const getPipelineState = vi.fn<PipelinesService['getPipelineState']>().mockResolvedValue(
      aPipelineState({
        stageStates: [
          {
            stageName: 'Source',
            inboundTransitionState: { enabled: true },
            latestExecution: {
              pipelineExecutionId: executionId,
              status: 'Succeeded',
              type: 'STANDARD',
            },
            actionStates: [
              {
                actionName: 'Source',
                currentRevision: {
                  revisionId: 'abc123',
                  revisionChangeId: 'abc123',
                  created: Date.UTC(2026, 0, 1),
                },
                latestExecution: anActionRun({
                  stageName: 'Source',
                  actionName: 'Source',
                  summary: 'Fix the build',
                  external: { externalExecutionId: 'abc123' },
                }),
              },
            ],
          },
          {
            stageName: 'Approve',
            inboundExecution: {
              pipelineExecutionId: otherExecutionId,
              status: 'InProgress',
              type: 'STANDARD',
            },
            inboundTransitionState: {
              enabled: false,
              lastChangedBy: caller.arn,
              lastChangedAt: Date.UTC(2026, 0, 2),
              disabledReason: 'freeze',
            },
            latestExecution: {
              pipelineExecutionId: executionId,
              status: 'InProgress',
              type: 'STANDARD',
            },
            actionStates: [
              {
                actionName: 'Approve',
                latestExecution: anActionRun({
                  actionName: 'Approve',
                  status: 'InProgress',
                  token: approvalToken,
                }),
              },
            ],
            retryStageMetadata: { autoStageRetryAttempt: 0, manualStageRetryAttempt: 1 },
          },
        ],
      }),
    );
    const door = codepipelineHarness(stubPipelines({ getPipelineState }));
    const output = await door.call('GetPipelineState', { name: 'app' });
    expect(getPipelineState).toHaveBeenCalledWith(scope, 'app');
    expect(output).toEqual({
      pipelineName: 'app',
      pipelineVersion: 1,
      created: 1767225600.25,
      updated: 1767225601.25,
      stageStates: [
        {
          stageName: 'Source',
          inboundTransitionState: { enabled: true },
          latestExecution: {
            pipelineExecutionId: executionId,
            status: 'Succeeded',
            type: 'STANDARD',
          },
          actionStates: [
            {
              actionName: 'Source',
              currentRevision: {
                revisionId: 'abc123',
                revisionChangeId: 'abc123',
                created: 1767225600,
              },
              latestExecution: {
                actionExecutionId,
                status: 'Succeeded',
                summary: 'Fix the build',
                lastStatusChange: 1767225660.25,
                externalExecutionId: 'abc123',
              },
            },
          ],
        },
        {
          stageName: 'Approve',
          inboundExecution: {
            pipelineExecutionId: otherExecutionId,
            status: 'InProgress',
            type: 'STANDARD',
          },
          inboundTransitionState: {
            enabled: false,
            lastChangedBy: caller.arn,
            lastChangedAt: 1767312000,
            disabledReason: 'freeze',
          },
          latestExecution: {
            pipelineExecutionId: executionId,
            status: 'InProgress',
            type: 'STANDARD',
          },
          actionStates: [
            {
              actionName: 'Approve',
              latestExecution: {
                actionExecutionId,
                status: 'InProgress',
                lastStatusChange: 1767225660.25,
                token: approvalToken,
              },
            },
          ],
          retryStageMetadata: { autoStageRetryAttempt: 0, manualStageRetryAttempt: 1 },
        },
      ],
    });
  });
});
