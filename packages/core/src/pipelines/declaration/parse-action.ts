import type {
  ActionDeclaration,
  ActionTypeId,
  Condition,
  EnvironmentVariable,
  InputArtifact,
  OutputArtifact,
  RuleDeclaration,
} from './declaration.model.ts';
import { actionCategories, actionOwners, conditionResults } from './declaration.model.ts';
import type { DeclarationProblems } from './declaration-problems.ts';
import {
  artifactNamePattern,
  environmentVariableNamePattern,
  limits,
  namePattern,
  namespacePattern,
  providerPattern,
  roleArnPattern,
} from './declaration-limits.ts';
import {
  compact,
  readEnum,
  readInteger,
  readList,
  readRecord,
  readString,
  readStringMap,
} from './shape-readers.ts';

/** Actions whose actionTypeId did not read: later checks skip their provider rules. */
export type UntypedActions = WeakSet<ActionDeclaration>;

const nameRule = { required: true, min: 1, max: limits.nameLength, pattern: namePattern };

/**
 * Reads one action. An action with a bad name or type is still returned (with what could be
 * read) so that its artifacts and namespace take part in the later checks instead of causing
 * a cascade of "not produced" problems.
 */
export function parseAction(
  p: DeclarationProblems,
  path: string,
  value: unknown,
  untyped: UntypedActions,
): ActionDeclaration | undefined {
  const raw = readRecord(p, path, value);
  if (!raw) return undefined;
  const name = readString(p, `${path}.name`, raw.name, nameRule);
  const typeId = parseActionTypeId(p, `${path}.actionTypeId`, raw.actionTypeId);
  const action: ActionDeclaration = compact({
    name: name ?? (typeof raw.name === 'string' ? raw.name : ''),
    actionTypeId: typeId ?? placeholderTypeId,
    runOrder: readInteger(p, `${path}.runOrder`, raw.runOrder, limits.runOrder),
    configuration: readStringMap(p, `${path}.configuration`, raw.configuration, {
      keyMax: limits.configurationKeyLength,
      valueMax: limits.configurationValueLength,
    }),
    commands: parseCommands(p, `${path}.commands`, raw.commands),
    outputArtifacts: readList(p, `${path}.outputArtifacts`, raw.outputArtifacts, {}, (at, item) =>
      parseOutputArtifact(p, at, item),
    ),
    inputArtifacts: parseInputArtifacts(p, `${path}.inputArtifacts`, raw.inputArtifacts),
    outputVariables: readList(
      p,
      `${path}.outputVariables`,
      raw.outputVariables,
      limits.outputVariables,
      (at, item) => readString(p, at, item, { min: 1, max: limits.outputVariables.length }),
    ),
    roleArn: readString(p, `${path}.roleArn`, raw.roleArn, roleArnRule),
    region: readString(p, `${path}.region`, raw.region, limits.regionLength),
    namespace: readString(p, `${path}.namespace`, raw.namespace, {
      min: 1,
      max: limits.nameLength,
      pattern: namespacePattern,
    }),
    timeoutInMinutes: readInteger(
      p,
      `${path}.timeoutInMinutes`,
      raw.timeoutInMinutes,
      limits.timeoutInMinutes,
    ),
    environmentVariables: readList(
      p,
      `${path}.environmentVariables`,
      raw.environmentVariables,
      limits.environmentVariables,
      (at, item) => parseEnvironmentVariable(p, at, item),
    ),
  });
  if (!typeId) untyped.add(action);
  return action;
}

export const roleArnRule = { max: limits.roleArnLength, pattern: roleArnPattern };

/** Stands in for an unreadable actionTypeId; such actions are in UntypedActions. */
const placeholderTypeId: ActionTypeId = {
  category: 'Build',
  owner: 'AWS',
  provider: '',
  version: '',
};

function parseActionTypeId(
  p: DeclarationProblems,
  path: string,
  value: unknown,
): ActionTypeId | undefined {
  const raw = readRecord(p, path, value, true);
  if (!raw) return undefined;
  const category = readEnum(p, `${path}.category`, raw.category, actionCategories, true);
  const owner = readEnum(p, `${path}.owner`, raw.owner, actionOwners, true);
  const provider = readString(p, `${path}.provider`, raw.provider, {
    required: true,
    min: 1,
    max: limits.providerLength,
    pattern: providerPattern,
  });
  const version = readString(p, `${path}.version`, raw.version, {
    required: true,
    min: 1,
    max: limits.versionLength,
    pattern: providerPattern,
  });
  if (!category || !owner || provider === undefined || version === undefined) return undefined;
  return { category, owner, provider, version };
}

