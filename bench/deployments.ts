// `npx tsx bench/deployments.ts`: CodeDeploy in-place deployments of a trivial revision (every
// hook exits at once) to 5 local agents, each a separate `slipway agent` process: AllAtOnce and
// OneAtATime from CreateDeployment to Succeeded, host command pickup latency, and a failure
// followed by its automatic rollback. No peer on this machine: CodeDeploy's agent long-polls
// every 35–50 s and publishes no figures.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  BatchGetDeploymentTargetsCommand,
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
  GetDeploymentCommand,
  ListOnPremisesInstancesCommand,
  type DeploymentInfo,
  type InstanceTarget,
} from '@aws-sdk/client-codedeploy';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { zipEntries } from '../apps/server/src/runner/engine/zip-archive.ts';
import { readCredentials } from '../test/support/test-server.ts';
import { readFileSync } from 'node:fs';
import { startSlipway } from './support/child-server.ts';
import { takeCpuCensus, type CpuCensus } from './support/cpu-census.ts';
import { processCpuMs } from './support/process-cpu.ts';
import { describeBackgroundLoad, measureBackgroundLoad } from './support/machine-load.ts';
import { isMain, printReport, progress, type BenchReport } from './support/report.ts';
import { formatMs, formatTable, summariseLatencies, type LatencySummary } from './support/stats.ts';

const plan = {
  hosts: 5,
  runs: 5,
  pollMs: 5,
  timeoutMs: 60_000,
  targets: { allAtOnceMs: 1_000, oneAtATimeMs: 3_000, pickupP99Ms: 100 },
} as const;

const hooks = ['ApplicationStop', 'BeforeInstall', 'AfterInstall', 'ApplicationStart'];

function appspec(validate: string): string {
  return [
    'version: 0.0',
    'os: linux',
    'files:',
    '  - source: /index.html',
    '    destination: /srv/bench',
    'file_exists_behavior: OVERWRITE',
    'hooks:',
    ...[...hooks, 'ValidateService'].flatMap((hook) => [
      `  ${hook}:`,
      `    - location: ${hook === 'ValidateService' ? validate : 'ok.sh'}`,
    ]),
    '',
  ].join('\n');
}

