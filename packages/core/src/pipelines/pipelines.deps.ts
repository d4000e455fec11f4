import type { JobQueue } from '../jobs/jobs.ports.ts';
import type { Clock } from '../platform/clock.ts';
import type { Random } from '../platform/random.ts';
import type { ActionProviderRegistry } from './declaration/action-providers.ts';
import type { CustomActionTypeStore } from './custom-action-types.ports.ts';
import type { PipelineStore } from './pipelines.ports.ts';

/** Which files a push changed, for trigger `filePaths` filters (git diff in the apps). */
export interface PushedFiles {
  /**
   * Paths changed between `oldCommitId` and `newCommitId` of the repository; for a new ref
   * (`oldCommitId` undefined) the files of `newCommitId` against its first parent.
   */
  changedFiles(input: {
    readonly repositoryId: string;
    readonly oldCommitId: string | undefined;
    readonly newCommitId: string;
  }): Promise<string[]>;
}

export interface PipelinesDeps {
  readonly store: PipelineStore;
  readonly customActionTypes: CustomActionTypeStore;
  /** AWS-owned actions go on `pipelineActionQueue`; custom actions on their type's queue. */
  readonly jobs: JobQueue;
  readonly providers: ActionProviderRegistry;
  readonly pushedFiles: PushedFiles;
  readonly clock: Clock;
  readonly random: Random;
}

export interface PipelinesOptions {
  /** Claims of an action job before it is lost (executors are idempotent, so >1 is safe). */
  readonly actionJobAttempts?: number | undefined;
}

export interface ResolvedPipelinesOptions {
  readonly actionJobAttempts: number;
}

export function resolvePipelinesOptions(options: PipelinesOptions): ResolvedPipelinesOptions {
  return Object.freeze({
    actionJobAttempts: options.actionJobAttempts ?? 5,
  });
}
