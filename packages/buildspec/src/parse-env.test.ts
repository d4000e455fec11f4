import { describe, expect, it } from 'vitest';
import { parseSecretReference } from './parse-env.ts';
import { errorsOf, parsed, warningsOf, yaml } from './test-helpers.ts';

const withEnv = (...lines: string[]) =>
  yaml('version: 0.2', 'env:', ...lines, 'phases:', '  build:', '    commands: [make]');

describe('env', () => {
  it('converts scalar values to strings as written, and null to the empty string', () => {
    const spec = parsed(
      withEnv(
        '  variables:',
        '    PORT: 8080',
        '    DEBUG: true',
        '    LEGACY: yes',
        '    RATIO: 0.50',
        '    HEX: 0x1F',
        '    EMPTY:',
        '    TILDE: ~',
        "    QUOTED: ''",
        '    PATH: $PATH:/x',
        '    1: numeric-name',
      ),
    );
    expect(spec.env.variables).toEqual([
      { name: 'PORT', value: '8080' },
      { name: 'DEBUG', value: 'true' },
      { name: 'LEGACY', value: 'yes' },
      { name: 'RATIO', value: '0.50' },
      { name: 'HEX', value: '0x1F' },
      { name: 'EMPTY', value: '' },
      { name: 'TILDE', value: '' },
      { name: 'QUOTED', value: '' },
      { name: 'PATH', value: '$PATH:/x' },
      { name: '1', value: 'numeric-name' },
    ]);
  });

  it('keeps parameter-store and secrets-manager entries for the engine', () => {
    const spec = parsed(
      withEnv(
        '  parameter-store:',
        '    LOGIN: /CodeBuild/dockerLoginPassword',
        '  secrets-manager:',
        '    TOKEN: prod/token:api-key',
        '    ARN: arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password::v1',
      ),
    );
    expect(spec.env.parameterStore).toEqual([
      { name: 'LOGIN', parameterName: '/CodeBuild/dockerLoginPassword' },
    ]);
    expect(spec.env.secretsManager).toEqual([
      {
        name: 'TOKEN',
        reference: 'prod/token:api-key',
        secretId: 'prod/token',
        jsonKey: 'api-key',
        versionStage: undefined,
        versionId: undefined,
      },
      {
        name: 'ARN',
        reference: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password::v1',
        secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf',
        jsonKey: 'password',
        versionStage: undefined,
        versionId: 'v1',
      },
    ]);
  });

  it('reads shell, exported-variables and git-credential-helper', () => {
    const spec = parsed(
      withEnv(
        '  shell: /bin/sh',
        '  exported-variables:',
        '    - IMAGE_TAG',
        '    - VERSION',
        '  git-credential-helper: yes',
      ),
    );
    expect(spec.env.shell).toBe('/bin/sh');
    expect(spec.env.exportedVariables).toEqual(['IMAGE_TAG', 'VERSION']);
    expect(spec.env.gitCredentialHelper).toBe(true);
  });

  it('refuses an unknown shell and a mapping as a value', () => {
    expect(errorsOf(withEnv('  shell: zsh', '  parameter-store:', '    X: {a: b}'))).toEqual([
      "YAML_FILE_ERROR: line 3: env.shell: unsupported shell 'zsh': expected one of bash, /bin/sh, powershell.exe, cmd.exe",
      'YAML_FILE_ERROR: line 5: env.parameter-store.X: expected a string, found a mapping (subkeys) instead',
    ]);
  });

  it('refuses exported-variables that is not a list of names', () => {
    expect(errorsOf(withEnv('  exported-variables: IMAGE_TAG', '  variables: [A]'))).toEqual([
      "YAML_FILE_ERROR: line 3: env.exported-variables: expected a sequence, found 'IMAGE_TAG' instead",
      'YAML_FILE_ERROR: line 4: env.variables: expected a mapping, found a sequence instead',
    ]);
  });

  it('warns that CODEBUILD_ names are reserved', () => {
    expect(warningsOf(withEnv('  variables:', '    CODEBUILD_SRC_DIR: /tmp'))).toEqual([
      "line 4: env.variables.CODEBUILD_SRC_DIR: names beginning CODEBUILD_ are reserved; the build's own value wins",
    ]);
  });

  it('keeps a variable named __proto__ as an ordinary name', () => {
    const spec = parsed(withEnv('  variables:', '    __proto__: x'));
    expect(spec.env.variables).toEqual([{ name: '__proto__', value: 'x' }]);
  });
});

describe('parseSecretReference', () => {
  it.each([
    ['s', { secretId: 's', jsonKey: undefined, versionStage: undefined, versionId: undefined }],
    ['s:k', { secretId: 's', jsonKey: 'k', versionStage: undefined, versionId: undefined }],
    [
      's::AWSPREVIOUS',
      { secretId: 's', jsonKey: undefined, versionStage: 'AWSPREVIOUS', versionId: undefined },
    ],
    ['s:k::id-1', { secretId: 's', jsonKey: 'k', versionStage: undefined, versionId: 'id-1' }],
    [
      'arn:aws:secretsmanager:eu-west-1:111122223333:secret:name-Ab12Cd',
      {
        secretId: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:name-Ab12Cd',
        jsonKey: undefined,
        versionStage: undefined,
        versionId: undefined,
      },
    ],
  ])('%s', (reference, expected) => {
    expect(parseSecretReference(reference)).toEqual({ reference, ...expected });
  });

  it.each([
    ['', 'a secrets-manager reference needs a secret id'],
    [':k', 'a secrets-manager reference needs a secret id'],
    ['s:k:stage:id', 'give a version stage or a version id, not both'],
    ['s:k:stage:id:extra', "'s:k:stage:id:extra' has too many parts"],
  ])('refuses %j', (reference, message) => {
    expect(parseSecretReference(reference)).toContain(message);
  });
});