async function bundle(validate: string, fail: boolean): Promise<Buffer> {
  const files: Record<string, string> = {
    'appspec.yml': appspec(validate),
    'index.html': fail ? 'broken\n' : 'ok\n',
    'ok.sh': '#!/bin/sh\nexit 0\n',
    // Fails on the first host only: the rest of the fleet is never touched (OneAtATime).
    'fail.sh': '#!/bin/sh\n[ "$SLIPWAY_INSTANCE_INDEX" = 1 ] && exit 1\nexit 0\n',
  };
  const { stream } = zipEntries(
    Object.entries(files).map(([name, text]) => ({
      archivePath: name,
      mtime: new Date(0),
      mode: name.endsWith('.sh') ? 0o100755 : 0o100644,
      open: () => Promise.resolve(Readable.from([Buffer.from(text)])),
    })),
  );
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface Run {
  readonly totalMs: number;
  readonly info: DeploymentInfo;
  readonly targets: readonly InstanceTarget[];
}

export async function runDeploymentsBench(): Promise<BenchReport> {
  const failures: string[] = [];
  const background = await measureBackgroundLoad();
  const dataDir = await mkdtemp(join(tmpdir(), 'slipway-bench-deployments-'));
  const server = await startSlipway({
    dataDir,
    env: { SLIPWAY_LOCAL_AGENTS: String(plan.hosts), SLIPWAY_RUNNER_CONCURRENCY: '0' },
  });
  const credentials = await readCredentials(join(dataDir, 'credentials'));
  const options = {
    endpoint: server.url,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  };
  const deploy = new CodeDeployClient(options);
  const s3 = new S3Client({ ...options, forcePathStyle: true });
  try {
    progress(`deployments: waiting for ${plan.hosts} local agents`);
    const names = await until(async () => {
      const listed = await deploy.send(new ListOnPremisesInstancesCommand({}));
      return (listed.instanceNames?.length ?? 0) >= plan.hosts ? listed.instanceNames : undefined;
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-revisions' }));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'bench-revisions',
        Key: 'ok.zip',
        Body: await bundle('ok.sh', false),
      }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: 'bench-revisions',
        Key: 'broken.zip',
        Body: await bundle('fail.sh', true),
      }),
    );
    await deploy.send(new CreateApplicationCommand({ applicationName: 'bench' }));
    const group = async (name: string, config: string, rollback: boolean) =>
      deploy.send(
        new CreateDeploymentGroupCommand({
          applicationName: 'bench',
          deploymentGroupName: name,
          deploymentConfigName: config,
          serviceRoleArn: 'arn:aws:iam::123456789012:role/bench',
          onPremisesInstanceTagFilters: [
            { Key: 'slipway:local-agent', Value: 'true', Type: 'KEY_AND_VALUE' },
          ],
          ...(rollback
            ? { autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] } }
            : {}),
        }),
      );
    await group('all', 'CodeDeployDefault.AllAtOnce', false);
    await group('one', 'CodeDeployDefault.OneAtATime', false);
    await group('rollback', 'CodeDeployDefault.OneAtATime', true);

    const once = async (groupName: string, key: string): Promise<Run> => {
      const started = performance.now();
      const created = await deploy.send(
        new CreateDeploymentCommand({
          applicationName: 'bench',
          deploymentGroupName: groupName,
          revision: {
            revisionType: 'S3',
            s3Location: { bucket: 'bench-revisions', key, bundleType: 'zip' },
          },
        }),
      );
      const id = created.deploymentId ?? '';
      const info = await until(async () => {
        const { deploymentInfo } = await deploy.send(
          new GetDeploymentCommand({ deploymentId: id }),
        );
        return deploymentInfo?.status === 'InProgress' || deploymentInfo?.status === 'Created'
          ? undefined
          : deploymentInfo;
      });
      const totalMs = performance.now() - started;
      const { deploymentTargets } = await deploy.send(
        new BatchGetDeploymentTargetsCommand({ deploymentId: id, targetIds: names }),
      );
      const targets = (deploymentTargets ?? []).flatMap((t) =>
        t.instanceTarget === undefined ? [] : [t.instanceTarget],
      );
      return { totalMs, info, targets };
    };

    progress('deployments: warm-up');
    await once('all', 'ok.zip');
    const series = async (groupName: string) => {
      const runs: Run[] = [];
      for (let i = 0; i < plan.runs; i += 1) {
        const run = await once(groupName, 'ok.zip');
        if (run.info.status !== 'Succeeded') {
          failures.push(`${groupName}: deployment ${run.info.deploymentId} ${run.info.status}`);
        }
        runs.push(run);
      }
      return runs;
    };
    progress('deployments: AllAtOnce');
    const census = takeCpuCensus();
    const serverCpu = processCpuMs(server.pid) ?? NaN;
    const allAtOnce = await series('all');
    const cpu = cpuSince(census, serverCpu, server.pid, dataDir, plan.runs * plan.hosts * 7);
    progress('deployments: OneAtATime');
    const oneAtATime = await series('one');

    progress('deployments: failure and rollback');
    await once('rollback', 'ok.zip');
    const rollbackStarted = performance.now();
    const failed = await once('rollback', 'broken.zip');
    const rollbackId = failed.info.rollbackInfo?.rollbackDeploymentId;
    let rollback: DeploymentInfo | undefined;
    if (failed.info.status !== 'Failed' || rollbackId === undefined) {
      failures.push(`the broken revision ended ${failed.info.status} without a rollback`);
    } else {
      rollback = await until(async () => {
        const { deploymentInfo } = await deploy.send(
          new GetDeploymentCommand({ deploymentId: rollbackId }),
        );
        return deploymentInfo?.status === 'InProgress' || deploymentInfo?.status === 'Created'
          ? undefined
          : deploymentInfo;
      });
      if (rollback.status !== 'Succeeded')
        failures.push(`rollback ${rollbackId} ${rollback.status}`);
    }
    const rollbackTotal = performance.now() - rollbackStarted;

    const pickups = [...allAtOnce, ...oneAtATime].flatMap((run) => pickupLatencies(run));
    const byEvent = new Map<string, number[]>();
    for (const run of [...allAtOnce, ...oneAtATime]) {
      for (const target of run.targets) {
        for (const event of target.lifecycleEvents ?? []) {
          const span = (seconds(event.endTime) ?? NaN) - (seconds(event.startTime) ?? NaN);
          const name = event.lifecycleEventName ?? '?';
          byEvent.set(name, [...(byEvent.get(name) ?? []), span]);
        }
      }
    }
    progress('deployments: done');
    return format(
      {
        background,
        allAtOnce,
        oneAtATime,
        pickup: summariseLatencies(pickups),
        cpu,
        events: [...byEvent].map(([name, spans]) => [name, summariseLatencies(spans)] as const),
        failed,
        rollback,
        rollbackTotal,
      },
      failures,
    );
  } finally {
    deploy.destroy();
    s3.destroy();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Queued → started, from the server's own times: an event's command is queued in the commit
 * that ends the previous event (or creates the deployment), and starts when the agent's poll
 * claims it (the event's startTime, written before the poll answers).
 */
function pickupLatencies(run: Run): number[] {
  const created = seconds(run.info.createTime);
  return run.targets.flatMap((target) => {
    const events = target.lifecycleEvents ?? [];
    return events.flatMap((event, i) => {
      const start = seconds(event.startTime);
      const queued =
        i === 0 ? firstDispatch(run, target, created) : seconds(events[i - 1]?.endTime);
      return start === undefined || queued === undefined ? [] : [start - queued];
    });
  });
}

/** A host's first event is queued when an earlier host finishes (OneAtATime) or at creation. */
function firstDispatch(run: Run, target: InstanceTarget, created: number | undefined) {
  const first = seconds(target.lifecycleEvents?.[0]?.startTime);
  if (first === undefined) return undefined;
  const ends = run.targets
    .map((t) => seconds(t.lifecycleEvents?.at(-1)?.endTime))
    .filter((end): end is number => end !== undefined && end <= first);
  return ends.length === 0 ? created : Math.max(...ends);
}

/** CPU used since `before` by the server, the agent processes, and every process. */
function cpuSince(
  before: CpuCensus,
  serverBefore: number,
  serverPid: number,
  dataDir: string,
  commands: number,
) {
  const after = takeCpuCensus();
  let agents = 0;
  let total = 0;
  for (const [pid, now] of after) {
    if (now.kernelThread) continue;
    const used = now.cpuMs - (before.get(pid)?.cpuMs ?? 0);
    total += used;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      // Gone.
    }
    if (cmdline.includes(join(dataDir, 'local-agents'))) agents += used;
  }
  const server = (processCpuMs(serverPid) ?? NaN) - serverBefore;
  return { server: server / commands, agents: agents / commands, total: total / commands };
}

function seconds(time: Date | undefined): number | undefined {
  return time === undefined ? undefined : time.getTime();
}

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + plan.timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, plan.pollMs));
  }
}

