import { checkActions } from './check-actions.ts';
import { checkStageConditions } from './check-conditions.ts';
import { checkPipelineType, effectivePipelineType } from './check-pipeline-type.ts';
import { checkStructure } from './check-structure.ts';
import { checkTriggers } from './check-triggers.ts';
import { checkVariables } from './check-variables.ts';
import type { ActionDeclaration, PipelineDeclaration } from './declaration.model.ts';
import { DeclarationProblems, type DeclarationProblem } from './declaration-problems.ts';
import { placedActions, type PlacedAction } from './declaration-walk.ts';
import { parseDeclaration } from './parse-declaration.ts';
import type {
  DeclarationContext,
  ValidatedAction,
  ValidatedPipeline,
  ValidatedStage,
  ValidatedTrigger,
} from './validated-pipeline.ts';
import { findVariableReferences } from './variable-references.ts';

export type DeclarationValidation =
  | { readonly ok: true; readonly pipeline: ValidatedPipeline }
  | { readonly ok: false; readonly problems: readonly DeclarationProblem[] };

/**
 * Checks a CreatePipeline/UpdatePipeline `pipeline` body: shape, structure, actions, stages,
 * variables and triggers, reporting every problem at once. Pure: registered custom action types
 * and extra providers come in through `context`.
 */
export function validatePipelineDeclaration(
  input: unknown,
  context: DeclarationContext,
): DeclarationValidation {
  const p = new DeclarationProblems();
  const untyped = new WeakSet<ActionDeclaration>();
  const declaration = parseDeclaration(p, input, untyped);
  if (!declaration) return { ok: false, problems: p.list };
  const pipelineType = effectivePipelineType(declaration);
  const executionMode = declaration.executionMode ?? 'SUPERSEDED';
  const actions = placedActions(declaration);
  checkPipelineType(p, declaration);
  checkStructure(p, declaration, actions, untyped);
  checkActions(p, actions, { context, untyped, pipelineType });
  checkVariables(p, declaration, actions, pipelineType);
  checkStageConditions(p, declaration, executionMode);
  const triggers = checkTriggers(p, declaration);
  checkVariableNames(p, declaration);
  if (p.list.length > 0) return { ok: false, problems: p.list };
  return {
    ok: true,
    pipeline: assemble({ declaration, actions, triggers, pipelineType, executionMode }),
  };
}

function checkVariableNames(p: DeclarationProblems, declaration: PipelineDeclaration): void {
  const seen = new Set<string>();
  declaration.variables?.forEach((variable, i) => {
    if (seen.has(variable.name)) {
      p.shape(`variables[${i}].name`, `variable '${variable.name}' is declared more than once`);
    }
    seen.add(variable.name);
  });
}

function assemble(parts: {
  readonly declaration: PipelineDeclaration;
  readonly actions: readonly PlacedAction[];
  readonly triggers: readonly ValidatedTrigger[];
  readonly pipelineType: ValidatedPipeline['pipelineType'];
  readonly executionMode: ValidatedPipeline['executionMode'];
}): ValidatedPipeline {
  const { declaration, pipelineType, executionMode } = parts;
  const normalized: PipelineDeclaration = {
    ...declaration,
    pipelineType,
    executionMode,
    stages: declaration.stages.map((stage) => ({
      ...stage,
      actions: stage.actions.map((a) => ({ ...a, runOrder: a.runOrder ?? 1 })),
    })),
  };
  const stages: ValidatedStage[] = normalized.stages.map((stage, index) => {
    const actions = parts.actions
      .filter((a) => a.stageIndex === index)
      .map(toValidatedAction)
      .sort((a, b) => a.runOrder - b.runOrder);
    return {
      name: stage.name,
      index,
      declaration: stage,
      actions,
      runOrders: [...new Set(actions.map((a) => a.runOrder))],
    };
  });
  return {
    declaration: normalized,
    name: declaration.name,
    pipelineType,
    executionMode,
    stages,
    variables: declaration.variables ?? [],
    triggers: parts.triggers,
  };
}

function toValidatedAction(placed: PlacedAction): ValidatedAction {
  const { action } = placed;
  return {
    stageName: placed.stageName,
    name: action.name,
    runOrder: placed.runOrder,
    actionTypeId: action.actionTypeId,
    configuration: action.configuration ?? {},
    inputArtifacts: (action.inputArtifacts ?? []).map((a) => a.name),
    outputArtifacts: (action.outputArtifacts ?? []).map((a) => a.name),
    namespace: action.namespace,
    references: findVariableReferences(action),
    declaration: { ...action, runOrder: placed.runOrder },
  };
}
