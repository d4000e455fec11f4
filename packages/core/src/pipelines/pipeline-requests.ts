import type { CustomActionProperty, CustomActionSettings } from './custom-action-types.ports.ts';
import type { ActionTypeId } from './declaration/declaration.model.ts';
import type {
  ActionRun,
  ExecutionType,
  PipelineExecution,
  RetryMode,
  RetryStageMetadata,
  SourceRevisionOverride,
} from './execution.model.ts';
import type { Tag } from '../builds/project.model.ts';
import type { Pipeline, TransitionState } from './pipeline.model.ts';

/**
 * The pipelines service's inputs and outputs, transport-free. Field names follow CodePipeline's
 * (they are camelCase on the wire already); times are epoch ms; the door converts.
 */

/** Who is calling: recorded as approver, transition changer, trigger detail. */
export interface Caller {
  /** The caller's ARN. */
  readonly arn: string;
}

export interface CreatePipelineInput {
  /** The `pipeline` member as sent: validated completely by the service. */
  readonly pipeline: unknown;
  readonly tags?: readonly Tag[] | undefined;
}

export interface UpdatePipelineInput {
  readonly pipeline: unknown;
}

export interface ListPipelinesInput {
  readonly maxResults?: number | undefined;
  readonly nextToken?: string | undefined;
}

export interface ListPipelinesOutput {
  readonly pipelines: readonly Pipeline[];
  readonly nextToken?: string | undefined;
}

export interface StartPipelineExecutionInput {
  readonly name: string;
  readonly variables?: readonly { readonly name: string; readonly value: string }[] | undefined;
  readonly clientRequestToken?: string | undefined;
  readonly sourceRevisions?: readonly SourceRevisionOverride[] | undefined;
}

export interface StopPipelineExecutionInput {
  readonly pipelineName: string;
  readonly pipelineExecutionId: string;
  readonly abandon?: boolean | undefined;
  readonly reason?: string | undefined;
}

export interface ListPipelineExecutionsInput {
  readonly pipelineName: string;
  readonly maxResults?: number | undefined;
  readonly nextToken?: string | undefined;
  /** `filter.succeededInStage.stageName`. */
  readonly succeededInStage?: string | undefined;
}

export interface ListPipelineExecutionsOutput {
  readonly executions: readonly PipelineExecution[];
  readonly nextToken?: string | undefined;
}

export interface ListActionExecutionsInput {
  readonly pipelineName: string;
  readonly pipelineExecutionId?: string | undefined;
  readonly maxResults?: number | undefined;
  readonly nextToken?: string | undefined;
}

/** One row of ListActionExecutions: an action attempt with its execution's identity. */
export interface ActionExecutionDetail {
  readonly pipelineExecutionId: string;
  readonly pipelineVersion: number;
  readonly action: ActionRun;
}

export interface ListActionExecutionsOutput {
  readonly actionExecutionDetails: readonly ActionExecutionDetail[];
  readonly nextToken?: string | undefined;
}

export interface PutApprovalResultInput {
  readonly pipelineName: string;
  readonly stageName: string;
  readonly actionName: string;
  readonly result: { readonly summary: string; readonly status: 'Approved' | 'Rejected' };
  readonly token: string;
}

export interface RetryStageExecutionInput {
  readonly pipelineName: string;
  readonly stageName: string;
  readonly pipelineExecutionId: string;
  readonly retryMode: RetryMode;
}

export interface RollbackStageInput {
  readonly pipelineName: string;
  readonly stageName: string;
  readonly targetPipelineExecutionId: string;
}

export interface StageTransitionInput {
  readonly pipelineName: string;
  readonly stageName: string;
  /**
   * `Inbound` holds executions in front of the stage; `Outbound` holds them once they finished
   * it, in front of the next stage.
   */
  readonly transitionType: 'Inbound' | 'Outbound';
  /** Required to disable. */
  readonly reason?: string | undefined;
}

/** GetPipelineState, transport-free (reference/aws-compat.md §3.10). */
export interface PipelineState {
  readonly pipelineName: string;
  readonly pipelineVersion: number;
  readonly created: number;
  readonly updated: number;
  readonly stageStates: readonly StageState[];
}

export interface StageExecutionRef {
  readonly pipelineExecutionId: string;
  readonly status: string;
  readonly type: ExecutionType;
}

export interface StageState {
  readonly stageName: string;
  readonly inboundExecution?: StageExecutionRef | undefined;
  readonly inboundExecutions?: readonly StageExecutionRef[] | undefined;
  readonly inboundTransitionState: TransitionState;
  readonly latestExecution?: StageExecutionRef | undefined;
  readonly actionStates: readonly ActionState[];
  readonly retryStageMetadata?: RetryStageMetadata | undefined;
}

export interface ActionState {
  readonly actionName: string;
  readonly currentRevision?:
    | { readonly revisionId: string; readonly revisionChangeId: string; readonly created: number }
    | undefined;
  /** The latest attempt, when the action ever ran. */
  readonly latestExecution?: ActionRun | undefined;
  readonly entityUrl?: string | undefined;
}

/** ListActionTypes / GetActionType. */
export interface ActionTypeInfo {
  readonly id: ActionTypeId;
  readonly requiredKeys: readonly string[];
  readonly optionalKeys: readonly string[];
  readonly inputArtifacts: { readonly min: number; readonly max: number };
  readonly outputArtifacts: { readonly min: number; readonly max: number };
  /** Custom action types only: what CreateCustomActionType declared. */
  readonly custom?:
    | {
        readonly settings: CustomActionSettings;
        readonly configurationProperties: readonly CustomActionProperty[];
      }
    | undefined;
}

// Job workers (custom actions)

export interface PollForJobsInput {
  readonly actionTypeId: ActionTypeId;
  readonly maxBatchSize?: number | undefined;
  readonly queryParam?: Readonly<Record<string, string>> | undefined;
}

/** A custom action's job, as PollForJobs and GetJobDetails return it. */
export interface CustomJob {
  readonly id: string;
  /** AcknowledgeJob's nonce. */
  readonly nonce: string;
  readonly accountId: string;
  readonly data: CustomJobData;
}

export interface CustomJobData {
  readonly actionTypeId: ActionTypeId;
  readonly actionConfiguration: Readonly<Record<string, string>>;
  readonly pipelineContext: {
    readonly pipelineName: string;
    readonly stage: { readonly name: string };
    readonly action: { readonly name: string; readonly actionExecutionId: string };
    readonly pipelineArn: string;
    readonly pipelineExecutionId: string;
  };
  readonly inputArtifacts: readonly JobArtifact[];
  readonly outputArtifacts: readonly JobArtifact[];
  readonly continuationToken?: string | undefined;
}

export interface JobArtifact {
  readonly name: string;
  readonly bucketName: string;
  readonly objectKey: string;
}

export interface PutJobSuccessInput {
  readonly jobId: string;
  readonly currentRevision?:
    | { readonly revision: string; readonly changeIdentifier: string; readonly created?: number }
    | undefined;
  readonly continuationToken?: string | undefined;
  readonly executionDetails?:
    | {
        readonly summary?: string;
        readonly externalExecutionId?: string;
        readonly percentComplete?: number;
      }
    | undefined;
  readonly outputVariables?: Readonly<Record<string, string>> | undefined;
}

export interface PutJobFailureInput {
  readonly jobId: string;
  readonly failureDetails: {
    readonly type: string;
    readonly message: string;
    readonly externalExecutionId?: string | undefined;
  };
}
