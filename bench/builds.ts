// `npx tsx bench/builds.ts`: how fast a build starts and ends, through the real CodeBuild API,
// the server's own runner and the bubblewrap sandbox; and what the sandbox costs a command.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  BatchGetBuildsCommand,
  CodeBuildClient,
  CreateProjectCommand,
  StartBuildCommand,
  type Build,
} from '@aws-sdk/client-codebuild';
import { BubblewrapExecutor } from '../apps/server/src/runner/sandbox/bubblewrap-executor.ts';
import type { Executor } from '../apps/server/src/runner/sandbox/executor.ts';
import { ProcessExecutor } from '../apps/server/src/runner/sandbox/process-executor.ts';
import { createWorkspace } from '../apps/server/src/runner/sandbox/workspace.ts';
import { readCredentials } from '../test/support/test-server.ts';
import { startSlipway, type ChildServer } from './support/child-server.ts';
import { isMain, printReport, progress, type BenchReport } from './support/report.ts';
import { formatMs, formatRatio, summariseLatencies, type LatencySummary } from './support/stats.ts';

const plan = {
  startLatencyBuilds: 100,
  noOpBuilds: 50,
  burst: { builds: 20, concurrency: 4, sleepSeconds: 1 },
  sandboxRounds: 50,
  /** BatchGetBuilds is polled this often to see a build end. */
  pollMs: 5,
  targets: { startP50: 100, startP99: 300, noOpP50: 300 },
} as const;

interface Clients {
  readonly codebuild: CodeBuildClient;
  readonly logs: CloudWatchLogsClient;
}

export async function runBuildsBench(): Promise<BenchReport> {
  const failures: string[] = [];
  const single = await withServer(1, async (clients) => {
    await project(clients, 'first-command', ['echo "first-command-at $(date +%s%3N)"']);
    await project(clients, 'no-op', [':']);
    progress(`builds: ${plan.startLatencyBuilds} builds, StartBuild → first command running`);
    const starts = await measureFirstCommand(clients, plan.startLatencyBuilds, failures);
    progress(`builds: ${plan.noOpBuilds} no-op builds, StartBuild → SUCCEEDED`);
    const noOps = await measureNoOp(clients, plan.noOpBuilds, failures);
    await project(clients, 'sleeper', [`sleep ${plan.burst.sleepSeconds}`]);
    progress('builds: one sleeping build alone, for the burst comparison');
    const alone = await timeBuilds(clients, 'sleeper', 1, failures);
    return { starts, noOps, alone };
  });
  const burst = await withServer(plan.burst.concurrency, async (clients) => {
    await project(clients, 'sleeper', [`sleep ${plan.burst.sleepSeconds}`]);
    await timeBuilds(clients, 'sleeper', plan.burst.concurrency, failures); // warm-up
    progress(
      `builds: ${plan.burst.builds} builds at once, ${plan.burst.concurrency} running at a time`,
    );
    return timeBuilds(clients, 'sleeper', plan.burst.builds, failures);
  });
  progress('builds: sandbox cost per phase and per command, against plain spawns');
  const sandbox = await measureSandbox();
  return format({ ...single, burst, sandbox }, failures);
}

