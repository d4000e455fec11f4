import { pipelinesHarness } from '@slipway/testing';
import { describe, expect, it } from 'vitest';
import { codepipelineHarness, stubPipelines } from './codepipeline-harness.ts';

/** CreateCustomActionType as AWS's Jenkins tutorial writes its JSON file. */
const jenkinsRequest = {
  category: 'Build',
  provider: 'MyJenkinsProviderName',
  version: '1',
  settings: {
    entityUrlTemplate: 'https://my-jenkins-server.com/job/{Config:ProjectName}/',
    executionUrlTemplate:
      'https://my-jenkins-server.com/job/{Config:ProjectName}/lastSuccessfulBuild/{ExternalExecutionId}/',
  },
  configurationProperties: [
    {
      name: 'MyJenkinsExampleBuildProject',
      required: true,
      key: true,
      secret: false,
      queryable: false,
      description: 'The name of the build project must be provided when this action is added',
      type: 'String',
    },
  ],
  inputArtifactDetails: { maximumCount: 1, minimumCount: 0 },
  outputArtifactDetails: { maximumCount: 1, minimumCount: 0 },
  tags: [{ key: 'Project', value: 'ProjectA' }],
};

const customType = {
  id: { category: 'Build', owner: 'Custom', provider: 'MyJenkinsProviderName', version: '1' },
  settings: jenkinsRequest.settings,
  actionConfigurationProperties: jenkinsRequest.configurationProperties,
  inputArtifactDetails: { minimumCount: 0, maximumCount: 1 },
  outputArtifactDetails: { minimumCount: 0, maximumCount: 1 },
};

const key = { category: 'Build', provider: 'MyJenkinsProviderName', version: '1' };

/** The door over a PipelinesService on in-memory fakes. */
const aDoor = () => codepipelineHarness(pipelinesHarness().service);

describe('CodePipeline door: custom action types', () => {
  it('CreateCustomActionType answers the ActionType and its tags', async () => {
    const door = aDoor();
    expect(await door.call('CreateCustomActionType', jenkinsRequest)).toEqual({
      actionType: customType,
      tags: jenkinsRequest.tags,
    });
  });

  it('ListActionTypes lists the custom type under the Custom filter, and without a filter', async () => {
    const door = aDoor();
    await door.call('CreateCustomActionType', jenkinsRequest);
    expect(await door.call('ListActionTypes', { actionOwnerFilter: 'Custom' })).toEqual({
      actionTypes: [customType],
    });
    const all = (await door.call('ListActionTypes')) as { actionTypes: { id: object }[] };
    expect(all.actionTypes.map((t) => t.id)).toContainEqual(customType.id);
    const aws = (await door.call('ListActionTypes', { actionOwnerFilter: 'AWS' })) as {
      actionTypes: { id: object }[];
    };
    expect(aws.actionTypes.map((t) => t.id)).not.toContainEqual(customType.id);
  });

  it('DeleteCustomActionType answers {} and the type is listed no more', async () => {
    const door = aDoor();
    await door.call('CreateCustomActionType', jenkinsRequest);
    expect(await door.call('DeleteCustomActionType', key)).toEqual({});
    expect(await door.call('ListActionTypes', { actionOwnerFilter: 'Custom' })).toEqual({
      actionTypes: [],
    });
  });

  it('refuses to redefine a deleted version with ValidationException', async () => {
    const door = aDoor();
    await door.call('CreateCustomActionType', jenkinsRequest);
    await door.call('DeleteCustomActionType', key);
    const response = await door.send('CreateCustomActionType', {
      ...jenkinsRequest,
      inputArtifactDetails: { minimumCount: 1, maximumCount: 1 },
    });
    expect([response.status, response.errorType]).toEqual([400, 'ValidationException']);
    expect(response.body.message).toContain('was deleted');
  });

  it('restores a deleted version created again with its identical definition', async () => {
    const door = aDoor();
    await door.call('CreateCustomActionType', jenkinsRequest);
    await door.call('DeleteCustomActionType', key);
    await door.call('CreateCustomActionType', jenkinsRequest);
    expect(await door.call('ListActionTypes', { actionOwnerFilter: 'Custom' })).toEqual({
      actionTypes: [customType],
    });
  });

  it('refuses a type that exists with ValidationException', async () => {
    const door = aDoor();
    await door.call('CreateCustomActionType', jenkinsRequest);
    const response = await door.send('CreateCustomActionType', jenkinsRequest);
    expect(response.errorType).toBe('ValidationException');
    expect(response.body.message).toContain('already exists');
  });

  it('DeleteCustomActionType of a type that does not exist is a ValidationException', async () => {
    const response = await aDoor().send('DeleteCustomActionType', key);
    expect([response.status, response.errorType]).toEqual([400, 'ValidationException']);
  });

  it('reports every rule between members at once', async () => {
    const response = await aDoor().send('CreateCustomActionType', {
      ...jenkinsRequest,
      configurationProperties: [
        { name: 'A', required: true, key: true, secret: false, queryable: true },
        { name: 'B', required: false, key: false, secret: true, queryable: true },
        { name: 'A', required: false, key: false, secret: false },
      ],
      outputArtifactDetails: { minimumCount: 3, maximumCount: 1 },
    });
    expect(response.errorType).toBe('ValidationException');
    expect(response.body.message).toBe(
      'configurationProperties[1].queryable: an action type can have at most one queryable property; ' +
        'configurationProperties[1].queryable: a queryable property must be required and not secret; ' +
        "configurationProperties[2].name: 'A' is declared more than once; " +
        'outputArtifactDetails.minimumCount: must not be greater than maximumCount',
    );
  });

  it('refuses what the model refuses before the service sees it', async () => {
    const door = codepipelineHarness(stubPipelines({}));
    const response = await door.send('CreateCustomActionType', {
      category: 'Build',
      provider: 'My Provider',
      version: '1.0',
      configurationProperties: [
        { name: 'P', required: true, key: true, secret: false, type: 'Int' },
      ],
      inputArtifactDetails: { minimumCount: 0, maximumCount: 6 },
    });
    expect(response.errorType).toBe('ValidationException');
    expect(response.body.message).toBe(
      '5 validation errors detected: ' +
        "Value 'My Provider' at 'provider' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9A-Za-z_-]+; " +
        "Value '1.0' at 'version' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9A-Za-z_-]+; " +
        "Value 'Int' at 'configurationProperties[0].type' failed to satisfy constraint: Member must satisfy enum value set: [String, Number, Boolean]; " +
        "Value '6' at 'inputArtifactDetails.maximumCount' failed to satisfy constraint: Member must have value less than or equal to 5; " +
        "Value null at 'outputArtifactDetails' failed to satisfy constraint: Member must not be null",
    );
  });
});
