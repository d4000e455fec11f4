import type { JsonValue } from '../platform/json.ts';
import type { ActionTypeId, ExecutionMode } from './declaration/declaration.model.ts';

/** reference/aws-compat.md §3.6. `Stopping` only while a stop-and-wait lets actions finish. */
export const ExecutionStatus = {
  InProgress: 'InProgress',
  Stopping: 'Stopping',
  Stopped: 'Stopped',
  Succeeded: 'Succeeded',
  Superseded: 'Superseded',
  Failed: 'Failed',
  Cancelled: 'Cancelled',
} as const;
export type ExecutionStatus = (typeof ExecutionStatus)[keyof typeof ExecutionStatus];

export const terminalExecutionStatuses: ReadonlySet<ExecutionStatus> = new Set([
  ExecutionStatus.Stopped,
  ExecutionStatus.Succeeded,
  ExecutionStatus.Superseded,
  ExecutionStatus.Failed,
  ExecutionStatus.Cancelled,
]);

export const StageStatus = {
  InProgress: 'InProgress',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  Stopping: 'Stopping',
  Stopped: 'Stopped',
  Cancelled: 'Cancelled',
  Skipped: 'Skipped',
} as const;
export type StageStatus = (typeof StageStatus)[keyof typeof StageStatus];

export const ActionStatus = {
  InProgress: 'InProgress',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  Abandoned: 'Abandoned',
} as const;
export type ActionStatus = (typeof ActionStatus)[keyof typeof ActionStatus];

export const TriggerType = {
  CreatePipeline: 'CreatePipeline',
  StartPipelineExecution: 'StartPipelineExecution',
  PollForSourceChanges: 'PollForSourceChanges',
  Webhook: 'Webhook',
  CloudWatchEvent: 'CloudWatchEvent',
  PutActionRevision: 'PutActionRevision',
  WebhookV2: 'WebhookV2',
  ManualRollback: 'ManualRollback',
  AutomatedRollback: 'AutomatedRollback',
} as const;
export type TriggerType = (typeof TriggerType)[keyof typeof TriggerType];

export const ExecutionType = { Standard: 'STANDARD', Rollback: 'ROLLBACK' } as const;
export type ExecutionType = (typeof ExecutionType)[keyof typeof ExecutionType];

export const RetryMode = { FailedActions: 'FAILED_ACTIONS', AllActions: 'ALL_ACTIONS' } as const;
export type RetryMode = (typeof RetryMode)[keyof typeof RetryMode];

export interface ExecutionTrigger {
  readonly triggerType: TriggerType;
  /** Who or what: a user ARN, a push's ref and commit, the rolled-back execution. */
  readonly triggerDetail?: string | undefined;
}

/** Where an artifact's zip (or other object) lives in the artifact store. */
export interface ArtifactLocation {
  readonly bucket: string;
  readonly key: string;
}

/** An output artifact an action produced, as later actions and ListActionExecutions see it. */
export interface ProducedArtifact {
  readonly name: string;
  readonly location: ArtifactLocation;
}

/**
 * A source action's revision (ListPipelineExecutions `sourceRevisions`, GetPipelineExecution
 * `artifactRevisions`).
 */
export interface SourceRevision {
  readonly actionName: string;
  readonly artifactName?: string | undefined;
  readonly revisionId?: string | undefined;
  readonly revisionSummary?: string | undefined;
  readonly revisionUrl?: string | undefined;
  readonly created?: number | undefined;
}

/** StartPipelineExecution `sourceRevisions`: pins a source action to a revision. */
export interface SourceRevisionOverride {
  readonly actionName: string;
  readonly revisionType: 'COMMIT_ID' | 'IMAGE_DIGEST' | 'S3_OBJECT_VERSION_ID' | 'S3_OBJECT_KEY';
  readonly revisionValue: string;
}

export interface ActionErrorDetails {
  readonly code: string;
  readonly message: string;
}

/** What an action reported beyond its status (ListActionExecutions `output.executionResult`). */
export interface ExternalExecution {
  readonly externalExecutionId?: string | undefined;
  readonly externalExecutionSummary?: string | undefined;
  readonly externalExecutionUrl?: string | undefined;
}

export interface ApprovalRecord {
  readonly status: 'Approved' | 'Rejected';
  readonly summary: string;
  readonly approvedBy?: string | undefined;
  readonly at: number;
}

