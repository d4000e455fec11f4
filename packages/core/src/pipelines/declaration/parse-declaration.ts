import type {
  ArtifactStore,
  FailureConditions,
  GitConfiguration,
  GitFilterCriteria,
  PipelineDeclaration,
  PipelineTriggerDeclaration,
  PipelineVariableDeclaration,
  StageDeclaration,
} from './declaration.model.ts';
import { executionModes, gitPullRequestEventTypes, pipelineTypes } from './declaration.model.ts';
import type { DeclarationProblems } from './declaration-problems.ts';
import {
  artifactStoreLocationPattern,
  limits,
  namePattern,
  variableNamePattern,
} from './declaration-limits.ts';
import { parseAction, parseConditions, roleArnRule, type UntypedActions } from './parse-action.ts';
import {
  compact,
  readEnum,
  readList,
  readRecord,
  readString,
  type StringRule,
} from './shape-readers.ts';

const nameRule: StringRule = {
  required: true,
  min: 1,
  max: limits.nameLength,
  pattern: namePattern,
};

/**
 * Reads the declaration's shape (ValidationException problems). Unknown fields are ignored,
 * not refused: newer SDKs may send members this model does not know yet. Returns undefined
 * only when the input is not an object at all.
 */
export function parseDeclaration(
  p: DeclarationProblems,
  input: unknown,
  untyped: UntypedActions,
): PipelineDeclaration | undefined {
  const raw = readRecord(p, 'pipeline', input, true);
  if (!raw) return undefined;
  const name = readString(p, 'name', raw.name, nameRule);
  const roleArn = readString(p, 'roleArn', raw.roleArn, { required: true, ...roleArnRule });
  return compact({
    name: name ?? (typeof raw.name === 'string' ? raw.name : ''),
    roleArn: roleArn ?? '',
    artifactStore: parseArtifactStore(p, 'artifactStore', raw.artifactStore),
    artifactStores: parseArtifactStores(p, raw.artifactStores),
    stages:
      readList(p, 'stages', raw.stages, { required: true }, (at, item) =>
        parseStage(p, at, item, untyped),
      ) ?? [],
    // Server-managed: accepted and ignored, as UpdatePipeline echoes the current one back.
    version: undefined,
    executionMode: readEnum(p, 'executionMode', raw.executionMode, executionModes),
    pipelineType: readEnum(p, 'pipelineType', raw.pipelineType, pipelineTypes),
    variables: readList(p, 'variables', raw.variables, limits.variables, (at, item) =>
      parseVariable(p, at, item),
    ),
    triggers: readList(p, 'triggers', raw.triggers, { max: limits.triggers.max }, (at, item) =>
      parseTrigger(p, at, item),
    ),
  });
}

function parseArtifactStore(
  p: DeclarationProblems,
  path: string,
  value: unknown,
): ArtifactStore | undefined {
  const raw = readRecord(p, path, value);
  if (!raw) return undefined;
  const type = readEnum(p, `${path}.type`, raw.type, ['S3'] as const, true);
  const location = readString(p, `${path}.location`, raw.location, {
    required: true,
    min: 3,
    max: 63,
    pattern: artifactStoreLocationPattern,
  });
  const keyRaw = readRecord(p, `${path}.encryptionKey`, raw.encryptionKey);
  let encryptionKey: ArtifactStore['encryptionKey'];
  if (keyRaw) {
    const id = readString(p, `${path}.encryptionKey.id`, keyRaw.id, {
      required: true,
      min: 1,
      max: 400,
    });
    const keyType = readEnum(p, `${path}.encryptionKey.type`, keyRaw.type, ['KMS'] as const, true);
    if (id !== undefined && keyType) encryptionKey = { id, type: keyType };
  }
  if (!type || location === undefined) return undefined;
  return compact({ type, location, encryptionKey });
}

function parseArtifactStores(
  p: DeclarationProblems,
  value: unknown,
): Record<string, ArtifactStore> | undefined {
  const raw = readRecord(p, 'artifactStores', value);
  if (!raw) return undefined;
  const stores: Record<string, ArtifactStore> = {};
  for (const [region, item] of Object.entries(raw)) {
    const at = `artifactStores.${region}`;
    if (region.length < limits.regionLength.min || region.length > limits.regionLength.max) {
      p.shape(at, 'region names must be 4 to 30 characters');
    }
    const store = parseArtifactStore(p, at, item);
    if (store) stores[region] = store;
  }
  return stores;
}

