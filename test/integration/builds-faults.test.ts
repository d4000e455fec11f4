import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchGetBuildsCommand,
  CodeBuildClient,
  CreateProjectCommand,
  StartBuildCommand,
  type Build,
} from '@aws-sdk/client-codebuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readCredentials,
  slipwayBin,
  spawnServer,
  startTestServer,
  type TestServer,
} from '../support/test-server.ts';

/**
 * Runners are separate processes that die: a build whose runner is killed mid-build ends FAILED
 * with the reason once its lease lapses, its sandbox dies with it, and two runners racing for
 * builds never run one twice.
 */
describe('builds when runners die or race', () => {
  let server: TestServer;
  let codebuild: CodeBuildClient;
  let token: string;
  const runners: ChildProcess[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    token = (await readFile(join(server.dataDir, 'runner-token'), 'utf8')).trim();
    codebuild = new CodeBuildClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    for (const runner of runners) runner.kill('SIGKILL');
    codebuild.destroy();
    await server.close();
  });

  function startRunner(name: string): ChildProcess {
    const runner = spawn(
      process.execPath,
      [slipwayBin, 'runner', '--server', server.url, '--token', token, '--log-level', 'warn'],
      { env: { ...process.env, TMPDIR: join(server.dataDir, '..') }, stdio: 'ignore' },
    );
    runner.on('error', () => undefined);
    runners.push(runner);
    void name;
    return runner;
  }

  async function project(name: string, commands: readonly string[]): Promise<void> {
    const phases = commands.map((c) => `      - ${JSON.stringify(c)}`).join('\n');
    await codebuild.send(
      new CreateProjectCommand({
        name,
        source: {
          type: 'NO_SOURCE',
          buildspec: `version: 0.2\nphases:\n  build:\n    commands:\n${phases}\n`,
        },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: {
          type: 'LINUX_CONTAINER',
          image: 'aws/codebuild/standard:7.0',
          computeType: 'BUILD_GENERAL1_SMALL',
        },
        serviceRole: 'arn:aws:iam::000000000000:role/codebuild',
      }),
    );
  }

  async function waitFor(id: string, done: (b: Build) => boolean, ms: number): Promise<Build> {
    const deadline = Date.now() + ms;
    for (;;) {
      const build = (await codebuild.send(new BatchGetBuildsCommand({ ids: [id] }))).builds?.[0];
      if (build !== undefined && done(build)) return build;
      if (Date.now() > deadline) throw new Error(`build ${id}: ${JSON.stringify(build)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('fails a build whose runner is killed, within 30 s, and leaves no process behind', async () => {
    await project('killed', ['echo started', 'sleep 299.5']);
    const runner = startRunner('victim');
    const id = (await codebuild.send(new StartBuildCommand({ projectName: 'killed' }))).build?.id;
    await waitFor(id ?? '', (b) => b.currentPhase === 'BUILD', 30_000);
    // The build's own process, found by its unusual argument.
    await waitForProcess('sleep\x00299.5');
    runner.kill('SIGKILL');
    const killedAt = Date.now();
    const build = await waitFor(id ?? '', (b) => b.buildComplete === true, 40_000);
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    expect(build.buildStatus).toBe('FAILED');
    const phase = build.phases?.find((p) => p.phaseType === 'BUILD');
    expect(phase?.phaseStatus).toBe('FAILED');
    expect(phase?.contexts?.[0]?.statusCode).toBe('RUNNER_LOST');
    // The sandbox died with its runner (bubblewrap's --die-with-parent): no sleep is left.
    expect(await processesWith('sleep\x00299.5')).toEqual([]);
  }, 90_000);

  it('fails a running build consistently when the server is killed and started again', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'slipway-killed-server-'));
    const args = ['--port', '0', '--data-dir', dataDir];
    let spawned = await spawnServer(args);
    try {
      const credentials = await readCredentials(join(dataDir, 'credentials'));
      const client = (url: string) =>
        new CodeBuildClient({
          endpoint: url,
          region: 'us-east-1',
          credentials,
          maxAttempts: 1,
        });
      let own = client(spawned.url);
      await own.send(
        new CreateProjectCommand({
          name: 'crash',
          source: {
            type: 'NO_SOURCE',
            buildspec: 'version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 298.5\n',
          },
          artifacts: { type: 'NO_ARTIFACTS' },
          environment: {
            type: 'LINUX_CONTAINER',
            image: 'aws/codebuild/standard:7.0',
            computeType: 'BUILD_GENERAL1_SMALL',
          },
          serviceRole: 'arn:aws:iam::000000000000:role/codebuild',
        }),
      );
      const id = (await own.send(new StartBuildCommand({ projectName: 'crash' }))).build?.id ?? '';
      await waitForProcess('sleep\x00298.5');
      spawned.child.kill('SIGKILL');
      await spawned.exited;
      own.destroy();
      // The sandbox dies with the server that ran it.
      expect(await processesWith('sleep\x00298.5')).toEqual([]);
      spawned = await spawnServer(args);
      own = client(spawned.url);
      const deadline = Date.now() + 40_000;
      let build: Build | undefined;
      while (build?.buildComplete !== true) {
        if (Date.now() > deadline) throw new Error(`not ended: ${JSON.stringify(build)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
        build = (await own.send(new BatchGetBuildsCommand({ ids: [id] }))).builds?.[0];
      }
      own.destroy();
      expect(build.buildStatus).toBe('FAILED');
      const phase = build.phases?.find((p) => p.phaseType === 'BUILD');
      expect(phase?.contexts?.[0]?.statusCode).toBe('RUNNER_LOST');
    } finally {
      spawned.child.kill('SIGKILL');
      await spawned.exited;
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('never gives one build to two runners', async () => {
    await project('raced', ['echo "ran by $$ at $(date +%s%N)"']);
    startRunner('one');
    startRunner('two');
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const started = await codebuild.send(new StartBuildCommand({ projectName: 'raced' }));
      ids.push(started.build?.id ?? '');
    }
    const builds = await Promise.all(
      ids.map((id) => waitFor(id, (b) => b.buildComplete === true, 60_000)),
    );
    expect(builds.map((b) => b.buildStatus)).toEqual(ids.map(() => 'SUCCEEDED'));
    // Each build's phases were reported once: a second runner would have been refused, or
    // its phases would appear twice.
    for (const build of builds) {
      const types = build.phases?.map((p) => p.phaseType) ?? [];
      expect(new Set(types).size).toBe(types.length);
    }
  }, 90_000);
});

async function waitForProcess(marker: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await processesWith(marker)).length === 0) {
    if (Date.now() > deadline) throw new Error(`no process with ${marker}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Command lines (NUL-separated arguments) of running processes that contain `marker`. */
async function processesWith(marker: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker)) found.push(cmdline);
  }
  return found;
}
