import { AppErrorKind } from '../errors/app-error.ts';
import type { Scope } from '../source/source.deps.ts';
import { advance } from './engine/advance.ts';
import type { Draft } from './engine/draft.ts';
import { recordApproval, requestRetry, requestStop } from './engine/execution-inputs.ts';
import { isManualApproval } from './engine/dispatch-action.ts';
import { startExecution } from './execution-starts.ts';
import { succeededIn, type ExecutionReads } from './execution-reads.ts';
import {
  ActionStatus,
  ExecutionStatus,
  ExecutionType,
  StageStatus,
  TriggerType,
  type PipelineExecution,
} from './execution.model.ts';
import type {
  Caller,
  PutApprovalResultInput,
  RetryStageExecutionInput,
  RollbackStageInput,
  StageTransitionInput,
  StopPipelineExecutionInput,
} from './pipeline-requests.ts';
import {
  executionNotFound,
  invalidPipelineInput,
  pipelineNotFound,
  pipelinesError,
  PipelinesSubject,
  stageNotFound,
} from './pipelines.errors.ts';
import { runTransition, type PipelinesContext } from './pipelines.context.ts';
import { wakeWaiting } from './engine/stage-locks.ts';

/**
 * What people do to running pipelines: stop, approve, retry, roll back, hold stages. Each is a
 * transition of one execution (or of the pipeline's runtime), followed by `advance`.
 */
export class ExecutionCommands {
  readonly #context: PipelinesContext;
  readonly #reads: ExecutionReads;

  constructor(context: PipelinesContext, reads: ExecutionReads) {
    this.#context = context;
    this.#reads = reads;
  }

