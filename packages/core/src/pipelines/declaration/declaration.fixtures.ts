import type {
  ActionDeclaration,
  PipelineDeclaration,
  StageDeclaration,
} from './declaration.model.ts';
import { defaultActionProviders } from './builtin-providers.ts';
import type { DeclarationContext } from './validated-pipeline.ts';

/** Test builders: the pipelines of AWS's tutorials, with overrides. */
export const context: DeclarationContext = { providers: defaultActionProviders() };

export function sourceAction(overrides: Partial<ActionDeclaration> = {}): ActionDeclaration {
  return {
    name: 'Source',
    actionTypeId: { category: 'Source', owner: 'AWS', provider: 'CodeCommit', version: '1' },
    runOrder: 1,
    configuration: {
      RepositoryName: 'MyDemoRepo',
      BranchName: 'main',
      PollForSourceChanges: 'false',
    },
    outputArtifacts: [{ name: 'SourceArtifact' }],
    inputArtifacts: [],
    namespace: 'SourceVariables',
    ...overrides,
  };
}

export function buildAction(overrides: Partial<ActionDeclaration> = {}): ActionDeclaration {
  return {
    name: 'Build',
    actionTypeId: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' },
    runOrder: 1,
    configuration: {
      ProjectName: 'MyBuildProject',
      EnvironmentVariables:
        '[{"name":"COMMIT_ID","value":"#{SourceVariables.CommitId}","type":"PLAINTEXT"}]',
    },
    inputArtifacts: [{ name: 'SourceArtifact' }],
    outputArtifacts: [{ name: 'BuildArtifact' }],
    namespace: 'BuildVariables',
    ...overrides,
  };
}

export function approvalAction(overrides: Partial<ActionDeclaration> = {}): ActionDeclaration {
  return {
    name: 'Approve',
    actionTypeId: { category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' },
    runOrder: 1,
    configuration: {
      CustomData: 'Approve commit #{SourceVariables.CommitId}',
      ExternalEntityLink: 'https://example.com/review',
    },
    ...overrides,
  };
}

export function deployAction(overrides: Partial<ActionDeclaration> = {}): ActionDeclaration {
  return {
    name: 'Deploy',
    actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'S3', version: '1' },
    runOrder: 2,
    configuration: { BucketName: 'my-website-bucket', Extract: 'true' },
    inputArtifacts: [{ name: 'BuildArtifact' }],
    ...overrides,
  };
}

export function stage(name: string, actions: ActionDeclaration[]): StageDeclaration {
  return { name, actions };
}

/** CodeCommit → CodeBuild → manual approval then S3 deploy, as AWS's tutorials write it. */
export function v1Pipeline(overrides: Partial<PipelineDeclaration> = {}): PipelineDeclaration {
  return {
    name: 'MyFirstPipeline',
    roleArn: 'arn:aws:iam::111122223333:role/service-role/AWSCodePipelineServiceRole',
    artifactStore: { type: 'S3', location: 'codepipeline-us-east-1-111122223333' },
    stages: [
      stage('Source', [sourceAction()]),
      stage('Build', [buildAction()]),
      stage('Deploy', [approvalAction(), deployAction()]),
    ],
    version: 1,
    ...overrides,
  };
}

/** The same pipeline as V2: queued, a variable, a push trigger and stage conditions. */
export function v2Pipeline(overrides: Partial<PipelineDeclaration> = {}): PipelineDeclaration {
  return v1Pipeline({
    pipelineType: 'V2',
    executionMode: 'QUEUED',
    variables: [{ name: 'Environment', defaultValue: 'staging', description: 'target' }],
    triggers: [
      {
        providerType: 'CodeStarSourceConnection',
        gitConfiguration: {
          sourceActionName: 'Source',
          push: [
            {
              branches: { includes: ['main', 'release/**'] },
              filePaths: { excludes: ['docs/**'] },
            },
          ],
        },
      },
    ],
    stages: [
      stage('Source', [sourceAction()]),
      {
        ...stage('Build', [
          buildAction({
            configuration: {
              ProjectName: 'MyBuildProject',
              EnvironmentVariables:
                '[{"name":"ENV","value":"#{variables.Environment}","type":"PLAINTEXT"}]',
            },
          }),
        ]),
        onFailure: { result: 'RETRY', retryConfiguration: { retryMode: 'FAILED_ACTIONS' } },
      },
      {
        ...stage('Deploy', [approvalAction(), deployAction()]),
        beforeEntry: {
          conditions: [
            {
              result: 'FAIL',
              rules: [
                {
                  name: 'DeployWindow',
                  ruleTypeId: {
                    category: 'Rule',
                    owner: 'AWS',
                    provider: 'DeploymentWindow',
                    version: '1',
                  },
                  configuration: { Cron: '0 9-17 ? * MON-FRI *', TimeZone: 'UTC' },
                },
              ],
            },
          ],
        },
        onFailure: { result: 'ROLLBACK' },
      },
    ],
    ...overrides,
  });
}

/** A copy of `pipeline` with the action at `stage`/`index` replaced. */
export function withAction(
  pipeline: PipelineDeclaration,
  stageIndex: number,
  index: number,
  action: ActionDeclaration,
): PipelineDeclaration {
  return {
    ...pipeline,
    stages: pipeline.stages.map((s, i) =>
      i === stageIndex ? { ...s, actions: s.actions.map((a, j) => (j === index ? action : a)) } : s,
    ),
  };
}
