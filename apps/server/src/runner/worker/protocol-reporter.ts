import type { JobClient, LogAppendRequest } from '@slipway/protocol';
import type { BuildOutcome, PhaseRecord, PhaseType } from '../engine/build-model.ts';
import type { BuildReporter, LogLine } from '../engine/build-reporter.ts';

export interface ProtocolReporterOptions {
  readonly client: Pick<JobClient, 'appendLogs' | 'updatePhase' | 'completeBuild'>;
  readonly jobId: string;
  readonly leaseId: string;
  /** Lines are sent at least this often while a build prints. */
  readonly flushMs?: number;
}

/** CloudWatch's PutLogEvents limits, which GetLogEvents readers expect batches within. */
const maxBatchEvents = 1_000;
const maxBatchBytes = 256 * 1024;

/**
 * The engine's reporter for a server build: phases, log batches and the outcome go to the
 * server over the job protocol. Log lines are batched (by count, size and time) under one
 * sequence number each, so a retried batch is never stored twice; a full batch makes the engine
 * wait for its upload, so a build printing faster than the server stores holds its output
 * instead of growing this process.
 */
export class ProtocolReporter implements BuildReporter {
  readonly #options: ProtocolReporterOptions;
  #logSequence = 0;
  #phaseSequence = 0;
  #pending: LogAppendRequest['events'][number][] = [];
  #pendingBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  /** The upload in flight; batches go one after another, in order. */
  #sending: Promise<void> = Promise.resolve();
  #failure: unknown;

  constructor(options: ProtocolReporterOptions) {
    this.#options = options;
  }

  /** Phase starts and ends sent so far. */
  get phasesReported(): number {
    return this.#phaseSequence;
  }

  async phaseStarted(event: { phaseType: PhaseType; startTime: number }): Promise<void> {
    // COMPLETED is the server's: it closes the build when the outcome arrives.
    if (event.phaseType === 'COMPLETED') return;
    // Lines of the previous phase reach the log before the phase changes.
    await this.#flush();
    await this.#client.updatePhase(this.#options.jobId, {
      leaseId: this.#options.leaseId,
      sequence: (this.#phaseSequence += 1),
      phaseType: event.phaseType,
      startTime: event.startTime,
    });
  }

  async phaseEnded(record: PhaseRecord): Promise<void> {
    if (record.phaseType === 'COMPLETED') return;
    await this.#flush();
    await this.#client.updatePhase(this.#options.jobId, {
      leaseId: this.#options.leaseId,
      sequence: (this.#phaseSequence += 1),
      phaseType: record.phaseType,
      phaseStatus: record.phaseStatus,
      startTime: record.startTime,
      endTime: record.endTime,
      contexts: record.contexts,
    });
  }

  log(lines: readonly LogLine[]): Promise<void> | void {
    this.#throwIfFailed();
    for (const line of lines) {
      this.#pending.push({ timestamp: line.time, message: line.text });
      this.#pendingBytes += Buffer.byteLength(line.text) + 26;
      if (this.#pending.length >= maxBatchEvents || this.#pendingBytes >= maxBatchBytes) {
        this.#startSend();
      }
    }
    if (this.#pending.length > 0) {
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        this.#startSend();
      }, this.#options.flushMs ?? 200);
    }
    // Backpressure: while a batch is in flight, the engine waits for it.
    return this.#pending.length >= maxBatchEvents ? this.#sending : undefined;
  }

  artifactProduced(): void {}

  reportProduced(): void {}

  async buildCompleted(outcome: BuildOutcome): Promise<void> {
    await this.#flush();
    await this.#client.completeBuild(
      this.#options.jobId,
      toCompleteRequest(this.#options.leaseId, outcome),
    );
  }

  /** Sends what is pending and waits for every batch so far. */
  async #flush(): Promise<void> {
    this.#startSend();
    await this.#sending;
    this.#throwIfFailed();
  }

  #startSend(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#pending.length === 0) return;
    const events = this.#pending;
    this.#pending = [];
    this.#pendingBytes = 0;
    const sequence = (this.#logSequence += 1);
    const { jobId, leaseId } = this.#options;
    this.#sending = this.#sending
      .then(() => this.#client.appendLogs(jobId, { leaseId, sequence, events }))
      .catch((error: unknown) => {
        // Kept for the engine's next call, which then fails the build (a lost lease, mostly).
        this.#failure ??= error;
      });
  }

  #throwIfFailed(): void {
    if (this.#failure === undefined) return;
    throw this.#failure instanceof Error ? this.#failure : new Error('a log upload failed');
  }

  get #client() {
    return this.#options.client;
  }
}

function toCompleteRequest(leaseId: string, outcome: BuildOutcome) {
  return {
    leaseId,
    buildStatus: outcome.buildStatus,
    endTime: outcome.endTime,
    resolvedSourceVersion: outcome.resolvedSourceVersion,
    exportedEnvironmentVariables: outcome.exportedVariables.map(({ name, value }) => ({
      name,
      value,
    })),
    artifacts: outcome.artifacts.map((artifact) => ({
      identifier: artifact.identifier,
      location: artifact.location,
      md5sum: artifact.md5sum,
      sha256sum: artifact.sha256sum,
    })),
    reports: outcome.reports.map((report) => ({
      reportGroup: report.reportGroup,
      reportGroupName: report.reportGroupName,
      fileFormat: report.fileFormat,
      status: report.status,
      statusMessage: report.statusMessage,
      summary: report.summary,
      truncated: report.truncated,
      testCases: report.testCases.map((testCase) => ({ ...testCase })),
    })),
  };
}