  /** Runs `decide` then `advance`, and starts an automatic rollback the outcome calls for. */
  async advanceWith<T>(
    executionId: string,
    decide: (draft: Draft) => T,
  ): Promise<{ result: T; execution: PipelineExecution } | undefined> {
    const outcome = await runTransition(this.#context, executionId, (draft) => {
      const before = draft.execution.rollbackRequested;
      const result = decide(draft);
      advance(draft);
      const rollback =
        before === undefined ? draft.execution.rollbackRequested?.stageName : undefined;
      return { result, execution: draft.execution, rollback };
    });
    if (outcome?.rollback !== undefined) {
      await this.#automaticRollback(outcome.execution, outcome.rollback);
    }
    return outcome;
  }

  async stop(scope: Scope, input: StopPipelineExecutionInput): Promise<PipelineExecution> {
    const execution = await this.#reads.get(scope, input.pipelineName, input.pipelineExecutionId);
    const abandon = input.abandon === true;
    const outcome = await this.advanceWith(execution.id, (draft) => {
      const status = draft.execution.status;
      if (status === ExecutionStatus.Stopping && !abandon) return 'duplicate' as const;
      if (status !== ExecutionStatus.InProgress && status !== ExecutionStatus.Stopping) {
        return 'not-stoppable' as const;
      }
      requestStop(draft, abandon, input.reason);
      return 'stopped' as const;
    });
    if (outcome === undefined) throw executionNotFound(input.pipelineName, execution.id);
    if (outcome.result === 'duplicate') {
      throw pipelinesError(
        AppErrorKind.Conflict,
        PipelinesSubject.DuplicatedStop,
        `Execution ${execution.id} is already stopping; only stop and abandon can follow`,
      );
    }
    if (outcome.result === 'not-stoppable') {
      throw pipelinesError(
        AppErrorKind.Conflict,
        PipelinesSubject.ExecutionNotStoppable,
        `Execution ${execution.id} is ${outcome.execution.status} and cannot be stopped`,
      );
    }
    return outcome.execution;
  }

  async putApproval(scope: Scope, caller: Caller, input: PutApprovalResultInput): Promise<number> {
    const key = { ...scope, name: input.pipelineName };
    const pipeline = await this.#context.deps.store.findPipeline(key);
    if (pipeline === undefined) throw pipelineNotFound(input.pipelineName);
    const stage = this.#context.validated
      .of(pipeline)
      .stages.find((s) => s.name === input.stageName);
    if (stage === undefined) throw stageNotFound(input.pipelineName, input.stageName);
    const action = stage.actions.find((a) => a.name === input.actionName);
    if (action === undefined || !isManualApproval(action.actionTypeId)) {
      throw pipelinesError(
        AppErrorKind.NotFound,
        PipelinesSubject.Action,
        `Stage '${input.stageName}' has no approval action '${input.actionName}'`,
      );
    }
    const recent = await this.#context.deps.store.listExecutions({
      key,
      before: undefined,
      limit: 200,
    });
    const holder = recent.find((e) =>
      e.stages.some(
        (s) =>
          s.stageName === input.stageName &&
          s.actions.some((a) => a.actionName === input.actionName && a.token === input.token),
      ),
    );
    if (holder === undefined) throw invalidToken();
    const now = this.#context.deps.clock.now();
    const outcome = await this.advanceWith(holder.id, (draft) =>
      recordApproval(draft, {
        stageName: input.stageName,
        actionName: input.actionName,
        token: input.token,
        status: input.result.status,
        summary: input.result.summary,
        by: caller.arn,
      }),
    );
    switch (outcome?.result) {
      case 'recorded':
        return now;
      case 'already-completed':
        throw pipelinesError(
          AppErrorKind.Conflict,
          PipelinesSubject.ApprovalCompleted,
          `The approval action '${input.actionName}' has already been completed`,
        );
      case 'invalid-token':
      case 'no-action':
      case undefined:
        throw invalidToken();
    }
  }

  async retry(scope: Scope, input: RetryStageExecutionInput): Promise<PipelineExecution> {
    const execution = await this.#reads.get(scope, input.pipelineName, input.pipelineExecutionId);
    const key = { ...scope, name: input.pipelineName };
    const pipeline = await this.#context.deps.store.findPipeline(key, execution.pipelineVersion);
    const stage =
      pipeline &&
      this.#context.validated.of(pipeline).stages.find((s) => s.name === input.stageName);
    if (stage === undefined) throw stageNotFound(input.pipelineName, input.stageName);
    const newer = await this.#context.deps.store.listExecutions({
      key,
      before: undefined,
      limit: 200,
    });
    const latestInStage = newer.find((e) => e.stages.some((s) => s.stageName === input.stageName));
    if (latestInStage !== undefined && latestInStage.id !== execution.id) {
      throw pipelinesError(
        AppErrorKind.Conflict,
        PipelinesSubject.NotLatestExecution,
        `Execution ${execution.id} is not the latest execution of stage '${input.stageName}'`,
      );
    }
    const latest = await this.#context.deps.store.findPipeline(key);
    const outcome = await this.advanceWith(execution.id, (draft) => {
      const run = draft.stageRun(input.stageName);
      const status = draft.execution.status;
      if (
        run === undefined ||
        (run.status !== StageStatus.Failed && run.status !== StageStatus.Stopped)
      ) {
        return `stage '${input.stageName}' has not failed or stopped in this execution`;
      }
      if (status !== ExecutionStatus.Failed && status !== ExecutionStatus.Stopped) {
        return `the execution is ${status}`;
      }
      if (latest !== undefined && latest.version !== draft.execution.pipelineVersion) {
        return 'the pipeline was updated after this execution started';
      }
      const failed = run.actions.some(
        (a) => a.status === ActionStatus.Failed || a.status === ActionStatus.Abandoned,
      );
      if (!failed && run.status === StageStatus.Failed) return 'no action of the stage failed';
      requestRetry(draft, stage.index, input.retryMode);
      return undefined;
    });
    if (outcome === undefined) throw executionNotFound(input.pipelineName, execution.id);
    if (outcome.result !== undefined) {
      throw pipelinesError(
        AppErrorKind.Conflict,
        PipelinesSubject.StageNotRetryable,
        `Stage '${input.stageName}' cannot be retried: ${outcome.result}`,
      );
    }
    return outcome.execution;
  }

  async rollback(
    scope: Scope,
    caller: Caller,
    input: RollbackStageInput,
  ): Promise<PipelineExecution> {
    const key = { ...scope, name: input.pipelineName };
    const pipeline = await this.#context.deps.store.findPipeline(key);
    if (pipeline === undefined) throw pipelineNotFound(input.pipelineName);
    const validated = this.#context.validated.of(pipeline);
    const stage = validated.stages.find((s) => s.name === input.stageName);
    if (stage === undefined) throw stageNotFound(input.pipelineName, input.stageName);
    const target = await this.#reads.get(
      scope,
      input.pipelineName,
      input.targetPipelineExecutionId,
    );
    const refuse = (why: string) =>
      pipelinesError(
        AppErrorKind.Conflict,
        PipelinesSubject.UnableToRollback,
        `Stage '${input.stageName}' cannot be rolled back: ${why}`,
      );
    if (validated.executionMode === 'PARALLEL')
      throw refuse('PARALLEL pipelines have no stage rollback');
    if (stage.index === 0) throw refuse('source stages cannot be rolled back');
    if (target.executionType === ExecutionType.Rollback)
      throw refuse('the target is itself a rollback');
    if (target.pipelineVersion !== pipeline.version) {
      throw pipelinesError(
        AppErrorKind.Conflict,
        PipelinesSubject.ExecutionOutdated,
        `Execution ${target.id} ran pipeline version ${target.pipelineVersion}, not the current ${pipeline.version}`,
      );
    }
    if (!succeededIn(target, input.stageName))
      throw refuse(`execution ${target.id} did not succeed in it`);
    return this.#startRollback(scope, target, stage.index, {
      triggerType: TriggerType.ManualRollback,
      triggerDetail: caller.arn,
    });
  }

  async setTransition(
    scope: Scope,
    caller: Caller,
    input: StageTransitionInput,
    enabled: boolean,
  ): Promise<void> {
    const key = { ...scope, name: input.pipelineName };
    const pipeline = await this.#context.deps.store.findPipeline(key);
    if (pipeline === undefined) throw pipelineNotFound(input.pipelineName);
    if (!pipeline.declaration.stages.some((s) => s.name === input.stageName)) {
      throw stageNotFound(input.pipelineName, input.stageName);
    }
    if (!enabled && (input.reason === undefined || input.reason.length === 0)) {
      throw invalidPipelineInput('reason: a reason is required to disable a transition');
    }
    const now = this.#context.deps.clock.now();
    const field = input.transitionType === 'Inbound' ? 'inbound' : 'outbound';
    // The stage whose waiters this transition holds: itself, or for Outbound the next one.
    const stages = pipeline.declaration.stages;
    const next = stages[stages.findIndex((s) => s.name === input.stageName) + 1];
    const gated = field === 'inbound' ? input.stageName : next?.name;
    await this.#context.deps.store.updateRuntime(key, (runtime) => {
      const state = runtime.stages[input.stageName] ?? {};
      const wake = new Set<string>();
      if (enabled && gated !== undefined) wakeWaiting(runtime.stages[gated]?.waiting, wake);
      return {
        runtime: {
          stages: {
            ...runtime.stages,
            [input.stageName]: {
              ...state,
              [field]: {
                enabled,
                lastChangedBy: caller.arn,
                lastChangedAt: now,
                disabledReason: enabled ? undefined : input.reason,
              },
            },
          },
        },
        wake: [...wake],
        result: undefined,
      };
    });
  }

  /** onFailure ROLLBACK: back to the newest execution that succeeded in the stage, if any. */
  async #automaticRollback(failed: PipelineExecution, stageName: string): Promise<void> {
    const key = { accountId: failed.accountId, region: failed.region, name: failed.pipelineName };
    const recent = await this.#context.deps.store.listExecutions({
      key,
      before: undefined,
      limit: 200,
    });
    const target = recent.find(
      (e) =>
        e.id !== failed.id &&
        e.executionType === ExecutionType.Standard &&
        e.pipelineVersion === failed.pipelineVersion &&
        succeededIn(e, stageName),
    );
    const pipeline = await this.#context.deps.store.findPipeline(key, failed.pipelineVersion);
    const stage =
      pipeline && this.#context.validated.of(pipeline).stages.find((s) => s.name === stageName);
    if (target === undefined || stage === undefined) return;
    await this.#startRollback(
      failed,
      target,
      stage.index,
      {
        triggerType: TriggerType.AutomatedRollback,
        triggerDetail: failed.id,
      },
      `rollback:${failed.id}`,
    );
  }

  #startRollback(
    scope: Scope,
    target: PipelineExecution,
    stageIndex: number,
    trigger: PipelineExecution['trigger'],
    idempotencyToken?: string,
  ): Promise<PipelineExecution> {
    return startExecution(
      this.#context,
      { accountId: scope.accountId, region: scope.region },
      {
        pipelineName: target.pipelineName,
        trigger,
        requireVariables: false,
        resolvedVariables: target.variables,
        idempotencyToken,
        rollback: {
          targetExecutionId: target.id,
          stageIndex,
          artifacts: target.artifacts,
          namespaces: target.namespaces,
          sourceRevisions: target.sourceRevisions,
        },
      },
    );
  }
}

function invalidToken(): Error {
  return pipelinesError(
    AppErrorKind.InvalidInput,
    PipelinesSubject.ApprovalToken,
    'The approval token is not valid for this action',
  );
}
