import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHarness, executors, readZip, zipFiles } from './engine-test-support.ts';

const harness = new EngineHarness();
beforeAll(() => harness.setUp(executors[0]![1]));
afterAll(() => harness.tearDown());

const source = {
  'README.md': 'readme',
  'src/app.js': 'app',
  'src/lib/util.js': 'util',
  'src/lib/util.test.js': 'test',
  'run.sh': '#!/bin/sh\necho run\n',
};

describe('build engine artifacts', () => {
  it('zips exactly the selected files, built ones included, keeping modes', async () => {
    const { sink, outcome, reporter } = await harness.build({
      buildspec: `version: 0.2
phases:
  build:
    commands: [mkdir -p dist, echo built > dist/out.txt]
artifacts:
  files: ['src/**/*', dist/out.txt, run.sh]
  exclude-paths: ['src/**/*.test.js']
`,
      files: source,
    });
    expect(outcome.buildStatus).toBe('SUCCEEDED');
    expect(sink.zips).toHaveLength(1);
    const entries = await readZip(sink.zips[0]!.bytes);
    expect(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, v.content]))).toEqual({
      'dist/out.txt': 'built\n',
      'run.sh': '#!/bin/sh\necho run\n',
      'src/app.js': 'app',
      'src/lib/util.js': 'util',
    });
    expect(entries['run.sh']!.mode & 0o777).toBe(0o755);
    expect(outcome.artifacts).toEqual([
      expect.objectContaining({
        identifier: undefined,
        packaging: 'ZIP',
        name: 'primary',
        location: 'memory://primary',
        fileCount: 4,
        sha256sum: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      }),
    ]);
    expect(reporter.text()).toContain(
      'Expanding src/**/*\nExpanding dist/out.txt\nExpanding run.sh\nFound 4 file(s)',
    );
  });

  it('applies base-directory and discard-paths', async () => {
    const { sink } = await harness.build({
      buildspec: `version: 0.2
phases:
  build:
    commands: ['true']
artifacts:
  base-directory: src
  files: ['**/*']
  discard-paths: yes
  exclude-paths: [lib/util.test.js]
`,
      files: source,
    });
    expect(await zipFiles(sink.zips[0]!.bytes)).toEqual({ 'app.js': 'app', 'util.js': 'util' });
  });

  it('packages secondary artifacts by identifier, each with its own selection', async () => {
    const { sink, outcome } = await harness.build({
      buildspec: `version: 0.2
phases:
  build:
    commands: ['true']
artifacts:
  files: [README.md]
  secondary-artifacts:
    code:
      base-directory: src
      files: [app.js]
    docs:
      files: [README.md]
      discard-paths: yes
`,
      files: source,
    });
    expect(sink.zips.map((z) => z.descriptor.identifier)).toEqual([undefined, 'code', 'docs']);
    expect(await zipFiles(sink.zips[1]!.bytes)).toEqual({ 'app.js': 'app' });
    expect(outcome.artifacts.map((a) => a.name)).toEqual(['primary', 'code', 'docs']);
  });

  it('fails UPLOAD_ARTIFACTS for a secondary artifact the project does not define', async () => {
    const { outcome } = await harness.build({
      buildspec: `version: 0.2
phases: {build: {commands: ['true']}}
artifacts:
  files: [README.md]
  secondary-artifacts:
    unknown: {files: [README.md]}
`,
      files: source,
      run: {
        artifactSettings: (id) => (id === undefined ? { packaging: 'ZIP', name: 'p' } : undefined),
      },
    });
    const upload = outcome.phases.find((p) => p.phaseType === 'UPLOAD_ARTIFACTS');
    expect(upload?.phaseStatus).toBe('FAILED');
    expect(upload?.contexts[0]?.message).toContain("secondary artifact 'unknown'");
    expect(outcome.buildStatus).toBe('FAILED');
  });

  it('refuses a symbolic link that leaves the workspace, naming it', async () => {
    const { outcome, sink } = await harness.build({
      buildspec: `version: 0.2
phases: {build: {commands: ['ln -s /etc/passwd stolen']}}
artifacts:
  files: ['**/*']
`,
      files: { 'inside.txt': 'in' },
    });
    const upload = outcome.phases.find((p) => p.phaseType === 'UPLOAD_ARTIFACTS');
    expect(upload?.phaseStatus).toBe('FAILED');
    expect(upload?.contexts[0]).toEqual({
      statusCode: 'CLIENT_ERROR',
      message:
        "refusing to package: 'stolen' is a symbolic link to '/etc/passwd', outside the build workspace",
    });
    expect(sink.zips).toEqual([]);
  });

  it('packages a link inside the workspace as its file, or as a link with enable-symlinks', async () => {
    const files = { 'real.txt': 'real', 'alias.txt': { link: 'real.txt' } };
    const plain = await harness.build({
      buildspec:
        "version: 0.2\nphases: {build: {commands: ['true']}}\nartifacts:\n  files: ['*.txt']\n",
      files,
    });
    expect(await zipFiles(plain.sink.zips[0]!.bytes)).toEqual({
      'alias.txt': 'real',
      'real.txt': 'real',
    });
    const kept = await harness.build({
      buildspec:
        "version: 0.2\nphases: {build: {commands: ['true']}}\nartifacts:\n  files: ['*.txt']\n  enable-symlinks: yes\n",
      files,
    });
    const entries = await readZip(kept.sink.zips[0]!.bytes);
    expect(entries['alias.txt']).toEqual({ content: 'real.txt', mode: 0o120777 });
  });

  it('refuses a base-directory that leaves the source directory', async () => {
    const { outcome, sink } = await harness.build({
      buildspec:
        "version: 0.2\nphases: {build: {commands: ['true']}}\nartifacts:\n  base-directory: ../home\n  files: ['**/*']\n",
    });
    const upload = outcome.phases.find((p) => p.phaseType === 'UPLOAD_ARTIFACTS');
    expect(upload?.phaseStatus).toBe('FAILED');
    expect(upload?.contexts[0]?.message).toContain("leaves the source directory with '..'");
    expect(sink.zips).toEqual([]);
  });

  it("fails with CodeBuild's CLIENT_ERROR when nothing matches", async () => {
    const { outcome, reporter } = await harness.build({
      buildspec:
        "version: 0.2\nphases: {build: {commands: ['true']}}\nartifacts:\n  files: [missing.jar]\n",
    });
    expect(outcome.phases.find((p) => p.phaseType === 'UPLOAD_ARTIFACTS')?.contexts[0]).toEqual({
      statusCode: 'CLIENT_ERROR',
      message: 'no matching artifact paths found',
    });
    expect(reporter.text()).toContain('Skipping invalid file path missing.jar');
  });

  it('hands over files one by one for packaging NONE', async () => {
    const { sink } = await harness.build({
      buildspec:
        "version: 0.2\nphases: {build: {commands: ['true']}}\nartifacts:\n  files: ['src/*']\n",
      files: source,
      run: { artifactSettings: () => ({ packaging: 'NONE', name: 'tree' }) },
    });
    expect(sink.trees).toEqual([expect.objectContaining({ files: { 'src/app.js': 'app' } })]);
  });

  it("expands the buildspec's artifact name with the shell when the project says so", async () => {
    const { outcome } = await harness.build({
      buildspec:
        "version: 0.2\nphases: {build: {commands: ['export TAG=v9']}}\nartifacts:\n  files: [README.md]\n  name: app-$TAG-$(echo x)\n",
      files: source,
      run: {
        artifactSettings: () => ({ packaging: 'ZIP', name: 'default', overrideArtifactName: true }),
      },
    });
    expect(outcome.artifacts[0]?.name).toBe('app-v9-x');
  });
});

