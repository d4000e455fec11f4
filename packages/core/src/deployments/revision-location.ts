import type { RevisionLocation, S3RevisionLocation } from './deployment.model.ts';
import { DeploymentsProblems, DeploymentsSubject } from './deployments.errors.ts';

const bundleTypes: readonly string[] = ['zip', 'tar', 'tgz'];

/**
 * botocore `RevisionLocation` as RegisterApplicationRevision, GetApplicationRevision and
 * CreateDeployment take it: missing → RevisionRequiredException; anything but an S3 bundle of
 * type zip, tar or tgz → InvalidRevisionException (GitHub, String and AppSpecContent revisions
 * and YAML/JSON bundles are for other compute platforms or need GitHub).
 */
export function parseRevisionLocation(raw: unknown, path = 'revision'): RevisionLocation {
  const problems = new DeploymentsProblems([
    DeploymentsSubject.RevisionRequired,
    DeploymentsSubject.Revision,
  ]);
  if (raw === undefined || raw === null) {
    problems.add(DeploymentsSubject.RevisionRequired, path, 'is required');
    problems.throwIfAny();
  }
  const revision = (typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const type = revision.revisionType;
  if (type !== 'S3') {
    problems.add(
      DeploymentsSubject.Revision,
      `${path}.revisionType`,
      type === undefined
        ? 'is required'
        : `${typeof type === 'string' ? type : 'That type'} is not supported: Slipway deploys S3 revisions (zip, tar, tgz)`,
    );
  }
  const s3 = (
    typeof revision.s3Location === 'object' && revision.s3Location !== null
      ? revision.s3Location
      : undefined
  ) as Record<string, unknown> | undefined;
  if (s3 === undefined) {
    if (type === 'S3')
      problems.add(DeploymentsSubject.Revision, `${path}.s3Location`, 'is required');
    problems.throwIfAny();
  }
  const location = s3 as Record<string, unknown>;
  const text = (name: string, required: boolean) => {
    const value = location[name];
    if (value === undefined || value === null) {
      if (required)
        problems.add(DeploymentsSubject.Revision, `${path}.s3Location.${name}`, 'is required');
      return undefined;
    }
    if (typeof value !== 'string' || value === '' || value.length > 1024) {
      problems.add(
        DeploymentsSubject.Revision,
        `${path}.s3Location.${name}`,
        'must be 1 to 1024 characters',
      );
      return undefined;
    }
    return value;
  };
  const bucket = text('bucket', true);
  const key = text('key', true);
  const bundleType = text('bundleType', true);
  const version = text('version', false);
  const eTag = text('eTag', false);
  if (bundleType !== undefined && !bundleTypes.includes(bundleType)) {
    problems.add(
      DeploymentsSubject.Revision,
      `${path}.s3Location.bundleType`,
      'must be zip, tar or tgz for the Server compute platform',
    );
  }
  problems.throwIfAny();
  const s3Location: S3RevisionLocation = {
    bucket: bucket as string,
    key: key as string,
    bundleType: bundleType as S3RevisionLocation['bundleType'],
    ...(version === undefined ? {} : { version }),
    ...(eTag === undefined ? {} : { eTag }),
  };
  return { revisionType: 'S3', s3Location };
}
