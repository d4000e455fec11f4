import {
  BuildPhaseType,
  BuildStatus,
  buildPhaseOrder,
  type BuildPhase,
  type FinalStatus,
  type PhaseContext,
} from './build.model.ts';

/**
 * CodeBuild's phase bookkeeping, pure (aws-compat §4.2). The server owns SUBMITTED, QUEUED and
 * COMPLETED and opens PROVISIONING when a runner claims the build; the runner reports the rest.
 * Reports must follow the phase order, one phase at a time, and nothing but FINALIZING may
 * follow a phase that ended FAULT, TIMED_OUT or STOPPED, or a failed PROVISIONING or
 * DOWNLOAD_SOURCE. After a failed command phase (INSTALL … POST_BUILD) any later phase may
 * come: `on-failure: CONTINUE` carries on, and POST_BUILD and UPLOAD_ARTIFACTS run after a
 * failed BUILD; which ones run is the runner's business, it knows the buildspec.
 */

/** Phases a runner may report; the others belong to the server. */
export const runnerPhases: ReadonlySet<BuildPhaseType> = new Set([
  BuildPhaseType.Provisioning,
  BuildPhaseType.DownloadSource,
  BuildPhaseType.Install,
  BuildPhaseType.PreBuild,
  BuildPhaseType.Build,
  BuildPhaseType.PostBuild,
  BuildPhaseType.UploadArtifacts,
  BuildPhaseType.Finalizing,
]);

const abortingStatuses: ReadonlySet<FinalStatus> = new Set([
  BuildStatus.Fault,
  BuildStatus.TimedOut,
  BuildStatus.Stopped,
]);

export function phaseIndex(type: BuildPhaseType): number {
  return buildPhaseOrder.indexOf(type);
}

/** Whole seconds, rounded down, as CodeBuild reports them (14.575 s shows as 14). */
export function phaseDurationInSeconds(startTime: number, endTime: number): number {
  return Math.max(0, Math.floor((endTime - startTime) / 1000));
}

export function openPhase(phaseType: BuildPhaseType, startTime: number): BuildPhase {
  return { phaseType, startTime };
}

export function closePhase(
  phase: BuildPhase,
  phaseStatus: FinalStatus,
  endTime: number,
  contexts: readonly PhaseContext[] = [],
): BuildPhase {
  const end = Math.max(endTime, phase.startTime);
  const all = [...(phase.contexts ?? []), ...contexts];
  return {
    ...phase,
    phaseStatus,
    endTime: end,
    durationInSeconds: phaseDurationInSeconds(phase.startTime, end),
    ...(all.length > 0 ? { contexts: all } : {}),
  };
}

/** Whether the phase is still running: started, not ended, and not COMPLETED. */
export function isPhaseOpen(phase: BuildPhase): boolean {
  return phase.endTime === undefined && phase.phaseType !== BuildPhaseType.Completed;
}

/** A new build: SUBMITTED done at once, QUEUED in progress. */
export function submittedPhases(now: number): BuildPhase[] {
  return [
    closePhase(openPhase(BuildPhaseType.Submitted, now), BuildStatus.Succeeded, now),
    openPhase(BuildPhaseType.Queued, now),
  ];
}

/** A runner claimed the build: QUEUED ends, PROVISIONING begins. */
export function claimedPhases(phases: readonly BuildPhase[], now: number): BuildPhase[] {
  return [
    ...closeOpen(phases, BuildStatus.Succeeded, now),
    openPhase(BuildPhaseType.Provisioning, now),
  ];
}

/**
 * The build ends: its open phase (if any) ends with `openStatus` and `contexts`, then
 * COMPLETED is appended, as CodeBuild shows a stopped build (BUILD STOPPED, then COMPLETED).
 * With no phase open, the contexts go on the last phase, whose status stays.
 */
