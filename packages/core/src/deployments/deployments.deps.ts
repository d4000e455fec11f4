import type { JobQueue } from '../jobs/jobs.ports.ts';
import type { Clock } from '../platform/clock.ts';
import type { Random } from '../platform/random.ts';
import type { S3RevisionLocation } from './deployment.model.ts';
import type { DeploymentScope, DeploymentStore } from './deployments.ports.ts';

/** What the deployments component needs of the objects component: revisions live in S3. */
export interface RevisionBundles {
  /** The bundle's ETag and version id (the bucket's latest when none is given); undefined when missing. */
  find(
    scope: DeploymentScope,
    location: S3RevisionLocation,
  ): Promise<{ readonly eTag: string; readonly versionId: string | undefined } | undefined>;
  /** A presigned GET of the bundle, for the agent: agents never hold S3 credentials. */
  presignGet(scope: DeploymentScope, location: S3RevisionLocation, expiresSeconds: number): string;
}

export interface DeploymentsDeps {
  readonly store: DeploymentStore;
  /** Host commands go on `hostCommandQueue(account, region, instance)`. */
  readonly jobs: JobQueue;
  readonly bundles: RevisionBundles;
  readonly clock: Clock;
  readonly random: Random;
}
