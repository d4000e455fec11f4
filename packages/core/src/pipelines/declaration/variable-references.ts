import { findVariableReferences as scanValue } from '../resolution/variable-references.ts';
import type { ActionDeclaration } from './declaration.model.ts';
import type { VariableReference } from './validated-pipeline.ts';

/**
 * Every reference in the fields CodePipeline resolves before an action runs, read by the same
 * parser that resolves them at run time (resolution/variable-references.ts), so what is
 * validated at create time is exactly what will be substituted.
 */
export function findVariableReferences(action: ActionDeclaration): VariableReference[] {
  const found: VariableReference[] = [];
  const scan = (field: string, text: string) => {
    for (const reference of scanValue(text).references) {
      found.push({ field, namespace: reference.namespace, variable: reference.name });
    }
  };
  for (const [key, value] of Object.entries(action.configuration ?? {})) {
    scan(`configuration.${key}`, value);
  }
  action.commands?.forEach((command, i) => scan(`commands[${i}]`, command));
  action.environmentVariables?.forEach((v, i) => scan(`environmentVariables[${i}].value`, v.value));
  return found;
}

/** Namespaces CodePipeline itself provides. */
export const reservedNamespaces = {
  pipeline: 'codepipeline',
  variables: 'variables',
} as const;

/** The variables of the `codepipeline` namespace. */
export const pipelineExecutionVariables = ['PipelineExecutionId'] as const;