export function parseCommands(
  p: DeclarationProblems,
  path: string,
  value: unknown,
): string[] | undefined {
  return readList(p, path, value, limits.commands, (at, item) =>
    readString(p, at, item, { min: 1, max: limits.commands.length }),
  );
}

function parseOutputArtifact(
  p: DeclarationProblems,
  path: string,
  value: unknown,
): OutputArtifact | undefined {
  const raw = readRecord(p, path, value);
  if (!raw) return undefined;
  const name = readString(p, `${path}.name`, raw.name, artifactNameRule);
  const files = readList(p, `${path}.files`, raw.files, limits.files, (at, item) =>
    readString(p, at, item, { min: 1, max: limits.files.length }),
  );
  return name === undefined ? undefined : compact({ name, files });
}

const artifactNameRule = {
  required: true,
  min: 1,
  max: limits.nameLength,
  pattern: artifactNamePattern,
};

export function parseInputArtifacts(
  p: DeclarationProblems,
  path: string,
  value: unknown,
): InputArtifact[] | undefined {
  return readList(p, path, value, {}, (at, item) => {
    const raw = readRecord(p, at, item);
    if (!raw) return undefined;
    const name = readString(p, `${at}.name`, raw.name, artifactNameRule);
    return name === undefined ? undefined : { name };
  });
}

function parseEnvironmentVariable(
  p: DeclarationProblems,
  path: string,
  value: unknown,
): EnvironmentVariable | undefined {
  const raw = readRecord(p, path, value);
  if (!raw) return undefined;
  const name = readString(p, `${path}.name`, raw.name, {
    required: true,
    min: 1,
    max: limits.environmentVariables.nameLength,
    pattern: environmentVariableNamePattern,
  });
  const val = readString(p, `${path}.value`, raw.value, {
    required: true,
    min: 1,
    max: limits.environmentVariables.valueLength,
  });
  const type = readEnum(p, `${path}.type`, raw.type, ['PLAINTEXT', 'SECRETS_MANAGER'] as const);
  if (name === undefined || val === undefined) return undefined;
  return compact({ name, value: val, type });
}

/** A stage condition list: exactly one condition, of 1 to 5 rules. */
export function parseConditions(
  p: DeclarationProblems,
  path: string,
  value: unknown,
  required: boolean,
): Condition[] | undefined {
  return readList(p, path, value, { required, min: 1, max: 1 }, (at, item) => {
    const raw = readRecord(p, at, item);
    if (!raw) return undefined;
    return compact({
      result: readEnum(p, `${at}.result`, raw.result, conditionResults),
      rules: readList(p, `${at}.rules`, raw.rules, limits.rules, (ruleAt, rule) =>
        parseRule(p, ruleAt, rule),
      ),
    });
  });
}

function parseRule(
  p: DeclarationProblems,
  path: string,
  value: unknown,
): RuleDeclaration | undefined {
  const raw = readRecord(p, path, value);
  if (!raw) return undefined;
  const name = readString(p, `${path}.name`, raw.name, nameRule);
  const typeRaw = readRecord(p, `${path}.ruleTypeId`, raw.ruleTypeId, true);
  let ruleTypeId: RuleDeclaration['ruleTypeId'] | undefined;
  if (typeRaw) {
    const at = `${path}.ruleTypeId`;
    const category = readEnum(p, `${at}.category`, typeRaw.category, ['Rule'] as const, true);
    const owner = readEnum(p, `${at}.owner`, typeRaw.owner, ['AWS'] as const);
    const provider = readString(p, `${at}.provider`, typeRaw.provider, {
      required: true,
      min: 1,
      max: limits.providerLength,
      pattern: providerPattern,
    });
    const version = readString(p, `${at}.version`, typeRaw.version, {
      min: 1,
      max: limits.versionLength,
      pattern: providerPattern,
    });
    if (category && provider !== undefined) {
      ruleTypeId = compact({ category, owner, provider, version });
    }
  }
  const rest = compact({
    configuration: readStringMap(p, `${path}.configuration`, raw.configuration, {
      keyMax: limits.configurationKeyLength,
      valueMax: limits.ruleConfigurationValueLength,
      maxEntries: 200,
    }),
    commands: parseCommands(p, `${path}.commands`, raw.commands),
    inputArtifacts: parseInputArtifacts(p, `${path}.inputArtifacts`, raw.inputArtifacts),
    roleArn: readString(p, `${path}.roleArn`, raw.roleArn, roleArnRule),
    region: readString(p, `${path}.region`, raw.region, limits.regionLength),
    timeoutInMinutes: readInteger(
      p,
      `${path}.timeoutInMinutes`,
      raw.timeoutInMinutes,
      limits.timeoutInMinutes,
    ),
  });
  if (name === undefined || !ruleTypeId) return undefined;
  return { name, ruleTypeId, ...rest };
}
