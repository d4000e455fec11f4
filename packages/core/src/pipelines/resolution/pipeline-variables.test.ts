import { describe, expect, it } from 'vitest';
import { AppError, AppErrorKind } from '../../errors/app-error.ts';
import {
  findPipelineVariableProblems,
  resolvePipelineVariables,
  type PipelineVariableDeclaration,
  type PipelineVariableOverride,
} from './pipeline-variables.ts';

const declarations: PipelineVariableDeclaration[] = [
  { name: 'env', defaultValue: 'staging', description: 'target' },
  { name: 'region' },
];

function refusal(overrides: PipelineVariableOverride[] | undefined, requireValues = true) {
  try {
    resolvePipelineVariables({ declarations, overrides, requireValues });
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('findPipelineVariableProblems', () => {
  it('accepts valid declarations', () => {
    expect(findPipelineVariableProblems(declarations)).toEqual([]);
    expect(
      findPipelineVariableProblems([{ name: 'a@b-c_D9', defaultValue: 'x'.repeat(1000) }]),
    ).toEqual([]);
  });

  it.each(['', 'has space', 'dot.ted', 'ünï', 'x'.repeat(129)])('refuses the name %j', (name) => {
    const problems = findPipelineVariableProblems([{ name }]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('pipeline.variables[0].name');
  });

  it('refuses an empty default, a default over 1000 characters and a long description', () => {
    const problems = findPipelineVariableProblems([
      { name: 'a', defaultValue: '' },
      { name: 'b', defaultValue: 'x'.repeat(1001) },
      { name: 'c', description: 'x'.repeat(201) },
    ]);
    expect(problems.map((p) => p.path)).toEqual([
      'pipeline.variables[0].defaultValue',
      'pipeline.variables[1].defaultValue',
      'pipeline.variables[2].description',
    ]);
  });

  it('refuses duplicate names, case-sensitively', () => {
    const problems = findPipelineVariableProblems([{ name: 'a' }, { name: 'A' }, { name: 'a' }]);
    expect(problems).toEqual([
      { path: 'pipeline.variables[2].name', message: 'duplicates variable a' },
    ]);
  });

  it('refuses more than 50 variables', () => {
    const many = Array.from({ length: 51 }, (_, i) => ({ name: `v${i}` }));
    expect(findPipelineVariableProblems(many)).toEqual([
      { path: 'pipeline.variables', message: 'must hold at most 50 variables' },
    ]);
    expect(findPipelineVariableProblems(many.slice(0, 50))).toEqual([]);
  });
});

describe('resolvePipelineVariables', () => {
  it('takes overrides over defaults', () => {
    const values = resolvePipelineVariables({
      declarations,
      overrides: [
        { name: 'env', value: 'prod' },
        { name: 'region', value: 'eu-west-1' },
      ],
      requireValues: true,
    });
    expect([...values]).toEqual([
      ['env', 'prod'],
      ['region', 'eu-west-1'],
    ]);
  });

  it('falls back to the default when a variable is not overridden', () => {
    const values = resolvePipelineVariables({
      declarations,
      overrides: [{ name: 'region', value: 'us-east-1' }],
      requireValues: true,
    });
    expect(values.get('env')).toBe('staging');
  });

  it('refuses a manual start that leaves a variable without a default unset', () => {
    const error = refusal(undefined);
    expect(error.kind).toBe(AppErrorKind.InvalidInput);
    expect(error.resource).toBe('pipeline-execution-variables');
    expect(error.message).toContain('region');
  });

  it('leaves such a variable out of an automatic start', () => {
    const values = resolvePipelineVariables({ declarations, requireValues: false });
    expect([...values]).toEqual([['env', 'staging']]);
  });

  it('refuses overrides of undeclared variables, naming them', () => {
    const error = refusal([
      { name: 'region', value: 'x' },
      { name: 'nope', value: 'x' },
      { name: 'Env', value: 'x' },
    ]);
    expect(error.problems).toEqual([
      { path: 'variables', message: 'not declared in the pipeline: nope, Env' },
    ]);
  });

  it('reports every problem of the overrides at once', () => {
    const error = refusal([
      { name: 'region', value: '' },
      { name: 'bad name', value: 'x' },
      { name: 'region', value: 'y'.repeat(1001) },
    ]);
    expect(error.problems.map((p) => p.path)).toEqual([
      'variables[0].value',
      'variables[1].name',
      'variables[2].value',
      'variables[2].name',
    ]);
  });

  it('refuses an empty overrides list (the model wants 1 to 50)', () => {
    expect(refusal([], false).problems).toEqual([
      { path: 'variables', message: 'must hold 1 to 50 variables' },
    ]);
  });
});
