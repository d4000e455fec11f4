import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BuildJobSpec, JobSource } from '@slipway/protocol';
import type { PrepareSource } from '../engine/build-run.ts';
import { fetchGitSource } from '../source/git-source.ts';
import { extractZipSource, ZipSourceError } from '../source/zip-source.ts';

/**
 * DOWNLOAD_SOURCE for a server build: each source of the job into its directory of the
 * workspace — git from the server's git door, zip archives from presigned URLs. Only the
 * primary source resolves CODEBUILD_RESOLVED_SOURCE_VERSION (a commit id; none for S3).
 */
export function prepareJobSources(spec: BuildJobSpec): PrepareSource {
  return async ({ workspace, signal, log }) => {
    const primary = await fetchSource(spec.source, workspace.srcDir, workspace.root, signal, log);
    for (const { sourceIdentifier, source } of spec.secondarySources) {
      const dir = workspace.secondarySources.find((s) => s.identifier === sourceIdentifier)?.dir;
      if (dir === undefined)
        throw new Error(`No directory for secondary source ${sourceIdentifier}`);
      await fetchSource(source, dir, workspace.root, signal, log);
    }
    return primary === undefined ? {} : { resolvedSourceVersion: primary };
  };
}

async function fetchSource(
  source: JobSource,
  directory: string,
  scratchRoot: string,
  signal: AbortSignal,
  log: (message: string) => void,
): Promise<string | undefined> {
  switch (source.kind) {
    case 'none':
      return undefined;
    case 'git': {
      log(`Fetching ${source.version ?? 'the default branch'} of ${redact(source.url)}`);
      const { commitId } = await fetchGitSource({
        url: source.url,
        credentials: { username: source.username, password: source.password },
        version: source.version,
        depth: source.depth,
        directory,
        signal,
      });
      log(`Checked out commit ${commitId}`);
      return commitId;
    }
    case 'zip': {
      const scratch = await mkdtemp(join(scratchRoot, '.download-'));
      try {
        const archive = join(scratch, 'source.zip');
        const response = await fetch(source.url, { signal });
        if (!response.ok || response.body === null) {
          throw new ZipSourceError(
            `The source archive could not be downloaded (HTTP ${response.status}).`,
          );
        }
        await pipeline(Readable.fromWeb(response.body as never), createWriteStream(archive));
        const { files, bytes } = await extractZipSource(archive, directory);
        log(`Unpacked ${files} files (${bytes} bytes) of the source archive`);
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
      return undefined;
    }
  }
}

/** A URL for the log, without any credentials or query (presigned signatures). */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return '(source)';
  }
}
