import { describe, expect, it } from 'vitest';
import { findVariableReferences, replaceVariableReferences } from './variable-references.ts';

function refs(value: string): string[] {
  return findVariableReferences(value).references.map((r) => `${r.namespace}.${r.name}`);
}

function malformed(value: string): string[] {
  return findVariableReferences(value).malformed.map((m) => m.text);
}

describe('findVariableReferences', () => {
  it('finds AWS’s documented examples', () => {
    expect(refs('#{codepipeline.PipelineExecutionId}')).toEqual([
      'codepipeline.PipelineExecutionId',
    ]);
    expect(refs('#{variables.variable_name}')).toEqual(['variables.variable_name']);
    expect(refs('#{SourceVariables.VersionId}')).toEqual(['SourceVariables.VersionId']);
  });

  it('finds every reference of a CodeBuild EnvironmentVariables JSON string', () => {
    const value =
      '[{"name":"Release_ID","value":"#{codepipeline.PipelineExecutionId}","type":"PLAINTEXT"},' +
      '{"name":"Commit_ID","value":"#{SourceVariables.CommitId}","type":"PLAINTEXT"}]';
    expect(refs(value)).toEqual(['codepipeline.PipelineExecutionId', 'SourceVariables.CommitId']);
  });

  it('finds references inside text, adjacent ones, and repeats', () => {
    expect(refs('app-#{variables.env}#{variables.env}.zip')).toEqual([
      'variables.env',
      'variables.env',
    ]);
  });

  it('gives the text and offset of each reference', () => {
    expect(findVariableReferences('x #{Ns.Key}').references).toEqual([
      { namespace: 'Ns', name: 'Key', text: '#{Ns.Key}', index: 2 },
    ]);
  });

  it('accepts every character AWS allows in names: letters, digits, @, - and _', () => {
    expect(refs('#{my-ns_1@x.Out-put_2@y}')).toEqual(['my-ns_1@x.Out-put_2@y']);
  });

  it.each([
    ['#{a.b', '#{a.b'],
    ['#{}', '#{}'],
    ['#{a}', '#{a}'],
    ['#{.b}', '#{.b}'],
    ['#{a.}', '#{a.}'],
    ['#{ a.b }', '#{ a.b }'],
    ['#{a .b}', '#{a .b}'],
    ['#{a.b.c}', '#{a.b.c}'],
    ['#{a/b.c}', '#{a/b.c}'],
  ])('reports %j as malformed, not as a reference', (value, text) => {
    expect(refs(value)).toEqual([]);
    expect(malformed(value)).toEqual([text]);
  });

  it('does not nest: `#{#{a.b}.c}` holds the one reference `#{a.b}`', () => {
    expect(refs('#{#{a.b}.c}')).toEqual(['a.b']);
    expect(malformed('#{#{a.b}.c}')).toEqual(['#{']);
  });

  it('finds a reference after an unterminated one', () => {
    expect(refs('#{a.b #{c.d}')).toEqual(['c.d']);
    expect(malformed('#{a.b #{c.d}')).toEqual(['#{a.b ']);
  });

  it('ignores `#` or `{` alone and `${…}`', () => {
    expect(findVariableReferences('# {a.b} ${a.b} {a.b}')).toEqual({
      references: [],
      malformed: [],
    });
  });
});

describe('replaceVariableReferences', () => {
  it('replaces references in one pass, never re-scanning a value', () => {
    const result = replaceVariableReferences('#{a.b}-#{c.d}', (ns) =>
      ns === 'a' ? '#{c.d}' : 'x',
    );
    expect(result).toBe('#{c.d}-x');
  });

  it('leaves malformed references as written', () => {
    expect(replaceVariableReferences('#{ a.b } #{a}', () => 'x')).toBe('#{ a.b } #{a}');
  });
});
