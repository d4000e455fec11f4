import {
  AppError,
  AppErrorKind,
  pipelinesError,
  PipelinesSubject,
  type PipelinesService,
  type Tag,
} from '@slipway/core';
import { describe, expect, it, vi } from 'vitest';
import { anActionType, pipelineArn } from './codepipeline-builders.ts';
import { codepipelineHarness, scope, stubPipelines } from './codepipeline-harness.ts';

const tags: Tag[] = Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));

describe('CodePipeline door: tags', () => {
  it('tags and untags a pipeline by its ARN', async () => {
    const tagResource = vi.fn<PipelinesService['tagResource']>().mockResolvedValue();
    const untagResource = vi.fn<PipelinesService['untagResource']>().mockResolvedValue();
    const door = codepipelineHarness(stubPipelines({ tagResource, untagResource }));
    expect(await door.call('TagResource', { resourceArn: pipelineArn, tags })).toEqual({});
    expect(await door.call('UntagResource', { resourceArn: pipelineArn, tagKeys: ['k1'] })).toEqual(
      {},
    );
    expect(tagResource).toHaveBeenCalledWith(scope, pipelineArn, tags);
    expect(untagResource).toHaveBeenCalledWith(scope, pipelineArn, ['k1']);
  });

  it('pages ListTagsForResource with the next token it handed out', async () => {
    const listTagsForResource = vi
      .fn<PipelinesService['listTagsForResource']>()
      .mockResolvedValue(tags);
    const door = codepipelineHarness(stubPipelines({ listTagsForResource }));
    const first = await door.call('ListTagsForResource', {
      resourceArn: pipelineArn,
      maxResults: 3,
    });
    expect(first.tags).toEqual(tags.slice(0, 3));
    const second = await door.call('ListTagsForResource', {
      resourceArn: pipelineArn,
      maxResults: 3,
      nextToken: first.nextToken,
    });
    expect(second).toEqual({ tags: tags.slice(3) });
    expect(await door.call('ListTagsForResource', { resourceArn: pipelineArn })).toEqual({ tags });
  });

  it('answers a next token it did not hand out with InvalidNextTokenException', async () => {
    const listTagsForResource = vi
      .fn<PipelinesService['listTagsForResource']>()
      .mockResolvedValue(tags);
    const door = codepipelineHarness(stubPipelines({ listTagsForResource }));
    const response = await door.send('ListTagsForResource', {
      resourceArn: pipelineArn,
      nextToken: 'forged',
    });
    expect([response.status, response.errorType]).toEqual([400, 'InvalidNextTokenException']);
  });

  it('refuses an ARN that is not a CodePipeline ARN before the service sees it', async () => {
    const door = codepipelineHarness(stubPipelines({}));
    const response = await door.send('TagResource', {
      resourceArn: 'arn:aws:codebuild:us-east-1:123456789012:project/app',
      tags: [],
    });
    expect(response.body.message).toBe(
      "1 validation error detected: Value 'arn:aws:codebuild:us-east-1:123456789012:project/app' at 'resourceArn' " +
        'failed to satisfy constraint: Member must satisfy regular expression pattern: ' +
        'arn:aws(-[\\w]+)*:codepipeline:.+:[0-9]{12}:.+',
    );
  });

  it.each([
    [AppErrorKind.NotFound, PipelinesSubject.TaggedResource, 'ResourceNotFoundException'],
    [AppErrorKind.InvalidInput, PipelinesSubject.Arn, 'InvalidArnException'],
    [AppErrorKind.InvalidInput, PipelinesSubject.Tags, 'InvalidTagsException'],
    [AppErrorKind.LimitExceeded, PipelinesSubject.Tags, 'TooManyTagsException'],
  ] as const)('answers %s × %s as %s', async (kind, subject, code) => {
    const tagResource = vi
      .fn<PipelinesService['tagResource']>()
      .mockRejectedValue(pipelinesError(kind, subject, 'refused'));
    const door = codepipelineHarness(stubPipelines({ tagResource }));
    const response = await door.send('TagResource', { resourceArn: pipelineArn, tags });
    expect(response).toMatchObject({ status: 400, errorType: code, body: { message: 'refused' } });
  });
});

describe('CodePipeline door: action types', () => {
  it('ListActionTypes answers ActionType rows, filtered by owner', async () => {
    const listActionTypes = vi
      .fn<PipelinesService['listActionTypes']>()
      .mockResolvedValue([anActionType()]);
    const door = codepipelineHarness(stubPipelines({ listActionTypes }));
    const output = await door.call('ListActionTypes', {
      actionOwnerFilter: 'AWS',
      regionFilter: 'eu-west-1',
    });
    expect(listActionTypes).toHaveBeenCalledWith(scope, 'AWS');
    expect(output).toEqual({
      actionTypes: [
        {
          id: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' },
          actionConfigurationProperties: [
            { name: 'ProjectName', required: true, key: true, secret: false },
            { name: 'PrimarySource', required: false, key: false, secret: false },
            { name: 'EnvironmentVariables', required: false, key: false, secret: false },
          ],
          inputArtifactDetails: { minimumCount: 1, maximumCount: 5 },
          outputArtifactDetails: { minimumCount: 0, maximumCount: 5 },
        },
      ],
    });
  });

  it('ListActionTypes refuses any next token: the list is one page', async () => {
    const door = codepipelineHarness(stubPipelines({}));
    const response = await door.send('ListActionTypes', { nextToken: 'x' });
    expect(response.errorType).toBe('InvalidNextTokenException');
  });

  it('GetActionType answers the ActionTypeDeclaration shape', async () => {
    const getActionType = vi
      .fn<PipelinesService['getActionType']>()
      .mockReturnValue(anActionType());
    const door = codepipelineHarness(stubPipelines({ getActionType }));
    const id = { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' };
    expect(await door.call('GetActionType', id)).toEqual({
      actionType: {
        executor: { type: 'JobWorker', configuration: { jobWorkerExecutorConfiguration: {} } },
        id,
        inputArtifactDetails: { minimumCount: 1, maximumCount: 5 },
        outputArtifactDetails: { minimumCount: 0, maximumCount: 5 },
        properties: [
          { name: 'ProjectName', optional: false, key: true, noEcho: false },
          { name: 'PrimarySource', optional: true, key: false, noEcho: false },
          { name: 'EnvironmentVariables', optional: true, key: false, noEcho: false },
        ],
      },
    });
    expect(getActionType).toHaveBeenCalledWith(scope, id);
  });

  it('GetActionType answers what the service throws (at once) as ActionTypeNotFoundException', async () => {
    const getActionType = vi.fn<PipelinesService['getActionType']>().mockImplementation(() => {
      throw new AppError(AppErrorKind.NotFound, 'no such type', {
        resource: PipelinesSubject.ActionType,
      });
    });
    const door = codepipelineHarness(stubPipelines({ getActionType }));
    const response = await door.send('GetActionType', {
      category: 'Build',
      owner: 'ThirdParty',
      provider: 'Nope',
      version: '1',
    });
    expect([response.status, response.errorType]).toEqual([400, 'ActionTypeNotFoundException']);
  });

  it('GetActionType refuses the Custom owner, which ActionTypeOwner does not include', async () => {
    const door = codepipelineHarness(stubPipelines({}));
    const response = await door.send('GetActionType', {
      category: 'Test',
      owner: 'Custom',
      provider: 'Jenkins',
      version: '1',
    });
    expect(response.body.message).toBe(
      "1 validation error detected: Value 'Custom' at 'owner' failed to satisfy constraint: " +
        'Member must satisfy enum value set: [AWS, ThirdParty]',
    );
  });
});
