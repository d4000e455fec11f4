import { describe, expect, it } from 'vitest';
import {
  CODEBUILD_JSON_STRING_KEYS,
  MAX_OUTPUT_VARIABLES_BYTES,
  outputVariablesTooLarge,
  resolveActionConfiguration,
  utf8Length,
  type ConfigurationResolution,
  type VariableScope,
} from './variable-resolution.ts';

function aScope(overrides: Partial<VariableScope> = {}): VariableScope {
  return {
    pipelineExecutionId: 'exec-1',
    pipelineVariables: new Map([['env', 'staging']]),
    namespaces: new Map([
      ['SourceVariables', new Map([['CommitId', 'abc123']])],
      ['BuildVariables', new Map([['IMAGE_TAG', 'v7']])],
    ]),
    ...overrides,
  };
}

function resolve(
  configuration: Record<string, string>,
  scope = aScope(),
  jsonStringKeys?: ReadonlySet<string>,
): ConfigurationResolution {
  return resolveActionConfiguration({ actionName: 'Build', configuration, scope, jsonStringKeys });
}

function resolved(configuration: Record<string, string>, scope = aScope()) {
  const result = resolve(configuration, scope);
  if (!result.ok) throw new Error(result.failure.message);
  return result.configuration;
}

describe('resolveActionConfiguration: namespaces', () => {
  it('resolves the codepipeline namespace’s PipelineExecutionId', () => {
    expect(resolved({ Release: '#{codepipeline.PipelineExecutionId}' })).toEqual({
      Release: 'exec-1',
    });
  });

  it('resolves pipeline-level variables in the variables namespace', () => {
    expect(resolved({ ObjectKey: '#{variables.env}.txt' })).toEqual({ ObjectKey: 'staging.txt' });
  });

  it('resolves an upstream action’s output variables by its namespace', () => {
    expect(resolved({ Tag: '#{BuildVariables.IMAGE_TAG}-#{SourceVariables.CommitId}' })).toEqual({
      Tag: 'v7-abc123',
    });
  });

  it('resolves AWS’s CodeBuild EnvironmentVariables example', () => {
    const value =
      '[{"name":"Release_ID","value":"#{codepipeline.PipelineExecutionId}","type":"PLAINTEXT"},' +
      '{"name":"Commit_ID","value":"#{SourceVariables.CommitId}","type":"PLAINTEXT"}]';
    const result = resolved({ ProjectName: 'env-var-test', EnvironmentVariables: value });
    expect(JSON.parse(result.EnvironmentVariables ?? '')).toEqual([
      { name: 'Release_ID', value: 'exec-1', type: 'PLAINTEXT' },
      { name: 'Commit_ID', value: 'abc123', type: 'PLAINTEXT' },
    ]);
    expect(result.ProjectName).toBe('env-var-test');
  });

  it('keeps values without references unchanged', () => {
    expect(resolved({ BranchName: 'main', Empty: '' })).toEqual({ BranchName: 'main', Empty: '' });
  });

  it('substitutes an empty output variable as empty text', () => {
    const scope = aScope({ namespaces: new Map([['S', new Map([['Msg', '']])]]) });
    expect(resolved({ A: '[#{S.Msg}]' }, scope)).toEqual({ A: '[]' });
  });

  it('gives reserved namespaces precedence over an action namespace of the same name', () => {
    const scope = aScope({
      namespaces: new Map([['codepipeline', new Map([['PipelineExecutionId', 'spoofed']])]]),
    });
    expect(resolved({ A: '#{codepipeline.PipelineExecutionId}' }, scope)).toEqual({ A: 'exec-1' });
  });

  it('does not resolve references that appear in resolved values', () => {
    const scope = aScope({
      namespaces: new Map([['S', new Map([['CommitMessage', 'see #{variables.env}']])]]),
    });
    expect(resolved({ A: '#{S.CommitMessage}' }, scope)).toEqual({ A: 'see #{variables.env}' });
  });

  it('leaves malformed references as literal text', () => {
    expect(resolved({ Script: 'puts "#{name}" #{ variables.env }' })).toEqual({
      Script: 'puts "#{name}" #{ variables.env }',
    });
  });
});

