import type { EventRecord } from '../events/event.model.ts';
import type { Scope } from '../source/source.deps.ts';
import type { ActionTypeId } from './declaration/declaration.model.ts';
import type {
  ActionResult,
  ActionTask,
  PipelineActionJobPayload,
} from './action-executor.ports.ts';
import type { ExternalExecution, PipelineExecution } from './execution.model.ts';
import type { JsonValue } from '../platform/json.ts';
import type { Tag } from '../builds/project.model.ts';
import type { Pipeline } from './pipeline.model.ts';
import type {
  ActionTypeInfo,
  Caller,
  CreatePipelineInput,
  CustomJob,
  ListActionExecutionsInput,
  ListActionExecutionsOutput,
  ListPipelineExecutionsInput,
  ListPipelineExecutionsOutput,
  ListPipelinesInput,
  ListPipelinesOutput,
  PipelineState,
  PollForJobsInput,
  PutApprovalResultInput,
  PutJobFailureInput,
  PutJobSuccessInput,
  RetryStageExecutionInput,
  RollbackStageInput,
  StageTransitionInput,
  StartPipelineExecutionInput,
  StopPipelineExecutionInput,
  UpdatePipelineInput,
} from './pipeline-requests.ts';
import {
  resolvePipelinesOptions,
  type PipelinesDeps,
  type PipelinesOptions,
} from './pipelines.deps.ts';
import type { PipelinesContext } from './pipelines.context.ts';
import { ActionTasks } from './action-tasks.ts';
import { CustomJobs } from './custom-jobs.ts';
import { CustomActionTypes, type CreateCustomActionTypeInput } from './custom-action-types.ts';
import type { CustomActionType, CustomActionTypeKey } from './custom-action-types.ports.ts';
import { requestStop } from './engine/execution-inputs.ts';
import { ExecutionCommands } from './execution-commands.ts';
import { ExecutionReads } from './execution-reads.ts';
import { startExecution } from './execution-starts.ts';
import { terminalExecutionStatuses, TriggerType } from './execution.model.ts';
import { PipelineDefinitions } from './pipeline-definitions.ts';
import { pipelineState } from './pipeline-state.ts';
import { emptyRuntime } from './pipeline.model.ts';
import { handleReferenceUpdated } from './push-triggers.ts';
import { ValidatedPipelines } from './validated-pipelines.ts';

/** Identifies one action attempt for the executor-facing calls. */
export interface ActionAttemptRef {
  readonly executionId: string;
  readonly actionExecutionId: string;
}

/**
 * CodePipeline's model without its wire shapes: pipelines and their versions, executions run by
 * a transactional state machine (engine/), approvals, retries and rollbacks, push triggers, and
 * the calls the action worker and custom job workers make. Every refusal is an AppError whose
 * resource is a `PipelinesSubject` (pipelines.errors.ts) or a declaration subject.
 */
export class PipelinesService {
  readonly #context: PipelinesContext;
  readonly #definitions: PipelineDefinitions;
  readonly #reads: ExecutionReads;
  readonly #commands: ExecutionCommands;
  readonly #tasks: ActionTasks;
  readonly #jobs: CustomJobs;
  readonly #customTypes: CustomActionTypes;

