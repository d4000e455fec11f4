import type { Readable } from 'node:stream';
import type { JobClient } from '@slipway/protocol';
import type {
  ArtifactDescriptor,
  ArtifactFile,
  ArtifactSink,
  StoredArtifact,
} from '../engine/artifact-sink.ts';

/**
 * Artifacts of a server build go to the server over the job protocol, which decides where
 * they live (the project's bucket, path and namespace): the runner holds no S3 credentials.
 * A ZIP is one streamed upload; a NONE-packaged tree is one upload per file.
 */
export class ProtocolArtifactSink implements ArtifactSink {
  readonly #client: Pick<JobClient, 'uploadArtifact'>;
  readonly #jobId: string;
  readonly #leaseId: string;

  constructor(client: Pick<JobClient, 'uploadArtifact'>, jobId: string, leaseId: string) {
    this.#client = client;
    this.#jobId = jobId;
    this.#leaseId = leaseId;
  }

  async putArchive(artifact: ArtifactDescriptor, archive: Readable): Promise<StoredArtifact> {
    return this.#client.uploadArtifact(this.#jobId, this.#query(artifact), archive);
  }

  async putTree(
    artifact: ArtifactDescriptor,
    files: AsyncIterable<ArtifactFile>,
  ): Promise<StoredArtifact> {
    let stored: StoredArtifact | undefined;
    for await (const file of files) {
      stored = await this.#client.uploadArtifact(
        this.#jobId,
        { ...this.#query(artifact), path: file.path },
        file.open(),
      );
    }
    // An empty tree still has a place: ask for it with no file.
    return stored ?? this.#client.uploadArtifact(this.#jobId, this.#query(artifact), empty());
  }

  #query(artifact: ArtifactDescriptor) {
    return {
      leaseId: this.#leaseId,
      name: artifact.name,
      packaging: artifact.packaging,
      ...(artifact.identifier === undefined ? {} : { identifier: artifact.identifier }),
    };
  }
}

async function* empty(): AsyncIterable<Uint8Array> {}
