import { AppErrorKind } from '../errors/app-error.ts';
import { JobStatus, terminalJobStatuses, type Job } from '../jobs/job.model.ts';
import type { Scope } from '../source/source.deps.ts';
import type { PipelineActionJobPayload } from './action-executor.ports.ts';
import { customActionQueue } from './engine/dispatch-action.ts';
import { findAttempt } from './engine/execution-inputs.ts';
import { ActionStatus } from './execution.model.ts';
import { pipelineArn } from './pipeline.model.ts';
import type {
  CustomJob,
  PollForJobsInput,
  PutJobFailureInput,
  PutJobSuccessInput,
} from './pipeline-requests.ts';
import { outputVariablesTooLarge } from './resolution/variable-resolution.ts';
import { pipelinesError, PipelinesSubject } from './pipelines.errors.ts';
import { runTransition, type PipelinesContext } from './pipelines.context.ts';
import type { ActionTasks } from './action-tasks.ts';
import type { CustomActionTypes } from './custom-action-types.ts';

/** A custom action's job may stay with its worker this long (CodePipeline: 24 hours). */
const customLeaseMs = 24 * 60 * 60 * 1000;

/**
 * CodePipeline's job worker API for custom actions: jobs wait on their action type's queue;
 * PollForJobs leases them (the nonce is the lease id); the worker reports success or failure,
 * which completes the action and moves the execution on.
 */
export class CustomJobs {
  readonly #context: PipelinesContext;
  readonly #tasks: ActionTasks;
  readonly #customTypes: CustomActionTypes;

  constructor(context: PipelinesContext, tasks: ActionTasks, customTypes: CustomActionTypes) {
    this.#context = context;
    this.#tasks = tasks;
    this.#customTypes = customTypes;
  }

