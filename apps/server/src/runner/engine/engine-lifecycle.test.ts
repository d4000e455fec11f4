import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hostProcessesNamed,
  uniqueProcessName,
  waitUntil,
} from '../sandbox/sandbox-test-support.ts';
import type { LogLine } from './build-reporter.ts';
import { runBuild } from './run-build.ts';
import { EngineHarness, executors, MemorySink, RecordingReporter } from './engine-test-support.ts';

describe.each(executors)('build engine timeout and stop (%s executor)', (_name, create) => {
  const harness = new EngineHarness();
  beforeAll(() => harness.setUp(create));
  afterAll(() => harness.tearDown());

  it('kills the running phase at the deadline: phase and build TIMED_OUT', async () => {
    const began = Date.now();
    const { reporter, outcome } = await harness.build({
      buildspec:
        'version: 0.2\nphases:\n  build:\n    commands: [sleep 30]\n    finally: [echo finally]\n  post_build:\n    commands: [echo post]\n',
      run: { deadline: Date.now() + 1500 },
    });
    expect(Date.now() - began).toBeLessThan(15_000);
    expect(outcome.buildStatus).toBe('TIMED_OUT');
    expect(reporter.statuses()).toEqual([
      'DOWNLOAD_SOURCE SUCCEEDED',
      'INSTALL SUCCEEDED',
      'PRE_BUILD SUCCEEDED',
      'BUILD TIMED_OUT',
      'FINALIZING SUCCEEDED',
      'COMPLETED',
    ]);
    expect(reporter.output()).not.toContain('finally');
  });

  it('stops the build on abort: phase and build STOPPED, no process left', async () => {
    const name = uniqueProcessName();
    const controller = new AbortController();
    const reporter = new (class extends RecordingReporter {
      override log(lines: readonly LogLine[]): void {
        super.log(lines);
        if (lines.some((l) => l.text === 'running')) controller.abort();
      }
    })();
    const run = await harness.prepare({
      buildspec: `version: 0.2\nphases:\n  build:\n    commands: ['cp /bin/sleep ./${name} && echo running && ./${name} 60']\n  post_build:\n    commands: [echo post]\n`,
      run: { signal: controller.signal },
    });
    const outcome = await runBuild(run, { reporter, artifactSink: new MemorySink() });
    expect(outcome.buildStatus).toBe('STOPPED');
    expect(reporter.statuses()).toEqual([
      'DOWNLOAD_SOURCE SUCCEEDED',
      'INSTALL SUCCEEDED',
      'PRE_BUILD SUCCEEDED',
      'BUILD STOPPED',
      'FINALIZING SUCCEEDED',
      'COMPLETED',
    ]);
    await waitUntil(async () =>
      (await hostProcessesNamed(name)).every((process) => process.state === 'Z'),
    );
    expect((await hostProcessesNamed(name)).filter((p) => p.state !== 'Z')).toEqual([]);
  });

  it('marks the next phase STOPPED when the build is stopped between phases', async () => {
    const controller = new AbortController();
    controller.abort();
    const { reporter, outcome } = await harness.build({
      buildspec: 'version: 0.2\nphases:\n  build:\n    commands: [echo never]\n',
      run: { signal: controller.signal },
    });
    expect(outcome.buildStatus).toBe('STOPPED');
    expect(reporter.statuses()).toEqual([
      'DOWNLOAD_SOURCE STOPPED',
      'FINALIZING SUCCEEDED',
      'COMPLETED',
    ]);
  });
});

describe('build engine log (bubblewrap executor)', () => {
  const harness = new EngineHarness();
  beforeAll(() => harness.setUp(executors[0]![1]));
  afterAll(() => harness.tearDown());

  it('masks resolved secrets in every line, even when split across output chunks', async () => {
    const { reporter, outcome } = await harness.build({
      buildspec: `version: 0.2
env:
  secrets-manager:
    TOKEN: ci/token:password
phases:
  build:
    commands:
      - printf 'a hunter2-'; sleep 0.3; printf 'secret b\\n'
      - echo "$TOKEN" >&2
      - echo "pass=$MY_PASS"
`,
      run: {
        secrets: {
          resolve: (ref) =>
            Promise.resolve(ref.reference === 'ci/token:password' ? 'hunter2-secret' : undefined),
        },
        environment: { project: [{ name: 'MY_PASS', value: 'open-sesame' }] },
        maskedVariables: ['MY_PASS'],
      },
    });
    expect(outcome.buildStatus).toBe('SUCCEEDED');
    expect(reporter.output()).toEqual(expect.arrayContaining(['a *** b', '***', 'pass=***']));
    const all = reporter.lines.map((l) => l.text).join('\n');
    expect(all).not.toContain('hunter2-secret');
    expect(all).not.toContain('open-sesame');
  });

  it('keeps memory bounded for 100 MB of output without a newline', async () => {
    let peak = 0;
    const usage = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const baseline = usage();
    const sampler = setInterval(() => (peak = Math.max(peak, usage() - baseline)), 20);
    try {
      const { reporter, outcome } = await harness.build({
        buildspec: `version: 0.2
phases:
  build:
    commands:
      - head -c 100000000 /dev/zero | tr '\\0' x
      - echo; echo after
`,
      });
      expect(outcome.buildStatus).toBe('SUCCEEDED');
      const output = reporter.output().filter((l) => l !== '');
      expect(output).toHaveLength(2);
      expect(output[0]).toMatch(/^x{1048576} \[line cut: longer than 1048576 bytes\]$/);
      expect(output[1]).toBe('after');
      expect(reporter.text()).toContain('Running command echo; echo after');
    } finally {
      clearInterval(sampler);
    }
    expect(peak).toBeLessThan(64 * 1024 * 1024);
  });
});