describe('resolveActionConfiguration: failures', () => {
  it('fails with AWS’s message when a namespace is unknown', () => {
    const result = resolve({ A: '#{Missing.CommitId}' });
    expect(result).toEqual({
      ok: false,
      failure: {
        code: 'UnresolvedVariables',
        message:
          'An action in this pipeline failed because one or more variables could not be resolved: Action name=Build',
        unresolved: [
          {
            key: 'A',
            reason: 'unknown-namespace',
            reference: {
              namespace: 'Missing',
              name: 'CommitId',
              text: '#{Missing.CommitId}',
              index: 0,
            },
          },
        ],
      },
    });
  });

  it('reports every unresolved reference across keys, with the reason', () => {
    const result = resolve({
      A: '#{SourceVariables.Nope}',
      B: '#{variables.undeclared} #{codepipeline.PipelineName} #{variables.env}',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure.unresolved.map((u) => [u.key, u.reference.text, u.reason])).toEqual([
      ['A', '#{SourceVariables.Nope}', 'unknown-variable'],
      ['B', '#{variables.undeclared}', 'unknown-variable'],
      ['B', '#{codepipeline.PipelineName}', 'unknown-variable'],
    ]);
  });

  it('is case-sensitive in namespaces and variable names', () => {
    const failed = (value: string) => !resolve({ A: value }).ok;
    expect(failed('#{sourcevariables.CommitId}')).toBe(true);
    expect(failed('#{SourceVariables.commitid}')).toBe(true);
    expect(failed('#{CodePipeline.PipelineExecutionId}')).toBe(true);
    expect(failed('#{Variables.env}')).toBe(true);
  });

  it('fails when the resolved configuration exceeds 100 KB', () => {
    const big = 'x'.repeat(60 * 1024);
    const scope = aScope({ namespaces: new Map([['S', new Map([['Big', big]])]]) });
    const result = resolve({ A: '#{S.Big}', B: '#{S.Big}' }, scope);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure.code).toBe('ConfigurationTooLarge');
    expect(result.failure.message).toContain('Action name=Build');
  });

  it('accepts a resolved configuration of exactly 100 KB', () => {
    const scope = aScope({
      namespaces: new Map([['S', new Map([['V', 'x'.repeat(100 * 1024 - 1)]])]]),
    });
    expect(resolve({ A: '#{S.V}' }, scope).ok).toBe(true);
  });
});

describe('resolveActionConfiguration: JSON string keys', () => {
  const scope = aScope({
    namespaces: new Map([['S', new Map([['CommitMessage', 'Fix "quotes"\nand \\ lines']])]]),
  });
  const env = '[{"name":"MSG","value":"#{S.CommitMessage}","type":"PLAINTEXT"}]';

  it('escapes resolved values for JSON in EnvironmentVariables, keeping the JSON valid', () => {
    const result = resolve({ EnvironmentVariables: env }, scope, CODEBUILD_JSON_STRING_KEYS);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(JSON.parse(result.configuration.EnvironmentVariables ?? '')).toEqual([
      { name: 'MSG', value: 'Fix "quotes"\nand \\ lines', type: 'PLAINTEXT' },
    ]);
  });

  it('substitutes raw text elsewhere, as AWS does', () => {
    const result = resolve(
      { UserParameters: '#{S.CommitMessage}' },
      scope,
      CODEBUILD_JSON_STRING_KEYS,
    );
    expect(result).toMatchObject({
      ok: true,
      configuration: { UserParameters: 'Fix "quotes"\nand \\ lines' },
    });
  });
});

describe('output variable limits', () => {
  it('counts names and values in UTF-8 bytes', () => {
    expect(utf8Length('aé€😀')).toBe(1 + 2 + 3 + 4);
  });

  it('flags output variables over 122880 bytes together', () => {
    const half = 'x'.repeat(MAX_OUTPUT_VARIABLES_BYTES / 2);
    expect(outputVariablesTooLarge(new Map([['A', half]]))).toBe(false);
    expect(
      outputVariablesTooLarge(
        new Map([
          ['A', half],
          ['B', half],
        ]),
      ),
    ).toBe(true);
  });
});
