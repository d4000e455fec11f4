import {
  AppError,
  AppErrorKind,
  invalidDeclaration,
  pipelineNotFound,
  pipelinesError,
  PipelinesSubject,
  type PipelinesService,
} from '@slipway/core';
import { describe, expect, it, vi } from 'vitest';
import { aPipeline, declarationRequest, pipelineArn, roleArn } from './codepipeline-builders.ts';
import { caller, codepipelineHarness, scope, stubPipelines } from './codepipeline-harness.ts';

describe('CodePipeline door: CreatePipeline', () => {
  it('hands the declaration to the service as sent, with the tags and the caller', async () => {
    const createPipeline = vi
      .fn<PipelinesService['createPipeline']>()
      .mockResolvedValue({ pipeline: aPipeline(), tags: [{ key: 'team', value: 'core' }] });
    const door = codepipelineHarness(stubPipelines({ createPipeline }));
    // The client's `version` is the service's to ignore: the door passes the member as sent.
    const pipeline = { ...declarationRequest(), version: 7 };
    const output = await door.call('CreatePipeline', {
      pipeline,
      tags: [{ key: 'team', value: 'core' }],
    });
    expect(createPipeline).toHaveBeenCalledWith(scope, caller, {
      pipeline,
      tags: [{ key: 'team', value: 'core' }],
    });
    expect(output).toEqual({
      pipeline: {
        ...declarationRequest(),
        version: 1,
        executionMode: 'SUPERSEDED',
        pipelineType: 'V1',
      },
      tags: [{ key: 'team', value: 'core' }],
    });
  });

  it('omits tags when the pipeline has none', async () => {
    const createPipeline = vi
      .fn<PipelinesService['createPipeline']>()
      .mockResolvedValue({ pipeline: aPipeline(), tags: [] });
    const door = codepipelineHarness(stubPipelines({ createPipeline }));
    const output = await door.call('CreatePipeline', { pipeline: declarationRequest() });
    expect(Object.keys(output)).toEqual(['pipeline']);
  });

  it('refuses a request without a pipeline, or with tags of the wrong shape, before the service', async () => {
    const door = codepipelineHarness(stubPipelines({}));
    const response = await door.send('CreatePipeline', {
      pipeline: 'app',
      tags: [{ key: '', value: 'x'.repeat(257) }, { value: 'v' }],
    });
    expect(response).toEqual({
      status: 400,
      errorType: 'ValidationException',
      body: {
        __type: 'ValidationException',
        message:
          '4 validation errors detected: ' +
          "Value 'app' at 'pipeline' failed to satisfy constraint: Member must be a structure; " +
          "Value '' at 'tags[0].key' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
          `Value '${'x'.repeat(64)}…' at 'tags[0].value' failed to satisfy constraint: Member must have length less than or equal to 256; ` +
          "Value null at 'tags[1].key' failed to satisfy constraint: Member must not be null",
      },
      cause: undefined,
    });
  });

  it.each([
    ['declaration-shape', 'ValidationException'],
    ['invalid-structure', 'InvalidStructureException'],
    ['invalid-stage-declaration', 'InvalidStageDeclarationException'],
    ['invalid-action-declaration', 'InvalidActionDeclarationException'],
  ] as const)('answers a declaration problem of subject %s as %s', async (subject, code) => {
    const problem = { path: 'pipeline.stages[0].name', message: 'is wrong', subject };
    const createPipeline = vi
      .fn<PipelinesService['createPipeline']>()
      .mockRejectedValue(invalidDeclaration([problem]));
    const door = codepipelineHarness(stubPipelines({ createPipeline }));
    const response = await door.send('CreatePipeline', { pipeline: declarationRequest() });
    expect(response).toMatchObject({
      status: 400,
      errorType: code,
      body: { __type: code, message: 'pipeline.stages[0].name: is wrong' },
    });
  });

  it('answers a name in use and the pipelines limit as CodePipeline names them', async () => {
    const createPipeline = vi
      .fn<PipelinesService['createPipeline']>()
      .mockRejectedValueOnce(
        pipelinesError(AppErrorKind.AlreadyExists, PipelinesSubject.Pipeline, 'in use'),
      )
      .mockRejectedValueOnce(
        pipelinesError(AppErrorKind.LimitExceeded, PipelinesSubject.Pipelines, '1000 pipelines'),
      );
    const door = codepipelineHarness(stubPipelines({ createPipeline }));
    const request = { pipeline: declarationRequest() };
    expect((await door.send('CreatePipeline', request)).errorType).toBe(
      'PipelineNameInUseException',
    );
    expect((await door.send('CreatePipeline', request)).errorType).toBe('LimitExceededException');
  });
});

