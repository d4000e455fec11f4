import type {
  ActionRun,
  ActionTypeInfo,
  CustomJob,
  Pipeline,
  PipelineDeclaration,
  PipelineExecution,
  PipelineState,
} from '@slipway/core';

/** Builders of the pipelines service's models, for the door's tests: each with overrides. */

export const accountId = '123456789012';
export const executionId = '0a1b2c3d-0000-4000-8000-000000000001';
export const otherExecutionId = '0a1b2c3d-0000-4000-8000-000000000002';
export const actionExecutionId = 'a0000000-0000-4000-8000-000000000001';
export const approvalToken = 'b0000000-0000-4000-8000-000000000001';
export const jobId = 'c0000000-0000-4000-8000-000000000001';
export const pipelineArn = `arn:aws:codepipeline:us-east-1:${accountId}:app`;
export const roleArn = `arn:aws:iam::${accountId}:role/pipeline`;
/** 2026-01-01T00:00:00.250Z, so a seconds conversion shows its fraction. */
export const t0 = Date.UTC(2026, 0, 1, 0, 0, 0, 250);

/** The declaration a client sends: a CodeCommit source and a CodeBuild build. */
export function declarationRequest(overrides: Partial<PipelineDeclaration> = {}) {
  return {
    name: 'app',
    roleArn,
    artifactStore: { type: 'S3', location: 'artifacts' },
    stages: [
      {
        name: 'Source',
        actions: [
          {
            name: 'Source',
            actionTypeId: {
              category: 'Source',
              owner: 'AWS',
              provider: 'CodeCommit',
              version: '1',
            },
            configuration: { RepositoryName: 'app', BranchName: 'main' },
            outputArtifacts: [{ name: 'SourceArtifact' }],
          },
        ],
      },
      {
        name: 'Build',
        actions: [
          {
            name: 'Build',
            actionTypeId: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' },
            configuration: { ProjectName: 'app' },
            inputArtifacts: [{ name: 'SourceArtifact' }],
          },
        ],
      },
    ],
    ...overrides,
  } as const;
}

export function aPipeline(overrides: Partial<Pipeline> = {}): Pipeline {
  const version = overrides.version ?? 1;
  return {
    accountId,
    region: 'us-east-1',
    name: 'app',
    arn: pipelineArn,
    version,
    declaration: {
      ...(declarationRequest() as unknown as PipelineDeclaration),
      version,
      executionMode: 'SUPERSEDED',
      pipelineType: 'V1',
    },
    created: t0,
    updated: t0 + 1_000,
    ...overrides,
  };
}

export function anActionRun(overrides: Partial<ActionRun> = {}): ActionRun {
  return {
    actionExecutionId,
    stageName: 'Build',
    actionName: 'Build',
    runOrder: 1,
    actionTypeId: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' },
    stageAttempt: 1,
    status: 'Succeeded',
    startTime: t0,
    lastUpdateTime: t0 + 60_000,
    resolvedConfiguration: { ProjectName: 'app' },
    inputArtifacts: [
      { name: 'SourceArtifact', location: { bucket: 'artifacts', key: 'app/SourceArti/abc' } },
    ],
    outputArtifacts: [],
    outputVariables: {},
    ...overrides,
  };
}

export function anExecution(overrides: Partial<PipelineExecution> = {}): PipelineExecution {
  return {
    id: executionId,
    accountId,
    region: 'us-east-1',
    pipelineName: 'app',
    pipelineVersion: 1,
    executionMode: 'SUPERSEDED',
    executionType: 'STANDARD',
    status: 'InProgress',
    trigger: { triggerType: 'StartPipelineExecution', triggerDetail: 'arn:aws:iam::1:user/a' },
    variables: {},
    sourceRevisionOverrides: [],
    sourceRevisions: [],
    startTime: t0,
    lastUpdateTime: t0 + 2_000,
    position: { kind: 'in-stage', stageIndex: 0 },
    stages: [],
    artifacts: {},
    namespaces: {},
    seq: 1,
    version: 1,
    ...overrides,
  };
}

export function aPipelineState(overrides: Partial<PipelineState> = {}): PipelineState {
  return {
    pipelineName: 'app',
    pipelineVersion: 1,
    created: t0,
    updated: t0 + 1_000,
    stageStates: [
      {
        stageName: 'Source',
        inboundTransitionState: { enabled: true },
        actionStates: [{ actionName: 'Source' }],
      },
    ],
    ...overrides,
  };
}

export function anActionType(overrides: Partial<ActionTypeInfo> = {}): ActionTypeInfo {
  return {
    id: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' },
    requiredKeys: ['ProjectName'],
    optionalKeys: ['PrimarySource', 'EnvironmentVariables'],
    inputArtifacts: { min: 1, max: 5 },
    outputArtifacts: { min: 0, max: 5 },
    ...overrides,
  };
}

export function aCustomJob(overrides: Partial<CustomJob> = {}): CustomJob {
  return {
    id: jobId,
    nonce: '3',
    accountId,
    data: {
      actionTypeId: { category: 'Test', owner: 'Custom', provider: 'Jenkins', version: '1' },
      actionConfiguration: { ProjectName: 'app-tests' },
      pipelineContext: {
        pipelineName: 'app',
        stage: { name: 'Test' },
        action: { name: 'Jenkins', actionExecutionId },
        pipelineArn,
        pipelineExecutionId: executionId,
      },
      inputArtifacts: [
        { name: 'BuildArtifact', bucketName: 'artifacts', objectKey: 'app/Build/k' },
      ],
      outputArtifacts: [],
    },
    ...overrides,
  };
}
