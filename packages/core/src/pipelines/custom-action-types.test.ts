import {
  aPipelineDeclaration,
  expectAppError,
  pipelinesHarness,
  type PipelinesHarness,
} from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppErrorKind } from '../errors/app-error.ts';
import type { CreateCustomActionTypeInput } from './custom-action-types.ts';
import type { ActionDeclaration } from './declaration/declaration.model.ts';

let h: PipelinesHarness;
beforeEach(() => {
  h = pipelinesHarness();
});

const jenkins = (overrides: Partial<CreateCustomActionTypeInput> = {}) => ({
  category: 'Build' as const,
  provider: 'Jenkins',
  version: '1',
  configurationProperties: [
    { name: 'ProjectName', required: true, key: true, secret: false, queryable: true },
    { name: 'Token', required: false, key: false, secret: true },
  ],
  inputArtifactDetails: { min: 1, max: 1 },
  outputArtifactDetails: { min: 0, max: 1 },
  ...overrides,
});

const jenkinsAction = (overrides: Partial<ActionDeclaration> = {}): ActionDeclaration => ({
  name: 'Jenkins',
  actionTypeId: { category: 'Build', owner: 'Custom', provider: 'Jenkins', version: '1' },
  configuration: { ProjectName: 'app' },
  inputArtifacts: [{ name: 'SourceOutput' }],
  ...overrides,
});

/** Creates the demo pipeline with its Build stage replaced by `action`. */
function createWith(action: ActionDeclaration) {
  const declaration = aPipelineDeclaration();
  return h.service.createPipeline(h.scope, h.caller, {
    pipeline: {
      ...declaration,
      stages: [declaration.stages[0]!, { name: 'Build', actions: [action] }],
    },
  });
}

describe('CreateCustomActionType', () => {
  it('reports every problem at once, with its path', async () => {
    const error = await expectAppError(
      h.service.createCustomActionType(h.scope, {
        ...jenkins(),
        provider: 'My Jenkins',
        version: '1.0',
        configurationProperties: [
          { name: 'A', required: true, key: true, secret: false, queryable: true },
          { name: 'B', required: true, key: false, secret: false, queryable: true },
          { name: 'C', required: false, key: false, secret: false, queryable: true },
        ],
        inputArtifactDetails: { min: 2, max: 1 },
        outputArtifactDetails: { min: 0, max: 6 },
      }),
      AppErrorKind.InvalidInput,
      'pipeline-input',
    );
    expect(error.problems.map((p) => p.path)).toEqual([
      'provider',
      'version',
      'configurationProperties[1].queryable',
      'configurationProperties[2].queryable',
      'inputArtifactDetails.minimumCount',
      'outputArtifactDetails.maximumCount',
    ]);
  });

  it('refuses more than ten configuration properties', async () => {
    const properties = Array.from({ length: 11 }, (_, i) => ({
      name: `P${i}`,
      required: false,
      key: false,
      secret: false,
    }));
    const error = await expectAppError(
      h.service.createCustomActionType(h.scope, jenkins({ configurationProperties: properties })),
      AppErrorKind.InvalidInput,
    );
    expect(error.problems.map((p) => p.path)).toEqual(['configurationProperties']);
  });

  it('refuses the 51st type of an account and region with LimitExceeded', async () => {
    for (let i = 0; i < 50; i++) {
      await h.service.createCustomActionType(h.scope, jenkins({ version: String(i) }));
    }
    await expectAppError(
      h.service.createCustomActionType(h.scope, jenkins({ version: 'x' })),
      AppErrorKind.LimitExceeded,
      'custom-action-types',
    );
  });

  it('refuses a taken key, and a deleted version with another definition', async () => {
    await h.service.createCustomActionType(h.scope, jenkins());
    await expectAppError(
      h.service.createCustomActionType(h.scope, jenkins()),
      AppErrorKind.AlreadyExists,
      'custom-action-type',
    );
    await h.service.deleteCustomActionType({
      ...h.scope,
      category: 'Build',
      provider: 'Jenkins',
      version: '1',
    });
    await expectAppError(
      h.service.createCustomActionType(
        h.scope,
        jenkins({ inputArtifactDetails: { min: 0, max: 1 } }),
      ),
      AppErrorKind.AlreadyExists,
      'custom-action-type',
    );
    const restored = await h.service.createCustomActionType(h.scope, jenkins());
    expect(restored.deleted).toBeUndefined();
  });

  it('answers NotFound when deleting a type that does not exist', async () => {
    await expectAppError(
      h.service.deleteCustomActionType({
        ...h.scope,
        category: 'Build',
        provider: 'No',
        version: '1',
      }),
      AppErrorKind.NotFound,
      'custom-action-type',
    );
  });
});

