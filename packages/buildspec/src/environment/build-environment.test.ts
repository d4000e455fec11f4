import { describe, expect, it } from 'vitest';
import { emptyEnv } from '../parse-env.ts';
import {
  computeBuildEnvironment,
  plaintextEnvironment,
  unresolvedVariables,
} from './build-environment.ts';

const builtins = {
  AWS_REGION: 'us-east-1',
  HOME: '/root',
  CODEBUILD_SRC_DIR: '/src',
  CODEBUILD_BUILD_ID: 'p:1',
};

describe('computeBuildEnvironment', () => {
  it('applies StartBuild override > project > buildspec > image', () => {
    const env = computeBuildEnvironment({
      image: { PATH: '/usr/bin', A: 'image', B: 'image', C: 'image', D: 'image' },
      builtins,
      buildspec: {
        ...emptyEnv,
        variables: [
          { name: 'B', value: 'buildspec' },
          { name: 'C', value: 'buildspec' },
          { name: 'D', value: 'buildspec' },
          { name: 'PATH', value: '$PATH:/x' },
        ],
      },
      project: [
        { name: 'C', value: 'project' },
        { name: 'D', value: 'project' },
      ],
      override: [{ name: 'D', value: 'override' }],
    });
    expect(plaintextEnvironment(env)).toEqual({
      PATH: '$PATH:/x',
      A: 'image',
      B: 'buildspec',
      C: 'project',
      D: 'override',
      AWS_REGION: 'us-east-1',
      HOME: '/root',
      CODEBUILD_SRC_DIR: '/src',
      CODEBUILD_BUILD_ID: 'p:1',
    });
    expect(env.entries.find((e) => e.name === 'D')).toEqual({
      name: 'D',
      value: 'override',
      type: 'PLAINTEXT',
      source: 'override',
    });
    expect(env.ignored).toEqual([]);
  });

  it('lets users replace AWS_REGION and HOME but never a CODEBUILD_ name', () => {
    const env = computeBuildEnvironment({
      builtins,
      buildspec: { ...emptyEnv, variables: [{ name: 'CODEBUILD_SRC_DIR', value: '/evil' }] },
      project: [
        { name: 'AWS_REGION', value: 'eu-central-1' },
        { name: 'CODEBUILD_NEW', value: 'x' },
      ],
      override: [{ name: 'HOME', value: '/home/builder' }],
    });
    expect(plaintextEnvironment(env)).toEqual({
      AWS_REGION: 'eu-central-1',
      HOME: '/home/builder',
      CODEBUILD_SRC_DIR: '/src',
      CODEBUILD_BUILD_ID: 'p:1',
    });
    expect(env.ignored).toEqual([
      { name: 'CODEBUILD_SRC_DIR', source: 'buildspec', reason: 'reserved' },
      { name: 'CODEBUILD_NEW', source: 'project', reason: 'reserved' },
    ]);
  });

  it('keeps Parameter Store and Secrets Manager variables as typed references', () => {
    const env = computeBuildEnvironment({
      builtins: {},
      buildspec: {
        ...emptyEnv,
        variables: [{ name: 'TOKEN', value: 'plain' }],
        parameterStore: [{ name: 'TOKEN', parameterName: '/ci/token' }],
        secretsManager: [
          {
            name: 'DB',
            reference: 'db:password',
            secretId: 'db',
            jsonKey: 'password',
            versionStage: undefined,
            versionId: undefined,
          },
        ],
      },
      project: [{ name: 'KEY', value: '/ci/key', type: 'PARAMETER_STORE' }],
    });
    expect(unresolvedVariables(env)).toEqual([
      { name: 'TOKEN', value: '/ci/token', type: 'PARAMETER_STORE', source: 'buildspec' },
      { name: 'DB', value: 'db:password', type: 'SECRETS_MANAGER', source: 'buildspec' },
      { name: 'KEY', value: '/ci/key', type: 'PARAMETER_STORE', source: 'project' },
    ]);
    expect(plaintextEnvironment(env)).toEqual({});
  });

  it('a plaintext override replaces a secret reference of the same name', () => {
    const env = computeBuildEnvironment({
      builtins: {},
      project: [{ name: 'KEY', value: '/ci/key', type: 'PARAMETER_STORE' }],
      override: [{ name: 'KEY', value: 'literal' }],
    });
    expect(unresolvedVariables(env)).toEqual([]);
    expect(plaintextEnvironment(env)).toEqual({ KEY: 'literal' });
  });

  it('drops names and values a process environment cannot hold', () => {
    const env = computeBuildEnvironment({
      builtins: {},
      project: [
        { name: '', value: 'x' },
        { name: 'A=B', value: 'x' },
        { name: 'NUL', value: 'a\0b' },
        { name: '__proto__', value: 'kept' },
      ],
    });
    expect(env.ignored).toEqual([
      { name: '', source: 'project', reason: 'invalid-name' },
      { name: 'A=B', source: 'project', reason: 'invalid-name' },
      { name: 'NUL', source: 'project', reason: 'invalid-value' },
    ]);
    const record = plaintextEnvironment(env);
    expect(Object.keys(record)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
  });
});
