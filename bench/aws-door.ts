// The AWS door under load: SigV4-signed STS GetCallerIdentity from the real SDK against
// `slipway server` (SQLite), and the same client against a bare Fastify peer that skips auth,
// so the ratio shows what authentication, the store lookup and the door cost.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readCredentials } from '../test/support/test-server.ts';
import { startChildServer, startSlipway, type ChildServer } from './support/child-server.ts';
import { errorCount, runClosedLoop, runOpenLoop, type LoadResult } from './support/load.ts';
import {
  describeBackgroundLoad,
  machineBusyMs,
  measureBackgroundLoad,
} from './support/machine-load.ts';
import { ownCpuMs, processCpuMs } from './support/process-cpu.ts';
import { isMain, printReport, progress, type BenchReport } from './support/report.ts';
import {
  formatMs,
  formatRate,
  formatRatio,
  formatTable,
  summariseLatencies,
  type LatencySummary,
} from './support/stats.ts';
import { createStsCaller } from './support/sts-client.ts';

const plan = {
  warmup: { concurrency: 8, durationMs: 2_000 },
  openLoop: { ratePerSecond: 500, durationMs: 10_000, drainTimeoutMs: 10_000 },
  closedLoop: { concurrency: 16, durationMs: 8_000 },
  // Enough that the open loop never waits for a free socket unless the server stalls.
  maxSockets: 64,
} as const;

const bareServerScript = resolve(import.meta.dirname, 'support/bare-sts-server.ts');

interface Phase {
  readonly load: LoadResult;
  readonly latency: LatencySummary;
  /** Percent of one core over the phase. */
  readonly serverCpu: number | undefined;
  /** Server CPU time per successful request, µs: its cost whoever was the bottleneck. */
  readonly serverUsPerRequest: number | undefined;
  readonly clientCpu: number | undefined;
  /** Everything else on the machine (kernel work for this traffic included), % of one core. */
  readonly otherCpu: number | undefined;
  /** Event-loop delay of the load generator, ms. */
  readonly clientLagP99: number;
  readonly clientLagMax: number;
}

interface TargetResult {
  readonly name: string;
  readonly open: Phase;
  readonly closed: Phase;
}

