import {
  AppErrorKind,
  DeploymentsSubject,
  deploymentsError,
  isAppError,
  type RevisionInfo,
} from '@slipway/core';
import type { AwsOperation } from '../../service-definition.ts';
import { operation, scopeOf, type CodeDeployDeps } from './codedeploy-context.ts';
import { requestShapes as shapes } from './request-shapes.ts';
import {
  applicationShape,
  genericRevisionInfoShape,
  revisionLocationShape,
} from './resource-shapes.ts';

/** botocore `BatchGetApplicationRevisions`: "The maximum number … is 25". */
const maxRevisionsPerBatch = 25;

/** Applications and their revisions. */
export function applicationOperations({
  deployments,
}: CodeDeployDeps): Record<string, AwsOperation> {
  return {
    CreateApplication: operation(shapes.CreateApplication, async (input, context) => ({
      applicationId: await deployments.createApplication(scopeOf(context), input),
    })),

    GetApplication: operation(shapes.GetApplication, async (input, context) => ({
      application: applicationShape(
        await deployments.getApplication(scopeOf(context), input.applicationName),
      ),
    })),

    BatchGetApplications: operation(shapes.BatchGetApplications, async (input, context) => {
      const found = await deployments.batchGetApplications(
        scopeOf(context),
        input.applicationNames,
      );
      return { applicationsInfo: found.map(applicationShape) };
    }),

    ListApplications: operation(shapes.ListApplications, async (input, context) => {
      const page = await deployments.listApplications(scopeOf(context), input.nextToken);
      return { applications: [...page.items], nextToken: page.nextToken };
    }),

    UpdateApplication: operation(shapes.UpdateApplication, async (input, context) => {
      await deployments.updateApplication(scopeOf(context), input);
      return {};
    }),

    DeleteApplication: operation(shapes.DeleteApplication, async (input, context) => {
      await deployments.deleteApplication(scopeOf(context), input.applicationName);
      return {};
    }),

    RegisterApplicationRevision: operation(
      shapes.RegisterApplicationRevision,
      async (input, context) => {
        await deployments.registerApplicationRevision(scopeOf(context), input);
        return {};
      },
    ),

    GetApplicationRevision: operation(shapes.GetApplicationRevision, async (input, context) => {
      const found = await deployments.getApplicationRevision(scopeOf(context), input);
      return {
        applicationName: found.applicationName,
        revision: revisionLocationShape(found.revision),
        revisionInfo: genericRevisionInfoShape(found.revisionInfo),
      };
    }),

    /**
     * One GetApplicationRevision per revision: those not registered are named in
     * `errorMessage`, as BatchGet answers report what they did not find.
     */
    BatchGetApplicationRevisions: operation(
      shapes.BatchGetApplicationRevisions,
      async (input, context) => {
        const revisions = input.revisions ?? [];
        if (revisions.length === 0) {
          throw deploymentsError(
            AppErrorKind.InvalidInput,
            DeploymentsSubject.RevisionRequired,
            'revisions must name at least one revision',
          );
        }
        if (revisions.length > maxRevisionsPerBatch) {
          throw deploymentsError(
            AppErrorKind.InvalidInput,
            DeploymentsSubject.BatchLimit,
            `revisions names ${revisions.length}; the limit is ${maxRevisionsPerBatch}`,
          );
        }
        const found: RevisionInfo[] = [];
        const missing: string[] = [];
        for (const revision of revisions) {
          try {
            found.push(
              await deployments.getApplicationRevision(scopeOf(context), {
                applicationName: input.applicationName,
                revision,
              }),
            );
          } catch (error) {
            if (!isMissingRevision(error)) throw error;
            missing.push(describeLocation(revision));
          }
        }
        return {
          applicationName: input.applicationName,
          errorMessage:
            missing.length === 0 ? undefined : `Revisions not found: ${missing.join(', ')}`,
          revisions: found.map((r) => ({
            revisionLocation: revisionLocationShape(r.revision),
            genericRevisionInfo: genericRevisionInfoShape(r.revisionInfo),
          })),
        };
      },
    ),

    ListApplicationRevisions: operation(shapes.ListApplicationRevisions, async (input, context) => {
      const page = await deployments.listApplicationRevisions(scopeOf(context), input);
      return { revisions: page.items.map(revisionLocationShape), nextToken: page.nextToken };
    }),
  };
}

function isMissingRevision(error: unknown): boolean {
  return (
    isAppError(error) &&
    error.kind === AppErrorKind.NotFound &&
    error.resource === DeploymentsSubject.RevisionMissing
  );
}

function describeLocation(revision: { s3Location?: { bucket?: string; key?: string } }): string {
  const s3 = revision.s3Location;
  return `s3://${s3?.bucket ?? ''}/${s3?.key ?? ''}`;
}
