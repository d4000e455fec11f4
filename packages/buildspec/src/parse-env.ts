/**
 * The buildspec `env` section. Parameter Store and Secrets Manager entries are parsed and kept
 * whole so the engine can say plainly that it cannot resolve them yet, rather than the parser
 * dropping them.
 */
import {
  shells,
  type BuildspecEnv,
  type SecretsManagerVariable,
  type Shell,
} from './buildspec.model.ts';
import {
  fieldsOf,
  readBoolean,
  readMap,
  readNameValues,
  readString,
  readStringList,
} from './fields.ts';
import type { FieldPath, Problems } from './problems.ts';
import type { YNode } from './yaml-view.ts';

const envKeys = [
  'shell',
  'variables',
  'parameter-store',
  'secrets-manager',
  'exported-variables',
  'git-credential-helper',
];

export const emptyEnv: BuildspecEnv = {
  shell: undefined,
  variables: [],
  parameterStore: [],
  secretsManager: [],
  exportedVariables: [],
  gitCredentialHelper: false,
};

/** CodeBuild reserves this prefix; a variable set with it is overridden by the build. */
export const reservedVariablePrefix = 'CODEBUILD_';

export function parseEnv(node: YNode, problems: Problems): BuildspecEnv {
  const path: FieldPath = ['env'];
  const map = readMap(node, path, problems);
  if (map === undefined) return emptyEnv;
  const fields = fieldsOf(map, envKeys, path, problems);
  const field = (key: string): YNode | undefined => fields.get(key);

  let shell: Shell | undefined;
  const shellNode = field('shell');
  if (shellNode !== undefined) {
    const text = readString(shellNode, [...path, 'shell'], problems);
    if (text !== undefined) {
      const known = shells.find((s) => s === text);
      if (known === undefined) {
        problems.error(
          shellNode.line,
          [...path, 'shell'],
          `unsupported shell '${text}': expected one of ${shells.join(', ')}`,
        );
      }
      shell = known;
    }
  }

  const named = (key: string) => {
    const n = field(key);
    if (n === undefined) return [];
    const entries = readNameValues(n, [...path, key], problems);
    for (const e of entries) {
      if (e.name.startsWith(reservedVariablePrefix)) {
        problems.warn(
          e.line,
          [...path, key, e.name],
          `names beginning ${reservedVariablePrefix} are reserved; the build's own value wins`,
        );
      }
    }
    return entries;
  };

  const variables = named('variables').map(({ name, value }) => ({ name, value }));
  const parameterStore = named('parameter-store').map(({ name, value }) => ({
    name,
    parameterName: value,
  }));
  const secretsManager: SecretsManagerVariable[] = [];
  for (const e of named('secrets-manager')) {
    const parsed = parseSecretReference(e.value);
    if (typeof parsed === 'string') {
      problems.error(e.line, [...path, 'secrets-manager', e.name], parsed);
      continue;
    }
    secretsManager.push({ name: e.name, ...parsed });
  }

  const exportedNode = field('exported-variables');
  const exportedVariables =
    exportedNode === undefined
      ? []
      : (readStringList(exportedNode, [...path, 'exported-variables'], problems) ?? []);

  const helperNode = field('git-credential-helper');
  const gitCredentialHelper =
    helperNode === undefined
      ? false
      : (readBoolean(helperNode, [...path, 'git-credential-helper'], problems) ?? false);

  return {
    shell,
    variables,
    parameterStore,
    secretsManager,
    exportedVariables,
    gitCredentialHelper,
  };
}

const secretArn = /^(arn:[^:]*:secretsmanager:[^:]*:[^:]*:secret:[^:]+)(?::(.*))?$/s;

/**
 * `secret-id:json-key:version-stage:version-id`, where only the secret id is required and the
 * id may be an ARN (which has colons of its own). Returns a message when the text cannot be one.
 */
export function parseSecretReference(
  reference: string,
): Omit<SecretsManagerVariable, 'name'> | string {
  let secretId: string;
  let rest: string[];
  const arn = secretArn.exec(reference);
  if (arn !== null) {
    secretId = arn[1] ?? '';
    rest = arn[2] === undefined ? [] : arn[2].split(':');
  } else {
    [secretId = '', ...rest] = reference.split(':');
  }
  if (secretId === '') return 'a secrets-manager reference needs a secret id';
  if (rest.length > 3) {
    return `'${reference}' has too many parts: expected secret-id:json-key:version-stage:version-id`;
  }
  const part = (i: number): string | undefined => (rest[i] === '' ? undefined : rest[i]);
  const versionStage = part(1);
  const versionId = part(2);
  if (versionStage !== undefined && versionId !== undefined) {
    return 'give a version stage or a version id, not both';
  }
  return { reference, secretId, jsonKey: part(0), versionStage, versionId };
}
