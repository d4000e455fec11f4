import type { JsonValue } from '../../platform/json.ts';
import type { ActionResult } from '../action-executor.ports.ts';
import {
  ActionStatus,
  ExecutionStatus,
  ExecutionType,
  type ActionRun,
  type ExecutionTrigger,
  type ExternalExecution,
  type PipelineExecution,
  type ProducedArtifact,
  type RetryMode,
  type SourceRevision,
  type SourceRevisionOverride,
} from '../execution.model.ts';
import type { Draft } from './draft.ts';

export interface NewExecutionFields {
  readonly id: string;
  readonly accountId: string;
  readonly region: string;
  readonly pipelineName: string;
  readonly pipelineVersion: number;
  readonly executionMode: PipelineExecution['executionMode'];
  readonly trigger: ExecutionTrigger;
  readonly variables: Readonly<Record<string, string>>;
  readonly sourceRevisionOverrides: readonly SourceRevisionOverride[];
  readonly now: number;
  /** ROLLBACK executions: the target, the one stage they run, and what they start from. */
  readonly rollback?:
    | {
        readonly targetExecutionId: string;
        readonly stageIndex: number;
        readonly artifacts: Readonly<Record<string, ProducedArtifact>>;
        readonly namespaces: Readonly<Record<string, Readonly<Record<string, string>>>>;
        readonly sourceRevisions: readonly SourceRevision[];
      }
    | undefined;
}

/** A new execution standing in front of its first stage (or the rolled-back stage). */
export function newExecution(fields: NewExecutionFields): PipelineExecution {
  const rollback = fields.rollback;
  return {
    id: fields.id,
    accountId: fields.accountId,
    region: fields.region,
    pipelineName: fields.pipelineName,
    pipelineVersion: fields.pipelineVersion,
    executionMode: fields.executionMode,
    executionType: rollback === undefined ? ExecutionType.Standard : ExecutionType.Rollback,
    status: ExecutionStatus.InProgress,
    trigger: fields.trigger,
    rollbackTargetExecutionId: rollback?.targetExecutionId,
    lastStageIndex: rollback?.stageIndex,
    variables: fields.variables,
    sourceRevisionOverrides: fields.sourceRevisionOverrides,
    sourceRevisions: rollback?.sourceRevisions ?? [],
    startTime: fields.now,
    lastUpdateTime: fields.now,
    position: {
      kind: 'before-stage',
      stageIndex: rollback?.stageIndex ?? 0,
      waitingSince: fields.now,
    },
    stages: [],
    artifacts: rollback?.artifacts ?? {},
    namespaces: rollback?.namespaces ?? {},
    seq: 0,
    version: 0,
  };
}

/** Where an action attempt is in the execution, if it exists. */
export function findAttempt(
  execution: PipelineExecution,
  actionExecutionId: string,
): ActionRun | undefined {
  for (const run of execution.stages) {
    const found = run.actions.find((a) => a.actionExecutionId === actionExecutionId);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Records an executor's outcome on a running attempt: status, external ids, and on success its
 * output artifacts, namespace variables and source revision. False when the attempt is over
 * already (abandoned, timed out, or recorded before): the result is then ignored.
 */
export function recordActionResult(
  draft: Draft,
  actionExecutionId: string,
  result: ActionResult,
): boolean {
  const attempt = findAttempt(draft.execution, actionExecutionId);
  if (attempt?.status !== ActionStatus.InProgress) return false;
  const succeeded = result.status === 'Succeeded';
  const variables = result.outputVariables ?? {};
  draft.updateAction(attempt.stageName, actionExecutionId, {
    status: succeeded ? ActionStatus.Succeeded : ActionStatus.Failed,
    summary: result.summary ?? result.errorDetails?.message,
    errorDetails: succeeded
      ? undefined
      : (result.errorDetails ?? {
          code: 'JobFailed',
          message: result.summary ?? 'The action failed',
        }),
    external: { ...attempt.external, ...result.external },
    outputVariables: variables,
  });
  if (!succeeded) return true;
  const e = draft.execution;
  const artifacts = { ...e.artifacts };
  for (const produced of attempt.outputArtifacts) artifacts[produced.name] = produced;
  const namespaces =
    attempt.namespace === undefined
      ? e.namespaces
      : { ...e.namespaces, [attempt.namespace]: variables };
  const revision = result.sourceRevision;
  const sourceRevisions =
    revision === undefined
      ? e.sourceRevisions
      : [
          ...e.sourceRevisions.filter((r) => r.actionName !== revision.actionName),
          { ...revision, artifactName: revision.artifactName ?? attempt.outputArtifacts[0]?.name },
        ];
  draft.update({ artifacts, namespaces, sourceRevisions });
  return true;
}

export function saveCheckpoint(
  draft: Draft,
  actionExecutionId: string,
  checkpoint: JsonValue,
  external: ExternalExecution | undefined,
): boolean {
  const attempt = findAttempt(draft.execution, actionExecutionId);
  if (attempt?.status !== ActionStatus.InProgress) return false;
  draft.updateAction(attempt.stageName, actionExecutionId, {
    checkpoint,
    ...(external === undefined ? {} : { external: { ...attempt.external, ...external } }),
  });
  return true;
}

export type ApprovalOutcome = 'recorded' | 'invalid-token' | 'already-completed' | 'no-action';

export function recordApproval(
  draft: Draft,
  input: {
    readonly stageName: string;
    readonly actionName: string;
    readonly token: string;
    readonly status: 'Approved' | 'Rejected';
    readonly summary: string;
    readonly by: string;
  },
): ApprovalOutcome {
  const run = draft.stageRun(input.stageName);
  const attempts = run?.actions.filter((a) => a.actionName === input.actionName) ?? [];
  const byToken = attempts.find((a) => a.token === input.token);
  if (byToken === undefined) return attempts.length === 0 ? 'no-action' : 'invalid-token';
  if (byToken.status !== ActionStatus.InProgress) return 'already-completed';
  const approved = input.status === 'Approved';
  const summary = input.summary;
  draft.updateAction(input.stageName, byToken.actionExecutionId, {
    status: approved ? ActionStatus.Succeeded : ActionStatus.Failed,
    summary,
    approval: { status: input.status, summary, approvedBy: input.by, at: draft.now },
    external: { externalExecutionSummary: summary },
    ...(approved
      ? {}
      : { errorDetails: { code: 'ApprovalRejected', message: summary || 'Rejected' } }),
  });
  return 'recorded';
}

export function requestStop(draft: Draft, abandon: boolean, reason: string | undefined): void {
  draft.update({ stopRequest: { abandon, reason, at: draft.now } });
}

/** Puts a failed or stopped execution back in front of the stage, to re-enter it as a retry. */
export function requestRetry(draft: Draft, stageIndex: number, mode: RetryMode): void {
  draft.update({
    status: ExecutionStatus.InProgress,
    statusSummary: undefined,
    stopRequest: undefined,
    rollbackRequested: undefined,
    position: {
      kind: 'before-stage',
      stageIndex,
      waitingSince: draft.now,
      retry: { mode, trigger: 'ManualStageRetry' },
    },
  });
}
