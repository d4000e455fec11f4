import { zeroCommitId, type PushedFiles } from '@slipway/core';
import { isObjectId, runGit } from './git-process.ts';

export interface GitPushedFilesDeps {
  /** The bare repository of an id: `GitCli.directoryOf`. */
  readonly directoryOf: (repositoryId: string) => string;
  readonly gitBinary?: string | undefined;
}

/**
 * The files a push changed, for trigger `filePaths` filters: `git diff --name-only` between the
 * old and new tips; for a new ref, the new commit against its first parent; for a root commit,
 * every file it holds. Renames count as both paths (`--no-renames`), as a path filter expects.
 */
export class GitPushedFiles implements PushedFiles {
  readonly #deps: GitPushedFilesDeps;

  constructor(deps: GitPushedFilesDeps) {
    this.#deps = deps;
  }

  async changedFiles(input: {
    readonly repositoryId: string;
    readonly oldCommitId: string | undefined;
    readonly newCommitId: string;
  }): Promise<string[]> {
    const { repositoryId, newCommitId } = input;
    const oldCommitId = input.oldCommitId === zeroCommitId ? undefined : input.oldCommitId;
    for (const id of [newCommitId, oldCommitId]) {
      if (id !== undefined && !isObjectId(id)) throw new Error(`Invalid commit id: ${id}`);
    }
    const gitDir = this.#deps.directoryOf(repositoryId);
    const git = (args: string[]) => runGit({ gitDir, args, gitBinary: this.#deps.gitBinary });
    const base = oldCommitId ?? (await firstParent(git, newCommitId));
    const output =
      base === undefined
        ? await git(['ls-tree', '-r', '--name-only', '-z', newCommitId])
        : await git([
            'diff',
            '--no-ext-diff',
            '--no-renames',
            '--name-only',
            '-z',
            base,
            newCommitId,
          ]);
    return output
      .toString('utf8')
      .split('\0')
      .filter((path) => path !== '');
  }
}

async function firstParent(
  git: (args: string[]) => Promise<Buffer>,
  commitId: string,
): Promise<string | undefined> {
  // `<commit> <parent1> <parent2>…` on one line.
  const line = (await git(['rev-list', '--parents', '-n', '1', commitId])).toString('utf8').trim();
  const parent = line.split(' ')[1];
  return parent !== undefined && isObjectId(parent) ? parent : undefined;
}
