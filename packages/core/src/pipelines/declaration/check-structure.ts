import type { PipelineDeclaration } from './declaration.model.ts';
import type { DeclarationProblems } from './declaration-problems.ts';
import { limits } from './declaration-limits.ts';
import { describe, runsBefore, type PlacedAction } from './declaration-walk.ts';
import type { UntypedActions } from './parse-action.ts';

/**
 * Pipeline structure (InvalidStructureException), from the pipeline structure reference.
 * runOrder numbers need not be contiguous (1, 3, 10 is valid), so gaps are not a problem.
 */
export function checkStructure(
  p: DeclarationProblems,
  pipeline: PipelineDeclaration,
  actions: readonly PlacedAction[],
  untyped: UntypedActions,
): void {
  checkStages(p, pipeline);
  checkSourcePlacement(p, actions, untyped);
  checkActionCounts(p, pipeline, actions);
  checkArtifactFlow(p, actions);
  checkArtifactStores(p, pipeline, actions);
}

function checkStages(p: DeclarationProblems, pipeline: PipelineDeclaration): void {
  const count = pipeline.stages.length;
  if (count < limits.stages.min) {
    // AWS's message, verbatim.
    p.structure(
      'stages',
      `Pipeline has only ${count} stage(s). There should be a minimum of 2 stages in a pipeline`,
    );
  }
  if (count > limits.stages.max) p.structure('stages', `at most ${limits.stages.max} stages`);
  const seen = new Set<string>();
  pipeline.stages.forEach((stage, i) => {
    if (seen.has(stage.name)) {
      p.structure(`stages[${i}].name`, `stage name '${stage.name}' is used more than once`);
    }
    seen.add(stage.name);
    if (stage.actions.length === 0) p.stage(`stages[${i}].actions`, 'a stage needs an action');
    const actionNames = new Set<string>();
    stage.actions.forEach((action, j) => {
      if (actionNames.has(action.name)) {
        p.structure(
          `stages[${i}].actions[${j}].name`,
          `action name '${action.name}' is used more than once in stage '${stage.name}'`,
        );
      }
      actionNames.add(action.name);
    });
  });
}

function checkSourcePlacement(
  p: DeclarationProblems,
  actions: readonly PlacedAction[],
  untyped: UntypedActions,
): void {
  for (const placed of actions) {
    if (untyped.has(placed.action)) continue;
    const isSource = placed.action.actionTypeId.category === 'Source';
    if (placed.stageIndex === 0 && !isSource) {
      p.structure(
        `${placed.path}.actionTypeId.category`,
        'the first stage must contain only source actions',
      );
    } else if (placed.stageIndex > 0 && isSource) {
      p.structure(
        `${placed.path}.actionTypeId.category`,
        'source actions are allowed only in the first stage',
      );
    }
  }
}

function checkActionCounts(
  p: DeclarationProblems,
  pipeline: PipelineDeclaration,
  actions: readonly PlacedAction[],
): void {
  if (actions.length > limits.actionsPerPipeline) {
    p.structure('stages', `at most ${limits.actionsPerPipeline} actions in a pipeline`);
  }
  pipeline.stages.forEach((stage, i) => {
    if (stage.actions.length > limits.actionsPerStage) {
      p.structure(`stages[${i}].actions`, `at most ${limits.actionsPerStage} actions in a stage`);
    }
    const perRunOrder = new Map<number, number>();
    for (const action of stage.actions) {
      const runOrder = action.runOrder ?? 1;
      perRunOrder.set(runOrder, (perRunOrder.get(runOrder) ?? 0) + 1);
    }
    for (const [runOrder, count] of perRunOrder) {
      if (count > limits.parallelActions) {
        p.structure(
          `stages[${i}].actions`,
          `at most ${limits.parallelActions} parallel actions (runOrder ${runOrder} has ${count})`,
        );
      }
    }
  });
}

/** Output names are unique; every input is an output of an action that runs before. */
function checkArtifactFlow(p: DeclarationProblems, actions: readonly PlacedAction[]): void {
  const producers = new Map<string, PlacedAction>();
  for (const placed of actions) {
    placed.action.outputArtifacts?.forEach((artifact, i) => {
      const earlier = producers.get(artifact.name);
      if (earlier) {
        p.structure(
          `${placed.path}.outputArtifacts[${i}].name`,
          `output artifact '${artifact.name}' is already produced by ${describe(earlier)}`,
        );
      } else producers.set(artifact.name, placed);
    });
  }
  for (const placed of actions) {
    const names = new Set<string>();
    placed.action.inputArtifacts?.forEach((artifact, i) => {
      const at = `${placed.path}.inputArtifacts[${i}].name`;
      if (names.has(artifact.name)) {
        p.structure(at, `input artifact '${artifact.name}' is listed more than once`);
      }
      names.add(artifact.name);
      const producer = producers.get(artifact.name);
      if (!producer) {
        p.structure(at, `input artifact '${artifact.name}' is not the output of any action`);
      } else if (!runsBefore(producer, placed)) {
        p.structure(
          at,
          `input artifact '${artifact.name}' is produced by ${describe(producer)}, which does not run before this action`,
        );
      }
    });
  }
}

/** Exactly one of artifactStore and artifactStores; a cross-region action needs its store. */
function checkArtifactStores(
  p: DeclarationProblems,
  pipeline: PipelineDeclaration,
  actions: readonly PlacedAction[],
): void {
  const stores = pipeline.artifactStores;
  if (pipeline.artifactStore && stores) {
    p.structure('artifactStores', 'give either artifactStore or artifactStores, not both');
  } else if (!pipeline.artifactStore && !stores) {
    p.structure('artifactStore', 'is required (or artifactStores)');
  }
  if (!stores) return;
  for (const placed of actions) {
    const region = placed.action.region;
    if (region !== undefined && !(region in stores)) {
      p.structure(`${placed.path}.region`, `artifactStores has no store for region '${region}'`);
    }
  }
}
