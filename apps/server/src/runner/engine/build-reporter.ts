import type {
  BuildOutcome,
  PhaseRecord,
  PhaseType,
  ProducedArtifact,
  ProducedReport,
} from './build-model.ts';

/**
 * Where a log line came from: the engine itself (CodeBuild's `[Container] …` lines) or the
 * build's own output.
 */
export type LogSource = 'agent' | 'stdout' | 'stderr';

export interface LogLine {
  /** Epoch milliseconds when the line was complete. */
  readonly time: number;
  readonly source: LogSource;
  /** One line, without its newline, secrets already masked. */
  readonly text: string;
  /** The phase the line belongs to. */
  readonly phase: PhaseType;
}

/**
 * What a running build tells the outside world, in order: the server runner forwards it over
 * the job protocol, `slipway build` prints it. Every method may return a promise; the engine
 * waits for it, so a slow consumer slows the build (and its output) instead of filling memory.
 * A method that throws or rejects ends the build as FAULT.
 */
export interface BuildReporter {
  phaseStarted(event: { readonly phaseType: PhaseType; readonly startTime: number }): Promisable;
  /** COMPLETED is reported here too, with no status and no end. */
  phaseEnded(record: PhaseRecord): Promisable;
  /** Lines in the order they were logged; a batch never mixes phases. */
  log(lines: readonly LogLine[]): Promisable;
  /** Known once DOWNLOAD_SOURCE has resolved the source. */
  sourceResolved?(event: { readonly resolvedSourceVersion: string | undefined }): Promisable;
  artifactProduced(artifact: ProducedArtifact): Promisable;
  reportProduced(report: ProducedReport): Promisable;
  buildCompleted(outcome: BuildOutcome): Promisable;
}

export type Promisable = void | Promise<void>;
