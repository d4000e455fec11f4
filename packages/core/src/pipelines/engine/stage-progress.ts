import type { ValidatedStage } from '../declaration/validated-pipeline.ts';
import { ActionStatus, type ActionRun, type StageRun } from '../execution.model.ts';

/**
 * The state of each declared action in the stage's current attempt: its latest run that still
 * counts (ALL_ACTIONS retries reset `countsFrom`; a FAILED_ACTIONS retry keeps earlier successes
 * but makes earlier failures run again). Undefined: not started in this attempt.
 */
export function currentRuns(
  stage: ValidatedStage,
  run: StageRun,
): Map<string, ActionRun | undefined> {
  const states = new Map<string, ActionRun | undefined>();
  for (const action of stage.actions) {
    const latest = latestRun(run, action.name);
    const counts =
      latest !== undefined &&
      latest.stageAttempt >= run.countsFrom &&
      (latest.stageAttempt === run.attempt || latest.status === ActionStatus.Succeeded);
    states.set(action.name, counts ? latest : undefined);
  }
  return states;
}

export function latestRun(run: StageRun, actionName: string): ActionRun | undefined {
  for (let i = run.actions.length - 1; i >= 0; i--) {
    const action = run.actions[i];
    if (action?.actionName === actionName) return action;
  }
  return undefined;
}

export type StageStep =
  /** Start these actions (the next runOrder group's actions not started yet). */
  | { readonly kind: 'dispatch'; readonly actions: readonly string[] }
  | { readonly kind: 'wait' }
  | { readonly kind: 'failed'; readonly summary: string }
  | { readonly kind: 'succeeded' };

/**
 * What a running stage does next: groups run in ascending runOrder; a group starts when every
 * earlier group succeeded; a failure lets the rest of its group finish, then fails the stage.
 */
export function nextStageStep(stage: ValidatedStage, run: StageRun, stopping: boolean): StageStep {
  const states = currentRuns(stage, run);
  for (const order of stage.runOrders) {
    const group = stage.actions.filter((a) => a.runOrder === order);
    const runs = group.map((a) => states.get(a.name));
    if (runs.some((r) => r?.status === ActionStatus.InProgress)) return { kind: 'wait' };
    const failed = runs.find(
      (r) => r?.status === ActionStatus.Failed || r?.status === ActionStatus.Abandoned,
    );
    if (failed !== undefined) {
      return { kind: 'failed', summary: failed.summary ?? `Action ${failed.actionName} failed` };
    }
    const notStarted = group.filter((_, i) => runs[i] === undefined).map((a) => a.name);
    if (notStarted.length > 0) {
      return stopping ? { kind: 'wait' } : { kind: 'dispatch', actions: notStarted };
    }
  }
  return { kind: 'succeeded' };
}
