import type { ArtifactSink } from './artifact-sink.ts';
import type { BuildBudget } from './build-budget.ts';
import type { BuildLog } from './build-log.ts';
import {
  emptyContext,
  type BuildStatus,
  type PhaseContext,
  type PhaseRecord,
  type PhaseStatus,
  type PhaseType,
} from './build-model.ts';
import type { BuildReporter } from './build-reporter.ts';
import type { BuildRun } from './build-run.ts';
import type { CommandMarkers } from './command-markers.ts';
import { phaseContextLine } from './log-format.ts';

/** What every step of one build shares. */
export interface EngineContext {
  readonly run: BuildRun;
  readonly reporter: BuildReporter;
  readonly sink: ArtifactSink;
  readonly log: BuildLog;
  readonly phases: PhaseRecorder;
  readonly progress: BuildProgress;
  readonly budget: BuildBudget;
  readonly markers: CommandMarkers;
  readonly now: () => number;
  readonly maxLineBytes: number | undefined;
}

export type EndedStatus = Exclude<PhaseStatus, 'IN_PROGRESS'>;

/** Starts and ends phases: the reporter's events, CodeBuild's log lines, the phase list. */
export class PhaseRecorder {
  readonly records: PhaseRecord[] = [];
  readonly #reporter: BuildReporter;
  readonly #log: BuildLog;
  readonly #now: () => number;

  constructor(reporter: BuildReporter, log: BuildLog, now: () => number) {
    this.#reporter = reporter;
    this.#log = log;
    this.#now = now;
  }

  async start(phaseType: PhaseType): Promise<number> {
    const startTime = this.#now();
    this.#log.phase = phaseType;
    await this.#reporter.phaseStarted({ phaseType, startTime });
    return startTime;
  }

  /** Ends a phase; `logged` phases get CodeBuild's "Phase complete" and context lines. */
  async end(
    phaseType: PhaseType,
    startTime: number,
    status: EndedStatus,
    context: PhaseContext = emptyContext,
    logged = true,
  ): Promise<void> {
    const endTime = this.#now();
    if (logged) {
      await this.#log.agent(
        `Phase complete: ${phaseType} State: ${status}`,
        phaseContextLine(context),
      );
    }
    const record: PhaseRecord = {
      phaseType,
      phaseStatus: status,
      startTime,
      endTime,
      durationInSeconds: Math.max(0, Math.floor((endTime - startTime) / 1000)),
      contexts: [context],
    };
    this.records.push(record);
    await this.#reporter.phaseEnded(record);
  }

  async completed(): Promise<void> {
    const startTime = await this.start('COMPLETED');
    const record: PhaseRecord = {
      phaseType: 'COMPLETED',
      phaseStatus: undefined,
      startTime,
      endTime: undefined,
      durationInSeconds: undefined,
      contexts: [],
    };
    this.records.push(record);
    await this.#reporter.phaseEnded(record);
  }
}

/** The build's standing as phases end: what CODEBUILD_BUILD_SUCCEEDING and the status say. */
export class BuildProgress {
  #failed = false;
  #ended: 'TIMED_OUT' | 'STOPPED' | 'FAULT' | undefined;
  /** BUILD ran (whatever its status): POST_BUILD and UPLOAD_ARTIFACTS follow it. */
  buildRan = false;
  /** A failure (ABORT, or the default before BUILD) sends the build to FINALIZING. */
  skipToFinalizing = false;

  note(status: EndedStatus): void {
    if (status === 'FAILED') this.#failed = true;
    else if (status !== 'SUCCEEDED') this.#ended ??= status;
  }

  /** The build was stopped, timed out or broke: nothing but FINALIZING runs now. */
  get ended(): boolean {
    return this.#ended !== undefined;
  }

  get succeeding(): boolean {
    return !this.#failed && this.#ended === undefined;
  }

  get status(): BuildStatus {
    return this.#ended ?? (this.#failed ? 'FAILED' : 'SUCCEEDED');
  }
}
