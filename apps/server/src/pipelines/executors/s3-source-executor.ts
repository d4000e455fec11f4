import {
  AppErrorKind,
  isAppError,
  ObjectSubject,
  type ActionControls,
  type ActionExecutor,
  type ActionResult,
  type ActionTask,
  type ObjectVersion,
} from '@slipway/core';
import type { PipelineArtifacts } from '../pipeline-artifacts.ts';
import { failedResult, maxSummaryLength, messageOf, truncate } from './action-results.ts';

export interface S3SourceDeps {
  readonly artifacts: PipelineArtifacts;
}

/** The object metadata CodePipeline shows as an S3 source's revision summary. */
const revisionSummaryMetadata = 'codepipeline-artifact-revision-summary';

/**
 * Source/AWS/S3/1: copies an object of the account's bucket (the version the execution was
 * started with, or the latest) to the output artifact, and publishes its ETag and VersionId.
 */
export class S3SourceExecutor implements ActionExecutor {
  readonly #deps: S3SourceDeps;

  constructor(deps: S3SourceDeps) {
    this.#deps = deps;
  }

  async execute(task: ActionTask, controls: ActionControls): Promise<ActionResult> {
    const bucket = task.configuration.S3Bucket ?? '';
    const key = task.configuration.S3ObjectKey ?? '';
    const output = task.outputArtifacts[0];
    if (bucket === '' || key === '') {
      return failedResult('S3Bucket and S3ObjectKey are required', 'ConfigurationError');
    }
    if (output === undefined) {
      return failedResult('The action declares no output artifact', 'ConfigurationError');
    }
    const revision = task.sourceRevision;
    if (revision !== undefined && revision.type !== 'S3_OBJECT_VERSION_ID') {
      return failedResult(
        `An S3 source takes an S3_OBJECT_VERSION_ID revision, not ${revision.type}`,
        'ConfigurationError',
      );
    }
    const { artifacts } = this.#deps;
    let copied: ObjectVersion;
    try {
      await artifacts.ensureBucket(task.scope, output.location.bucket);
      controls.signal.throwIfAborted();
      const result = await artifacts.objects.copyObject({
        scope: task.scope,
        source: { bucket, key, versionId: revision?.value },
        target: output.location,
      });
      copied = result.sourceVersion;
    } catch (error) {
      if (!isAppError(error)) throw error;
      return failedResult(sourceProblem(error.kind, error.resource, { bucket, key }, error));
    }
    const summary = copied.metadata[revisionSummaryMetadata];
    return {
      status: 'Succeeded',
      outputVariables: { ETag: copied.etag.replace(/^"|"$/g, ''), VersionId: copied.versionId },
      sourceRevision: {
        actionName: task.actionName,
        artifactName: output.name,
        revisionId: copied.versionId,
        ...(summary === undefined ? {} : { revisionSummary: truncate(summary, maxSummaryLength) }),
        created: copied.lastModified,
      },
    };
  }
}

function sourceProblem(
  kind: AppErrorKind,
  resource: string | undefined,
  where: { bucket: string; key: string },
  error: unknown,
): string {
  if (kind === AppErrorKind.NotFound && resource === ObjectSubject.Bucket) {
    return `The bucket ${where.bucket} does not exist`;
  }
  if (kind === AppErrorKind.AccessDenied && resource === ObjectSubject.Bucket) {
    return `The bucket ${where.bucket} belongs to another account`;
  }
  if (kind === AppErrorKind.NotFound) {
    return `The object s3://${where.bucket}/${where.key} does not exist (${messageOf(error)})`;
  }
  return `Could not copy s3://${where.bucket}/${where.key}: ${messageOf(error)}`;
}
