// `npx tsx bench/pipelines.ts`: how fast a push starts a pipeline, what a four-stage pipeline of
// trivial actions costs beyond its builds, and 100 executions of a PARALLEL pipeline at once.
import { actions, withPipelineServer } from './pipelines-clients.ts';
import { measureBurst, type BurstResult } from './pipelines-burst.ts';
import { measurePushStarts, type PushRun } from './pipelines-push.ts';
import { measureStages, type StagesResult } from './pipelines-stages.ts';
import { describeBackgroundLoad, measureBackgroundLoad } from './support/machine-load.ts';
import { isMain, printReport, progress, type BenchReport } from './support/report.ts';
import { formatMs, formatTable, type LatencySummary } from './support/stats.ts';

const plan = {
  push: { pushes: 100, warmups: 5, pollMs: 5, timeoutMs: 5_000 },
  stages: { runs: 10, warmups: 1, pollMs: 5, timeoutMs: 60_000, runnerConcurrency: 1 },
  burst: {
    executions: 100,
    runnerConcurrency: 4,
    pollMs: 20,
    sampleMs: 50,
    settleMs: 1_000,
    timeoutMs: 300_000,
  },
  targets: { pushP99: 200, overheadPerAction: 20 },
} as const;

export async function runPipelinesBench(): Promise<BenchReport> {
  const failures: string[] = [];
  const background = await measureBackgroundLoad();
  const pushes = await measurePushStarts(plan.push, failures);
  const stages = await withPipelineServer(plan.stages.runnerConcurrency, (_server, clients) =>
    measureStages(clients, plan.stages, failures),
  );
  const bursts: BurstResult[] = [];
  for (const [label, second] of [
    ['S3 source → S3 deploy', actions.s3Deploy('Deploy')],
    ['S3 source → Commands `true`', actions.commands('Run', ['true'])],
  ] as const) {
    bursts.push(await measureBurst(label, second, plan.burst, failures));
  }
  progress('pipelines: done');
  return format({ background, pushes, stages, bursts }, failures);
}

interface Results {
  readonly background: number | undefined;
  readonly pushes: readonly PushRun[];
  readonly stages: StagesResult;
  readonly bursts: readonly BurstResult[];
}

const verdict = (ok: boolean) => (ok ? 'meets' : 'MISSES');

function format(results: Results, failures: readonly string[]): BenchReport {
  const { pushes, stages, bursts } = results;
  const pushOk = pushes.every((p) => p.acceptedToStarted.p99 <= plan.targets.pushP99);
  const perAction = stages.overhead / stages.actions.length;
  const stagesOk = perAction <= plan.targets.overheadPerAction;
  const git = pushes[0];
  const biggest = bursts.reduce((peak, b) => Math.max(peak, b.rss.peak), 0);
  const text = [
    '== pipelines: push to InProgress, four stages end to end, 100 executions at once ==',
    'Push figures: a server in this process (SQLite), as in the git bench, so the push is timed',
    "from its arrival (Node's HTTP diagnostics) and its acceptance (the event's createdAt). The",
    'rest: `slipway server` as a child process (SQLite) with its built-in runner (bubblewrap).',
    'Clients: @aws-sdk/client-codepipeline, -codebuild, -codecommit, -s3. Times are the',
    "server's (ListPipelineExecutions, ListActionExecutions, BatchGetBuilds; ms precision) unless",
    'a row says a poll saw it.',
    describeBackgroundLoad(results.background),
    '',
    ...formatPushes(pushes),
    `target: push accepted → InProgress p99 ≤ ${plan.targets.pushP99} ms: ${verdict(pushOk)}`,
    'No CodePipeline here: it starts on a push through an EventBridge rule and publishes no',
    'figure for how soon.',
    '',
    ...formatStages(stages),
    `target: orchestration overhead ≤ ${plan.targets.overheadPerAction} ms per action: ` +
      `${formatMs(perAction)} (${verdict(stagesOk)})`,
    'No CodePipeline here: it takes about 1 s per action to move on, plus minutes of queueing',
    'and provisioning per CodeBuild action.',
    '',
    ...formatBursts(bursts),
  ].join('\n');
  return {
    name: 'pipelines',
    text,
    headline: [
      `pipelines  push accepted → InProgress p99 ${formatMs(git?.acceptedToStarted.p99 ?? NaN)} ` +
        `(${verdict(pushOk)}), git push returned → seen p99 ${formatMs(git?.returnedToSeen.p99 ?? NaN)}; ` +
        `4 stages p50 ${formatMs(stages.total)}, overhead ${formatMs(perAction)}/action (${verdict(stagesOk)}); ` +
        `${plan.burst.executions} at once ${bursts.map((b) => `${seconds(b.allEnded)} (${b.label})`).join(', ')}, ` +
        `peak RSS ${mib(biggest)}`,
    ],
    failures,
  };
}

