import {
  AppErrorKind,
  pipelinesError,
  PipelinesSubject,
  type PipelinesService,
} from '@slipway/core';
import { describe, expect, it, vi } from 'vitest';
import {
  aCustomJob,
  actionExecutionId,
  executionId,
  jobId,
  pipelineArn,
} from './codepipeline-builders.ts';
import { codepipelineHarness, scope, stubPipelines } from './codepipeline-harness.ts';

const jenkins = { category: 'Test', owner: 'Custom', provider: 'Jenkins', version: '1' };

const jobData = {
  actionTypeId: jenkins,
  actionConfiguration: { configuration: { ProjectName: 'app-tests' } },
  pipelineContext: {
    pipelineName: 'app',
    stage: { name: 'Test' },
    action: { name: 'Jenkins', actionExecutionId },
    pipelineArn,
    pipelineExecutionId: executionId,
  },
  inputArtifacts: [
    {
      name: 'BuildArtifact',
      location: { type: 'S3', s3Location: { bucketName: 'artifacts', objectKey: 'app/Build/k' } },
    },
  ],
  outputArtifacts: [],
};

describe('CodePipeline door: custom action jobs', () => {
  it('PollForJobs answers jobs with their nonce and S3 artifact locations', async () => {
    const pollForJobs = vi.fn<PipelinesService['pollForJobs']>().mockResolvedValue([aCustomJob()]);
    const door = codepipelineHarness(stubPipelines({ pollForJobs }));
    const output = await door.call('PollForJobs', {
      actionTypeId: jenkins,
      maxBatchSize: 5,
      queryParam: { ProjectName: 'app-tests' },
    });
    expect(pollForJobs).toHaveBeenCalledWith(scope, {
      actionTypeId: jenkins,
      maxBatchSize: 5,
      queryParam: { ProjectName: 'app-tests' },
    });
    expect(output).toEqual({
      jobs: [{ id: jobId, data: jobData, nonce: '3', accountId: '123456789012' }],
    });
  });

  it('PollForJobs refuses more than one query parameter and an owner outside the enum', async () => {
    const door = codepipelineHarness(stubPipelines({}));
    const response = await door.send('PollForJobs', {
      actionTypeId: { ...jenkins, owner: 'Someone' },
      queryParam: { a: 'x', b: 'y' },
    });
    expect(response.body.message).toMatch(/^2 validation errors detected: /);
    expect(response.body.message).toContain("at 'actionTypeId.owner'");
    expect(response.body.message).toContain(
      "at 'queryParam' failed to satisfy constraint: Member must have length less than or equal to 1",
    );
  });

  it('PollForJobs answers an unknown action type with ActionTypeNotFoundException', async () => {
    const pollForJobs = vi
      .fn<PipelinesService['pollForJobs']>()
      .mockRejectedValue(pipelinesError(AppErrorKind.NotFound, PipelinesSubject.ActionType, 'no'));
    const door = codepipelineHarness(stubPipelines({ pollForJobs }));
    const response = await door.send('PollForJobs', { actionTypeId: jenkins });
    expect(response.errorType).toBe('ActionTypeNotFoundException');
  });

  it('AcknowledgeJob answers the status; a wrong nonce is InvalidNonceException', async () => {
    const acknowledgeJob = vi
      .fn<PipelinesService['acknowledgeJob']>()
      .mockResolvedValueOnce('InProgress')
      .mockRejectedValueOnce(
        pipelinesError(AppErrorKind.InvalidInput, PipelinesSubject.JobNonce, 'stale nonce'),
      );
    const door = codepipelineHarness(stubPipelines({ acknowledgeJob }));
    expect(await door.call('AcknowledgeJob', { jobId, nonce: '3' })).toEqual({
      status: 'InProgress',
    });
    expect(acknowledgeJob).toHaveBeenCalledWith(scope, jobId, '3');
    expect((await door.send('AcknowledgeJob', { jobId, nonce: '2' })).errorType).toBe(
      'InvalidNonceException',
    );
  });

  it('GetJobDetails answers the job without its nonce; an unknown one is JobNotFoundException', async () => {
    const getJobDetails = vi
      .fn<PipelinesService['getJobDetails']>()
      .mockResolvedValueOnce(aCustomJob())
      .mockRejectedValueOnce(pipelinesError(AppErrorKind.NotFound, PipelinesSubject.Job, 'no'));
    const door = codepipelineHarness(stubPipelines({ getJobDetails }));
    expect(await door.call('GetJobDetails', { jobId })).toEqual({
      jobDetails: { id: jobId, data: jobData, accountId: '123456789012' },
    });
    expect((await door.send('GetJobDetails', { jobId })).errorType).toBe('JobNotFoundException');
  });

  it('PutJobSuccessResult passes revision (created in ms), details, continuation and variables', async () => {
    const putJobSuccessResult = vi
      .fn<PipelinesService['putJobSuccessResult']>()
      .mockResolvedValue();
    const door = codepipelineHarness(stubPipelines({ putJobSuccessResult }));
    const output = await door.call('PutJobSuccessResult', {
      jobId,
      currentRevision: {
        revision: 'abc123',
        changeIdentifier: 'abc123',
        created: 1767225600.5,
        revisionSummary: 'Fix the build',
      },
      continuationToken: 'step-2',
      executionDetails: { summary: 'half way', externalExecutionId: 'run-7', percentComplete: 50 },
      outputVariables: { REPORT_URL: 'http://ci/7' },
    });
    expect(output).toEqual({});
    expect(putJobSuccessResult).toHaveBeenCalledWith(scope, {
      jobId,
      currentRevision: { revision: 'abc123', changeIdentifier: 'abc123', created: 1767225600500 },
      continuationToken: 'step-2',
      executionDetails: { summary: 'half way', externalExecutionId: 'run-7', percentComplete: 50 },
      outputVariables: { REPORT_URL: 'http://ci/7' },
    });
  });

  it.each([
    [AppErrorKind.Conflict, PipelinesSubject.JobState, 'InvalidJobStateException'],
    [
      AppErrorKind.InvalidInput,
      PipelinesSubject.OutputVariablesSize,
      'OutputVariablesSizeExceededException',
    ],
  ] as const)('PutJobSuccessResult answers %s × %s as %s', async (kind, subject, code) => {
    const putJobSuccessResult = vi
      .fn<PipelinesService['putJobSuccessResult']>()
      .mockRejectedValue(pipelinesError(kind, subject, 'no'));
    const door = codepipelineHarness(stubPipelines({ putJobSuccessResult }));
    expect((await door.send('PutJobSuccessResult', { jobId })).errorType).toBe(code);
  });

  it('PutJobSuccessResult refuses a percentage over 100 and variable names outside the pattern', async () => {
    const door = codepipelineHarness(stubPipelines({}));
    const response = await door.send('PutJobSuccessResult', {
      jobId,
      executionDetails: { percentComplete: 101 },
      outputVariables: { 'not a name': 'x' },
    });
    expect(response.body.message).toMatch(/^2 validation errors detected: /);
  });

  it('PutJobFailureResult passes the failure details', async () => {
    const putJobFailureResult = vi
      .fn<PipelinesService['putJobFailureResult']>()
      .mockResolvedValue();
    const door = codepipelineHarness(stubPipelines({ putJobFailureResult }));
    const failureDetails = {
      type: 'JobFailed',
      message: 'tests failed',
      externalExecutionId: 'run-7',
    };
    expect(await door.call('PutJobFailureResult', { jobId, failureDetails })).toEqual({});
    expect(putJobFailureResult).toHaveBeenCalledWith(scope, { jobId, failureDetails });
  });

  it('PutJobFailureResult refuses a failure type outside the enum and a job id that is not a UUID', async () => {
    const door = codepipelineHarness(stubPipelines({}));
    const response = await door.send('PutJobFailureResult', {
      jobId: 'job-1',
      failureDetails: { type: 'Oops', message: 'x' },
    });
    expect(response.body.message).toMatch(/^2 validation errors detected: /);
  });
});