describe('build engine reports', () => {
  const junit = `<?xml version="1.0"?>
<testsuites>
  <testsuite name="math" tests="3">
    <testcase classname="math.Add" name="adds" time="0.01"/>
    <testcase classname="math.Add" name="overflows" time="0.02"><failure message="expected 3">stack</failure></testcase>
    <testcase classname="math.Sub" name="later"><skipped/></testcase>
  </testsuite>
</testsuites>`;

  it('reads a JUnit report with a failing test without changing the build status', async () => {
    const { outcome, reporter } = await harness.build({
      buildspec: `version: 0.2
phases: {build: {commands: ['true']}}
reports:
  unit:
    files: ['reports/*.xml']
`,
      files: { 'reports/junit.xml': junit },
    });
    expect(outcome.buildStatus).toBe('SUCCEEDED');
    expect(outcome.reports).toHaveLength(1);
    const report = outcome.reports[0]!;
    expect(report).toMatchObject({
      reportGroupName: 'demo-unit',
      fileFormat: 'JUNITXML',
      status: 'FAILED',
      truncated: false,
      files: ['reports/junit.xml'],
    });
    expect(report.summary.statusCounts).toMatchObject({ SUCCEEDED: 1, FAILED: 1, SKIPPED: 1 });
    expect(report.testCases.find((c) => c.status === 'FAILED')).toMatchObject({
      prefix: 'math.Add',
      name: 'overflows',
    });
    expect(reporter.reports).toHaveLength(1);
  });

  it('makes only the report INCOMPLETE when a report file is malformed', async () => {
    const { outcome } = await harness.build({
      buildspec: `version: 0.2
phases: {build: {commands: ['true']}}
reports:
  unit:
    files: ['reports/*.xml']
`,
      files: { 'reports/good.xml': junit, 'reports/bad.xml': '<testsuite><testcase' },
    });
    expect(outcome.buildStatus).toBe('SUCCEEDED');
    expect(outcome.reports[0]).toMatchObject({ status: 'INCOMPLETE' });
    expect(outcome.reports[0]?.statusMessage).toContain('reports/bad.xml');
    expect(outcome.reports[0]?.summary.total).toBe(3);
  });
});

describe('build engine cache', () => {
  it('restores cache.paths before INSTALL and saves them after a successful build', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'slipway-cache-'));
    try {
      const buildspec = `version: 0.2
phases:
  install:
    commands:
      - 'if [ -f deps/marker ]; then echo "cache hit $(cat deps/marker)"; else echo cache miss; fi'
      - mkdir -p deps && echo "$CODEBUILD_BUILD_NUMBER" > deps/marker
cache:
  paths: ['deps/**/*']
`;
      const first = await harness.build({ buildspec, run: { cacheDir, buildNumber: 1 } });
      expect(first.reporter.output()).toContain('cache miss');
      const second = await harness.build({ buildspec, run: { cacheDir, buildNumber: 2 } });
      expect(second.reporter.output()).toContain('cache hit 1');
      const failed = await harness.build({
        buildspec: buildspec.replace('cache:', "  build:\n    commands: ['false']\ncache:"),
        run: { cacheDir, buildNumber: 3 },
      });
      expect(failed.outcome.buildStatus).toBe('FAILED');
      const fourth = await harness.build({ buildspec, run: { cacheDir, buildNumber: 4 } });
      expect(fourth.reporter.output()).toContain('cache hit 2');
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
