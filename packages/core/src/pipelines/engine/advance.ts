import {
  ActionStatus,
  ExecutionStatus,
  StageStatus,
  terminalExecutionStatuses,
  type StageRun,
} from '../execution.model.ts';
import { dispatchAction } from './dispatch-action.ts';
import type { Draft } from './draft.ts';
import { leaveWaiting, releaseStage, tryEnterStage } from './stage-locks.ts';
import { currentRuns, nextStageStep } from './stage-progress.ts';
import { evaluateConditions } from './stage-conditions.ts';

/** More steps than any pipeline can take in one transition: a guard against a bug looping. */
const maxSteps = 10_000;

/**
 * Moves an execution as far as it can go now: times out overdue actions, honours a stop request,
 * enters stages its mode and the transitions allow, dispatches the next runOrder group, and ends
 * stages and the execution. Pure: it only changes the draft.
 */
export function advance(draft: Draft): void {
  for (let step = 0; step < maxSteps; step++) {
    if (!advanceOnce(draft)) break;
  }
  const due = nextDeadline(draft);
  if (due !== draft.execution.dueAt) draft.update({ dueAt: due });
}

/** One step; false when nothing more can happen without a new event. */
function advanceOnce(draft: Draft): boolean {
  const e = draft.execution;
  if (terminalExecutionStatuses.has(e.status)) return false;
  expireOverdueActions(draft);
  const position = e.position;
  if (e.stopRequest !== undefined) return stop(draft);
  switch (position.kind) {
    case 'done':
      return false;
    case 'before-stage':
      return enter(draft, position.stageIndex);
    case 'in-stage':
      return stepStage(draft, position.stageIndex);
  }
}

function enter(draft: Draft, stageIndex: number): boolean {
  const e = draft.execution;
  const position = e.position;
  const stage = draft.env.pipeline.stages[stageIndex];
  if (stage === undefined || position.kind !== 'before-stage') return false;
  const decision = tryEnterStage(draft, stageIndex);
  if (decision === 'waiting') return false;
  if (decision === 'superseded') {
    draft.update({
      status: ExecutionStatus.Superseded,
      statusSummary: 'A newer pipeline execution overtook this one while it waited between stages',
      position: { kind: 'done' },
    });
    return false;
  }
  const existing = draft.stageRun(stage.name);
  if (position.retry !== undefined && existing !== undefined) {
    const retry = position.retry;
    const automated = retry.trigger === 'AutomatedStageRetry';
    draft.updateStageRun(stage.name, (run) => ({
      ...run,
      status: StageStatus.InProgress,
      attempt: run.attempt + 1,
      countsFrom: retry.mode === 'ALL_ACTIONS' ? run.attempt + 1 : run.countsFrom,
      lastUpdateTime: draft.now,
      retry: {
        autoStageRetryAttempt: run.retry.autoStageRetryAttempt + (automated ? 1 : 0),
        manualStageRetryAttempt: run.retry.manualStageRetryAttempt + (automated ? 0 : 1),
        latestRetryTrigger: retry.trigger,
      },
    }));
  } else {
    const run: StageRun = {
      stageName: stage.name,
      status: StageStatus.InProgress,
      attempt: 1,
      countsFrom: 1,
      enteredAt: draft.now,
      lastUpdateTime: draft.now,
      actions: [],
      retry: { autoStageRetryAttempt: 0, manualStageRetryAttempt: 0 },
    };
    draft.update({ stages: [...e.stages.filter((s) => s.stageName !== stage.name), run] });
  }
  draft.update({ position: { kind: 'in-stage', stageIndex }, status: ExecutionStatus.InProgress });
  if (position.retry === undefined) checkBeforeEntry(draft, stageIndex);
  return true;
}

/** beforeEntry conditions: not met, the stage fails (FAIL) or is passed over (SKIP). */
function checkBeforeEntry(draft: Draft, stageIndex: number): void {
  const stage = draft.env.pipeline.stages[stageIndex];
  if (stage === undefined) return;
  const outcome = evaluateConditions(draft, stage.declaration.beforeEntry?.conditions);
  if (outcome.failed === undefined) return;
  if (outcome.failed.condition.result === 'SKIP') {
    draft.updateStageRun(stage.name, (r) => ({ ...r, status: StageStatus.Skipped }));
    releaseStage(draft, stage.name);
    moveOn(draft, stageIndex);
    return;
  }
  endStageFailed(
    draft,
    stageIndex,
    `beforeEntry condition not met: ${outcome.failed.summary}`,
    false,
  );
}

/** After stage `stageIndex` is done: the next stage, or the end of the execution. */
function moveOn(draft: Draft, stageIndex: number): void {
  const last = draft.execution.lastStageIndex ?? draft.env.pipeline.stages.length - 1;
  if (stageIndex >= last) {
    draft.update({
      status: ExecutionStatus.Succeeded,
      statusSummary: undefined,
      position: { kind: 'done' },
    });
  } else {
    draft.update({
      position: { kind: 'before-stage', stageIndex: stageIndex + 1, waitingSince: draft.now },
    });
  }
}