describe('CodePipeline door: GetPipeline', () => {
  it('answers the declaration and its metadata, times in epoch seconds', async () => {
    const getPipeline = vi.fn<PipelinesService['getPipeline']>().mockResolvedValue(aPipeline());
    const door = codepipelineHarness(stubPipelines({ getPipeline }));
    const output = await door.call('GetPipeline', { name: 'app' });
    expect(getPipeline).toHaveBeenCalledWith(scope, 'app', undefined);
    expect(output.metadata).toEqual({
      pipelineArn,
      created: 1767225600.25,
      updated: 1767225601.25,
    });
    expect(output.pipeline).toMatchObject({ name: 'app', roleArn, version: 1 });
  });

  it('asks for the version requested; one that does not exist is PipelineVersionNotFoundException', async () => {
    const getPipeline = vi
      .fn<PipelinesService['getPipeline']>()
      .mockRejectedValue(
        pipelinesError(AppErrorKind.NotFound, PipelinesSubject.PipelineVersion, 'no version 9'),
      );
    const door = codepipelineHarness(stubPipelines({ getPipeline }));
    const response = await door.send('GetPipeline', { name: 'app', version: 9 });
    expect(getPipeline).toHaveBeenCalledWith(scope, 'app', 9);
    expect(response).toMatchObject({
      status: 400,
      errorType: 'PipelineVersionNotFoundException',
      body: { __type: 'PipelineVersionNotFoundException', message: 'no version 9' },
    });
  });

  it('answers a missing pipeline with PipelineNotFoundException', async () => {
    const getPipeline = vi
      .fn<PipelinesService['getPipeline']>()
      .mockRejectedValue(pipelineNotFound('gone'));
    const door = codepipelineHarness(stubPipelines({ getPipeline }));
    expect(await door.send('GetPipeline', { name: 'gone' })).toMatchObject({
      status: 400,
      body: {
        __type: 'PipelineNotFoundException',
        message: "Account does not have a pipeline with name 'gone'",
      },
    });
  });

  it('refuses a version below 1 and a name outside the pattern, both at once', async () => {
    const door = codepipelineHarness(stubPipelines({}));
    const response = await door.send('GetPipeline', { name: 'my app', version: 0 });
    expect(response.body.message).toBe(
      '2 validation errors detected: ' +
        "Value 'my app' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9.@\\-_]+; " +
        "Value '0' at 'version' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });
});

describe('CodePipeline door: UpdatePipeline, DeletePipeline', () => {
  it('answers the new version of the declaration', async () => {
    const updatePipeline = vi
      .fn<PipelinesService['updatePipeline']>()
      .mockResolvedValue(aPipeline({ version: 2 }));
    const door = codepipelineHarness(stubPipelines({ updatePipeline }));
    const pipeline = declarationRequest();
    const output = await door.call('UpdatePipeline', { pipeline });
    expect(updatePipeline).toHaveBeenCalledWith(scope, caller, { pipeline });
    expect(output).toMatchObject({ pipeline: { name: 'app', version: 2 } });
    expect(Object.keys(output)).toEqual(['pipeline']);
  });

  it('deletes by name and answers an empty object', async () => {
    const deletePipeline = vi.fn<PipelinesService['deletePipeline']>().mockResolvedValue();
    const door = codepipelineHarness(stubPipelines({ deletePipeline }));
    expect(await door.call('DeletePipeline', { name: 'app' })).toEqual({});
    expect(deletePipeline).toHaveBeenCalledWith(scope, 'app');
  });
});

describe('CodePipeline door: ListPipelines', () => {
  it('answers PipelineSummary rows and the next token', async () => {
    const listPipelines = vi.fn<PipelinesService['listPipelines']>().mockResolvedValue({
      pipelines: [aPipeline()],
      nextToken: 'next',
    });
    const door = codepipelineHarness(stubPipelines({ listPipelines }));
    const output = await door.call('ListPipelines', { maxResults: 1000, nextToken: 'prev' });
    expect(listPipelines).toHaveBeenCalledWith(scope, { maxResults: 1000, nextToken: 'prev' });
    expect(output).toEqual({
      pipelines: [
        {
          name: 'app',
          version: 1,
          pipelineType: 'V1',
          executionMode: 'SUPERSEDED',
          created: 1767225600.25,
          updated: 1767225601.25,
        },
      ],
      nextToken: 'next',
    });
  });

  it('answers an unknown next token with InvalidNextTokenException', async () => {
    const listPipelines = vi.fn<PipelinesService['listPipelines']>().mockRejectedValue(
      new AppError(AppErrorKind.InvalidInput, 'bad token', {
        resource: PipelinesSubject.NextToken,
      }),
    );
    const door = codepipelineHarness(stubPipelines({ listPipelines }));
    expect((await door.send('ListPipelines', { nextToken: 'x' })).errorType).toBe(
      'InvalidNextTokenException',
    );
  });
});
