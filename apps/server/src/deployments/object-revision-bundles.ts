import {
  AppErrorKind,
  isAppError,
  type DeploymentScope,
  type ObjectsService,
  type RevisionBundles,
  type S3RevisionLocation,
} from '@slipway/core';
import type { ArtifactStore } from '../objects/artifact-store.ts';

/**
 * Revisions are S3 objects in Slipway's own object store: found through the objects service,
 * handed to agents as presigned URLs (signed as the installation's administrator, as the
 * artifact store signs runners' URLs).
 */
export class ObjectRevisionBundles implements RevisionBundles {
  readonly #objects: ObjectsService;
  readonly #artifacts: ArtifactStore;

  constructor(deps: { readonly objects: ObjectsService; readonly artifacts: ArtifactStore }) {
    this.#objects = deps.objects;
    this.#artifacts = deps.artifacts;
  }

  async find(scope: DeploymentScope, location: S3RevisionLocation) {
    try {
      const { version } = await this.#objects.headObject({
        scope,
        bucket: location.bucket,
        key: location.key,
        versionId: location.version,
      });
      if (version.isDeleteMarker) return undefined;
      return {
        eTag: version.etag,
        versionId: version.versionId === 'null' ? undefined : version.versionId,
      };
    } catch (error) {
      if (isAppError(error) && error.kind === AppErrorKind.NotFound) return undefined;
      throw error;
    }
  }

  presignGet(_scope: DeploymentScope, location: S3RevisionLocation, expiresSeconds: number) {
    return this.#artifacts.presign({
      method: 'GET',
      bucket: location.bucket,
      key: location.key,
      versionId: location.version,
      expiresSeconds,
    });
  }
}
