import { AppErrorKind, isAppError } from '../errors/app-error.ts';
import { JobStatus, type Job } from '../jobs/job.model.ts';
import { BuildDispatch, type Build } from './build.model.ts';
import {
  endedBuild,
  lostRunnerEnding,
  queuedTimeoutEnding,
  runTimeoutEnding,
} from './build-ending.ts';
import { changeBuild, moved, type BuildsContext } from './builds.context.ts';

/** How many builds one pass handles of each kind; the next pass takes the rest. */
const batchSize = 100;

/**
 * What the server does on its own, so that no build hangs whatever crashed:
 * - `failLostBuild(jobId)`: the lease reaper found the build's job lost (its runner stopped
 *   heartbeating); the build ends FAILED with a RUNNER_LOST context (STOPPED if StopBuild had
 *   asked for it), and its project's next held build gets the slot.
 * - `expireBuilds()`: one reconcile pass, run every few seconds on every server. It times out
 *   builds past their queued or run deadline, fails builds whose job is no longer live (a
 *   reaper call lost to a crash), and dispatches held builds into free slots (a release lost
 *   to a crash between a project change and its release). Reads come first, so a pass that
 *   finds nothing writes nothing.
 * Each change is a compare-and-swap on the build, so two servers running these at once, or a
 * runner completing at the same moment, never end a build twice.
 */
export class BuildExpiry {
  readonly #context: BuildsContext;

  constructor(context: BuildsContext) {
    this.#context = context;
  }

  /** The build as it ended, or as it is when its job is not lost after all; undefined if none. */
  async failLostBuild(jobId: string): Promise<Build | undefined> {
    const build = await this.#context.deps.builds.findByJob(jobId);
    if (build === undefined) return undefined;
    return changeBuild(this.#context, build.id, async (current) => {
      if (current.buildComplete || current.run.jobId !== jobId) return current;
      const job = await this.#context.deps.jobs.findJob(jobId);
      const now = this.#context.deps.clock.now();
      if (job !== undefined && isLive(job, now)) return current;
      const ended = endedBuild(current, lostRunnerEnding(current, job?.leaseExpiresAt), now);
      const finished = await this.#context.deps.builds.finish({ build: ended, reports: [] });
      return finished?.build ?? moved;
    });
  }

  /** One reconcile pass; returns every build it changed (ended or dispatched). */
  async expireBuilds(): Promise<Build[]> {
    const { builds, clock } = this.#context.deps;
    const now = clock.now();
    const changed: Build[] = [];
    const due = await builds.listDue({
      queuedBefore: now,
      runningBefore: now - this.#context.options.timeoutGraceMs,
      limit: batchSize,
    });
    for (const build of due) {
      const ended = await this.#timeOut(build.id);
      if (ended !== undefined) changed.push(ended);
    }
    for (const build of await builds.listOrphaned(batchSize)) {
      const jobId = build.run.jobId;
      const ended = jobId === undefined ? undefined : await this.failLostBuild(jobId);
      if (ended?.buildComplete === true) changed.push(ended);
    }
    for (const project of await builds.listReleasable(batchSize)) {
      changed.push(...(await builds.releaseHeld(project)));
    }
    return changed;
  }

  /** Ends a build past its deadline TIMED_OUT and cancels its job; undefined if not due. */
  async #timeOut(buildId: string): Promise<Build | undefined> {
    const { builds, clock, jobs } = this.#context.deps;
    const now = clock.now();
    const grace = this.#context.options.timeoutGraceMs;
    const ended = await changeBuild(this.#context, buildId, async (build) => {
      if (build.buildComplete) return undefined;
      const running = build.run.dispatch === BuildDispatch.Running;
      const due = running
        ? build.run.deadline !== undefined && build.run.deadline + grace <= now
        : build.run.queuedDeadline <= now;
      if (!due) return undefined;
      const ending = running
        ? runTimeoutEnding(build.timeoutInMinutes)
        : queuedTimeoutEnding(build.queuedTimeoutInMinutes);
      const finished = await builds.finish({ build: endedBuild(build, ending, now), reports: [] });
      return finished?.build ?? moved;
    });
    const jobId = ended?.run.jobId;
    if (jobId !== undefined) {
      // A queued job is cancelled at once; a leased one tells its runner on the next heartbeat.
      await jobs.requestCancel(jobId).catch((error: unknown) => {
        if (!isAppError(error) || error.kind !== AppErrorKind.NotFound) throw error;
      });
    }
    return ended;
  }
}

/** Queued (waiting for a runner), or leased with a lease that has not lapsed. */
function isLive(job: Job, now: number): boolean {
  if (job.status === JobStatus.Queued) return true;
  return job.status === JobStatus.Leased && (job.leaseExpiresAt ?? 0) > now;
}
