import type { CustomJob, CustomJobData, JobArtifact } from '@slipway/core';

/**
 * Custom action jobs as job workers see them: PollForJobs' `Job` and GetJobDetails'
 * `JobDetails` (the same without the nonce).
 */
export function jobShape(job: CustomJob) {
  return { id: job.id, data: jobDataShape(job.data), nonce: job.nonce, accountId: job.accountId };
}

export function jobDetailsShape(job: CustomJob) {
  return { id: job.id, data: jobDataShape(job.data), accountId: job.accountId };
}

function jobDataShape(data: CustomJobData) {
  const { pipelineContext: context } = data;
  return {
    actionTypeId: { ...data.actionTypeId },
    actionConfiguration: { configuration: { ...data.actionConfiguration } },
    pipelineContext: {
      pipelineName: context.pipelineName,
      stage: { name: context.stage.name },
      action: { name: context.action.name, actionExecutionId: context.action.actionExecutionId },
      pipelineArn: context.pipelineArn,
      pipelineExecutionId: context.pipelineExecutionId,
    },
    inputArtifacts: data.inputArtifacts.map(artifactShape),
    outputArtifacts: data.outputArtifacts.map(artifactShape),
    continuationToken: data.continuationToken,
  };
}

function artifactShape(artifact: JobArtifact) {
  return {
    name: artifact.name,
    location: {
      type: 'S3',
      s3Location: { bucketName: artifact.bucketName, objectKey: artifact.objectKey },
    },
  };
}