function parseStage(
  p: DeclarationProblems,
  path: string,
  value: unknown,
  untyped: UntypedActions,
): StageDeclaration | undefined {
  const raw = readRecord(p, path, value);
  if (!raw) return undefined;
  const name = readString(p, `${path}.name`, raw.name, nameRule);
  const onFailure = parseFailureConditions(p, `${path}.onFailure`, raw.onFailure);
  const onSuccess = readRecord(p, `${path}.onSuccess`, raw.onSuccess);
  const beforeEntry = readRecord(p, `${path}.beforeEntry`, raw.beforeEntry);
  const success =
    onSuccess && parseConditions(p, `${path}.onSuccess.conditions`, onSuccess.conditions, true);
  const entry =
    beforeEntry &&
    parseConditions(p, `${path}.beforeEntry.conditions`, beforeEntry.conditions, true);
  return compact({
    name: name ?? (typeof raw.name === 'string' ? raw.name : ''),
    blockers: readList(p, `${path}.blockers`, raw.blockers, {}, (at, item) => {
      const blocker = readRecord(p, at, item);
      if (!blocker) return undefined;
      const blockerName = readString(p, `${at}.name`, blocker.name, {
        required: true,
        min: 1,
        max: limits.nameLength,
      });
      const type = readEnum(p, `${at}.type`, blocker.type, ['Schedule'] as const, true);
      return blockerName === undefined || !type ? undefined : { name: blockerName, type };
    }),
    actions:
      readList(p, `${path}.actions`, raw.actions, { required: true }, (at, item) =>
        parseAction(p, at, item, untyped),
      ) ?? [],
    onFailure,
    onSuccess: success ? { conditions: success } : undefined,
    beforeEntry: entry ? { conditions: entry } : undefined,
  });
}

function parseFailureConditions(
  p: DeclarationProblems,
  path: string,
  value: unknown,
): FailureConditions | undefined {
  const raw = readRecord(p, path, value);
  if (!raw) return undefined;
  const retryRaw = readRecord(p, `${path}.retryConfiguration`, raw.retryConfiguration);
  return compact({
    result: readEnum(p, `${path}.result`, raw.result, [
      'ROLLBACK',
      'FAIL',
      'RETRY',
      'SKIP',
    ] as const),
    retryConfiguration: retryRaw
      ? compact({
          retryMode: readEnum(p, `${path}.retryConfiguration.retryMode`, retryRaw.retryMode, [
            'FAILED_ACTIONS',
            'ALL_ACTIONS',
          ] as const),
        })
      : undefined,
    conditions: parseConditions(p, `${path}.conditions`, raw.conditions, false),
  });
}

function parseVariable(
  p: DeclarationProblems,
  path: string,
  value: unknown,
): PipelineVariableDeclaration | undefined {
  const raw = readRecord(p, path, value);
  if (!raw) return undefined;
  const name = readString(p, `${path}.name`, raw.name, {
    required: true,
    min: 1,
    max: limits.variables.nameLength,
    pattern: variableNamePattern,
  });
  const defaultValue = readString(p, `${path}.defaultValue`, raw.defaultValue, {
    min: 1,
    max: limits.variables.valueLength,
  });
  const description = readString(p, `${path}.description`, raw.description, {
    max: limits.variables.descriptionLength,
  });
  return name === undefined ? undefined : compact({ name, defaultValue, description });
}

function parseTrigger(
  p: DeclarationProblems,
  path: string,
  value: unknown,
): PipelineTriggerDeclaration | undefined {
  const raw = readRecord(p, path, value);
  if (!raw) return undefined;
  const providerType = readEnum(
    p,
    `${path}.providerType`,
    raw.providerType,
    ['CodeStarSourceConnection'] as const,
    true,
  );
  const git = parseGitConfiguration(p, `${path}.gitConfiguration`, raw.gitConfiguration);
  // Kept with a bad providerType (already reported) so later paths keep their indexes.
  return git
    ? { providerType: providerType ?? 'CodeStarSourceConnection', gitConfiguration: git }
    : undefined;
}

function parseGitConfiguration(
  p: DeclarationProblems,
  path: string,
  value: unknown,
): GitConfiguration | undefined {
  const raw = readRecord(p, path, value, true);
  if (!raw) return undefined;
  const sourceActionName = readString(
    p,
    `${path}.sourceActionName`,
    raw.sourceActionName,
    nameRule,
  );
  const filterRule = { min: 1, max: limits.triggers.filters };
  const push = readList(p, `${path}.push`, raw.push, filterRule, (at, item) => {
    const filter = readRecord(p, at, item);
    if (!filter) return undefined;
    return compact({
      tags: parseCriteria(p, `${at}.tags`, filter.tags),
      branches: parseCriteria(p, `${at}.branches`, filter.branches),
      filePaths: parseCriteria(p, `${at}.filePaths`, filter.filePaths),
    });
  });
  const pullRequest = readList(
    p,
    `${path}.pullRequest`,
    raw.pullRequest,
    filterRule,
    (at, item) => {
      const filter = readRecord(p, at, item);
      if (!filter) return undefined;
      return compact({
        events: readList(p, `${at}.events`, filter.events, { min: 1, max: 3 }, (eventAt, event) =>
          readEnum(p, eventAt, event, gitPullRequestEventTypes),
        ),
        branches: parseCriteria(p, `${at}.branches`, filter.branches),
        filePaths: parseCriteria(p, `${at}.filePaths`, filter.filePaths),
      });
    },
  );
  if (sourceActionName === undefined) return undefined;
  return compact({ sourceActionName, push, pullRequest });
}

function parseCriteria(
  p: DeclarationProblems,
  path: string,
  value: unknown,
): GitFilterCriteria | undefined {
  const raw = readRecord(p, path, value);
  if (!raw) return undefined;
  const patterns = (field: 'includes' | 'excludes') =>
    readList(
      p,
      `${path}.${field}`,
      raw[field],
      { min: 1, max: limits.triggers.patterns },
      (at, item) => readString(p, at, item, { min: 1, max: limits.triggers.patternLength }),
    );
  return compact({ includes: patterns('includes'), excludes: patterns('excludes') });
}
