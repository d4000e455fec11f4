import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHarness, executors } from './engine-test-support.ts';

const spec = (body: string) => `version: 0.2\n${body}`;

describe.each(executors)('build engine phases (%s executor)', (_name, create) => {
  const harness = new EngineHarness();
  beforeAll(() => harness.setUp(create));
  afterAll(() => harness.tearDown());

  it('runs every phase in order and logs CodeBuild-style lines', async () => {
    const { reporter, outcome } = await harness.build({
      buildspec: spec(`phases:
  install:
    commands: [echo installing]
  build:
    commands:
      - echo building
      - echo "second"
`),
    });
    expect(outcome.buildStatus).toBe('SUCCEEDED');
    expect(reporter.statuses()).toEqual([
      'DOWNLOAD_SOURCE SUCCEEDED',
      'INSTALL SUCCEEDED',
      'PRE_BUILD SUCCEEDED',
      'BUILD SUCCEEDED',
      'POST_BUILD SUCCEEDED',
      // Attempted even without an artifacts section, as in CodeBuild's logs.
      'UPLOAD_ARTIFACTS SUCCEEDED',
      'FINALIZING SUCCEEDED',
      'COMPLETED',
    ]);
    const text = reporter.text();
    expect(text).toContain(
      'Entering phase BUILD\nRunning command echo building\nbuilding\n\n' +
        'Running command echo "second"\nsecond\n\n' +
        'Phase complete: BUILD State: SUCCEEDED\nPhase context status code:  Message: ',
    );
    expect(reporter.lines.find((l) => l.text.includes('Entering phase BUILD'))?.text).toMatch(
      /^\[Container\] \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{6} Entering phase BUILD$/,
    );
    expect(outcome.phases[1]?.contexts).toEqual([{ statusCode: '', message: '' }]);
  });

  it('skips to FINALIZING when INSTALL fails', async () => {
    const { reporter, outcome, sink } = await harness.build({
      buildspec: spec(`phases:
  install:
    commands: [echo one, 'false', echo never]
  pre_build:
    commands: [echo pre]
  build:
    commands: [echo build]
  post_build:
    commands: [echo post]
artifacts:
  files: ['**/*']
`),
    });
    expect(outcome.buildStatus).toBe('FAILED');
    expect(reporter.statuses()).toEqual([
      'DOWNLOAD_SOURCE SUCCEEDED',
      'INSTALL FAILED',
      'FINALIZING SUCCEEDED',
      'COMPLETED',
    ]);
    expect(outcome.phases[1]?.contexts).toEqual([
      {
        statusCode: 'COMMAND_EXECUTION_ERROR',
        message: 'Error while executing command: false. Reason: exit status 1',
      },
    ]);
    expect(reporter.text()).toContain('Command did not exit successfully false exit status 1');
    expect(reporter.output()).not.toContain('never');
    expect(reporter.output()).not.toContain('pre');
    expect(sink.zips).toEqual([]);
  });

  it('runs POST_BUILD and UPLOAD_ARTIFACTS after a failed BUILD, with CODEBUILD_BUILD_SUCCEEDING=0', async () => {
    const { reporter, outcome, sink } = await harness.build({
      buildspec: spec(`phases:
  build:
    commands: [echo "build $CODEBUILD_BUILD_SUCCEEDING", exit 3]
  post_build:
    commands: [echo "post $CODEBUILD_BUILD_SUCCEEDING"]
artifacts:
  files: [buildspec.yml]
`),
    });
    expect(outcome.buildStatus).toBe('FAILED');
    expect(reporter.statuses()).toEqual([
      'DOWNLOAD_SOURCE SUCCEEDED',
      'INSTALL SUCCEEDED',
      'PRE_BUILD SUCCEEDED',
      'BUILD FAILED',
      'POST_BUILD SUCCEEDED',
      'UPLOAD_ARTIFACTS SUCCEEDED',
      'FINALIZING SUCCEEDED',
      'COMPLETED',
    ]);
    expect(reporter.output()).toContain('build 1');
    expect(reporter.output()).toContain('post 0');
    expect(outcome.phases[3]?.contexts[0]?.message).toBe(
      'Error while executing command: exit 3. Reason: exit status 3',
    );
    expect(sink.zips).toHaveLength(1);
  });

  it('runs finally after a failing command, from the state it left, and fails the phase', async () => {
    const { reporter, outcome } = await harness.build({
      buildspec: spec(`phases:
  build:
    commands:
      - mkdir -p out && cd out && MARK=set
      - 'false'
      - echo skipped
    finally:
      - echo "finally in $(basename $PWD) with $MARK"
      - echo "second finally"
`),
    });
    expect(reporter.output()).toEqual(
      expect.arrayContaining(['finally in out with set', 'second finally']),
    );
    expect(reporter.output()).not.toContain('skipped');
    expect(outcome.phases.find((p) => p.phaseType === 'BUILD')?.phaseStatus).toBe('FAILED');
    expect(outcome.phases.find((p) => p.phaseType === 'BUILD')?.contexts[0]?.message).toBe(
      'Error while executing command: false. Reason: exit status 1',
    );
    expect(reporter.text()).toContain('Running command echo "second finally"');
  });

  it('fails a phase whose finally block fails after its commands succeeded', async () => {
    const { outcome, reporter } = await harness.build({
      buildspec: spec(`phases:
  pre_build:
    commands: [X=kept]
    finally: ['echo "finally sees $X"', exit 4]
`),
    });
    expect(reporter.output()).toContain('finally sees kept');
    expect(outcome.phases.find((p) => p.phaseType === 'PRE_BUILD')?.phaseStatus).toBe('FAILED');
    expect(reporter.statuses()).not.toContain('BUILD SUCCEEDED');
  });

  it('goes on to the next phase with on-failure CONTINUE, and the build still fails', async () => {
    const { reporter, outcome } = await harness.build({
      buildspec: spec(`phases:
  install:
    on-failure: CONTINUE
    commands: ['false']
  pre_build:
    commands: [echo "pre $CODEBUILD_BUILD_SUCCEEDING"]
  build:
    commands: [echo build]
`),
    });
    expect(reporter.statuses().slice(1, 5)).toEqual([
      'INSTALL FAILED',
      'PRE_BUILD SUCCEEDED',
      'BUILD SUCCEEDED',
      'POST_BUILD SUCCEEDED',
    ]);
    expect(reporter.output()).toContain('pre 0');
    expect(outcome.buildStatus).toBe('FAILED');
  });

  it('ends the build at a BUILD failure with an explicit on-failure ABORT', async () => {
    const { reporter } = await harness.build({
      buildspec: spec(`phases:
  build:
    on-failure: ABORT
    commands: ['false']
  post_build:
    commands: [echo post]
artifacts:
  files: ['**/*']
`),
    });
    expect(reporter.statuses()).toEqual([
      'DOWNLOAD_SOURCE SUCCEEDED',
      'INSTALL SUCCEEDED',
      'PRE_BUILD SUCCEEDED',
      'BUILD FAILED',
      'FINALIZING SUCCEEDED',
      'COMPLETED',
    ]);
  });

  it('carries the directory, exported and plain variables from phase to phase', async () => {
    const { reporter } = await harness.build({
      buildspec: spec(`phases:
  install:
    commands: [mkdir -p a/b, cd a, export EXPORTED=one, PLAIN=two]
  pre_build:
    commands: [cd b, 'PLAIN="$PLAIN and more"']
  build:
    commands:
      - echo "$(basename $PWD)|$EXPORTED|$PLAIN"
      - |
        sh -c 'echo "child:\${PLAIN:-unset}:$EXPORTED"'
`),
    });
    expect(reporter.output()).toContain('b|one|two and more');
    expect(reporter.output()).toContain('child:unset:one');
  });

  it('runs under env.shell /bin/sh (dash) with the same Running command lines', async () => {
    const { reporter, outcome } = await harness.build({
      buildspec: spec(`env:
  shell: /bin/sh
phases:
  build:
    commands: ['A=1', 'echo "a=$A"']
`),
    });
    expect(outcome.buildStatus).toBe('SUCCEEDED');
    expect(reporter.text()).toContain('Running command A=1\n\nRunning command echo "a=$A"\na=1\n');
  });

  it('runs each command in its own shell for buildspec version 0.1', async () => {
    const { reporter } = await harness.build({
      buildspec: `version: 0.1
phases:
  build:
    commands: [mkdir -p sub, cd sub, 'echo "at $(basename $PWD)"']
`,
    });
    expect(reporter.output()).toContain('at src');
  });

  it('applies StartBuild override > project > buildspec > image, and keeps CODEBUILD_ names', async () => {
    const { reporter } = await harness.build({
      buildspec: spec(`env:
  variables:
    B: buildspec
    C: buildspec
    D: buildspec
    CODEBUILD_BUILD_ID: forged
phases:
  build:
    commands: ['echo "$A $B $C $D $CODEBUILD_BUILD_ID"']
`),
      run: {
        environment: {
          image: { PATH: '/usr/bin:/bin', A: 'image', B: 'image' },
          project: [
            { name: 'C', value: 'project' },
            { name: 'D', value: 'project' },
          ],
          override: [{ name: 'D', value: 'override' }],
        },
        buildId: 'demo:fixed-id',
      },
    });
    expect(reporter.output()).toContain('image buildspec project override demo:fixed-id');
    expect(reporter.text()).toContain(
      'Ignoring buildspec variable "CODEBUILD_BUILD_ID": names beginning CODEBUILD_ are reserved',
    );
  });

  it('sets the built-in variables, the resolved source version and a writable HOME', async () => {
    const { reporter, run } = await harness.build({
      buildspec: spec(`phases:
  build:
    commands:
      - echo "$CODEBUILD_SRC_DIR|$CODEBUILD_RESOLVED_SOURCE_VERSION|$CODEBUILD_BUILD_NUMBER|$AWS_REGION|$CODEBUILD_INITIATOR"
      - touch "$HOME/written" && echo home-ok
`),
    });
    expect(reporter.output()).toContain(
      `${run.workspace.srcDir}|${'a'.repeat(40)}|7|us-east-1|tester`,
    );
    expect(reporter.output()).toContain('home-ok');
  });

  it('exports the listed variables as they were when POST_BUILD ended', async () => {
    const { outcome, reporter } = await harness.build({
      buildspec: spec(`env:
  exported-variables: [IMAGE_TAG, LATE, AWS_SECRET, MISSING]
phases:
  build:
    commands: [IMAGE_TAG=v1, export AWS_SECRET=x]
  post_build:
    commands: [export LATE=post]
`),
    });
    expect(outcome.exportedVariables).toEqual([
      { name: 'IMAGE_TAG', value: 'v1' },
      { name: 'LATE', value: 'post' },
      { name: 'MISSING', value: '' },
    ]);
    expect(reporter.text()).toContain(
      'Not exporting variable AWS_SECRET: names beginning AWS_ cannot be exported',
    );
  });

  it('fails DOWNLOAD_SOURCE with YAML_FILE_ERROR naming the line and field', async () => {
    const { reporter, outcome } = await harness.build({
      buildspec: spec(`phases:
  build:
    commands:
      - echo ok
      - nested: map
`),
    });
    expect(reporter.statuses()).toEqual([
      'DOWNLOAD_SOURCE FAILED',
      'FINALIZING SUCCEEDED',
      'COMPLETED',
    ]);
    const context = outcome.phases[0]?.contexts[0];
    expect(context?.statusCode).toBe('YAML_FILE_ERROR');
    expect(context?.message).toMatch(/^line 6: phases\.build\.commands\[1\]: /);
    expect(reporter.text()).toContain('Phase context status code: YAML_FILE_ERROR Message: line 6');
  });

  it('fails DOWNLOAD_SOURCE when the buildspec is missing, as CodeBuild words it', async () => {
    const { outcome, run } = await harness.build({
      buildspec: spec('phases: {build: {commands: [echo]}}\n'),
      run: { buildspec: { kind: 'file', path: 'ci/other.yml' } },
    });
    expect(outcome.phases[0]?.contexts[0]).toEqual({
      statusCode: 'YAML_FILE_ERROR',
      message: `stat ${run.workspace.srcDir}/ci/other.yml: no such file or directory`,
    });
  });

  it('says plainly that on-failure RETRY is not supported yet', async () => {
    const { outcome } = await harness.build({
      buildspec: spec('phases:\n  build:\n    on-failure: RETRY-2\n    commands: [echo]\n'),
    });
    expect(outcome.phases[0]?.contexts[0]?.message).toContain('RETRY is not supported yet');
  });

  it('fails clearly on a Parameter Store variable nobody can resolve', async () => {
    const { outcome } = await harness.build({
      buildspec: spec(
        'env:\n  parameter-store:\n    TOKEN: /ci/token\nphases:\n  build:\n    commands: [echo]\n',
      ),
    });
    expect(outcome.phases[0]).toMatchObject({
      phaseType: 'DOWNLOAD_SOURCE',
      phaseStatus: 'FAILED',
    });
    expect(outcome.phases[0]?.contexts[0]?.statusCode).toBe('CLIENT_ERROR');
    expect(outcome.phases[0]?.contexts[0]?.message).toContain(
      'TOKEN (Parameter Store /ci/token): Parameter Store and Secrets Manager variables are not supported yet',
    );
  });
});
