import type { PipelineDeclaration, PipelineType } from './declaration.model.ts';
import type { DeclarationProblems } from './declaration-problems.ts';
import { describe, runsBefore, type PlacedAction } from './declaration-walk.ts';
import {
  findVariableReferences,
  pipelineExecutionVariables,
  reservedNamespaces,
} from './variable-references.ts';

/**
 * Namespaces and `#{…}` references (InvalidActionDeclarationException). A consumer must run
 * later than the producer: a later stage, or a higher runOrder in the same stage.
 */
export function checkVariables(
  p: DeclarationProblems,
  pipeline: PipelineDeclaration,
  actions: readonly PlacedAction[],
  pipelineType: PipelineType,
): void {
  const producers = checkNamespaces(p, actions);
  const declared = new Set((pipeline.variables ?? []).map((v) => v.name));
  for (const placed of actions) {
    for (const ref of findVariableReferences(placed.action)) {
      const at = `${placed.path}.${ref.field}`;
      const text = `#{${ref.namespace}.${ref.variable}}`;
      if (ref.namespace === reservedNamespaces.pipeline) {
        if (!(pipelineExecutionVariables as readonly string[]).includes(ref.variable)) {
          p.action(at, `${text}: the codepipeline namespace has no variable '${ref.variable}'`);
        }
      } else if (ref.namespace === reservedNamespaces.variables) {
        if (pipelineType === 'V1') {
          p.action(at, `${text}: pipeline-level variables are only available in V2 pipelines`);
        } else if (!declared.has(ref.variable)) {
          p.action(at, `${text}: the pipeline declares no variable '${ref.variable}'`);
        }
      } else {
        const producer = producers.get(ref.namespace);
        if (!producer) {
          p.action(at, `${text}: no action has the namespace '${ref.namespace}'`);
        } else if (!runsBefore(producer, placed)) {
          p.action(
            at,
            `${text}: the namespace '${ref.namespace}' belongs to ${describe(producer)}, which does not run before this action`,
          );
        }
      }
    }
  }
}

/** Unique, not reserved, and not an artifact name (pipeline structure reference). */
function checkNamespaces(
  p: DeclarationProblems,
  actions: readonly PlacedAction[],
): Map<string, PlacedAction> {
  const artifacts = new Set(
    actions.flatMap((a) => (a.action.outputArtifacts ?? []).map((o) => o.name)),
  );
  const producers = new Map<string, PlacedAction>();
  for (const placed of actions) {
    const namespace = placed.action.namespace;
    if (namespace === undefined) continue;
    const at = `${placed.path}.namespace`;
    const earlier = producers.get(namespace);
    if (earlier) {
      p.action(at, `namespace '${namespace}' is already used by ${describe(earlier)}`);
      continue;
    }
    // Our choice: AWS does not document refusing these, but they could never be referenced.
    if (namespace === reservedNamespaces.pipeline || namespace === reservedNamespaces.variables) {
      p.action(at, `namespace '${namespace}' is reserved by CodePipeline`);
    } else if (artifacts.has(namespace)) {
      p.action(at, `namespace '${namespace}' is also the name of an output artifact`);
    }
    producers.set(namespace, placed);
  }
  return producers;
}
