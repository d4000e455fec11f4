import type { Draft } from './draft.ts';

/**
 * Who may enter a stage, by execution mode (reference/aws-compat.md §3.5):
 * - SUPERSEDED: one execution per stage; one waits in front of it, and a newer arrival
 *   supersedes the one waiting (only between stages: a running one is never superseded).
 * - QUEUED: one execution per stage; the others wait in arrival order.
 * - PARALLEL: no locks.
 * In every mode a disabled inbound transition of the stage, or outbound transition of the one
 * before it, holds executions in front of the stage until it is enabled. The shared state lives
 * in the pipeline runtime, changed under the pipeline's lock.
 */
export type EntryDecision = 'entered' | 'waiting' | 'superseded';

export function tryEnterStage(draft: Draft, stageIndex: number): EntryDecision {
  const stage = draft.env.pipeline.stages[stageIndex];
  if (stage === undefined) throw new Error(`no stage ${stageIndex}`);
  const me = draft.execution.id;
  const mode = draft.execution.executionMode;
  const position = draft.execution.position;
  const state = draft.stageRuntime(stage.name);
  const waiting = state.waiting ?? [];
  const queued = position.kind === 'before-stage' && position.queued === true;
  if (queued && !waiting.includes(me) && state.holder !== me) return 'superseded';

  const previous = draft.env.pipeline.stages[stageIndex - 1];
  const disabled =
    previous !== undefined &&
    (state.inbound?.enabled === false ||
      draft.stageRuntime(previous.name).outbound?.enabled === false);
  const lockedByOther = mode !== 'PARALLEL' && state.holder !== undefined && state.holder !== me;
  const behindOthers = mode === 'QUEUED' && waiting.length > 0 && waiting[0] !== me;
  if (disabled || lockedByOther || behindOthers) {
    if (!waiting.includes(me)) {
      if (mode === 'SUPERSEDED') {
        // The ones waiting here are older: this execution takes their place.
        for (const older of waiting) draft.wake.add(older);
        draft.setStageRuntime(stage.name, { ...state, waiting: [me] });
      } else {
        draft.setStageRuntime(stage.name, { ...state, waiting: [...waiting, me] });
      }
    }
    if (position.kind === 'before-stage' && !position.queued) {
      draft.update({ position: { ...position, queued: true } });
    }
    return 'waiting';
  }
  const rest = waiting.filter((id) => id !== me);
  if (mode !== 'PARALLEL' || rest.length !== waiting.length) {
    draft.setStageRuntime(stage.name, {
      ...state,
      holder: mode === 'PARALLEL' ? undefined : me,
      waiting: rest,
    });
  }
  return 'entered';
}

/** Frees the stage the execution held and wakes who may enter next. */
export function releaseStage(draft: Draft, stageName: string): void {
  const me = draft.execution.id;
  const state = draft.stageRuntime(stageName);
  if (state.holder === me) {
    draft.setStageRuntime(stageName, { ...state, holder: undefined });
  }
  const next = state.waiting?.[0];
  if (next !== undefined) draft.wake.add(next);
}

/** Takes the execution off the waiting list of the stage it stood in front of. */
export function leaveWaiting(draft: Draft): void {
  const position = draft.execution.position;
  if (position.kind !== 'before-stage') return;
  const stage = draft.env.pipeline.stages[position.stageIndex];
  if (stage === undefined) return;
  const state = draft.stageRuntime(stage.name);
  const waiting = state.waiting ?? [];
  if (!waiting.includes(draft.execution.id)) return;
  draft.setStageRuntime(stage.name, {
    ...state,
    waiting: waiting.filter((id) => id !== draft.execution.id),
  });
  // The next one may be free to go now (QUEUED order, or a re-enabled transition).
  const next = waiting.find((id) => id !== draft.execution.id);
  if (next !== undefined) draft.wake.add(next);
}

/** Wakes every execution waiting in front of a stage (its transition was enabled). */
export function wakeWaiting(waiting: readonly string[] | undefined, wake: Set<string>): void {
  for (const id of waiting ?? []) wake.add(id);
}
