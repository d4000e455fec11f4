import { describe, expect, it } from 'vitest';
import { parseBuildspec } from './parse-buildspec.ts';
import { errorsOf, parsed, warningsOf, yaml } from './test-helpers.ts';

const minimal = yaml('version: 0.2', 'phases:', '  build:', '    commands:', '      - make');

describe('parseBuildspec', () => {
  it('parses the AWS documentation example whole', () => {
    const text = yaml(
      'version: 0.2',
      '',
      'env:',
      '  variables:',
      '    JAVA_HOME: "/usr/lib/jvm/java-8-openjdk-amd64"',
      '  parameter-store:',
      '    LOGIN_PASSWORD: /CodeBuild/dockerLoginPassword',
      '',
      'phases:',
      '  install:',
      '    commands:',
      '      - echo Entered the install phase...',
      '      - apt-get update -y',
      '    finally:',
      '      - echo This always runs',
      '  pre_build:',
      '    commands:',
      '      - docker login -u User -p $LOGIN_PASSWORD',
      '  build:',
      '    commands:',
      '      - echo Build started on `date`',
      '      - mvn install',
      '  post_build:',
      '    commands:',
      '      - echo Build completed on `date`',
      'reports:',
      '  arn:aws:codebuild:your-region:your-aws-account-id:report-group/report-group-name-1:',
      '    files:',
      '      - "**/*"',
      "    base-directory: 'target/tests/reports'",
      '    discard-paths: no',
      '  reportGroupCucumberJson:',
      '    files:',
      "      - 'cucumber/target/cucumber-tests.xml'",
      '    discard-paths: yes',
      '    file-format: CUCUMBERJSON # default is JUNITXML',
      'artifacts:',
      '  files:',
      '    - target/messageUtil-1.0.jar',
      '  discard-paths: yes',
      '  secondary-artifacts:',
      '    artifact1:',
      '      files:',
      '        - target/artifact-1.0.jar',
      '      discard-paths: yes',
      'cache:',
      '  paths:',
      "    - '/root/.m2/**/*'",
    );
    expect(parsed(text)).toEqual({
      version: '0.2',
      runAs: undefined,
      env: {
        shell: undefined,
        variables: [{ name: 'JAVA_HOME', value: '/usr/lib/jvm/java-8-openjdk-amd64' }],
        parameterStore: [
          { name: 'LOGIN_PASSWORD', parameterName: '/CodeBuild/dockerLoginPassword' },
        ],
        secretsManager: [],
        exportedVariables: [],
        gitCredentialHelper: false,
      },
      proxy: undefined,
      batch: undefined,
      phases: {
        install: {
          runAs: undefined,
          onFailure: undefined,
          runtimeVersions: [],
          commands: ['echo Entered the install phase...', 'apt-get update -y'],
          finally: ['echo This always runs'],
        },
        pre_build: {
          runAs: undefined,
          onFailure: undefined,
          runtimeVersions: [],
          commands: ['docker login -u User -p $LOGIN_PASSWORD'],
          finally: [],
        },
        build: {
          runAs: undefined,
          onFailure: undefined,
          runtimeVersions: [],
          commands: ['echo Build started on `date`', 'mvn install'],
          finally: [],
        },
        post_build: {
          runAs: undefined,
          onFailure: undefined,
          runtimeVersions: [],
          commands: ['echo Build completed on `date`'],
          finally: [],
        },
      },
      reports: [
        {
          name: 'arn:aws:codebuild:your-region:your-aws-account-id:report-group/report-group-name-1',
          files: ['**/*'],
          baseDirectory: 'target/tests/reports',
          discardPaths: false,
          excludePaths: [],
          fileFormat: 'JUNITXML',
        },
        {
          name: 'reportGroupCucumberJson',
          files: ['cucumber/target/cucumber-tests.xml'],
          baseDirectory: undefined,
          discardPaths: true,
          excludePaths: [],
          fileFormat: 'CUCUMBERJSON',
        },
      ],
      artifacts: {
        files: ['target/messageUtil-1.0.jar'],
        baseDirectory: undefined,
        discardPaths: true,
        excludePaths: [],
        name: undefined,
        enableSymlinks: false,
        s3Prefix: undefined,
        secondaryArtifacts: [
          {
            identifier: 'artifact1',
            files: ['target/artifact-1.0.jar'],
            baseDirectory: undefined,
            discardPaths: true,
            excludePaths: [],
            name: undefined,
            enableSymlinks: false,
            s3Prefix: undefined,
          },
        ],
      },
      cache: { paths: ['/root/.m2/**/*'], key: undefined, fallbackKeys: [], action: undefined },
    });
  });

  it('accepts version 0.1 and keeps it, since it runs each command in its own shell', () => {
    expect(parsed(minimal.replace('0.2', '0.1')).version).toBe('0.1');
    expect(parsed(minimal.replace('0.2', "'0.2'")).version).toBe('0.2');
  });

  it('refuses other versions and a missing one', () => {
    expect(errorsOf(minimal.replace('0.2', '0.3'))).toEqual([
      "YAML_FILE_ERROR: line 1: version: unsupported buildspec version '0.3': expected 0.2 (or 0.1)",
    ]);
    expect(errorsOf(minimal.replace('0.2', '0.20'))).toEqual([
      "YAML_FILE_ERROR: line 1: version: unsupported buildspec version '0.20': expected 0.2 (or 0.1)",
    ]);
    expect(errorsOf(yaml('phases:', '  build:', '    commands: [make]'))).toEqual([
      'YAML_FILE_ERROR: line 1: version: version is required: use 0.2',
    ]);
    expect(errorsOf(yaml('version:', 'phases:', '  build:', '    commands: [make]'))).toEqual([
      'YAML_FILE_ERROR: line 1: version: version is required: use 0.2',
    ]);
  });

  it('requires phases unless the buildspec is a batch one', () => {
    expect(errorsOf(yaml('version: 0.2'))).toEqual([
      'YAML_FILE_ERROR: line 1: phases: phases is required',
    ]);
    expect(errorsOf(yaml('version: 0.2', 'phases:'))).toEqual([
      'YAML_FILE_ERROR: line 2: phases: phases is required',
    ]);
    const batch = parsed(
      yaml('version: 0.2', 'batch:', '  fast-fail: false', '  build-list:', '    - identifier: a'),
    );
    expect(batch.batch).toEqual({ 'fast-fail': 'false', 'build-list': [{ identifier: 'a' }] });
    expect(batch.phases).toEqual({});
  });

  it('refuses a document that is not a mapping', () => {
    expect(errorsOf('- a\n- b\n')).toEqual([
      'YAML_FILE_ERROR: line 1: a buildspec is a mapping with at least version and phases',
    ]);
    expect(errorsOf('')).toEqual([
      'YAML_FILE_ERROR: line 1: a buildspec is a mapping with at least version and phases',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const errors = errorsOf(
      yaml('version: 0.2', 'phases:', '  build:', '    commands: [make', 'x'),
    );
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/^YAML_FILE_ERROR: line [45]: /);
  });

  it('reports every problem at once, in line order', () => {
    const text = yaml(
      'version: 0.2',
      'env:',
      '  variables:',
      '    A: [1, 2]',
      '  git-credential-helper: maybe',
      'phases:',
      '  build:',
      '    commands:',
      '      - make',
      '      - echo "Hello: world"',
      '      - {a: b}',
      '    on-failure: SOMETIMES',
      'artifacts:',
      '  name: x',
    );
    expect(errorsOf(text)).toEqual([
      'YAML_FILE_ERROR: line 4: env.variables.A: expected a string, found a sequence instead',
      "YAML_FILE_ERROR: line 5: env.git-credential-helper: expected yes or no, found 'maybe' instead",
      'YAML_FILE_ERROR: line 10: phases.build.commands[1]: expected a string, found a mapping (subkeys) instead (quote a command that contains ": ")',
      'YAML_FILE_ERROR: line 11: phases.build.commands[2]: expected a string, found a mapping (subkeys) instead (quote a command that contains ": ")',
      "YAML_FILE_ERROR: line 12: phases.build.on-failure: unknown on-failure 'SOMETIMES': expected ABORT, CONTINUE, RETRY, RETRY-<count>, RETRY-<regex> or RETRY-<count>-<regex>",
      'YAML_FILE_ERROR: line 13: artifacts.files: files is required',
    ]);
  });

  it('warns about unknown keys at every level and goes on', () => {
    const text = yaml(
      'version: 0.2',
      'stages: []',
      'env:',
      '  vars: {}',
      'phases:',
      '  test:',
      '    commands: [x]',
      '  build:',
      '    env: {}',
      '    commands: [make]',
    );
    const result = parseBuildspec(text);
    expect(result.ok).toBe(true);
    expect(warningsOf(text)).toEqual([
      'line 2: stages: unknown key, ignored',
      'line 4: env.vars: unknown key, ignored',
      'line 6: phases.test: unknown key, ignored',
      'line 9: phases.build.env: unknown key, ignored',
    ]);
  });

  it('reads run-as and proxy', () => {
    const spec = parsed(
      yaml(
        'version: 0.2',
        'run-as: builder',
        'proxy:',
        '  upload-artifacts: yes',
        '  logs: no',
        minimal.split('\n').slice(1).join('\n'),
      ),
    );
    expect(spec.runAs).toBe('builder');
    expect(spec.proxy).toEqual({ uploadArtifacts: true, logs: false });
  });

  it('expands anchors, aliases and merge keys', () => {
    const text = yaml(
      'version: 0.2',
      'x-common: &common',
      '  commands:',
      '    - make',
      'phases:',
      '  build:',
      '    <<: *common',
      '    finally: &fin',
      '      - echo done',
      '  post_build:',
      '    commands: *fin',
    );
    const spec = parsed(text);
    expect(spec.phases.build?.commands).toEqual(['make']);
    expect(spec.phases.build?.finally).toEqual(['echo done']);
    expect(spec.phases.post_build?.commands).toEqual(['echo done']);
  });

  it('refuses a document larger than the limit', () => {
    expect(parseBuildspec(minimal, { maxBytes: undefined }).ok).toBe(true);
    expect(errorsOf(minimal, { maxBytes: 20 })).toEqual([
      'YAML_FILE_ERROR: the buildspec is over the limit of 20 bytes',
    ]);
    // Multi-byte characters count as UTF-8 bytes, not as JavaScript characters.
    const text = minimal.replace('make', 'é'.repeat(40));
    expect(parseBuildspec(text, { maxBytes: minimal.length + 40 }).ok).toBe(false);
    expect(parseBuildspec(text, { maxBytes: minimal.length + 80 }).ok).toBe(true);
  });

  it('refuses alias expansion past the node budget (billion laughs)', () => {
    const lines = ['version: 0.2', 'a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++) {
      const prev = String.fromCharCode(97 + i);
      const next = String.fromCharCode(98 + i);
      lines.push(`${next}: &${next} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    lines.push('phases: {build: {commands: [make]}}');
    expect(errorsOf(yaml(...lines))).toEqual([
      'YAML_FILE_ERROR: line 2: e[7][0][7][0][1]: the document expands to more than 100000 nodes (aliases count each time they are used)',
    ]);
  });

  it('refuses nesting past the depth limit', () => {
    const deep = `${'['.repeat(80)}${']'.repeat(80)}`;
    expect(errorsOf(yaml('version: 0.2', `x: ${deep}`), { maxDepth: 64 })[0]).toMatch(
      /^YAML_FILE_ERROR: line 2: x(\[0\])+: nesting is deeper than 64 levels/,
    );
  });
});
