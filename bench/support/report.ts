/** What each benchmark hands back: its full section, the lines for the summary, what went wrong. */
export interface BenchReport {
  readonly name: string;
  readonly text: string;
  readonly headline: readonly string[];
  /** Anything that makes the figures untrustworthy (errors, lost jobs); empty when clean. */
  readonly failures: readonly string[];
}

export function formatFailures(report: BenchReport): string {
  if (report.failures.length === 0) return '';
  const bar = '!'.repeat(78);
  return [
    bar,
    `!!! ${report.name}: ${report.failures.length} PROBLEM(S) — THESE FIGURES ARE NOT VALID`,
    ...report.failures.map((failure) => `!!!   ${failure}`),
    bar,
  ].join('\n');
}

/** Prints a report as `npx tsx bench/<file>.ts` shows it, and fails the process on problems. */
export function printReport(report: BenchReport): void {
  process.stdout.write(`${report.text}\n`);
  const failures = formatFailures(report);
  if (failures !== '') {
    process.stdout.write(`\n${failures}\n`);
    process.exitCode = 1;
  }
}

/** Progress goes to stderr so stdout holds only the figures. */
export function progress(message: string): void {
  process.stderr.write(`… ${message}\n`);
}

/** True when `moduleFilename` is the script node was asked to run (not imported by run.ts). */
export function isMain(moduleFilename: string): boolean {
  return process.argv[1] === moduleFilename;
}
