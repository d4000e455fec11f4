import type { JobQueue } from '../jobs/jobs.ports.ts';
import type { Clock } from '../platform/clock.ts';
import type { Random } from '../platform/random.ts';
import type { BuildStore, LogStore, ProjectStore, ReportStore } from './builds.ports.ts';

export interface BuildsDeps {
  readonly projects: ProjectStore;
  readonly builds: BuildStore;
  readonly reports: ReportStore;
  readonly logs: LogStore;
  /** Build jobs go on `buildJobQueue`; runners claim them through `BuildsService.claimBuild`. */
  readonly jobs: JobQueue;
  readonly clock: Clock;
  readonly random: Random;
}

export interface BuildsOptions {
  /** Log bytes kept per build; later output is dropped after one truncation notice. */
  readonly maxLogBytesPerBuild?: number | undefined;
  /**
   * How long past its deadline a running build may still report before the server ends it
   * TIMED_OUT itself: the runner enforces the deadline and should report first, with its logs
   * and artifacts; the server only acts for a runner that is alive but stuck.
   */
  readonly timeoutGraceMs?: number | undefined;
  /** Held builds per unit of concurrentBuildLimit (CodeBuild's queue is five times its limit). */
  readonly maxHeldBuildsPerSlot?: number | undefined;
}

export const defaultMaxLogBytesPerBuild = 64 * 1024 * 1024;
export const defaultTimeoutGraceMs = 60_000;
export const defaultMaxHeldBuildsPerSlot = 5;
/** StartBuild's and RetryBuild's idempotency tokens are valid for five minutes. */
export const idempotencyWindowMs = 5 * 60 * 1000;

/** The options with their defaults, frozen. */
export interface ResolvedBuildsOptions {
  readonly maxLogBytesPerBuild: number;
  readonly timeoutGraceMs: number;
  readonly maxHeldBuildsPerSlot: number;
}

export function resolveBuildsOptions(options: BuildsOptions): ResolvedBuildsOptions {
  return Object.freeze({
    maxLogBytesPerBuild: options.maxLogBytesPerBuild ?? defaultMaxLogBytesPerBuild,
    timeoutGraceMs: options.timeoutGraceMs ?? defaultTimeoutGraceMs,
    maxHeldBuildsPerSlot: options.maxHeldBuildsPerSlot ?? defaultMaxHeldBuildsPerSlot,
  });
}