export function completedPhases(
  phases: readonly BuildPhase[],
  openStatus: FinalStatus,
  now: number,
  contexts: readonly PhaseContext[] = [],
): BuildPhase[] {
  const last = phases.at(-1);
  let closed: BuildPhase[];
  if (last !== undefined && isPhaseOpen(last))
    closed = closeOpen(phases, openStatus, now, contexts);
  else if (last !== undefined && contexts.length > 0) {
    closed = [
      ...phases.slice(0, -1),
      { ...last, contexts: [...(last.contexts ?? []), ...contexts] },
    ];
  } else closed = [...phases];
  return [...closed, openPhase(BuildPhaseType.Completed, now)];
}

function closeOpen(
  phases: readonly BuildPhase[],
  status: FinalStatus,
  now: number,
  contexts: readonly PhaseContext[] = [],
): BuildPhase[] {
  return phases.map((p) => (isPhaseOpen(p) ? closePhase(p, status, now, contexts) : p));
}

/** What a runner says about one phase: started (no status) or ended with a status. */
export interface PhaseReport {
  readonly phaseType: BuildPhaseType;
  readonly phaseStatus?: FinalStatus | undefined;
  readonly contexts?: readonly PhaseContext[] | undefined;
  /** The runner's clock; clamped between the previous phase's end and the server's now. */
  readonly startTime?: number | undefined;
  readonly endTime?: number | undefined;
}

export type PhaseReportResult =
  | { readonly kind: 'applied'; readonly phases: BuildPhase[] }
  /** The same report again (a retry): nothing changes. */
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'refused'; readonly reason: string };

/** Applies a runner's phase report, or says why it is out of order. */
export function applyPhaseReport(
  phases: readonly BuildPhase[],
  report: PhaseReport,
  now: number,
): PhaseReportResult {
  const { phaseType, phaseStatus } = report;
  if (!runnerPhases.has(phaseType)) {
    return refused(`${phaseType} is the server's phase; a runner cannot report it`);
  }
  const last = phases.at(-1);
  if (last === undefined) return refused('the build has no phases');
  const floor = last.endTime ?? last.startTime;
  const clamp = (time: number | undefined) => Math.min(now, Math.max(floor, time ?? now));

  if (last.phaseType === phaseType) {
    if (isPhaseOpen(last)) {
      if (phaseStatus === undefined) return { kind: 'duplicate' };
      const end = clamp(report.endTime);
      return applied([...phases.slice(0, -1), closePhase(last, phaseStatus, end, report.contexts)]);
    }
    if (phaseStatus === last.phaseStatus) return { kind: 'duplicate' };
    return refused(`${phaseType} already ended ${last.phaseStatus ?? ''}`.trim());
  }
  if (isPhaseOpen(last)) return refused(`${last.phaseType} is still in progress`);
  const problem = nextPhaseProblem(last, phaseType);
  if (problem !== undefined) return refused(problem);
  const started = openPhase(phaseType, clamp(report.startTime));
  if (phaseStatus === undefined) return applied([...phases, started]);
  const end = Math.max(started.startTime, clamp(report.endTime));
  return applied([...phases, closePhase(started, phaseStatus, end, report.contexts)]);
}

/** Why `next` may not follow the ended phase `previous`; undefined when it may. */
export function nextPhaseProblem(previous: BuildPhase, next: BuildPhaseType): string | undefined {
  if (phaseIndex(next) <= phaseIndex(previous.phaseType)) {
    return `${next} cannot follow ${previous.phaseType}`;
  }
  const status = previous.phaseStatus;
  const aborted =
    status !== undefined &&
    (abortingStatuses.has(status) ||
      (status === BuildStatus.Failed &&
        (previous.phaseType === BuildPhaseType.Provisioning ||
          previous.phaseType === BuildPhaseType.DownloadSource)));
  if (aborted && next !== BuildPhaseType.Finalizing) {
    return `only FINALIZING may follow ${previous.phaseType} ${status}`;
  }
  return undefined;
}

/** Whether any phase ended in failure of any kind. */
export function anyPhaseFailed(phases: readonly BuildPhase[]): boolean {
  return phases.some((p) => p.phaseStatus !== undefined && p.phaseStatus !== 'SUCCEEDED');
}

function applied(phases: BuildPhase[]): PhaseReportResult {
  return { kind: 'applied', phases };
}

function refused(reason: string): PhaseReportResult {
  return { kind: 'refused', reason };
}
