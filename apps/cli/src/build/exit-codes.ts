import type { BuildStatus } from '@slipway/server/build-engine';

/**
 * `slipway build`'s exit codes: 0 only for a build that SUCCEEDED, one code per other outcome
 * so scripts can tell a failing build from a broken setup.
 */
export const exitCodes = {
  SUCCEEDED: 0,
  /** A phase failed (a command, a malformed buildspec, missing artifacts …). */
  FAILED: 1,
  /** Bad options: nothing ran. */
  USAGE: 2,
  /** The build ran past --timeout. */
  TIMED_OUT: 3,
  /** Slipway could not run the build (no sandbox, no workspace); not the build's fault. */
  FAULT: 4,
  /** Stopped by Ctrl-C (or SIGTERM): 128 + SIGINT, as shells report it. */
  STOPPED: 130,
} as const;

export function exitCodeFor(status: BuildStatus): number {
  return exitCodes[status];
}
