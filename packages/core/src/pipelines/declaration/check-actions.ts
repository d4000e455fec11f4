import type { ActionProviderSpec, CountRange } from './action-providers.ts';
import type { PipelineType } from './declaration.model.ts';
import type { DeclarationProblems } from './declaration-problems.ts';
import type { PlacedAction } from './declaration-walk.ts';
import type { UntypedActions } from './parse-action.ts';
import type { DeclarationContext } from './validated-pipeline.ts';

/** Action-level rules (InvalidActionDeclarationException): provider, keys, artifact counts. */
export function checkActions(
  p: DeclarationProblems,
  actions: readonly PlacedAction[],
  options: {
    readonly context: DeclarationContext;
    readonly untyped: UntypedActions;
    readonly pipelineType: PipelineType;
  },
): void {
  for (const placed of actions) {
    if (options.untyped.has(placed.action)) continue;
    checkAction(p, placed, options.context, options.pipelineType);
  }
}

function checkAction(
  p: DeclarationProblems,
  placed: PlacedAction,
  context: DeclarationContext,
  pipelineType: PipelineType,
): void {
  const { action, path } = placed;
  const { category, owner, provider, version } = action.actionTypeId;
  if (owner === 'Custom') {
    for (const problem of context.checkCustomAction?.(action) ?? []) {
      p.action(`${path}.${problem.path}`, problem.message);
    }
    return;
  }
  const spec = context.providers.find(category, owner, provider);
  if (!spec || !spec.versions.includes(version)) {
    // AWS's wording for an unknown action type.
    p.action(
      `${path}.actionTypeId`,
      `ActionType (Category: '${category}', Provider: '${provider}', Owner: '${owner}', Version: '${version}') in action '${action.name}' is not available`,
    );
    return;
  }
  if (spec.v2Only && pipelineType === 'V1') {
    p.action(`${path}.actionTypeId`, `the ${provider} action is only available in V2 pipelines`);
  }
  checkConfigurationKeys(p, placed, spec);
  checkCount(p, `${path}.inputArtifacts`, action.inputArtifacts?.length ?? 0, spec.inputArtifacts);
  checkCount(
    p,
    `${path}.outputArtifacts`,
    action.outputArtifacts?.length ?? 0,
    spec.outputArtifacts,
  );
  checkActionLevelFields(p, placed, spec);
}

function checkConfigurationKeys(
  p: DeclarationProblems,
  placed: PlacedAction,
  spec: ActionProviderSpec,
): void {
  const config = placed.action.configuration ?? {};
  const at = `${placed.path}.configuration`;
  for (const key of spec.requiredKeys) {
    if (config[key] === undefined) p.action(`${at}.${key}`, 'is required');
  }
  for (const key of Object.keys(config)) {
    if (!spec.requiredKeys.includes(key) && !spec.optionalKeys.includes(key)) {
      p.action(`${at}.${key}`, `is not a configuration key of the ${spec.provider} action`);
    }
  }
  spec.checkConfiguration?.(config, placed.action, (key, message) =>
    p.action(key === undefined ? at : `${at}.${key}`, message),
  );
}

function checkCount(p: DeclarationProblems, path: string, count: number, range: CountRange) {
  if (count >= range.min && count <= range.max) return;
  const allowed =
    range.min === range.max ? `exactly ${range.min}` : `from ${range.min} to ${range.max}`;
  p.action(path, `this action type takes ${allowed} artifacts, not ${count}`);
}

/** Fields of ActionDeclaration that only some action types accept. */
function checkActionLevelFields(
  p: DeclarationProblems,
  placed: PlacedAction,
  spec: ActionProviderSpec,
): void {
  const { action, path } = placed;
  if (spec.usesCommands) {
    if (!action.commands) p.action(`${path}.commands`, 'is required for the Commands action');
  } else {
    for (const field of ['commands', 'outputVariables', 'environmentVariables'] as const) {
      if (action[field] !== undefined) {
        p.action(`${path}.${field}`, 'is only accepted on Commands actions');
      }
    }
  }
  // botocore: timeoutInMinutes "is available only to the manual approval ActionType".
  if (action.timeoutInMinutes !== undefined && spec.provider !== 'Manual') {
    p.action(`${path}.timeoutInMinutes`, 'is only accepted on manual approval actions');
  }
  // Cross-region actions are for non-source AWS-owned actions (pipeline structure reference).
  if (action.region !== undefined && spec.category === 'Source') {
    p.action(`${path}.region`, 'source actions cannot run in another region');
  }
}