  constructor(deps: PipelinesDeps, options: PipelinesOptions = {}) {
    this.#context = {
      deps,
      options: resolvePipelinesOptions(options),
      validated: new ValidatedPipelines(deps.providers),
    };
    this.#customTypes = new CustomActionTypes(this.#context);
    this.#definitions = new PipelineDefinitions(this.#context, this.#customTypes);
    this.#reads = new ExecutionReads(this.#context);
    this.#commands = new ExecutionCommands(this.#context, this.#reads);
    this.#tasks = new ActionTasks(this.#context, this.#commands);
    this.#jobs = new CustomJobs(this.#context, this.#tasks, this.#customTypes);
  }

  // Pipelines

  async createPipeline(
    scope: Scope,
    caller: Caller,
    input: CreatePipelineInput,
  ): Promise<{ pipeline: Pipeline; tags: Tag[] }> {
    const created = await this.#definitions.create(scope, input);
    // CodePipeline starts a first execution when a pipeline is created.
    await startExecution(this.#context, scope, {
      pipelineName: created.pipeline.name,
      trigger: { triggerType: TriggerType.CreatePipeline, triggerDetail: caller.arn },
      requireVariables: false,
    });
    return created;
  }

  getPipeline(scope: Scope, name: string, version?: number): Promise<Pipeline> {
    return this.#definitions.get({ ...scope, name }, version);
  }

  updatePipeline(scope: Scope, caller: Caller, input: UpdatePipelineInput): Promise<Pipeline> {
    void caller;
    return this.#definitions.update(scope, input);
  }

  async deletePipeline(scope: Scope, name: string): Promise<void> {
    const key = { ...scope, name };
    for (const execution of await this.#reads.unfinished(key)) {
      await this.#commands.advanceWith(execution.id, (draft) => {
        if (!terminalExecutionStatuses.has(draft.execution.status)) {
          requestStop(draft, true, 'The pipeline was deleted');
        }
      });
    }
    await this.#context.deps.store.deletePipeline(key);
  }

  listPipelines(scope: Scope, input: ListPipelinesInput): Promise<ListPipelinesOutput> {
    return this.#definitions.list(scope, input);
  }

  // Executions

  startPipelineExecution(
    scope: Scope,
    caller: Caller,
    input: StartPipelineExecutionInput,
  ): Promise<PipelineExecution> {
    return startExecution(this.#context, scope, {
      pipelineName: input.name,
      trigger: { triggerType: TriggerType.StartPipelineExecution, triggerDetail: caller.arn },
      variables: input.variables,
      requireVariables: true,
      sourceRevisions: input.sourceRevisions,
      idempotencyToken: input.clientRequestToken,
    });
  }

  stopPipelineExecution(
    scope: Scope,
    caller: Caller,
    input: StopPipelineExecutionInput,
  ): Promise<PipelineExecution> {
    void caller;
    return this.#commands.stop(scope, input);
  }

  async getPipelineState(scope: Scope, name: string): Promise<PipelineState> {
    const key = { ...scope, name };
    const pipeline = await this.#definitions.get(key);
    const [runtime, recent] = await Promise.all([
      this.#context.deps.store.findRuntime(key),
      this.#context.deps.store.listExecutions({ key, before: undefined, limit: 100 }),
    ]);
    return pipelineState({
      pipeline,
      validated: this.#context.validated.of(pipeline),
      runtime: runtime ?? emptyRuntime,
      recent,
    });
  }

  getPipelineExecution(
    scope: Scope,
    pipelineName: string,
    executionId: string,
  ): Promise<PipelineExecution> {
    return this.#reads.get(scope, pipelineName, executionId);
  }

  listPipelineExecutions(
    scope: Scope,
    input: ListPipelineExecutionsInput,
  ): Promise<ListPipelineExecutionsOutput> {
    return this.#reads.list(scope, input);
  }

  listActionExecutions(
    scope: Scope,
    input: ListActionExecutionsInput,
  ): Promise<ListActionExecutionsOutput> {
    return this.#reads.listActions(scope, input);
  }

  /** Returns when the approval was recorded (epoch ms). */
  putApprovalResult(scope: Scope, caller: Caller, input: PutApprovalResultInput): Promise<number> {
    return this.#commands.putApproval(scope, caller, input);
  }

  retryStageExecution(
    scope: Scope,
    caller: Caller,
    input: RetryStageExecutionInput,
  ): Promise<PipelineExecution> {
    void caller;
    return this.#commands.retry(scope, input);
  }

  /** Starts and returns the ROLLBACK execution. */
  rollbackStage(
    scope: Scope,
    caller: Caller,
    input: RollbackStageInput,
  ): Promise<PipelineExecution> {
    return this.#commands.rollback(scope, caller, input);
  }

  enableStageTransition(scope: Scope, caller: Caller, input: StageTransitionInput): Promise<void> {
    return this.#commands.setTransition(scope, caller, input, true);
  }

  disableStageTransition(scope: Scope, caller: Caller, input: StageTransitionInput): Promise<void> {
    return this.#commands.setTransition(scope, caller, input, false);
  }

  // Action types and tags

  /** Built-in types and the scope's custom types (deleted ones left out). */
  listActionTypes(scope: Scope, owner?: string): Promise<ActionTypeInfo[]> {
    return this.#definitions.listActionTypes(scope, owner);
  }

  /** Registers a custom action type for job workers; restores a deleted identical one. */
  createCustomActionType(
    scope: Scope,
    input: CreateCustomActionTypeInput,
  ): Promise<CustomActionType> {
    return this.#customTypes.create(scope, input);
  }

  /** Marks a custom action type deleted: PollForJobs and new declarations refuse it. */
  deleteCustomActionType(key: CustomActionTypeKey): Promise<void> {
    return this.#customTypes.delete(key);
  }

  /** After a restart: fails actions whose job ended unreported and moves every execution on. */
  resumeUnfinished(): Promise<number> {
    return this.#tasks.resumeUnfinished();
  }

  /** AWS and ThirdParty types only, as GetActionType's model says (ActionTypeOwner). */
  getActionType(scope: Scope, id: ActionTypeId): ActionTypeInfo {
    void scope;
    return this.#definitions.getActionType(id);
  }

  listTagsForResource(scope: Scope, arn: string): Promise<Tag[]> {
    return this.#definitions.listTags(scope, arn);
  }

  tagResource(scope: Scope, arn: string, tags: readonly Tag[]): Promise<void> {
    return this.#definitions.tag(scope, arn, tags);
  }

  untagResource(scope: Scope, arn: string, keys: readonly string[]): Promise<void> {
    return this.#definitions.untag(scope, arn, keys);
  }

  // Job workers (custom actions)

  pollForJobs(scope: Scope, input: PollForJobsInput): Promise<CustomJob[]> {
    return this.#jobs.poll(scope, input);
  }

  /** Returns the job's status after acknowledgement (`InProgress`). */
  acknowledgeJob(scope: Scope, jobId: string, nonce: string): Promise<string> {
    return this.#jobs.acknowledge(scope, jobId, nonce);
  }

  getJobDetails(scope: Scope, jobId: string): Promise<CustomJob> {
    return this.#jobs.details(scope, jobId);
  }

  putJobSuccessResult(scope: Scope, input: PutJobSuccessInput): Promise<void> {
    return this.#jobs.succeed(scope, input);
  }

  putJobFailureResult(scope: Scope, input: PutJobFailureInput): Promise<void> {
    return this.#jobs.fail(scope, input);
  }

  // The server's own calls: triggers, reconcile, the action worker

  /** Starts the executions a `source.reference-updated` event calls for; returns their ids. */
  handleReferenceUpdated(event: EventRecord): Promise<string[]> {
    return handleReferenceUpdated(this.#context, event);
  }

  /** Runs a transition for every due execution; returns how many it looked at. */
  reconcileDue(): Promise<number> {
    return this.#tasks.reconcileDue();
  }

  /** Calls `listener` when an execution became due (here or on another server). */
  watchDue(listener: () => void): () => void {
    return this.#context.deps.store.watchDue(listener);
  }

  /** When `reconcileDue` should next run without a wake-up, if ever. */
  nextDue(): Promise<number | undefined> {
    return this.#context.deps.store.nextDue();
  }

  /** A `pipeline-action` or custom job that was lost: fails its action if still running. */
  failLostActionJob(jobId: string): Promise<void> {
    return this.#tasks.failLost(jobId);
  }

  /** The task a claimed `pipeline-action` job runs; undefined when its action is over. */
  openActionTask(payload: PipelineActionJobPayload): Promise<ActionTask | undefined> {
    return this.#tasks.open(payload);
  }

  saveActionCheckpoint(
    ref: ActionAttemptRef,
    checkpoint: JsonValue,
    external?: ExternalExecution,
  ): Promise<void> {
    return this.#tasks.save(ref, checkpoint, external);
  }

  /** Records the outcome and advances the execution, in one transaction. */
  completeActionTask(ref: ActionAttemptRef, result: ActionResult): Promise<void> {
    return this.#tasks.complete(ref, result);
  }
}
