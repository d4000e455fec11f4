/**
 * A CodePipeline pipeline declaration exactly as AWS's JSON writes it (botocore codepipeline
 * 2015-07-09 `PipelineDeclaration`), so a CreatePipeline or UpdatePipeline body maps 1:1.
 * Optional fields are absent or undefined, never null.
 */
export interface PipelineDeclaration {
  readonly name: string;
  readonly roleArn: string;
  readonly artifactStore?: ArtifactStore | undefined;
  readonly artifactStores?: Readonly<Record<string, ArtifactStore>> | undefined;
  readonly stages: readonly StageDeclaration[];
  /** Server-managed: ignored on input, starts at 1. */
  readonly version?: number | undefined;
  readonly executionMode?: ExecutionMode | undefined;
  readonly pipelineType?: PipelineType | undefined;
  readonly variables?: readonly PipelineVariableDeclaration[] | undefined;
  readonly triggers?: readonly PipelineTriggerDeclaration[] | undefined;
}

export interface ArtifactStore {
  readonly type: 'S3';
  readonly location: string;
  readonly encryptionKey?: { readonly id: string; readonly type: 'KMS' } | undefined;
}

export interface StageDeclaration {
  readonly name: string;
  readonly blockers?: readonly { readonly name: string; readonly type: 'Schedule' }[] | undefined;
  readonly actions: readonly ActionDeclaration[];
  readonly onFailure?: FailureConditions | undefined;
  readonly onSuccess?: StageConditions | undefined;
  readonly beforeEntry?: StageConditions | undefined;
}

export interface ActionDeclaration {
  readonly name: string;
  readonly actionTypeId: ActionTypeId;
  /** Default 1. */
  readonly runOrder?: number | undefined;
  readonly configuration?: Readonly<Record<string, string>> | undefined;
  readonly commands?: readonly string[] | undefined;
  readonly outputArtifacts?: readonly OutputArtifact[] | undefined;
  readonly inputArtifacts?: readonly InputArtifact[] | undefined;
  readonly outputVariables?: readonly string[] | undefined;
  readonly roleArn?: string | undefined;
  readonly region?: string | undefined;
  readonly namespace?: string | undefined;
  readonly timeoutInMinutes?: number | undefined;
  readonly environmentVariables?: readonly EnvironmentVariable[] | undefined;
}

export interface ActionTypeId {
  readonly category: ActionCategory;
  readonly owner: ActionOwner;
  readonly provider: string;
  readonly version: string;
}

export interface OutputArtifact {
  readonly name: string;
  readonly files?: readonly string[] | undefined;
}

export interface InputArtifact {
  readonly name: string;
}

export interface EnvironmentVariable {
  readonly name: string;
  readonly value: string;
  readonly type?: 'PLAINTEXT' | 'SECRETS_MANAGER' | undefined;
}

export interface Condition {
  readonly result?: ConditionResult | undefined;
  readonly rules?: readonly RuleDeclaration[] | undefined;
}

export interface StageConditions {
  readonly conditions: readonly Condition[];
}

export interface FailureConditions {
  readonly result?: ConditionResult | undefined;
  readonly retryConfiguration?:
    { readonly retryMode?: 'FAILED_ACTIONS' | 'ALL_ACTIONS' | undefined } | undefined;
  readonly conditions?: readonly Condition[] | undefined;
}

export interface RuleDeclaration {
  readonly name: string;
  readonly ruleTypeId: {
    readonly category: 'Rule';
    readonly owner?: 'AWS' | undefined;
    readonly provider: string;
    readonly version?: string | undefined;
  };
  readonly configuration?: Readonly<Record<string, string>> | undefined;
  readonly commands?: readonly string[] | undefined;
  readonly inputArtifacts?: readonly InputArtifact[] | undefined;
  readonly roleArn?: string | undefined;
  readonly region?: string | undefined;
  readonly timeoutInMinutes?: number | undefined;
}

export interface PipelineVariableDeclaration {
  readonly name: string;
  readonly defaultValue?: string | undefined;
  readonly description?: string | undefined;
}

export interface PipelineTriggerDeclaration {
  readonly providerType: 'CodeStarSourceConnection';
  readonly gitConfiguration: GitConfiguration;
}

export interface GitConfiguration {
  readonly sourceActionName: string;
  readonly push?: readonly GitPushFilter[] | undefined;
  readonly pullRequest?: readonly GitPullRequestFilter[] | undefined;
}

export interface GitFilterCriteria {
  readonly includes?: readonly string[] | undefined;
  readonly excludes?: readonly string[] | undefined;
}

export interface GitPushFilter {
  readonly tags?: GitFilterCriteria | undefined;
  readonly branches?: GitFilterCriteria | undefined;
  readonly filePaths?: GitFilterCriteria | undefined;
}

export interface GitPullRequestFilter {
  readonly events?: readonly GitPullRequestEventType[] | undefined;
  readonly branches?: GitFilterCriteria | undefined;
  readonly filePaths?: GitFilterCriteria | undefined;
}

export const actionCategories = [
  'Source',
  'Build',
  'Deploy',
  'Test',
  'Invoke',
  'Approval',
  'Compute',
] as const;
export type ActionCategory = (typeof actionCategories)[number];
export const actionOwners = ['AWS', 'ThirdParty', 'Custom'] as const;
export type ActionOwner = (typeof actionOwners)[number];
export const executionModes = ['QUEUED', 'SUPERSEDED', 'PARALLEL'] as const;
export type ExecutionMode = (typeof executionModes)[number];
export const pipelineTypes = ['V1', 'V2'] as const;
export type PipelineType = (typeof pipelineTypes)[number];
export const conditionResults = ['ROLLBACK', 'FAIL', 'RETRY', 'SKIP'] as const;
export type ConditionResult = (typeof conditionResults)[number];
export const gitPullRequestEventTypes = ['OPEN', 'UPDATED', 'CLOSED'] as const;
export type GitPullRequestEventType = (typeof gitPullRequestEventTypes)[number];
