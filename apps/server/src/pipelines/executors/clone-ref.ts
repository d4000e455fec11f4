import type { ObjectVersion } from '@slipway/core';
import { ZipFile } from 'yazl';

/**
 * The CodeCommit source's CODEBUILD_CLONE_REF output: instead of the tree, a reference that
 * lets a CodeBuild action clone the repository at the commit (so the build has the git
 * history). The artifact is a small zip holding `codebuild-clone-ref.json`, for people and
 * tools that open it, and the same facts in the object's metadata, which is what the CodeBuild
 * executor reads: no unzipping, and nothing a build can forge by producing a zip.
 */
export interface CloneRef {
  readonly accountId: string;
  readonly region: string;
  readonly repositoryName: string;
  readonly branchName: string;
  readonly commitId: string;
}

export const cloneRefFormat = 'CODEBUILD_CLONE_REF';
export const cloneRefFileName = 'codebuild-clone-ref.json';

const keys = {
  format: 'slipway-artifact-format',
  repositoryName: 'slipway-repository-name',
  commitId: 'slipway-commit-id',
} as const;

/** The object metadata that marks a clone-ref artifact. */
export function cloneRefMetadata(ref: CloneRef): Record<string, string> {
  return {
    [keys.format]: cloneRefFormat,
    [keys.repositoryName]: ref.repositoryName,
    [keys.commitId]: ref.commitId,
  };
}

/** The repository and commit an artifact object refers to, if it is a clone-ref artifact. */
export function cloneRefOf(
  version: Pick<ObjectVersion, 'metadata'>,
): { readonly repositoryName: string; readonly commitId: string } | undefined {
  const { metadata } = version;
  if (metadata[keys.format] !== cloneRefFormat) return undefined;
  const repositoryName = metadata[keys.repositoryName];
  const commitId = metadata[keys.commitId];
  if (repositoryName === undefined || commitId === undefined) return undefined;
  return { repositoryName, commitId };
}

/**
 * CodeCommit's clone URL for the repository. The server's builds door takes only the
 * `/v1/repos/<name>` part and hands the runner its own URL with credentials.
 */
export function cloneUrlOf(region: string, repositoryName: string): string {
  return `https://git-codecommit.${region}.amazonaws.com/v1/repos/${repositoryName}`;
}

/** The artifact's bytes; the same for the same reference (the entry's time is the commit's). */
export function cloneRefZip(ref: CloneRef, committedAt: Date): Promise<Buffer> {
  const document = {
    format: cloneRefFormat,
    accountId: ref.accountId,
    region: ref.region,
    repositoryName: ref.repositoryName,
    branchName: ref.branchName,
    commitId: ref.commitId,
    cloneUrl: cloneUrlOf(ref.region, ref.repositoryName),
  };
  const zip = new ZipFile();
  zip.addBuffer(Buffer.from(`${JSON.stringify(document, null, 2)}\n`), cloneRefFileName, {
    mtime: committedAt,
    mode: 0o100644,
  });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.once('error', reject);
    zip.outputStream.once('end', () => resolve(Buffer.concat(chunks)));
  });
}