async function withServer<T>(
  concurrency: number,
  work: (clients: Clients) => Promise<T>,
): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), 'slipway-bench-builds-'));
  let server: ChildServer | undefined;
  try {
    server = await startSlipway({
      dataDir,
      env: { SLIPWAY_RUNNER_CONCURRENCY: String(concurrency), SLIPWAY_LOG_LEVEL: 'error' },
    });
    const credentials = await readCredentials(join(dataDir, 'credentials'));
    const options = { endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 };
    const clients = {
      codebuild: new CodeBuildClient(options),
      logs: new CloudWatchLogsClient(options),
    };
    try {
      return await work(clients);
    } finally {
      clients.codebuild.destroy();
      clients.logs.destroy();
    }
  } finally {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function project(clients: Clients, name: string, commands: readonly string[]) {
  const lines = commands.map((c) => `      - ${JSON.stringify(c)}`).join('\n');
  await clients.codebuild.send(
    new CreateProjectCommand({
      name,
      source: {
        type: 'NO_SOURCE',
        buildspec: `version: 0.2\nphases:\n  build:\n    commands:\n${lines}\n`,
      },
      artifacts: { type: 'NO_ARTIFACTS' },
      environment: {
        type: 'LINUX_CONTAINER',
        image: 'aws/codebuild/standard:7.0',
        computeType: 'BUILD_GENERAL1_SMALL',
      },
      serviceRole: 'arn:aws:iam::000000000000:role/codebuild',
      // Below CodeBuild's default of 60 builds in the queue per project.
      concurrentBuildLimit: 100,
    }),
  );
}

async function start(clients: Clients, projectName: string): Promise<string> {
  const started = await clients.codebuild.send(new StartBuildCommand({ projectName }));
  return started.build?.id ?? '';
}

async function waitEnded(clients: Clients, id: string): Promise<Build> {
  for (;;) {
    const build = (await clients.codebuild.send(new BatchGetBuildsCommand({ ids: [id] })))
      .builds?.[0];
    if (build?.buildComplete === true) return build;
    await new Promise((resolve) => setTimeout(resolve, plan.pollMs));
  }
}

/** From sending StartBuild to the first command's own clock reading, printed to its log. */
async function measureFirstCommand(clients: Clients, count: number, failures: string[]) {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const sentAt = Date.now();
    const id = await start(clients, 'first-command');
    const build = await waitEnded(clients, id);
    if (build.buildStatus !== 'SUCCEEDED') failures.push(`${id} ended ${build.buildStatus ?? ''}`);
    const events = await clients.logs.send(
      new GetLogEventsCommand({
        logGroupName: build.logs?.groupName,
        logStreamName: build.logs?.streamName,
        startFromHead: true,
      }),
    );
    const line = events.events?.find((e) => e.message?.startsWith('first-command-at '));
    const ranAt = Number(line?.message?.slice('first-command-at '.length));
    if (!Number.isFinite(ranAt)) failures.push(`${id}: no first-command line in its log`);
    else samples.push(ranAt - sentAt);
  }
  return summariseLatencies(samples);
}

async function measureNoOp(clients: Clients, count: number, failures: string[]) {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const sentAt = performance.now();
    const id = await start(clients, 'no-op');
    const build = await waitEnded(clients, id);
    samples.push(performance.now() - sentAt);
    if (build.buildStatus !== 'SUCCEEDED') failures.push(`${id} ended ${build.buildStatus ?? ''}`);
  }
  return summariseLatencies(samples);
}

/** Wall time from starting `count` builds at once until the last has ended. */
async function timeBuilds(clients: Clients, name: string, count: number, failures: string[]) {
  const startedAt = performance.now();
  const ids = await Promise.all(Array.from({ length: count }, () => start(clients, name)));
  const builds = await Promise.all(ids.map((id) => waitEnded(clients, id)));
  for (const build of builds) {
    if (build.buildStatus !== 'SUCCEEDED') {
      failures.push(`${build.id ?? ''} ended ${build.buildStatus ?? ''}`);
    }
  }
  return performance.now() - startedAt;
}

interface SandboxCosts {
  readonly spawn: number;
  readonly spawnShell: number;
  readonly processPhase: number;
  readonly bubblewrapPhase: number;
  readonly bubblewrapPerCommand: number;
}

async function measureSandbox(): Promise<SandboxCosts> {
  const env = { PATH: '/usr/bin:/bin' };
  const bubblewrap = await BubblewrapExecutor.create({ log: { warn: () => undefined } });
  const plain = await ProcessExecutor.create({ log: { warn: () => undefined } });
  const root = await mkdtemp(join(tmpdir(), 'slipway-bench-sandbox-'));
  const { chmod } = await import('node:fs/promises');
  await chmod(root, 0o711);
  try {
    const workspace = await createWorkspace(root, bubblewrap.user);
    const phase = (executor: Executor, commands: readonly string[]) => async () => {
      const result = await executor.run({ commands, workspace, env, network: false });
      if (!result.succeeded) throw new Error(`phase failed: ${JSON.stringify(result)}`);
    };
    const many = Array.from({ length: plan.sandboxRounds }, () => '/bin/true');
    const manyMs = await timeOnce(phase(bubblewrap, many));
    const oneMs = await timeEach(phase(bubblewrap, ['/bin/true']));
    return {
      spawn: await timeEach(() => spawnAndWait('/bin/true', [])),
      spawnShell: await timeEach(() => spawnAndWait('/bin/bash', ['-c', '/bin/true'])),
      processPhase: await timeEach(phase(plain, ['/bin/true'])),
      bubblewrapPhase: oneMs,
      bubblewrapPerCommand: (manyMs - oneMs) / (plan.sandboxRounds - 1),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function timeEach(run: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 5; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < plan.sandboxRounds; i++) times.push(await timeOnce(run));
  return summariseLatencies(times).p50;
}

async function timeOnce(run: () => Promise<void>): Promise<number> {
  const startedAt = performance.now();
  await run();
  return performance.now() - startedAt;
}

function spawnAndWait(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: 'ignore' });
    child.once('error', reject);
    child.once('close', () => resolve());
  });
}

