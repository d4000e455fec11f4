import { describe, expect, it } from 'vitest';
import { errorsOf, parsed, warningsOf, yaml } from './test-helpers.ts';

const withSection = (...lines: string[]) =>
  yaml('version: 0.2', 'phases:', '  build:', '    commands: [make]', ...lines);

describe('reports', () => {
  it('reads file-format in any case and defaults to JUNITXML', () => {
    const spec = parsed(
      withSection(
        'reports:',
        '  unit:',
        '    files: ["**/*.xml"]',
        '    base-directory: build/test-results',
        '  bdd:',
        '    files: [cucumber.json]',
        '    file-format: CucumberJson',
        '  coverage:',
        '    files: [coverage/clover.xml]',
        '    file-format: cloverxml',
      ),
    );
    expect(spec.reports.map((r) => [r.name, r.fileFormat, r.baseDirectory])).toEqual([
      ['unit', 'JUNITXML', 'build/test-results'],
      ['bdd', 'CUCUMBERJSON', undefined],
      ['coverage', 'CLOVERXML', undefined],
    ]);
  });

  it('refuses an unknown format, a group without files and more than five groups', () => {
    const groups = ['a', 'b', 'c', 'd', 'e', 'f'].map((g) => `  ${g}: {files: [x]}`);
    expect(
      errorsOf(
        withSection(
          'reports:',
          ...groups,
          '  g:',
          '    file-format: XUNIT',
          '    files: [x]',
          '  h:',
          '    base-directory: x',
          '  i:',
        ),
      ),
    ).toEqual([
      'YAML_FILE_ERROR: line 5: reports: at most 5 report groups, found 9',
      "YAML_FILE_ERROR: line 13: reports.g.file-format: unknown report format 'XUNIT': expected one of JUNITXML, CUCUMBERJSON, NUNITXML, NUNIT3XML, TESTNGXML, VISUALSTUDIOTRX, CLOVERXML, COBERTURAXML, JACOCOXML, SIMPLECOV",
      'YAML_FILE_ERROR: line 15: reports.h.files: files is required',
      'YAML_FILE_ERROR: line 17: reports.i: a report group needs files',
    ]);
  });
});

describe('artifacts', () => {
  it('reads every field, and exclude-paths as a list or a single path', () => {
    const spec = parsed(
      withSection(
        'artifacts:',
        '  files: ["**/*"]',
        '  name: build-$(date +%F)',
        '  discard-paths: no',
        "  base-directory: 'dist*'",
        '  exclude-paths: "**/*.map"',
        '  enable-symlinks: yes',
        '  s3-prefix: releases',
        '  secondary-artifacts:',
        '    docs:',
        '      files: [site/**/*]',
        '      exclude-paths: [site/tmp/**/*, "*.log"]',
      ),
    );
    expect(spec.artifacts).toEqual({
      files: ['**/*'],
      name: 'build-$(date +%F)',
      discardPaths: false,
      baseDirectory: 'dist*',
      excludePaths: ['**/*.map'],
      enableSymlinks: true,
      s3Prefix: 'releases',
      secondaryArtifacts: [
        {
          identifier: 'docs',
          files: ['site/**/*'],
          name: undefined,
          discardPaths: false,
          baseDirectory: undefined,
          excludePaths: ['site/tmp/**/*', '*.log'],
          enableSymlinks: false,
          s3Prefix: undefined,
        },
      ],
    });
  });

  it('requires artifacts.files even when only secondary artifacts are given', () => {
    expect(
      errorsOf(withSection('artifacts:', '  secondary-artifacts:', '    a:', '      files: [x]')),
    ).toEqual(['YAML_FILE_ERROR: line 5: artifacts.files: files is required']);
  });

  it('refuses files given as one string and an empty list', () => {
    expect(errorsOf(withSection('artifacts:', "  files: '**/*'"))).toEqual([
      "YAML_FILE_ERROR: line 6: artifacts.files: expected a sequence, found '**/*' instead",
    ]);
    expect(errorsOf(withSection('artifacts:', '  files: []'))).toEqual([
      'YAML_FILE_ERROR: line 6: artifacts.files: files lists no paths',
    ]);
  });
});

describe('cache', () => {
  it('reads paths, key, fallback keys and action', () => {
    const spec = parsed(
      withSection(
        'cache:',
        '  key: npm-$(codebuild-hash-files package-lock.json)',
        '  fallback-keys: [npm-]',
        '  action: Restore',
        '  paths: [/root/.npm/**/*]',
      ),
    );
    expect(spec.cache).toEqual({
      paths: ['/root/.npm/**/*'],
      key: 'npm-$(codebuild-hash-files package-lock.json)',
      fallbackKeys: ['npm-'],
      action: 'restore',
    });
  });

  it('refuses a missing paths, an unknown action and more than five fallback keys', () => {
    expect(
      errorsOf(
        withSection('cache:', '  key: k', '  fallback-keys: [a, b, c, d, e, f]', '  action: both'),
      ),
    ).toEqual([
      'YAML_FILE_ERROR: line 5: cache.paths: paths is required',
      'YAML_FILE_ERROR: line 7: cache.fallback-keys: at most 5 fallback keys, found 6',
      "YAML_FILE_ERROR: line 8: cache.action: unknown cache action 'both': expected restore or save",
    ]);
  });

  it('warns that fallback keys without a key are ignored', () => {
    expect(warningsOf(withSection('cache:', '  fallback-keys: [a]', '  paths: [x]'))).toEqual([
      'line 6: cache.fallback-keys: ignored without a key',
    ]);
  });
});