function formatPushes(pushes: readonly PushRun[]): string[] {
  const row = (label: string, s: LatencySummary | undefined) =>
    s === undefined
      ? []
      : [[label, formatMs(s.p50), formatMs(s.p90), formatMs(s.p99), formatMs(s.max)]];
  const rows: string[][] = [['', 'p50', 'p90', 'p99', 'max']];
  for (const p of pushes) {
    rows.push(
      ...row(`${p.label}: accepted → execution started`, p.acceptedToStarted),
      ...row(`${p.label}: returned → execution started`, p.returnedToStarted),
      ...row(`${p.label}: returned → seen by a ${plan.push.pollMs} ms poll`, p.returnedToSeen),
      ...row(`${p.label}: request arrived → accepted`, p.arrivedToAccepted),
      ...row(`${p.label}: the client's call`, p.push),
      ...row(`${p.label}: Source action ran`, p.sourceRan),
    );
  }
  const mismatches = pushes.reduce((sum, p) => sum + p.sourceStartMismatches, 0);
  const counted = pushes.reduce((sum, p) => sum + p.count, 0);
  return [
    'Push → execution InProgress with its Source action started: ' +
      pushes.map((p) => `${p.count} × ${p.label}`).join(', '),
    `(${plan.push.warmups} warm-ups each, not counted).`,
    'A PARALLEL pipeline on the branch, its Deploy stage behind a disabled inbound transition, so',
    'an execution stops after Source; one push at a time, the next once the Source action ended.',
    '"accepted" is the push\'s source.reference-updated event (createdAt); "returned" is when git',
    'exited (PutFile: when its answer arrived); negative: the execution started before that.',
    formatTable(rows),
    'The Source action is dispatched in the transaction that creates the execution: its',
    `startTime equals the execution's in ${counted - mismatches} of ${counted}.`,
  ];
}

function formatStages(s: StagesResult): string[] {
  const rows: string[][] = [
    ['', 'ran', 'build', 'outside it', '→ build', 'build →', 'gap before'],
    ...s.actions.map((a) => [
      a.name,
      formatMs(a.ran),
      a.build === 0 ? '—' : formatMs(a.build),
      formatMs(a.outside),
      a.build === 0 ? '—' : formatMs(a.toBuild),
      a.build === 0 ? '—' : formatMs(a.afterBuild),
      formatMs(a.gapBefore),
    ]),
  ];
  return [
    `Four stages end to end: S3 source → CodeBuild \`echo ok\` → Commands \`true\` → S3 deploy`,
    `(${s.count} runs one at a time after ${plan.stages.warmups} warm-up; medians; runner ` +
      `concurrency ${plan.stages.runnerConcurrency};`,
    `GetPipelineExecution polled every ${plan.stages.pollMs} ms)`,
    formatTable([
      ['StartPipelineExecution → Succeeded seen', formatMs(s.total)],
      ['execution start → last action recorded (server)', formatMs(s.serverTotal)],
      ['builds ran (Σ startTime → endTime, Build + Test)', formatMs(s.builds)],
      ['  of which their BUILD phases', formatMs(s.buildPhases)],
      ['orchestration overhead = total − builds ran', formatMs(s.overhead)],
      ['  the same on the server clock (no start call, no poll)', formatMs(s.serverOverhead)],
      ['last action recorded → Succeeded seen', formatMs(s.seenAfter)],
    ]),
    "Each row is the median over the runs (of each run's difference, for the overheads).",
    'Per action: ran = dispatched → result recorded; outside it = ran − build; → build = dispatched',
    '→ the build started (claim, inputs, StartBuild); build → = the build ended → result recorded;',
    "gap before = the previous action's result → this one dispatched (Source: since the start call).",
    formatTable(rows),
  ];
}

function formatBursts(bursts: readonly BurstResult[]): string[] {
  const rows: string[][] = [
    [
      '',
      'answered',
      'all ended',
      'last end',
      'each p50',
      'p99',
      'server CPU',
      'RSS before',
      'peak',
      'after',
    ],
    ...bursts.map((b) => [
      b.label,
      seconds(b.accepted),
      seconds(b.allEnded),
      seconds(b.lastEnded),
      seconds(b.perExecution.p50),
      seconds(b.perExecution.p99),
      b.serverCpuMs === undefined ? '—' : seconds(b.serverCpuMs),
      mib(b.rss.before),
      mib(b.rss.peak),
      mib(b.rss.after),
    ]),
  ];
  return [
    `${plan.burst.executions} executions of a PARALLEL pipeline started at once (a fresh server ` +
      `each, runner concurrency ${plan.burst.runnerConcurrency}).`,
    `answered: every StartPipelineExecution answered; all ended: a poll (every ${plan.burst.pollMs} ms)`,
    "saw all Succeeded; last end: the last one's end (server clock); each: one execution's",
    "start → end. RSS: the server process's VmRSS (its built-in runner included, sandboxed builds",
    `not), sampled every ${plan.burst.sampleMs} ms; after: ${plan.burst.settleMs} ms after the last ended.`,
    formatTable(rows),
    ...bursts
      .filter((b) => b.succeeded !== b.executions)
      .map((b) => `${b.label}: only ${b.succeeded} of ${b.executions} Succeeded`),
  ];
}

function seconds(ms: number): string {
  return Number.isNaN(ms) ? '—' : `${(ms / 1000).toFixed(2)} s`;
}

function mib(bytes: number): string {
  return Number.isNaN(bytes) ? '—' : `${Math.round(bytes / 2 ** 20)} MiB`;
}

if (isMain(import.meta.filename)) printReport(await runPipelinesBench());