interface Results {
  readonly background: number | undefined;
  readonly allAtOnce: readonly Run[];
  readonly oneAtATime: readonly Run[];
  readonly pickup: LatencySummary;
  /** CPU per host command during the AllAtOnce runs: the server, the agents, everything. */
  readonly cpu: { readonly server: number; readonly agents: number; readonly total: number };
  /** Each lifecycle event's time from the agent's claim to its completion. */
  readonly events: readonly (readonly [string, LatencySummary])[];
  readonly failed: Run;
  readonly rollback: DeploymentInfo | undefined;
  readonly rollbackTotal: number;
}

function serverSpan(info: DeploymentInfo): number {
  return (seconds(info.completeTime) ?? NaN) - (seconds(info.createTime) ?? NaN);
}

function format(results: Results, failures: readonly string[]): BenchReport {
  const row = (label: string, runs: readonly Run[], target: number) => {
    const client = summariseLatencies(runs.map((r) => r.totalMs));
    const server = summariseLatencies(runs.map((r) => serverSpan(r.info)));
    return [
      label,
      formatMs(client.p50),
      formatMs(client.max),
      formatMs(server.p50),
      `≤ ${target} ms: ${client.p50 <= target ? 'meets' : 'MISSES'}`,
    ];
  };
  const { pickup, rollback } = results;
  const rollbackSpan =
    rollback === undefined
      ? NaN
      : (seconds(rollback.completeTime) ?? NaN) -
        (seconds(results.failed.info.completeTime) ?? NaN);
  const text = [
    `== deployments: trivial revision to ${plan.hosts} local agents (separate processes) ==`,
    describeBackgroundLoad(results.background),
    formatTable([
      ['CreateDeployment → Succeeded', 'p50', 'max', 'server p50', 'aim'],
      row('AllAtOnce', results.allAtOnce, plan.targets.allAtOnceMs),
      row('OneAtATime', results.oneAtATime, plan.targets.oneAtATimeMs),
    ]),
    `  (${plan.runs} runs each; client time includes a ${plan.pollMs} ms GetDeployment poll; ` +
      `server = completeTime − createTime; 7 host commands per host)`,
    '',
    formatTable([
      ['host command pickup (queued → claimed by the agent)', 'p50', 'p90', 'p99', 'max', 'aim'],
      [
        `${pickup.count} commands`,
        formatMs(pickup.p50),
        formatMs(pickup.p90),
        formatMs(pickup.p99),
        formatMs(pickup.max),
        `p99 ≤ ${plan.targets.pickupP99Ms} ms: ${pickup.p99 <= plan.targets.pickupP99Ms ? 'meets' : 'MISSES'}`,
      ],
    ]),
    '',
    formatTable([
      ['event time on the host (claimed → completed)', 'p50', 'p90', 'max'],
      ...results.events.map(([name, spans]) => [
        name,
        formatMs(spans.p50),
        formatMs(spans.p90),
        formatMs(spans.max),
      ]),
    ]),
    `CPU per host command during the AllAtOnce runs: server ${formatMs(results.cpu.server)}, ` +
      `agent processes ${formatMs(results.cpu.agents)}, every live process ${formatMs(results.cpu.total)} (exited hook shells not counted)`,
    '',
    `failure → rollback (OneAtATime, ValidateService fails on the first host):`,
    `  CreateDeployment of the broken revision → rollback Succeeded on ${plan.hosts} hosts: ${formatMs(results.rollbackTotal)}`,
    `  broken deployment completeTime → rollback completeTime: ${formatMs(rollbackSpan)}`,
    'peer: none on this machine (CodeDeploy is a hosted service).',
  ].join('\n');
  const all = summariseLatencies(results.allAtOnce.map((r) => r.totalMs)).p50;
  const one = summariseLatencies(results.oneAtATime.map((r) => r.totalMs)).p50;
  return {
    name: 'deployments',
    text,
    headline: [
      `deployments  AllAtOnce×${plan.hosts} ${formatMs(all)}, OneAtATime×${plan.hosts} ${formatMs(one)}, pickup p99 ${formatMs(pickup.p99)}, rollback ${formatMs(results.rollbackTotal)}`,
    ],
    failures,
  };
}

if (isMain(import.meta.filename)) printReport(await runDeploymentsBench());
