/**
 * Why an action's `controls.signal` was aborted. Executors look at it to decide what to do with
 * the work they started elsewhere: an abandoned or timed-out action stops its build, but a worker
 * that lost its lease or is shutting down only stops waiting, since another server will resume
 * the same action from its checkpoint and needs the build still running.
 */
export const ActionAbortKind = {
  /** StopPipelineExecution with abandon: the job's heartbeat said cancelRequested. */
  Cancelled: 'cancelled',
  /** The action ran past its deadline. */
  TimedOut: 'timed-out',
  /** The job's lease is someone else's now (or lapsed): another worker owns the action. */
  LeaseLost: 'lease-lost',
  /** This server is closing; the lease lapses and another server resumes the action. */
  Released: 'released',
} as const;
export type ActionAbortKind = (typeof ActionAbortKind)[keyof typeof ActionAbortKind];

export class ActionAborted extends Error {
  readonly kind: ActionAbortKind;

  constructor(kind: ActionAbortKind, message: string) {
    super(message);
    this.name = 'ActionAborted';
    this.kind = kind;
  }
}

/** The kind of an aborted signal; undefined while it is not aborted. */
export function abortKindOf(signal: AbortSignal): ActionAbortKind | 'other' | undefined {
  if (!signal.aborted) return undefined;
  const reason: unknown = signal.reason;
  return reason instanceof ActionAborted ? reason.kind : 'other';
}

/**
 * Whether an aborted action should stop the external work it started (a build). Anything but
 * a lost lease or a shutdown does: an abort for an unknown reason is taken as "abandoned".
 */
export function stopsExternalWork(signal: AbortSignal): boolean {
  const kind = abortKindOf(signal);
  return (
    kind !== undefined && kind !== ActionAbortKind.LeaseLost && kind !== ActionAbortKind.Released
  );
}

/** The signal's reason as an Error, to throw when an executor gives up waiting. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new ActionAborted(ActionAbortKind.Released, 'aborted');
}
