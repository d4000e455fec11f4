import type { Readable } from 'node:stream';
import type { ArtifactPackaging } from './build-model.ts';

/** What the engine knows about an artifact when it hands it over. */
export interface ArtifactDescriptor {
  /** Undefined for the primary artifact. */
  readonly identifier: string | undefined;
  readonly packaging: ArtifactPackaging;
  /** The artifact's name: one path segment, already checked. */
  readonly name: string;
  /** The project's artifact settings, for the sink to place it (bucket, path, namespace …). */
  readonly settings: ArtifactSettings;
}

/** A project's `artifacts` / `secondaryArtifacts[]` entry, as far as the engine cares. */
export interface ArtifactSettings {
  /** The artifactIdentifier of a secondary artifact; undefined for the primary one. */
  readonly identifier?: string;
  readonly packaging: ArtifactPackaging;
  /** The project's artifact name; used unless overrideArtifactName and the buildspec names it. */
  readonly name: string;
  readonly overrideArtifactName?: boolean;
  /** Opaque to the engine: where the sink should put it (S3 location, path, namespaceType …). */
  readonly location?: string;
  readonly path?: string;
  readonly namespaceType?: 'NONE' | 'BUILD_ID';
}

/** One file of an artifact packaged as NONE (a directory tree). */
export interface ArtifactFile {
  /** Relative, `/`-separated, checked: no `..`, no empty segments. */
  readonly path: string;
  readonly size: number;
  /** Permission bits (0o755, 0o644 …). */
  readonly mode: number;
  readonly mtime: Date;
  /** Opens the file's content; called at most once, in order. */
  open(): Readable;
}

export interface StoredArtifact {
  /** Where the artifact now is, for BatchGetBuilds' `artifacts.location`. */
  readonly location: string;
}

/**
 * Where finished artifacts go: the server uploads them to the artifact store (S3 model), and
 * `slipway build --artifacts DIR` writes them to a directory. The engine streams: an archive
 * is never held in memory, and files are opened one at a time.
 */
export interface ArtifactSink {
  /** Stores a ZIP archive, reading it to its end (or rejecting, which fails the upload). */
  putArchive(artifact: ArtifactDescriptor, archive: Readable): Promise<StoredArtifact>;
  /** Stores an unpackaged artifact, one file at a time. */
  putTree(
    artifact: ArtifactDescriptor,
    files: AsyncIterable<ArtifactFile>,
  ): Promise<StoredArtifact>;
}
