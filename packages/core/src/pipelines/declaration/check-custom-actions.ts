import type { FieldProblem } from '../../errors/app-error.ts';
import type { CountRange } from './action-providers.ts';
import type { CustomActionType } from '../custom-action-types.ports.ts';
import type { ActionDeclaration } from './declaration.model.ts';

/**
 * The `checkCustomAction` of a DeclarationContext for an account's registered custom action
 * types (not deleted ones): the type must exist, its required properties be set, no other key
 * be set, and the artifact counts fit its input and output details. Paths are relative to the
 * action.
 */
export function customActionChecker(
  types: readonly CustomActionType[],
): (action: ActionDeclaration) => FieldProblem[] {
  const byId = new Map(types.map((t) => [`${t.category}/${t.provider}/${t.version}`, t]));
  return (action) => {
    const { category, owner, provider, version } = action.actionTypeId;
    const type = byId.get(`${category}/${provider}/${version}`);
    if (type === undefined) {
      // AWS's wording for an unknown action type (check-actions.ts).
      return [
        {
          path: 'actionTypeId',
          message: `ActionType (Category: '${category}', Provider: '${provider}', Owner: '${owner}', Version: '${version}') in action '${action.name}' is not available`,
        },
      ];
    }
    const problems: FieldProblem[] = [];
    const configuration = action.configuration ?? {};
    for (const property of type.configurationProperties) {
      if (property.required && configuration[property.name] === undefined) {
        problems.push({ path: `configuration.${property.name}`, message: 'is required' });
      }
    }
    const known = new Set(type.configurationProperties.map((p) => p.name));
    for (const key of Object.keys(configuration)) {
      if (!known.has(key)) {
        problems.push({
          path: `configuration.${key}`,
          message: `is not a configuration property of the custom action type ${category}/${provider}/${version}`,
        });
      }
    }
    countProblem(
      problems,
      'inputArtifacts',
      action.inputArtifacts?.length ?? 0,
      type.inputArtifacts,
    );
    countProblem(
      problems,
      'outputArtifacts',
      action.outputArtifacts?.length ?? 0,
      type.outputArtifacts,
    );
    return problems;
  };
}

function countProblem(problems: FieldProblem[], path: string, count: number, range: CountRange) {
  if (count >= range.min && count <= range.max) return;
  const allowed =
    range.min === range.max ? `exactly ${range.min}` : `from ${range.min} to ${range.max}`;
  problems.push({ path, message: `this action type takes ${allowed} artifacts, not ${count}` });
}
