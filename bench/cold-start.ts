// Cold start: from spawning `slipway server --port 0` to the first 200 from GET /health, on a
// data directory that is already initialised (the everyday restart), plus the first start
// (migrations, key creation) and a start with no tsx transform cache, reported apart.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSlipway } from './support/child-server.ts';
import { describeBackgroundLoad, measureBackgroundLoad } from './support/machine-load.ts';
import { isMain, printReport, progress, type BenchReport } from './support/report.ts';
import { formatMs, formatTable, median } from './support/stats.ts';

const plan = {
  warmStarts: 7,
  nodeBaselineRuns: 5,
  targetMs: 1_000,
  healthPollMs: 10,
  healthTimeoutMs: 15_000,
} as const;

interface StartTiming {
  /** Spawn → the "Slipway is listening" line on stdout. */
  readonly listeningMs: number;
  /** Spawn → first 200 from GET /health. */
  readonly healthyMs: number;
}

export async function runColdStartBench(): Promise<BenchReport> {
  const background = await measureBackgroundLoad();
  const dataDir = await mkdtemp(join(tmpdir(), 'slipway-bench-start-'));
  const failures: string[] = [];
  try {
    progress('cold-start: first start (migrations, key creation)');
    const first = await timeStart(dataDir);
    const warm: StartTiming[] = [];
    for (let i = 0; i < plan.warmStarts; i += 1) {
      progress(`cold-start: start ${i + 1} of ${plan.warmStarts} on the initialised data dir`);
      warm.push(await timeStart(dataDir));
    }
    progress('cold-start: start with TSX_DISABLE_CACHE=1');
    const uncached = await timeStart(dataDir, { TSX_DISABLE_CACHE: '1' });
    const nodeBaseline = await timeNodeBaseline();
    const healthy = warm.map((t) => t.healthyMs);
    const medianMs = median(healthy);
    if (medianMs > plan.targetMs) {
      // A miss against the target is a result, not a broken run: reported, not failed.
      progress(`cold-start: median ${formatMs(medianMs)} is over the ${plan.targetMs} ms target`);
    }
    return {
      name: 'cold-start',
      ...format({ first, warm, uncached, nodeBaseline, background }),
      failures,
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function timeStart(dataDir: string, env?: Record<string, string>): Promise<StartTiming> {
  const server = await startSlipway({ dataDir, ...(env === undefined ? {} : { env }) });
  try {
    await waitForHealth(server.url);
    const healthyAt = performance.now();
    return {
      listeningMs: server.readyAt - server.spawnedAt,
      healthyMs: healthyAt - server.spawnedAt,
    };
  } finally {
    await server.stop();
  }
}

/** Polls GET /health on a fresh connection each time, as a first client would. */
async function waitForHealth(url: string): Promise<void> {
  const deadline = performance.now() + plan.healthTimeoutMs;
  while (performance.now() < deadline) {
    if ((await healthStatus(`${url}/health`)) === 200) return;
    await sleep(plan.healthPollMs);
  }
  throw new Error(`${url}/health did not answer 200 within ${plan.healthTimeoutMs} ms`);
}

function healthStatus(url: string): Promise<number | undefined> {
  return new Promise((done) => {
    const request = get(url, { agent: false }, (response) => {
      response.resume();
      response.on('end', () => done(response.statusCode));
    });
    request.on('error', () => done(undefined));
  });
}

/** The floor: how long this Node takes to start and exit doing nothing. */
async function timeNodeBaseline(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < plan.nodeBaselineRuns; i += 1) {
    const start = performance.now();
    await new Promise<void>((done, fail) => {
      const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
      child.on('exit', () => done());
      child.on('error', fail);
    });
    times.push(performance.now() - start);
  }
  return median(times);
}

interface Timings {
  readonly first: StartTiming;
  readonly warm: readonly StartTiming[];
  readonly uncached: StartTiming;
  readonly nodeBaseline: number;
  readonly background: number | undefined;
}

function format(timings: Timings): Pick<BenchReport, 'text' | 'headline'> {
  const healthy = timings.warm.map((t) => t.healthyMs);
  const listening = timings.warm.map((t) => t.listeningMs);
  const min = Math.min(...healthy);
  const max = Math.max(...healthy);
  const medianMs = median(healthy);
  const verdict =
    medianMs <= plan.targetMs
      ? `meets the ≤ ${plan.targetMs} ms target`
      : `MISSES the ≤ ${plan.targetMs} ms target`;
  const row = (label: string, t: StartTiming) => [
    label,
    formatMs(t.listeningMs),
    formatMs(t.healthyMs),
  ];
  const text = [
    '== cold-start: spawn `node apps/cli/bin/slipway.js server --port 0` → first GET /health 200 ==',
    'SQLite mode. Target to compare with: ≤ 1000 ms (no peer measured on this machine).',
    describeBackgroundLoad(timings.background),
    '',
    `Initialised data dir, ${timings.warm.length} starts: min ${formatMs(min)}, ` +
      `median ${formatMs(medianMs)}, max ${formatMs(max)} — ${verdict}.`,
    '',
    formatTable([
      ['', 'to listening line', 'to /health 200'],
      ['initialised data dir (median)', formatMs(median(listening)), formatMs(medianMs)],
      row('first start (migrations, keys)', timings.first),
      row('no tsx cache (TSX_DISABLE_CACHE=1)', timings.uncached),
      ['`node -e 0` (the floor)', '', formatMs(timings.nodeBaseline)],
    ]),
    '',
    `Each start: ${healthy.map((ms) => Math.round(ms)).join(', ')} ms.`,
  ].join('\n');
  const headline = [
    `cold-start median ${formatMs(medianMs)} (min ${formatMs(min)}, max ${formatMs(max)}; ` +
      `first start ${formatMs(timings.first.healthyMs)}) — ${verdict}`,
  ];
  return { text, headline };
}

if (isMain(import.meta.filename)) printReport(await runColdStartBench());
