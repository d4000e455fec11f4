import {
  aPipelineDeclaration,
  executionOf,
  expectAppError,
  pipelinesHarness,
  runReadyActions,
  type PipelinesHarness,
} from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppErrorKind } from '../errors/app-error.ts';

let h: PipelinesHarness;
const jenkins = { category: 'Build', owner: 'Custom', provider: 'Jenkins', version: '1' } as const;

beforeEach(async () => {
  h = pipelinesHarness();
  await h.service.createCustomActionType(h.scope, {
    category: 'Build',
    provider: 'Jenkins',
    version: '1',
    configurationProperties: [{ name: 'ProjectName', required: true, key: true, secret: false }],
    inputArtifactDetails: { min: 0, max: 5 },
    outputArtifactDetails: { min: 0, max: 5 },
  });
  const declaration = aPipelineDeclaration();
  await h.service.createPipeline(h.scope, h.caller, {
    pipeline: {
      ...declaration,
      stages: [
        declaration.stages[0]!,
        {
          name: 'Build',
          actions: [
            {
              name: 'Jenkins',
              actionTypeId: jenkins,
              configuration: { ProjectName: 'app' },
              inputArtifacts: [{ name: 'SourceOutput' }],
              outputArtifacts: [{ name: 'Built' }],
              namespace: 'J',
            },
          ],
        },
      ],
    },
  });
  await runReadyActions(h);
});

describe('custom action job workers', () => {
  it('answer ActionTypeNotFound to a poll for a type never created', async () => {
    await expectAppError(
      h.service.pollForJobs(h.scope, { actionTypeId: { ...jenkins, version: '2' } }),
      AppErrorKind.NotFound,
      'action-type',
    );
  });

  it('answer ActionTypeNotFound to a poll for a deleted type', async () => {
    await h.service.deleteCustomActionType({ ...h.scope, ...jenkins });
    await expectAppError(
      h.service.pollForJobs(h.scope, { actionTypeId: jenkins }),
      AppErrorKind.NotFound,
      'action-type',
    );
  });

  it('answer ActionTypeNotFound to a poll for an AWS-owned type', async () => {
    await expectAppError(
      h.service.pollForJobs(h.scope, { actionTypeId: { ...jenkins, owner: 'AWS' } }),
      AppErrorKind.NotFound,
      'action-type',
    );
  });

  it('poll, acknowledge and succeed a job, completing the action with its variables', async () => {
    const [job] = await h.service.pollForJobs(h.scope, { actionTypeId: jenkins, maxBatchSize: 5 });
    expect(job?.data).toMatchObject({
      actionTypeId: jenkins,
      actionConfiguration: { ProjectName: 'app' },
      pipelineContext: {
        pipelineName: 'demo',
        stage: { name: 'Build' },
        action: { name: 'Jenkins' },
      },
      inputArtifacts: [{ name: 'SourceOutput', bucketName: 'artifacts' }],
      outputArtifacts: [{ name: 'Built', bucketName: 'artifacts' }],
    });
    expect(await h.service.pollForJobs(h.scope, { actionTypeId: jenkins })).toEqual([]);
    await expectAppError(
      h.service.acknowledgeJob(h.scope, job!.id, 'wrong'),
      AppErrorKind.InvalidInput,
      'job-nonce',
    );
    expect(await h.service.acknowledgeJob(h.scope, job!.id, job!.nonce)).toBe('InProgress');
    await h.service.putJobSuccessResult(h.scope, {
      jobId: job!.id,
      executionDetails: { summary: 'built #42', externalExecutionId: '42' },
      outputVariables: { BUILD: '42' },
    });
    const execution = await executionOf(h, job!.data.pipelineContext.pipelineExecutionId);
    expect(execution.status).toBe('Succeeded');
    expect(execution.namespaces['J']).toEqual({ BUILD: '42' });
    await expectAppError(
      h.service.putJobSuccessResult(h.scope, { jobId: job!.id }),
      AppErrorKind.Conflict,
      'job-state',
    );
  });

  // Regression: a continuation token completed the action instead of keeping it running.
  it('keep the action running on a success with a continuation token, in a new job', async () => {
    const [job] = await h.service.pollForJobs(h.scope, { actionTypeId: jenkins });
    const executionId = job!.data.pipelineContext.pipelineExecutionId;
    await h.service.putJobSuccessResult(h.scope, {
      jobId: job!.id,
      continuationToken: 'build-42',
      executionDetails: { summary: 'build 42 queued', externalExecutionId: '42' },
    });
    const running = await executionOf(h, executionId);
    expect(running.status).toBe('InProgress');
    expect(running.stages[1]?.actions[0]).toMatchObject({
      status: 'InProgress',
      summary: 'build 42 queued',
      external: { externalExecutionId: '42' },
    });
    const [next] = await h.service.pollForJobs(h.scope, { actionTypeId: jenkins });
    expect(next?.id).not.toBe(job!.id);
    expect(next?.data.continuationToken).toBe('build-42');
    await h.service.putJobSuccessResult(h.scope, { jobId: next!.id, outputVariables: { B: '42' } });
    const done = await executionOf(h, executionId);
    expect(done.status).toBe('Succeeded');
    expect(done.namespaces['J']).toEqual({ B: '42' });
  });

  it('fail the action when the worker reports failure', async () => {
    const [job] = await h.service.pollForJobs(h.scope, { actionTypeId: jenkins });
    await h.service.putJobFailureResult(h.scope, {
      jobId: job!.id,
      failureDetails: { type: 'JobFailed', message: 'tests failed' },
    });
    const execution = await executionOf(h, job!.data.pipelineContext.pipelineExecutionId);
    expect(execution.status).toBe('Failed');
    expect(execution.statusSummary).toBe('tests failed');
  });

  it('answer JobNotFound for an unknown job', async () => {
    await expectAppError(h.service.getJobDetails(h.scope, 'nope'), AppErrorKind.NotFound, 'job');
  });
});
