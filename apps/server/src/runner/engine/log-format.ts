/**
 * CodeBuild's own log lines, written as its agent writes them so that people (and tools that
 * grep build logs) recognise them. Formats as seen in CodeBuild logs of 2024–2026:
 *   [Container] 2025/12/14 22:48:34.070970 Entering phase INSTALL
 *   [Container] 2025/12/14 22:48:34.188140 Running command echo hello
 *   [Container] 2025/04/21 14:30:17.546704 Phase complete: DOWNLOAD_SOURCE State: SUCCEEDED
 *   [Container] 2025/04/21 14:30:17.546722 Phase context status code:  Message:
 *   [Container] 2018/11/09 03:46:22 Command did not exit successfully X exit status 1
 *   … Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing
 *     command: X. Reason: exit status 1
 * Times are UTC, as in CodeBuild's containers.
 */
import type { PhaseContext } from './build-model.ts';

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `2024/01/01 00:00:00.000000` (UTC; the clock has milliseconds, so the last 3 digits are 0). */
export function formatLogTime(epochMs: number): string {
  const d = new Date(epochMs);
  const micros = Math.floor((epochMs - Math.floor(epochMs / 1000) * 1000) * 1000);
  return (
    `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.` +
    pad(micros, 6)
  );
}

export function containerLine(epochMs: number, message: string): string {
  return `[Container] ${formatLogTime(epochMs)} ${message}`;
}

/** The context CodeBuild gives a phase whose command failed. */
export function commandErrorContext(command: string, reason: string): PhaseContext {
  return {
    statusCode: 'COMMAND_EXECUTION_ERROR',
    message: `Error while executing command: ${command}. Reason: ${reason}`,
  };
}

/** Go's os/exec wording, which CodeBuild's agent (written in Go) passes on. */
export function exitReason(exitCode: number | null): string {
  return exitCode === null ? 'signal: killed' : `exit status ${exitCode}`;
}

export function phaseContextLine(context: PhaseContext): string {
  return `Phase context status code: ${context.statusCode} Message: ${context.message}`;
}
