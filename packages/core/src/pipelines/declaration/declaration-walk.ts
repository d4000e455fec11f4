import type { ActionDeclaration, PipelineDeclaration } from './declaration.model.ts';

/** One action with where it sits, so every check reports the same paths. */
export interface PlacedAction {
  readonly action: ActionDeclaration;
  readonly stageIndex: number;
  readonly stageName: string;
  readonly runOrder: number;
  readonly path: string;
}

export function placedActions(pipeline: PipelineDeclaration): PlacedAction[] {
  return pipeline.stages.flatMap((stage, stageIndex) =>
    stage.actions.map((action, i) => ({
      action,
      stageIndex,
      stageName: stage.name,
      runOrder: action.runOrder ?? 1,
      path: `stages[${stageIndex}].actions[${i}]`,
    })),
  );
}

/** Whether `a` finishes before `b` starts: an earlier stage, or a lower runOrder in the stage. */
export function runsBefore(a: PlacedAction, b: PlacedAction): boolean {
  return a.stageIndex < b.stageIndex || (a.stageIndex === b.stageIndex && a.runOrder < b.runOrder);
}

export function describe(placed: PlacedAction): string {
  return `action '${placed.action.name}' of stage '${placed.stageName}'`;
}