interface Results {
  readonly starts: LatencySummary;
  readonly noOps: LatencySummary;
  readonly alone: number;
  readonly burst: number;
  readonly sandbox: SandboxCosts;
}

function format(results: Results, failures: readonly string[]): BenchReport {
  const { starts, noOps, alone, burst, sandbox } = results;
  const verdict = (ok: boolean) => (ok ? 'meets' : 'MISSES');
  const startOk = starts.p50 <= plan.targets.startP50 && starts.p99 <= plan.targets.startP99;
  const noOpOk = noOps.p50 <= plan.targets.noOpP50;
  const ideal = alone * (plan.burst.builds / plan.burst.concurrency);
  const row = (name: string, s: LatencySummary) =>
    `  ${name.padEnd(44)} ${formatMs(s.p50).padStart(9)} ${formatMs(s.p90).padStart(9)} ${formatMs(s.p99).padStart(9)} ${formatMs(s.max).padStart(9)}`;
  const text = [
    '== builds: StartBuild to running, end to end, under load; the sandbox ==',
    'Slipway: `slipway server` as a child process (SQLite), its built-in runner, bubblewrap as',
    'nobody; clients: @aws-sdk/client-codebuild and client-cloudwatch-logs, BatchGetBuilds',
    `polled every ${plan.pollMs} ms. No CodeBuild here: AWS documents 10 s to minutes of queueing and`,
    'provisioning before the first command (reference aws-compat.md §4).',
    '',
    `                                                   p50       p90       p99       max`,
    row(`StartBuild → first command (${starts.count} builds)`, starts),
    row(`no-op build, StartBuild → SUCCEEDED (${noOps.count})`, noOps),
    '',
    `targets: first command p50 ≤ ${plan.targets.startP50} ms, p99 ≤ ${plan.targets.startP99} ms: ${verdict(startOk)}; ` +
      `no-op p50 ≤ ${plan.targets.noOpP50} ms: ${verdict(noOpOk)}`,
    '',
    `${plan.burst.builds} builds of \`sleep ${plan.burst.sleepSeconds}\` started at once, ${plan.burst.concurrency} at a time: ` +
      `${(burst / 1000).toFixed(2)} s; one alone ${(alone / 1000).toFixed(2)} s, × ${plan.burst.builds / plan.burst.concurrency} = ${(ideal / 1000).toFixed(2)} s ` +
      `(${formatRatio(burst / ideal)} of that)`,
    '',
    `Sandbox (median of ${plan.sandboxRounds}):`,
    `  spawn /bin/true                              ${formatMs(sandbox.spawn)}`,
    `  spawn bash -c /bin/true                      ${formatMs(sandbox.spawnShell)}`,
    `  phase of one command, process executor       ${formatMs(sandbox.processPhase)}`,
    `  phase of one command, bubblewrap             ${formatMs(sandbox.bubblewrapPhase)} (${formatMs(sandbox.bubblewrapPhase - sandbox.spawnShell)} over bash -c)`,
    `  each further command in a bubblewrap phase   ${formatMs(sandbox.bubblewrapPerCommand)}`,
  ].join('\n');
  return {
    name: 'builds',
    text,
    headline: [
      `builds     first command p50 ${formatMs(starts.p50)}, p99 ${formatMs(starts.p99)} (${verdict(startOk)}); ` +
        `no-op build p50 ${formatMs(noOps.p50)} (${verdict(noOpOk)}); ${plan.burst.builds} at ${plan.burst.concurrency} at a time ${formatRatio(burst / ideal)} of ideal; ` +
        `sandbox +${formatMs(sandbox.bubblewrapPhase - sandbox.spawnShell)} per phase`,
    ],
    failures,
  };
}

if (isMain(import.meta.filename)) printReport(await runBuildsBench());
