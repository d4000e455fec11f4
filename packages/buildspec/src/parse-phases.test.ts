import { describe, expect, it } from 'vitest';
import { parseOnFailure } from './parse-phases.ts';
import { errorsOf, parsed, warningsOf, yaml } from './test-helpers.ts';

const withPhases = (...lines: string[]) => yaml('version: 0.2', 'phases:', ...lines);

describe('phases', () => {
  it('keeps commands of any scalar type as written', () => {
    const spec = parsed(
      withPhases(
        '  build:',
        '    commands:',
        '      - 1',
        '      - true',
        '      - 0.10',
        '      - yes',
        '      - ~',
        "      - 'quoted: colon'",
        '      - |',
        '        if true; then',
        '          echo multi',
        '        fi',
      ),
    );
    expect(spec.phases.build?.commands).toEqual([
      '1',
      'true',
      '0.10',
      'yes',
      '',
      'quoted: colon',
      'if true; then\n  echo multi\nfi\n',
    ]);
  });

  it('refuses commands that are not a sequence', () => {
    expect(errorsOf(withPhases('  build:', '    commands: make'))).toEqual([
      "YAML_FILE_ERROR: line 4: phases.build.commands: expected a sequence of commands, found 'make' instead",
    ]);
  });

  it('requires commands outside install, where runtime-versions may stand alone', () => {
    expect(errorsOf(withPhases('  build:', '    finally: [x]'))).toEqual([
      'YAML_FILE_ERROR: line 3: phases.build: commands are required',
    ]);
    expect(errorsOf(withPhases('  post_build:'))).toEqual([
      'YAML_FILE_ERROR: line 3: phases.post_build: commands are required',
    ]);
    const spec = parsed(withPhases('  install:', '    runtime-versions:', '      nodejs: 18'));
    expect(spec.phases.install).toEqual({
      runAs: undefined,
      onFailure: undefined,
      runtimeVersions: [{ name: 'nodejs', value: '18' }],
      commands: [],
      finally: [],
    });
  });

  it('records runtime versions as written, in order', () => {
    const spec = parsed(
      withPhases(
        '  install:',
        '    runtime-versions:',
        '      python: 3.10',
        '      java: corretto17',
        '      ruby: "$MY_RUBY_VAR"',
        '      nodejs: latest',
        '    commands: [node --version]',
      ),
    );
    expect(spec.phases.install?.runtimeVersions).toEqual([
      { name: 'python', value: '3.10' },
      { name: 'java', value: 'corretto17' },
      { name: 'ruby', value: '$MY_RUBY_VAR' },
      { name: 'nodejs', value: 'latest' },
    ]);
  });

  it('refuses an empty runtime-versions and warns about it outside install', () => {
    expect(errorsOf(withPhases('  install:', '    runtime-versions: {}'))).toEqual([
      'YAML_FILE_ERROR: line 4: phases.install.runtime-versions: name at least one runtime',
    ]);
    expect(
      warningsOf(withPhases('  build:', '    runtime-versions: {nodejs: 18}', '    commands: [x]')),
    ).toEqual(['line 4: phases.build.runtime-versions: unknown key, ignored']);
  });

  it('reads run-as and on-failure per phase', () => {
    const spec = parsed(
      withPhases(
        '  pre_build:',
        '    run-as: tester',
        '    on-failure: CONTINUE',
        '    commands: [a]',
        '  build:',
        '    on-failure: RETRY-2-timed out',
        '    commands: [b]',
      ),
    );
    expect(spec.phases.pre_build?.runAs).toBe('tester');
    expect(spec.phases.pre_build?.onFailure).toEqual({ action: 'CONTINUE' });
    expect(spec.phases.build?.onFailure).toEqual({
      action: 'RETRY',
      count: 2,
      pattern: 'timed out',
    });
  });
});

describe('parseOnFailure', () => {
  it.each([
    ['ABORT', { action: 'ABORT' }],
    ['abort', { action: 'ABORT' }],
    ['CONTINUE', { action: 'CONTINUE' }],
    ['RETRY', { action: 'RETRY', count: 3, pattern: '.*' }],
    ['RETRY-5', { action: 'RETRY', count: 5, pattern: '.*' }],
    ['RETRY-0', { action: 'RETRY', count: 0, pattern: '.*' }],
    ['RETRY-100', { action: 'RETRY', count: 100, pattern: '.*' }],
    ['RETRY-Connection reset', { action: 'RETRY', count: 3, pattern: 'Connection reset' }],
    ['RETRY-4-^npm ERR', { action: 'RETRY', count: 4, pattern: '^npm ERR' }],
    ['RETRY-2-a-b', { action: 'RETRY', count: 2, pattern: 'a-b' }],
  ])('%s', (text, expected) => {
    expect(parseOnFailure(text)).toEqual(expected);
  });

  it.each([
    ['STOP', "unknown on-failure 'STOP'"],
    ['RETRY-101', 'retry count 101 is over 100'],
    ['RETRY-', "on-failure 'RETRY-' has an empty retry pattern"],
    ['RETRY-2-(', "on-failure 'RETRY-2-(': '(' is not a valid regular expression"],
  ])('refuses %s', (text, message) => {
    expect(parseOnFailure(text)).toContain(message);
  });
});
