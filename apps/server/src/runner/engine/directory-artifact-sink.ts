import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, utimes } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@slipway/core';
import type {
  ArtifactDescriptor,
  ArtifactFile,
  ArtifactSink,
  StoredArtifact,
} from './artifact-sink.ts';

/**
 * Writes artifacts into a local directory, for `slipway build --artifacts DIR`: a ZIP artifact
 * as `DIR/<name>` (`.zip` added when the name lacks it), an unpackaged one as the tree
 * `DIR/<name>/…`. A previous artifact of the same name is replaced.
 */
export class DirectoryArtifactSink implements ArtifactSink {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = resolve(dir);
  }

  async putArchive(artifact: ArtifactDescriptor, archive: Readable): Promise<StoredArtifact> {
    const name = artifact.name.endsWith('.zip') ? artifact.name : `${artifact.name}.zip`;
    const target = this.#inside(name);
    await mkdir(dirname(target), { recursive: true });
    const partial = `${target}.partial`;
    try {
      await pipeline(archive, createWriteStream(partial, { mode: 0o644 }));
      await rename(partial, target);
    } finally {
      await rm(partial, { force: true });
    }
    return { location: target };
  }

  async putTree(
    artifact: ArtifactDescriptor,
    files: AsyncIterable<ArtifactFile>,
  ): Promise<StoredArtifact> {
    const target = this.#inside(artifact.name);
    await rm(target, { recursive: true, force: true });
    await mkdir(target, { recursive: true });
    for await (const file of files) {
      const path = join(target, file.path);
      if (!isInside(target, path))
        throw AppError.invalidInput(`'${file.path}' leaves the artifact`);
      await mkdir(dirname(path), { recursive: true });
      await pipeline(file.open(), createWriteStream(path, { mode: file.mode & 0o777 }));
      await utimes(path, file.mtime, file.mtime);
    }
    return { location: target };
  }

  #inside(name: string): string {
    const path = join(this.#dir, name);
    if (!isInside(this.#dir, path) || path === this.#dir) {
      throw AppError.invalidInput(`Artifact name '${name}' leaves ${this.#dir}`);
    }
    return path;
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !rel.startsWith(sep);
}
