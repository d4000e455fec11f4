import type { JsonValue } from '../platform/json.ts';
import type { Scope } from '../source/source.deps.ts';
import type { ActionTypeId, EnvironmentVariable } from './declaration/declaration.model.ts';
import type {
  ActionErrorDetails,
  ExternalExecution,
  ProducedArtifact,
  SourceRevision,
} from './execution.model.ts';

/** The queue of AWS-owned actions the server runs itself (source, build, commands, deploy). */
export const pipelineActionQueue = 'pipeline-action';

/** Payload of a `pipeline-action` job. */
export interface PipelineActionJobPayload {
  readonly [key: string]: string;
  readonly executionId: string;
  readonly actionExecutionId: string;
}

/** One action attempt as its executor sees it: everything already resolved. */
export interface ActionTask {
  readonly scope: Scope;
  readonly pipelineName: string;
  readonly pipelineArn: string;
  readonly pipelineVersion: number;
  readonly executionId: string;
  readonly stageName: string;
  readonly actionName: string;
  readonly actionExecutionId: string;
  readonly actionTypeId: ActionTypeId;
  /** After `#{…}` resolution. */
  readonly configuration: Readonly<Record<string, string>>;
  /** Commands actions: resolved `commands`, `environmentVariables` and declared output names. */
  readonly commands: readonly string[];
  readonly environmentVariables: readonly EnvironmentVariable[];
  readonly outputVariableNames: readonly string[];
  readonly inputArtifacts: readonly ProducedArtifact[];
  /**
   * Where each output artifact must be written. Fixed per action attempt, so a re-run after a
   * crash overwrites the same keys instead of producing new ones.
   */
  readonly outputArtifacts: readonly ProducedArtifact[];
  /** The pipeline's artifact bucket (it may not exist yet). */
  readonly artifactBucket: string;
  /** Source actions: the revision to fetch (a push's commit, a sourceRevisions override). */
  readonly sourceRevision?: { readonly type: string; readonly value: string } | undefined;
  /** Epoch ms after which the action has timed out. */
  readonly deadline: number;
  /** What an earlier attempt of this executor saved (a build id); undefined on a first run. */
  readonly checkpoint: JsonValue | undefined;
  /** `codepipeline/<pipeline>`: how builds and deployments name who started them. */
  readonly initiator: string;
}

export interface ActionResult {
  readonly status: 'Succeeded' | 'Failed';
  readonly summary?: string | undefined;
  readonly errorDetails?: ActionErrorDetails | undefined;
  readonly external?: ExternalExecution | undefined;
  /** Published under the action's namespace when it has one. */
  readonly outputVariables?: Readonly<Record<string, string>> | undefined;
  /** Source actions. */
  readonly sourceRevision?: SourceRevision | undefined;
}

export interface ActionControls {
  /** Aborted when the action is abandoned (StopPipelineExecution) or this worker lost it. */
  readonly signal: AbortSignal;
  /**
   * Saves progress durably before the executor waits on something external (a build it
   * started), and shows `external` in the action's state at once. A re-run gets `checkpoint`.
   */
  save(checkpoint: JsonValue, external?: ExternalExecution): Promise<void>;
}

/**
 * Runs one kind of action. Must be idempotent per `actionExecutionId`: after a crash the same
 * task runs again with the last saved checkpoint, and must neither start a second build nor
 * leave different bytes behind.
 */
export interface ActionExecutor {
  execute(task: ActionTask, controls: ActionControls): Promise<ActionResult>;
}

export function actionTypeKey(type: ActionTypeId): string {
  return `${type.category}/${type.owner}/${type.provider}/${type.version}`;
}
