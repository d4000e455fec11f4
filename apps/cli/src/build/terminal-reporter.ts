import type { Writable } from 'node:stream';
import type {
  BuildOutcome,
  BuildReporter,
  LogLine,
  PhaseRecord,
  PhaseType,
  ProducedArtifact,
  ProducedReport,
} from '@slipway/server/build-engine';

const codes = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
} as const;
type Style = keyof typeof codes;

/** Most failed test names listed per report group in the summary. */
const maxFailuresShown = 20;

/**
 * Prints a build as it runs: the build log (CodeBuild's own `[Container]` lines dimmed), a
 * coloured line with the status and duration as each phase ends, and at the end the artifacts,
 * a test summary per report group with the failed tests' names, and the build's status.
 * Writes wait for the terminal (backpressure), so a slow terminal slows the build.
 */
export class TerminalReporter implements BuildReporter {
  readonly #out: Writable;
  readonly #color: boolean;

  constructor(out: Writable, color: boolean) {
    this.#out = out;
    this.#color = color;
  }

  phaseStarted(): void {}

  phaseEnded(record: PhaseRecord): Promise<void> | void {
    if (record.phaseStatus === undefined || record.endTime === undefined) return;
    const seconds = ((record.endTime - record.startTime) / 1000).toFixed(2);
    const style = statusStyle(record.phaseStatus);
    return this.#write(
      `${this.#paint('bold', `==> ${record.phaseType}`)} ${this.#paint(style, record.phaseStatus)} ` +
        `${this.#paint('dim', `(${seconds} s)`)}\n`,
    );
  }

  log(lines: readonly LogLine[]): Promise<void> | void {
    let text = '';
    for (const line of lines) text += `${this.#styleLine(line)}\n`;
    return this.#write(text);
  }

  artifactProduced(): void {}
  reportProduced(): void {}

  buildCompleted(outcome: BuildOutcome): Promise<void> | void {
    const parts: string[] = ['\n'];
    for (const artifact of outcome.artifacts) parts.push(this.#artifactLine(artifact));
    if (outcome.reports.length > 0) parts.push(this.#paint('bold', 'Test reports:\n'));
    for (const report of outcome.reports) parts.push(this.#reportSummary(report));
    const failed = outcome.phases.find(
      (p) => p.phaseStatus !== undefined && p.phaseStatus !== 'SUCCEEDED',
    );
    const total = ((outcome.endTime - outcome.startTime) / 1000).toFixed(2);
    parts.push(
      `${this.#paint('bold', 'Build')} ${this.#paint(statusStyle(outcome.buildStatus), outcome.buildStatus)}` +
        (failed === undefined ? '' : ` in ${failed.phaseType}${contextText(failed)}`) +
        ` ${this.#paint('dim', `(${total} s)`)}\n`,
    );
    return this.#write(parts.join(''));
  }

  #artifactLine(artifact: ProducedArtifact): string {
    const which =
      artifact.identifier === undefined ? 'Artifact' : `Artifact ${artifact.identifier}`;
    return `${which}: ${artifact.location} (${artifact.fileCount} file(s))\n`;
  }

  #reportSummary(report: ProducedReport): string {
    const counts = report.summary.statusCounts;
    const failed = counts.FAILED + counts.ERROR;
    const style: Style =
      report.status === 'SUCCEEDED' ? 'green' : report.status === 'FAILED' ? 'red' : 'yellow';
    let text =
      `  ${report.reportGroupName}: ${this.#paint(style, report.status)} — ` +
      `${report.summary.total} total, ${counts.SUCCEEDED} passed, ${failed} failed, ` +
      `${counts.SKIPPED} skipped\n`;
    if (report.statusMessage !== undefined)
      text += `    ${this.#paint('yellow', report.statusMessage)}\n`;
    const failures = report.testCases.filter((c) => c.status === 'FAILED' || c.status === 'ERROR');
    for (const c of failures.slice(0, maxFailuresShown)) {
      const name = c.prefix === '' ? c.name : `${c.prefix}.${c.name}`;
      const message = c.message?.split('\n')[0];
      text += `    ${this.#paint('red', '✗')} ${name}${message ? `: ${message}` : ''}\n`;
    }
    if (failures.length > maxFailuresShown) {
      text += `    … and ${failures.length - maxFailuresShown} more\n`;
    }
    return text;
  }

  #styleLine(line: LogLine): string {
    if (line.source !== 'agent') return line.text;
    const running = / (Entering phase|Running command) /.test(line.text);
    return this.#paint(running ? 'cyan' : 'dim', line.text);
  }

  #paint(style: Style, text: string): string {
    return this.#color ? `${codes[style]}${text}${codes.reset}` : text;
  }

  #write(text: string): Promise<void> | void {
    if (text === '' || this.#out.write(text)) return;
    return new Promise((resolve) => this.#out.once('drain', resolve));
  }
}

function statusStyle(status: string): Style {
  return status === 'SUCCEEDED'
    ? 'green'
    : status === 'FAILED' || status === 'FAULT'
      ? 'red'
      : 'yellow';
}

function contextText(record: PhaseRecord): string {
  const context = record.contexts[0];
  if (context === undefined || context.statusCode === '') return '';
  return `: ${context.statusCode}: ${context.message.trim()}`;
}

export type { PhaseType };
