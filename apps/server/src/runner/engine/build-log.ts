import type { PhaseType } from './build-model.ts';
import type { BuildReporter, LogLine, LogSource } from './build-reporter.ts';
import { containerLine } from './log-format.ts';
import { SecretMasker } from './secret-masker.ts';

/** One line before it is stamped: the agent's own text, or a line of the build's output. */
export interface PendingLine {
  readonly source: LogSource;
  readonly text: string;
}

/**
 * The build's log: stamps, masks and hands lines to the reporter in order. Agent lines get
 * CodeBuild's `[Container] <time>` prefix; a multi-line agent message (a multi-line command)
 * continues on plain lines, as CodeBuild prints it.
 */
export class BuildLog {
  readonly #reporter: BuildReporter;
  readonly #now: () => number;
  #masker = new SecretMasker([]);
  #phase: PhaseType = 'DOWNLOAD_SOURCE';
  #queued: PendingLine[] = [];

  constructor(reporter: BuildReporter, now: () => number) {
    this.#reporter = reporter;
    this.#now = now;
  }

  set phase(phase: PhaseType) {
    this.#phase = phase;
  }

  /** From now on these values are masked. */
  maskValues(values: Iterable<string>): void {
    this.#masker = new SecretMasker(values);
  }

  /** Queues an agent line, for callbacks that cannot wait; `flush` sends it. */
  queue(message: string): void {
    this.#queued.push({ source: 'agent', text: message });
  }

  async agent(...messages: string[]): Promise<void> {
    await this.write(messages.map((text) => ({ source: 'agent' as const, text })));
  }

  async flush(): Promise<void> {
    await this.write([]);
  }

  /** Sends queued lines, then these, as one batch. */
  async write(lines: readonly PendingLine[]): Promise<void> {
    const pending = this.#queued.length > 0 ? [...this.#queued.splice(0), ...lines] : lines;
    if (pending.length === 0) return;
    const time = this.#now();
    const out: LogLine[] = [];
    for (const line of pending) {
      if (line.source !== 'agent') {
        out.push(this.#line(time, line.source, line.text));
        continue;
      }
      const [first = '', ...rest] = line.text.split('\n');
      out.push(this.#line(time, 'agent', containerLine(time, first)));
      for (const more of rest) out.push(this.#line(time, 'agent', more));
    }
    await this.#reporter.log(out);
  }

  #line(time: number, source: LogSource, text: string): LogLine {
    return { time, source, text: this.#masker.mask(text), phase: this.#phase };
  }
}