function stepStage(draft: Draft, stageIndex: number): boolean {
  const stage = draft.env.pipeline.stages[stageIndex];
  const run = stage && draft.stageRun(stage.name);
  if (stage === undefined || run === undefined) return false;
  if (run.status !== StageStatus.InProgress) return false;
  const step = nextStageStep(stage, run, false);
  switch (step.kind) {
    case 'wait':
      return false;
    case 'dispatch':
      for (const name of step.actions) {
        const action = stage.actions.find((a) => a.name === name);
        const current = draft.stageRun(stage.name);
        if (action !== undefined && current !== undefined) dispatchAction(draft, current, action);
      }
      return true;
    case 'succeeded': {
      const onSuccess = evaluateConditions(draft, stage.declaration.onSuccess?.conditions);
      if (onSuccess.failed !== undefined) {
        const summary = `onSuccess condition not met: ${onSuccess.failed.summary}`;
        endStageFailed(
          draft,
          stageIndex,
          summary,
          onSuccess.failed.condition.result === 'ROLLBACK',
        );
        return true;
      }
      draft.updateStageRun(stage.name, (r) => ({
        ...r,
        status: StageStatus.Succeeded,
        lastUpdateTime: draft.now,
      }));
      releaseStage(draft, stage.name);
      moveOn(draft, stageIndex);
      return true;
    }
    case 'failed':
      failStage(draft, stageIndex, step.summary);
      return true;
  }
}

function failStage(draft: Draft, stageIndex: number, summary: string): void {
  const stage = draft.env.pipeline.stages[stageIndex];
  if (stage === undefined) return;
  const run = draft.stageRun(stage.name);
  const onFailure = stage.declaration.onFailure;
  if (onFailure?.result === 'RETRY' && run !== undefined && run.retry.autoStageRetryAttempt < 1) {
    // One automatic retry in place: the stage stays held by this execution.
    draft.update({
      position: {
        kind: 'before-stage',
        stageIndex,
        waitingSince: draft.now,
        retry: {
          mode: onFailure.retryConfiguration?.retryMode ?? 'FAILED_ACTIONS',
          trigger: 'AutomatedStageRetry',
        },
      },
    });
    return;
  }
  // onFailure conditions decide whether to roll back: a condition not met applies ROLLBACK.
  const rollback =
    onFailure?.conditions !== undefined
      ? evaluateConditions(draft, onFailure.conditions).failed?.condition.result === 'ROLLBACK'
      : onFailure?.result === 'ROLLBACK';
  endStageFailed(draft, stageIndex, summary, rollback);
}

function endStageFailed(draft: Draft, stageIndex: number, summary: string, rollback: boolean) {
  const stage = draft.env.pipeline.stages[stageIndex];
  if (stage === undefined) return;
  draft.updateStageRun(stage.name, (r) => ({
    ...r,
    status: StageStatus.Failed,
    lastUpdateTime: draft.now,
  }));
  releaseStage(draft, stage.name);
  draft.update({
    status: ExecutionStatus.Failed,
    statusSummary: summary,
    ...(rollback && draft.execution.executionType === 'STANDARD'
      ? { rollbackRequested: { stageName: stage.name } }
      : {}),
  });
}

/** Stop and wait lets running actions finish; stop and abandon abandons them at once. */
function stop(draft: Draft): boolean {
  const e = draft.execution;
  const request = e.stopRequest;
  if (request === undefined) return false;
  const position = e.position;
  const summary = request.reason ?? 'Stopped';
  if (position.kind === 'before-stage' || position.kind === 'done') {
    leaveWaiting(draft);
    draft.update({
      status: ExecutionStatus.Stopped,
      statusSummary: summary,
      position: { kind: 'done' },
    });
    return false;
  }
  const stage = draft.env.pipeline.stages[position.stageIndex];
  const run = stage && draft.stageRun(stage.name);
  if (stage === undefined || run === undefined) return false;
  const running = run.actions.filter((a) => a.status === ActionStatus.InProgress);
  if (running.length > 0 && !request.abandon) {
    if (e.status !== ExecutionStatus.Stopping) {
      draft.update({ status: ExecutionStatus.Stopping, statusSummary: summary });
      draft.updateStageRun(stage.name, (r) => ({ ...r, status: StageStatus.Stopping }));
    }
    return false;
  }
  for (const action of running) {
    draft.updateAction(stage.name, action.actionExecutionId, {
      status: ActionStatus.Abandoned,
      summary: 'Abandoned: the pipeline execution was stopped',
    });
    if (action.jobId !== undefined) draft.cancelJobs.push(action.jobId);
  }
  draft.updateStageRun(stage.name, (r) => ({ ...r, status: StageStatus.Stopped }));
  releaseStage(draft, stage.name);
  draft.update({ status: ExecutionStatus.Stopped, statusSummary: summary });
  return false;
}

function expireOverdueActions(draft: Draft): void {
  const position = draft.execution.position;
  if (position.kind !== 'in-stage') return;
  const stage = draft.env.pipeline.stages[position.stageIndex];
  const run = stage && draft.stageRun(stage.name);
  if (stage === undefined || run === undefined) return;
  for (const action of currentRuns(stage, run).values()) {
    if (action?.status !== ActionStatus.InProgress) continue;
    if (action.deadline === undefined || action.deadline > draft.now) continue;
    const approval = action.token !== undefined;
    const message = approval
      ? 'The approval request timed out before anyone approved or rejected it'
      : 'The action did not finish before its timeout';
    draft.updateAction(stage.name, action.actionExecutionId, {
      status: ActionStatus.Failed,
      summary: message,
      errorDetails: { code: approval ? 'ApprovalTimedOut' : 'TimeoutError', message },
    });
    if (action.jobId !== undefined) draft.cancelJobs.push(action.jobId);
  }
}

/** The earliest deadline of the execution's running actions: when to look again. */
function nextDeadline(draft: Draft): number | undefined {
  if (terminalExecutionStatuses.has(draft.execution.status)) return undefined;
  let next: number | undefined;
  for (const run of draft.execution.stages) {
    for (const action of run.actions) {
      if (action.status !== ActionStatus.InProgress || action.deadline === undefined) continue;
      next = next === undefined ? action.deadline : Math.min(next, action.deadline);
    }
  }
  return next;
}