describe('ListActionTypes with custom types', () => {
  it('lists the scope custom types under Custom and with no filter, not under AWS', async () => {
    await h.service.createCustomActionType(h.scope, jenkins());
    const other = { ...h.scope, region: 'eu-west-1' };
    await h.service.createCustomActionType(other, jenkins({ provider: 'Elsewhere' }));
    const custom = await h.service.listActionTypes(h.scope, 'Custom');
    expect(custom).toEqual([
      {
        id: { category: 'Build', owner: 'Custom', provider: 'Jenkins', version: '1' },
        requiredKeys: ['ProjectName'],
        optionalKeys: ['Token'],
        inputArtifacts: { min: 1, max: 1 },
        outputArtifacts: { min: 0, max: 1 },
        custom: { settings: {}, configurationProperties: jenkins().configurationProperties },
      },
    ]);
    expect((await h.service.listActionTypes(h.scope)).map((t) => t.id.owner)).toContain('Custom');
    expect((await h.service.listActionTypes(h.scope, 'AWS')).map((t) => t.id.owner)).not.toContain(
      'Custom',
    );
  });
});

describe('declarations of owner Custom actions', () => {
  beforeEach(async () => {
    await h.service.createCustomActionType(h.scope, jenkins());
  });

  it('accepts an action that fits its registered type', async () => {
    const { pipeline } = await createWith(jenkinsAction());
    expect(pipeline.version).toBe(1);
  });

  it('refuses an action whose type was never created, naming it', async () => {
    const error = await expectAppError(
      createWith(
        jenkinsAction({
          actionTypeId: { category: 'Build', owner: 'Custom', provider: 'Jenkins', version: '2' },
        }),
      ),
      AppErrorKind.InvalidInput,
      'invalid-action-declaration',
    );
    expect(error.problems).toEqual([
      expect.objectContaining({
        path: 'stages[1].actions[0].actionTypeId',
        message:
          "ActionType (Category: 'Build', Provider: 'Jenkins', Owner: 'Custom', Version: '2') in action 'Jenkins' is not available",
      }),
    ]);
  });

  it('refuses an action whose type was deleted', async () => {
    await h.service.deleteCustomActionType({
      ...h.scope,
      category: 'Build',
      provider: 'Jenkins',
      version: '1',
    });
    const error = await expectAppError(createWith(jenkinsAction()), AppErrorKind.InvalidInput);
    expect(error.problems.map((p) => p.path)).toEqual(['stages[1].actions[0].actionTypeId']);
  });

  it('refuses a missing required property, an unknown key and artifact counts out of range', async () => {
    const error = await expectAppError(
      createWith(
        jenkinsAction({
          configuration: { Token: 't', Nope: 'x' },
          inputArtifacts: [],
          outputArtifacts: [{ name: 'A' }, { name: 'B' }],
        }),
      ),
      AppErrorKind.InvalidInput,
      'invalid-action-declaration',
    );
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'stages[1].actions[0].configuration.ProjectName: is required',
      'stages[1].actions[0].configuration.Nope: is not a configuration property of the custom action type Build/Jenkins/1',
      'stages[1].actions[0].inputArtifacts: this action type takes exactly 1 artifacts, not 0',
      'stages[1].actions[0].outputArtifacts: this action type takes from 0 to 1 artifacts, not 2',
    ]);
  });

  it('checks types of the pipeline scope only', async () => {
    const other = { ...h.scope, accountId: '444455556666' };
    const declaration = aPipelineDeclaration();
    await expectAppError(
      h.service.createPipeline(other, h.caller, {
        pipeline: {
          ...declaration,
          stages: [declaration.stages[0]!, { name: 'Build', actions: [jenkinsAction()] }],
        },
      }),
      AppErrorKind.InvalidInput,
      'invalid-action-declaration',
    );
  });
});