/** One attempt of one action: ListActionExecutions lists every one, retries included. */
export interface ActionRun {
  readonly actionExecutionId: string;
  readonly stageName: string;
  readonly actionName: string;
  readonly runOrder: number;
  readonly actionTypeId: ActionTypeId;
  /** The stage attempt it belongs to: 1, then +1 per retry. */
  readonly stageAttempt: number;
  readonly status: ActionStatus;
  readonly startTime: number;
  readonly lastUpdateTime: number;
  readonly summary?: string | undefined;
  /** Configuration as declared (ListActionExecutions `input.configuration`). */
  readonly configuration?: Readonly<Record<string, string>> | undefined;
  readonly roleArn?: string | undefined;
  readonly region?: string | undefined;
  /** Configuration after `#{…}` resolution. */
  readonly resolvedConfiguration: Readonly<Record<string, string>>;
  /** Commands actions: `commands` and `environmentVariables` after resolution. */
  readonly resolvedCommands?: readonly string[] | undefined;
  readonly resolvedEnvironment?:
    | readonly {
        readonly name: string;
        readonly value: string;
        readonly type?: string | undefined;
      }[]
    | undefined;
  readonly namespace?: string | undefined;
  readonly inputArtifacts: readonly ProducedArtifact[];
  readonly outputArtifacts: readonly ProducedArtifact[];
  readonly outputVariables: Readonly<Record<string, string>>;
  readonly external?: ExternalExecution | undefined;
  readonly errorDetails?: ActionErrorDetails | undefined;
  /** The leased job that runs it (AWS-owned automatic actions) or the custom action's job. */
  readonly jobId?: string | undefined;
  /** Manual approval: the token PutApprovalResult must carry. */
  readonly token?: string | undefined;
  readonly approval?: ApprovalRecord | undefined;
  /** When the action times out (approvals: 7 days by default). Epoch ms. */
  readonly deadline?: number | undefined;
  /** What the executor saved to resume after a crash (a build id, say). Opaque to the core. */
  readonly checkpoint?: JsonValue | undefined;
}

export interface RetryStageMetadata {
  readonly autoStageRetryAttempt: number;
  readonly manualStageRetryAttempt: number;
  readonly latestRetryTrigger?: 'AutomatedStageRetry' | 'ManualStageRetry' | undefined;
}

/** One execution's visit to one stage. */
export interface StageRun {
  readonly stageName: string;
  readonly status: StageStatus;
  /** 1, then +1 per retry. */
  readonly attempt: number;
  /**
   * Action runs of earlier attempts than this do not count (an ALL_ACTIONS retry restarts every
   * action); a FAILED_ACTIONS retry keeps it, so actions that succeeded before stay done.
   */
  readonly countsFrom: number;
  readonly enteredAt: number;
  readonly lastUpdateTime: number;
  /** Every action attempt, in start order. The latest per action name is its state. */
  readonly actions: readonly ActionRun[];
  readonly retry: RetryStageMetadata;
}

/** What the execution does next, between the stages it runs. */
export type ExecutionPosition =
  /** Waiting to enter stage `stageIndex` (locked, transition disabled, or not yet tried). */
  | {
      readonly kind: 'before-stage';
      readonly stageIndex: number;
      readonly waitingSince: number;
      /** It joined the stage's waiting list (so leaving it means it was superseded). */
      readonly queued?: boolean | undefined;
      /** Re-entering a stage it ran before, to retry it. */
      readonly retry?: PendingRetry | undefined;
    }
  /** Running stage `stageIndex`. */
  | { readonly kind: 'in-stage'; readonly stageIndex: number }
  | { readonly kind: 'done' };

export interface PendingRetry {
  readonly mode: RetryMode;
  readonly trigger: 'AutomatedStageRetry' | 'ManualStageRetry';
}

export interface StopRequest {
  readonly abandon: boolean;
  readonly reason?: string | undefined;
  readonly at: number;
}

/**
 * One run of a pipeline at one version, as a single document: every transition reads it, decides
 * and writes it back in one transaction (see pipelines/engine/).
 */
export interface PipelineExecution {
  readonly id: string;
  readonly accountId: string;
  readonly region: string;
  readonly pipelineName: string;
  /** The pipeline version it runs; an update does not change a running execution. */
  readonly pipelineVersion: number;
  readonly executionMode: ExecutionMode;
  readonly executionType: ExecutionType;
  readonly status: ExecutionStatus;
  readonly statusSummary?: string | undefined;
  readonly trigger: ExecutionTrigger;
  /** ROLLBACK executions: the execution whose artifacts and variables they re-use. */
  readonly rollbackTargetExecutionId?: string | undefined;
  /** The last stage it runs (ROLLBACK executions run one stage); undefined: to the end. */
  readonly lastStageIndex?: number | undefined;
  /** An automatic rollback (onFailure ROLLBACK) this execution's failure calls for. */
  readonly rollbackRequested?: { readonly stageName: string } | undefined;
  /** Resolved pipeline-level variables (`#{variables.name}`). */
  readonly variables: Readonly<Record<string, string>>;
  readonly sourceRevisionOverrides: readonly SourceRevisionOverride[];
  /** What the source actions fetched. */
  readonly sourceRevisions: readonly SourceRevision[];
  readonly startTime: number;
  readonly lastUpdateTime: number;
  readonly position: ExecutionPosition;
  /** Every stage it entered, in order; a retried stage keeps its one entry. */
  readonly stages: readonly StageRun[];
  /** Output artifacts by name, as produced so far (pre-seeded from the target on rollback). */
  readonly artifacts: Readonly<Record<string, ProducedArtifact>>;
  /** Output variables by action namespace. */
  readonly namespaces: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly stopRequest?: StopRequest | undefined;
  /** The next time the engine must look at it without another event (a deadline). Epoch ms. */
  readonly dueAt?: number | undefined;
  /** Order of start across the installation; set by the store. */
  readonly seq: number;
  /** Compare-and-swap counter; set by the store. */
  readonly version: number;
}
