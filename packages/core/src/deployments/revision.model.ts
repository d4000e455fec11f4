import type { RevisionLocation } from './deployment.model.ts';

/**
 * An application revision as RegisterApplicationRevision and deployments record it (botocore
 * `GenericRevisionInfo` with the location it describes). A revision is identified by its S3
 * bucket, key, version and ETag: the bundle type is what it is read as, not what it is.
 */
export interface ApplicationRevision {
  readonly applicationName: string;
  readonly revision: RevisionLocation;
  readonly description?: string;
  /** Groups it was deployed to, in the order of first use. */
  readonly deploymentGroups: readonly string[];
  readonly registerTime: number;
  readonly firstUsedTime?: number;
  readonly lastUsedTime?: number;
}

export function revisionKey(revision: RevisionLocation): string {
  const { bucket, key, version, eTag } = revision.s3Location;
  return JSON.stringify([bucket, key, version ?? null, eTag ?? null]);
}
