import type { AwsOperation } from '../../service-definition.ts';
import { operation, scopeOf, type CodePipelineDeps } from './codepipeline-context.ts';
import { jobDetailsShape, jobShape } from './job-shapes.ts';
import { requestShapes as shapes } from './request-shapes.ts';

/**
 * The calls of custom action job workers: PollForJobs, AcknowledgeJob, GetJobDetails,
 * PutJobSuccessResult, PutJobFailureResult.
 */
export function jobOperations({ pipelines }: CodePipelineDeps): Record<string, AwsOperation> {
  return {
    PollForJobs: operation(shapes.PollForJobs, async (input, context) => {
      const jobs = await pipelines.pollForJobs(scopeOf(context), {
        actionTypeId: input.actionTypeId,
        maxBatchSize: input.maxBatchSize,
        queryParam: input.queryParam,
      });
      return { jobs: jobs.map(jobShape) };
    }),

    AcknowledgeJob: operation(shapes.AcknowledgeJob, async (input, context) => {
      return { status: await pipelines.acknowledgeJob(scopeOf(context), input.jobId, input.nonce) };
    }),

    GetJobDetails: operation(shapes.GetJobDetails, async (input, context) => {
      return {
        jobDetails: jobDetailsShape(await pipelines.getJobDetails(scopeOf(context), input.jobId)),
      };
    }),

    /** `currentRevision.revisionSummary` is read and not kept (the service has no place for it). */
    PutJobSuccessResult: operation(shapes.PutJobSuccessResult, async (input, context) => {
      const revision = input.currentRevision;
      await pipelines.putJobSuccessResult(scopeOf(context), {
        jobId: input.jobId,
        currentRevision: revision && {
          revision: revision.revision,
          changeIdentifier: revision.changeIdentifier,
          created: revision.created,
        },
        continuationToken: input.continuationToken,
        executionDetails: input.executionDetails,
        outputVariables: input.outputVariables,
      });
      return {};
    }),

    PutJobFailureResult: operation(shapes.PutJobFailureResult, async (input, context) => {
      await pipelines.putJobFailureResult(scopeOf(context), {
        jobId: input.jobId,
        failureDetails: input.failureDetails,
      });
      return {};
    }),
  };
}