  /** ActionTypeNotFound for a type that is not a registered custom type, or was deleted. */
  async poll(scope: Scope, input: PollForJobsInput): Promise<CustomJob[]> {
    await this.#customTypes.requireActive(scope, input.actionTypeId);
    const max = Math.min(Math.max(input.maxBatchSize ?? 1, 1), 100);
    const queue = customActionQueue(scope, input.actionTypeId);
    const out: CustomJob[] = [];
    while (out.length < max) {
      const claimed = await this.#context.deps.jobs.claim({
        queue,
        workerId: `job-worker:${scope.accountId}`,
        leaseMs: customLeaseMs,
      });
      if (claimed === undefined) break;
      const job = await this.#describe(scope, claimed.job, claimed.lease.leaseId);
      if (job === undefined) {
        // Its action ended meanwhile (stopped, timed out): nothing for a worker to do.
        await this.#context.deps.jobs.complete({
          jobId: claimed.job.id,
          leaseId: claimed.lease.leaseId,
          outcome: 'failed',
          result: { reason: 'action no longer running' },
        });
        continue;
      }
      out.push(job);
    }
    return out;
  }

  async acknowledge(scope: Scope, jobId: string, nonce: string): Promise<string> {
    const job = await this.#job(scope, jobId);
    if (job.leaseId !== nonce) {
      throw pipelinesError(
        AppErrorKind.InvalidInput,
        PipelinesSubject.JobNonce,
        'The nonce does not match the job',
      );
    }
    return terminalJobStatuses.has(job.status) ? statusOf(job) : 'InProgress';
  }

  async details(scope: Scope, jobId: string): Promise<CustomJob> {
    const job = await this.#job(scope, jobId);
    const described = await this.#describe(scope, job, job.leaseId ?? '');
    if (described === undefined) throw jobNotFound(jobId);
    return described;
  }

  async succeed(scope: Scope, input: PutJobSuccessInput): Promise<void> {
    const job = await this.#leasedJob(scope, input.jobId);
    if (input.continuationToken !== undefined) return this.#continue(job, input);
    const variables = input.outputVariables ?? {};
    if (outputVariablesTooLarge(new Map(Object.entries(variables)))) {
      throw pipelinesError(
        AppErrorKind.InvalidInput,
        PipelinesSubject.OutputVariablesSize,
        'The output variables exceed the size limit',
      );
    }
    const payload = job.payload as PipelineActionJobPayload;
    const ref = { executionId: payload.executionId, actionExecutionId: payload.actionExecutionId };
    const details = input.executionDetails;
    await this.#tasks.complete(ref, {
      status: 'Succeeded',
      summary: details?.summary,
      external: {
        externalExecutionId: details?.externalExecutionId,
        externalExecutionSummary: details?.summary,
      },
      outputVariables: variables,
    });
    await this.#context.deps.jobs.complete({
      jobId: job.id,
      leaseId: job.leaseId ?? '',
      outcome: 'succeeded',
    });
  }

  async fail(scope: Scope, input: PutJobFailureInput): Promise<void> {
    const job = await this.#leasedJob(scope, input.jobId);
    const payload = job.payload as PipelineActionJobPayload;
    const ref = { executionId: payload.executionId, actionExecutionId: payload.actionExecutionId };
    await this.#tasks.complete(ref, {
      status: 'Failed',
      summary: input.failureDetails.message,
      errorDetails: { code: input.failureDetails.type, message: input.failureDetails.message },
      external: { externalExecutionId: input.failureDetails.externalExecutionId },
    });
    await this.#context.deps.jobs.complete({
      jobId: job.id,
      leaseId: job.leaseId ?? '',
      outcome: 'failed',
    });
  }

  /**
   * A success with a continuation token is progress, not completion (PutJobSuccessResult: "when
   * the action is complete, no continuation token should be supplied"): the action stays in
   * progress and a new job, carrying the token, waits for the next poll.
   */
  async #continue(job: Job, input: PutJobSuccessInput): Promise<void> {
    const payload = job.payload as PipelineActionJobPayload;
    const continued = await runTransition(this.#context, payload.executionId, (draft) => {
      const attempt = findAttempt(draft.execution, payload.actionExecutionId);
      if (attempt?.status !== ActionStatus.InProgress) return false;
      const jobId = draft.env.newId();
      draft.jobs.push({
        id: jobId,
        queue: job.queue,
        payload: { ...payload, continuationToken: input.continuationToken ?? '' },
        maxAttempts: 1,
      });
      const details = input.executionDetails;
      draft.updateAction(attempt.stageName, attempt.actionExecutionId, {
        jobId,
        summary: details?.summary ?? attempt.summary,
        external: {
          ...attempt.external,
          ...(details?.externalExecutionId === undefined
            ? {}
            : { externalExecutionId: details.externalExecutionId }),
          ...(details?.summary === undefined ? {} : { externalExecutionSummary: details.summary }),
        },
      });
      return true;
    });
    await this.#context.deps.jobs.complete({
      jobId: job.id,
      leaseId: job.leaseId ?? '',
      outcome: continued === true ? 'succeeded' : 'failed',
    });
    if (continued !== true) {
      throw pipelinesError(
        AppErrorKind.Conflict,
        PipelinesSubject.JobState,
        `Job ${job.id}'s action is no longer running`,
      );
    }
  }

  async #leasedJob(scope: Scope, jobId: string): Promise<Job> {
    const job = await this.#job(scope, jobId);
    if (job.status !== JobStatus.Leased) {
      throw pipelinesError(
        AppErrorKind.Conflict,
        PipelinesSubject.JobState,
        `Job ${jobId} is ${statusOf(job)}: only a dispatched job can report a result`,
      );
    }
    return job;
  }

  async #job(scope: Scope, jobId: string): Promise<Job> {
    const job = await this.#context.deps.jobs.findJob(jobId);
    const prefix = `codepipeline-job:${scope.accountId}:${scope.region}:`;
    if (job === undefined || !job.queue.startsWith(prefix)) throw jobNotFound(jobId);
    return job;
  }

  async #describe(scope: Scope, job: Job, nonce: string): Promise<CustomJob | undefined> {
    const payload = job.payload as PipelineActionJobPayload;
    const execution = await this.#context.deps.store.findExecution(payload.executionId);
    const attempt = execution && findAttempt(execution, payload.actionExecutionId);
    if (execution === undefined || attempt === undefined) return undefined;
    if (attempt.status !== ActionStatus.InProgress && job.status !== JobStatus.Leased)
      return undefined;
    const key = { ...scope, name: execution.pipelineName };
    return {
      id: job.id,
      nonce,
      accountId: scope.accountId,
      data: {
        actionTypeId: attempt.actionTypeId,
        actionConfiguration: attempt.resolvedConfiguration,
        pipelineContext: {
          pipelineName: execution.pipelineName,
          stage: { name: attempt.stageName },
          action: { name: attempt.actionName, actionExecutionId: attempt.actionExecutionId },
          pipelineArn: pipelineArn(key),
          pipelineExecutionId: execution.id,
        },
        inputArtifacts: attempt.inputArtifacts.map((a) => ({
          name: a.name,
          bucketName: a.location.bucket,
          objectKey: a.location.key,
        })),
        outputArtifacts: attempt.outputArtifacts.map((a) => ({
          name: a.name,
          bucketName: a.location.bucket,
          objectKey: a.location.key,
        })),
        continuationToken: payload['continuationToken'],
      },
    };
  }
}

function statusOf(job: Job): string {
  switch (job.status) {
    case JobStatus.Queued:
      return 'Queued';
    case JobStatus.Leased:
      return 'InProgress';
    case JobStatus.Succeeded:
      return 'Succeeded';
    case JobStatus.Lost:
      return 'TimedOut';
    case JobStatus.Failed:
    case JobStatus.Cancelled:
      return 'Failed';
  }
}

function jobNotFound(jobId: string): Error {
  return pipelinesError(AppErrorKind.NotFound, PipelinesSubject.Job, `Job ${jobId} does not exist`);
}
