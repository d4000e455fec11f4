import { describe, expect, it } from 'vitest';
import { Problems, formatBuildspecError } from './problems.ts';
import { readYaml, type YNode } from './yaml-view.ts';

const limits = { maxNodes: 1000, maxDepth: 20 };

function read(text: string): { root: YNode | undefined; errors: string[] } {
  const problems = new Problems();
  const root = readYaml(text, limits, problems);
  return { root, errors: problems.errors.map(formatBuildspecError) };
}

describe('readYaml', () => {
  it('keeps scalar text as written with its line', () => {
    expect(read('a: 3.10\nb: "x: y"\nc:\nd: ~\n').root).toEqual({
      kind: 'map',
      line: 1,
      entries: [
        { key: 'a', keyLine: 1, value: { kind: 'scalar', line: 1, text: '3.10', isNull: false } },
        { key: 'b', keyLine: 2, value: { kind: 'scalar', line: 2, text: 'x: y', isNull: false } },
        { key: 'c', keyLine: 3, value: { kind: 'scalar', line: 3, text: '', isNull: true } },
        { key: 'd', keyLine: 4, value: { kind: 'scalar', line: 4, text: '~', isNull: true } },
      ],
    });
  });

  it('lets written keys win over merged ones, and the first merged map over later ones', () => {
    const { root } = read('x: &x {a: 1, b: 1}\ny: &y {b: 2, c: 2}\nz:\n  <<: [*x, *y]\n  a: 0\n');
    const z = root?.kind === 'map' ? root.entries[2]?.value : undefined;
    const pairs =
      z?.kind === 'map'
        ? z.entries.map((e) => [e.key, e.value.kind === 'scalar' ? e.value.text : '?'])
        : [];
    expect(pairs).toEqual([
      ['a', '0'],
      ['b', '1'],
      ['c', '2'],
    ]);
  });

  it('treats a quoted << as an ordinary key', () => {
    const { root } = read("'<<': {a: 1}\n");
    expect(root?.kind === 'map' ? root.entries.map((e) => e.key) : []).toEqual(['<<']);
  });

  it('refuses duplicate keys, unknown aliases, collection keys and bad merges', () => {
    expect(read('a: 1\na: 2\n').errors).toEqual([
      'YAML_FILE_ERROR: line 2: Map keys must be unique',
    ]);
    expect(read('a: *nope\n').errors).toEqual([
      'YAML_FILE_ERROR: line 1: a: alias *nope refers to no anchor defined before it',
    ]);
    expect(read('? [a]\n: 1\n').errors).toEqual([
      'YAML_FILE_ERROR: line 1: a mapping key must be a plain value, not a collection',
    ]);
    expect(read('a: &s x\nb:\n  <<: *s\n').errors).toEqual([
      'YAML_FILE_ERROR: line 1: b: a << merge key takes a mapping or a list of them',
    ]);
  });

  it('refuses keys that differ in type but read the same', () => {
    expect(read('1: a\n"1": b\n').errors).toEqual([
      "YAML_FILE_ERROR: line 2: 1: duplicate key '1'",
    ]);
  });

  it('uses the latest anchor of a name before the alias', () => {
    const { root } = read('a: &v 1\nb: &v 2\nc: *v\n');
    const c = root?.kind === 'map' ? root.entries[2]?.value : undefined;
    expect(c).toEqual({ kind: 'scalar', line: 2, text: '2', isNull: false });
  });

  it('stops a self-referencing anchor at the depth limit', () => {
    expect(read('a: &a [*a]\n').errors[0]).toMatch(/nesting is deeper than 20 levels/);
  });

  it('refuses multiple documents', () => {
    expect(read('a: 1\n---\nb: 2\n').errors[0]).toMatch(
      /^YAML_FILE_ERROR: line 2: Source contains multiple documents/,
    );
  });
});
