import {
  BuildDispatch,
  BuildPhaseType,
  BuildStatus,
  type Build,
  type BuildEndedBy,
  type FinalStatus,
  type PhaseContext,
} from './build.model.ts';
import { completedPhases } from './build-phases.ts';

/** How a build ends: its status, and what its open phase (if any) ends with. */
export interface BuildEnding {
  readonly buildStatus: FinalStatus;
  /** The open phase's status; `buildStatus` when unset. */
  readonly phaseStatus?: FinalStatus | undefined;
  readonly contexts?: readonly PhaseContext[] | undefined;
  readonly endedBy: BuildEndedBy;
}

/** What only a runner's completion adds to an ended build. */
export type BuildResults = Partial<
  Pick<
    Build,
    | 'resolvedSourceVersion'
    | 'exportedEnvironmentVariables'
    | 'artifacts'
    | 'secondaryArtifacts'
    | 'reportArns'
  >
>;

/** The build ended: open phase closed, COMPLETED appended, dispatch `ended`. Pure. */
export function endedBuild(
  build: Build,
  ending: BuildEnding,
  now: number,
  results: BuildResults = {},
): Build {
  return {
    ...build,
    ...results,
    phases: completedPhases(
      build.phases,
      ending.phaseStatus ?? ending.buildStatus,
      now,
      ending.contexts,
    ),
    currentPhase: BuildPhaseType.Completed,
    buildStatus: ending.buildStatus,
    buildComplete: true,
    endTime: now,
    run: { ...build.run, dispatch: BuildDispatch.Ended, endedBy: ending.endedBy },
  };
}

/**
 * Phase context status codes. CodeBuild's own include COMMAND_EXECUTION_ERROR and
 * BUILD_TIMED_OUT ("Build has timed out."); RUNNER_LOST is Slipway's, for a runner whose lease
 * lapsed (CodeBuild has no such case: its fleet is its own).
 */
export const PhaseContextCode = {
  TimedOut: 'BUILD_TIMED_OUT',
  RunnerLost: 'RUNNER_LOST',
} as const;

export function queuedTimeoutEnding(minutes: number): BuildEnding {
  // CodeBuild removes a build from its queue at the queued timeout; its docs do not say with
  // which status. A timeout is what happened, so the build ends TIMED_OUT with QUEUED TIMED_OUT.
  return {
    buildStatus: BuildStatus.TimedOut,
    contexts: [
      {
        statusCode: PhaseContextCode.TimedOut,
        message: `Build timed out in the queue after ${minutes} minutes.`,
      },
    ],
    endedBy: 'server',
  };
}

export function runTimeoutEnding(minutes: number): BuildEnding {
  return {
    buildStatus: BuildStatus.TimedOut,
    contexts: [
      {
        statusCode: PhaseContextCode.TimedOut,
        message: `Build has timed out after ${minutes} minutes.`,
      },
    ],
    endedBy: 'server',
  };
}

export function stoppedEnding(): BuildEnding {
  // As CodeBuild shows a stopped build: the phase it was in ends STOPPED, no context.
  return { buildStatus: BuildStatus.Stopped, endedBy: 'server' };
}

export function lostRunnerEnding(build: Build, leaseExpiredAt: number | undefined): BuildEnding {
  const when = leaseExpiredAt === undefined ? '' : ` at ${new Date(leaseExpiredAt).toISOString()}`;
  const context = {
    statusCode: PhaseContextCode.RunnerLost,
    message: `The runner stopped responding: lease expired${when}.`,
  };
  // A build StopBuild had asked to stop ends STOPPED: losing its runner only finished the job.
  if (build.run.stopRequested) {
    return { buildStatus: BuildStatus.Stopped, contexts: [context], endedBy: 'server' };
  }
  return { buildStatus: BuildStatus.Failed, contexts: [context], endedBy: 'server' };
}
