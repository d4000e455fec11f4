import { terminalJobStatuses } from '../jobs/job.model.ts';
import type { JsonValue } from '../platform/json.ts';
import type {
  ActionResult,
  ActionTask,
  PipelineActionJobPayload,
} from './action-executor.ports.ts';
import { findAttempt, recordActionResult, saveCheckpoint } from './engine/execution-inputs.ts';
import { ActionStatus, type ExternalExecution, type PipelineExecution } from './execution.model.ts';
import { pipelineArn } from './pipeline.model.ts';
import type { ExecutionCommands } from './execution-commands.ts';
import { runTransition, type PipelinesContext } from './pipelines.context.ts';
import type { ActionAttemptRef } from './pipelines.service.ts';

const reconcileBatch = 100;

/**
 * The calls the action worker makes (open, checkpoint, complete), and the server's own passes:
 * due executions (deadlines, wake-ups) and actions whose job was lost.
 */
export class ActionTasks {
  readonly #context: PipelinesContext;
  readonly #commands: ExecutionCommands;

  constructor(context: PipelinesContext, commands: ExecutionCommands) {
    this.#context = context;
    this.#commands = commands;
  }

  async open(payload: PipelineActionJobPayload): Promise<ActionTask | undefined> {
    const execution = await this.#context.deps.store.findExecution(payload.executionId);
    const attempt = execution && findAttempt(execution, payload.actionExecutionId);
    if (execution === undefined || attempt?.status !== ActionStatus.InProgress) return undefined;
    const key = {
      accountId: execution.accountId,
      region: execution.region,
      name: execution.pipelineName,
    };
    const pipeline = await this.#context.deps.store.findPipeline(key, execution.pipelineVersion);
    if (pipeline === undefined) return undefined;
    const validated = this.#context.validated.of(pipeline);
    const action = validated.stages
      .find((s) => s.name === attempt.stageName)
      ?.actions.find((a) => a.name === attempt.actionName);
    const override = execution.sourceRevisionOverrides.find(
      (o) => o.actionName === attempt.actionName,
    );
    return {
      scope: { accountId: execution.accountId, region: execution.region },
      pipelineName: execution.pipelineName,
      pipelineArn: pipelineArn(key),
      pipelineVersion: execution.pipelineVersion,
      executionId: execution.id,
      stageName: attempt.stageName,
      actionName: attempt.actionName,
      actionExecutionId: attempt.actionExecutionId,
      actionTypeId: attempt.actionTypeId,
      configuration: attempt.resolvedConfiguration,
      commands: attempt.resolvedCommands ?? [],
      environmentVariables: (attempt.resolvedEnvironment ?? []).map((v) => ({
        name: v.name,
        value: v.value,
        ...(v.type === 'PLAINTEXT' || v.type === 'SECRETS_MANAGER' ? { type: v.type } : {}),
      })),
      outputVariableNames: action?.declaration.outputVariables ?? [],
      inputArtifacts: attempt.inputArtifacts,
      outputArtifacts: attempt.outputArtifacts,
      artifactBucket: pipeline.declaration.artifactStore?.location ?? '',
      sourceRevision:
        override === undefined
          ? undefined
          : { type: override.revisionType, value: override.revisionValue },
      deadline: attempt.deadline ?? Number.MAX_SAFE_INTEGER,
      checkpoint: attempt.checkpoint,
      initiator: `codepipeline/${execution.pipelineName}`,
    };
  }

  async save(
    ref: ActionAttemptRef,
    checkpoint: JsonValue,
    external?: ExternalExecution,
  ): Promise<void> {
    await runTransition(this.#context, ref.executionId, (draft) =>
      saveCheckpoint(draft, ref.actionExecutionId, checkpoint, external),
    );
  }

  async complete(ref: ActionAttemptRef, result: ActionResult): Promise<void> {
    await this.#commands.advanceWith(ref.executionId, (draft) =>
      recordActionResult(draft, ref.actionExecutionId, result),
    );
  }

  /** Fails the action of a job that ended without completing it (its worker died). */
  async failLost(jobId: string): Promise<void> {
    const job = await this.#context.deps.jobs.findJob(jobId);
    const payload = job?.payload as Partial<PipelineActionJobPayload> | undefined;
    if (payload?.executionId === undefined || payload.actionExecutionId === undefined) return;
    const actionExecutionId = payload.actionExecutionId;
    await this.#commands.advanceWith(payload.executionId, (draft) => {
      const attempt = findAttempt(draft.execution, actionExecutionId);
      if (attempt?.status !== ActionStatus.InProgress || attempt.jobId !== jobId) return false;
      return recordActionResult(draft, actionExecutionId, {
        status: 'Failed',
        summary: 'The worker running this action stopped responding and its job was lost',
        errorDetails: { code: 'JobLost', message: 'The job running this action was lost' },
      });
    });
  }

  /** Advances every due execution; returns how many it looked at. */
  async reconcileDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const ids = await this.#context.deps.store.listDue(
        this.#context.deps.clock.now(),
        reconcileBatch,
      );
      for (const id of ids) await this.#commands.advanceWith(id, () => undefined);
      total += ids.length;
      if (ids.length < reconcileBatch) return total;
    }
  }

  /**
   * After a restart: every unfinished execution once — actions whose job ended without a
   * result fail, and anything due moves on. Jobs still leased or queued are left to run.
   */
  async resumeUnfinished(): Promise<number> {
    let after: number | undefined;
    let total = 0;
    for (;;) {
      const page = await this.#context.deps.store.listUnfinished(reconcileBatch, after);
      for (const execution of page) {
        after = execution.seq;
        for (const jobId of await this.#endedJobs(execution)) await this.failLost(jobId);
        await this.#commands.advanceWith(execution.id, () => undefined);
      }
      total += page.length;
      if (page.length < reconcileBatch) return total;
    }
  }

  async #endedJobs(execution: PipelineExecution): Promise<string[]> {
    const ended: string[] = [];
    for (const run of execution.stages) {
      for (const attempt of run.actions) {
        if (attempt.status !== ActionStatus.InProgress || attempt.jobId === undefined) continue;
        const job = await this.#context.deps.jobs.findJob(attempt.jobId);
        if (job === undefined || terminalJobStatuses.has(job.status)) ended.push(attempt.jobId);
      }
    }
    return ended;
  }
}