export async function runAwsDoorBench(): Promise<BenchReport> {
  const background = await measureBackgroundLoad();
  const dataDir = await mkdtemp(join(tmpdir(), 'slipway-bench-aws-'));
  const failures: string[] = [];
  try {
    const slipway = await measure('Slipway (SQLite)', failures, async () => {
      const server = await startSlipway({ dataDir });
      const credentials = await readCredentials(join(dataDir, 'credentials'));
      const account = /\(account (\d{12})\)/.exec(server.output())?.[1] ?? '';
      return { server, credentials, account };
    });
    const bare = await measure('bare Fastify peer', failures, async () => ({
      server: await startChildServer({
        args: ['--import', 'tsx', bareServerScript],
        env: process.env,
        readyLine: /listening on (http:\/\/\S+?) /,
      }),
      // The peer checks nothing; any well-formed key will do.
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example' },
      account: '123456789012',
    }));
    return { name: 'aws-door', ...format(slipway, bare, background), failures };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

interface Target {
  readonly server: ChildServer;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  readonly account: string;
}

async function measure(
  name: string,
  failures: string[],
  start: () => Promise<Target>,
): Promise<TargetResult> {
  progress(`aws-door: starting ${name}`);
  const { server, credentials, account } = await start();
  const caller = createStsCaller({
    endpoint: server.url,
    ...credentials,
    maxSockets: plan.maxSockets,
    expectedAccount: account,
  });
  try {
    progress(`aws-door: ${name}: warm-up ${plan.warmup.durationMs / 1000} s`);
    const warmup = await runClosedLoop({ ...plan.warmup, call: caller.call });
    const { ratePerSecond, durationMs } = plan.openLoop;
    progress(`aws-door: ${name}: open loop ${ratePerSecond} req/s for ${durationMs / 1000} s`);
    const open = await phase(server.pid, () =>
      runOpenLoop({ ...plan.openLoop, call: caller.call }),
    );
    const { concurrency } = plan.closedLoop;
    progress(`aws-door: ${name}: closed loop, ${concurrency} concurrent`);
    const closed = await phase(server.pid, () =>
      runClosedLoop({ ...plan.closedLoop, call: caller.call }),
    );
    for (const [label, load] of [
      ['warm-up', warmup],
      ['open loop', open.load],
      ['closed loop', closed.load],
    ] as const) {
      for (const [error, count] of load.errors) {
        failures.push(`${name}, ${label}: ${count} × ${error}`);
      }
    }
    return { name, open, closed };
  } finally {
    caller.close();
    await server.stop();
  }
}

async function phase(serverPid: number, run: () => Promise<LoadResult>): Promise<Phase> {
  const serverBefore = processCpuMs(serverPid);
  const clientBefore = ownCpuMs();
  const machineBefore = machineBusyMs();
  // The load generator's own stalls (SDK work, GC) land in every latency it records.
  const clientLag = monitorEventLoopDelay({ resolution: 1 });
  clientLag.enable();
  const load = await run();
  clientLag.disable();
  const serverMs = difference(serverBefore, processCpuMs(serverPid));
  const clientMs = ownCpuMs() - clientBefore;
  const machineMs = difference(machineBefore, machineBusyMs());
  const percent = (ms: number | undefined) =>
    ms === undefined ? undefined : (100 * ms) / load.elapsedMs;
  return {
    load,
    latency: summariseLatencies(load.latenciesMs),
    serverCpu: percent(serverMs),
    serverUsPerRequest:
      serverMs === undefined || load.succeeded === 0
        ? undefined
        : (serverMs * 1000) / load.succeeded,
    clientCpu: percent(clientMs),
    otherCpu:
      machineMs === undefined || serverMs === undefined
        ? undefined
        : percent(Math.max(0, machineMs - serverMs - clientMs)),
    clientLagP99: clientLag.percentile(99) / 1e6,
    clientLagMax: clientLag.max / 1e6,
  };
}

function difference(before: number | undefined, after: number | undefined): number | undefined {
  return before === undefined || after === undefined ? undefined : after - before;
}

function rate(load: LoadResult): number {
  return (load.succeeded * 1000) / load.elapsedMs;
}

function micros(us: number | undefined): string {
  return us === undefined ? '—' : `${Math.round(us)} µs`;
}

function cpu(percent: number | undefined): string {
  return percent === undefined ? '—' : `${Math.round(percent)}%`;
}

function format(
  slipway: TargetResult,
  bare: TargetResult,
  background: number | undefined,
): Pick<BenchReport, 'text' | 'headline'> {
  const { ratePerSecond, durationMs } = plan.openLoop;
  const { concurrency } = plan.closedLoop;
  const ratio = (pick: (t: TargetResult) => number) => formatRatio(pick(slipway) / pick(bare));
  const openRow = (t: TargetResult) => [
    t.name,
    formatRate(rate(t.open.load), 'req/s'),
    formatMs(t.open.latency.p50),
    formatMs(t.open.latency.p90),
    formatMs(t.open.latency.p99),
    formatMs(t.open.latency.max),
    String(errorCount(t.open.load)),
  ];
  const closedRow = (t: TargetResult) => [
    t.name,
    formatRate(rate(t.closed.load), 'req/s'),
    formatMs(t.closed.latency.p50),
    formatMs(t.closed.latency.p99),
    formatMs(t.closed.latency.max),
    String(errorCount(t.closed.load)),
  ];
  const resourceRow = (t: TargetResult, label: string, p: Phase) => [
    `${t.name}, ${label}`,
    cpu(p.serverCpu),
    micros(p.serverUsPerRequest),
    cpu(p.clientCpu),
    cpu(p.otherCpu),
    `${formatMs(p.clientLagP99)} / ${formatMs(p.clientLagMax)}`,
  ];
  const p50Ratio = ratio((t) => t.open.latency.p50);
  const p99Ratio = ratio((t) => t.open.latency.p99);
  const throughputRatio = ratio((t) => rate(t.closed.load));
  const costRatio = ratio((t) => t.closed.serverUsPerRequest ?? NaN);
  // Both closed loops saturating the client's core: the servers were never the limit.
  const clientBound = [slipway, bare].every((t) => (t.closed.clientCpu ?? 0) > 90);
  const text = [
    '== aws-door: STS GetCallerIdentity, SigV4-signed by @aws-sdk/client-sts, keep-alive ==',
    'Peer: a bare Fastify process answering a fixed GetCallerIdentity XML with no auth and no',
    'store, driven by the same client. Slipway runs in SQLite mode.',
    describeBackgroundLoad(background),
    '',
    `Open loop, ${ratePerSecond} req/s for ${durationMs / 1000} s (latency from each request's scheduled time):`,
    formatTable([
      ['', 'achieved', 'p50', 'p90', 'p99', 'max', 'errors'],
      openRow(slipway),
      openRow(bare),
      [
        'Slipway / bare',
        '',
        p50Ratio,
        ratio((t) => t.open.latency.p90),
        p99Ratio,
        ratio((t) => t.open.latency.max),
      ],
    ]),
    '',
    `Closed loop, ${concurrency} concurrent for ${plan.closedLoop.durationMs / 1000} s (max throughput):`,
    formatTable([
      ['', 'throughput', 'p50', 'p99', 'max', 'errors'],
      closedRow(slipway),
      closedRow(bare),
      [
        'Slipway / bare',
        throughputRatio,
        ratio((t) => t.closed.latency.p50),
        ratio((t) => t.closed.latency.p99),
        ratio((t) => t.closed.latency.max),
      ],
    ]),
    '',
    'Where the CPU went (% of one core; the machine has 2, shared by server and load generator):',
    formatTable([
      ['', 'server', 'server/req', 'load gen.', 'other', 'load gen. lag p99 / max'],
      resourceRow(slipway, 'open', slipway.open),
      resourceRow(bare, 'open', bare.open),
      resourceRow(slipway, 'closed', slipway.closed),
      resourceRow(bare, 'closed', bare.closed),
    ]),
    "A load generator near 100% means the closed-loop figure is the client's limit, not the",
    "server's; its event-loop lag is part of every latency above. Server CPU per request is",
    `the fairer cost comparison: Slipway / bare ${costRatio} (closed loop).`,
    '',
    `Slipway / bare: p50 ${p50Ratio}, p99 ${p99Ratio} (at ${ratePerSecond} req/s), max req/s ${throughputRatio}.`,
  ].join('\n');
  const headline = [
    `aws-door   ${ratePerSecond} req/s: Slipway p50 ${formatMs(slipway.open.latency.p50)}, ` +
      `p99 ${formatMs(slipway.open.latency.p99)}, max ${formatMs(slipway.open.latency.max)} ` +
      `(bare ${formatMs(bare.open.latency.p50)} / ${formatMs(bare.open.latency.p99)}; ` +
      `ratio ${p50Ratio} / ${p99Ratio})`,
    `aws-door   max throughput: Slipway ${formatRate(rate(slipway.closed.load), 'req/s')}, ` +
      `bare ${formatRate(rate(bare.closed.load), 'req/s')} (ratio ${throughputRatio})` +
      (clientBound ? ', limited by the load generator' : ''),
    `aws-door   server CPU per request: Slipway ${micros(slipway.closed.serverUsPerRequest)}, ` +
      `bare ${micros(bare.closed.serverUsPerRequest)} (ratio ${costRatio})`,
  ];
  return { text, headline };
}

if (isMain(import.meta.filename)) printReport(await runAwsDoorBench());
