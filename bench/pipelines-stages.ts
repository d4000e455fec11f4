// A four-stage pipeline of trivial actions, end to end: S3 source → CodeBuild `echo ok` →
// Commands `true` → S3 deploy, run one execution at a time. What it costs beyond the builds'
// own run is read from server-side timestamps: ListActionExecutions (when each action was
// dispatched and when its result was recorded) and BatchGetBuilds (when each build was started
// and when it ended).
import type { Build } from '@aws-sdk/client-codebuild';
import { CreateProjectCommand } from '@aws-sdk/client-codebuild';
import {
  GetPipelineExecutionCommand,
  StartPipelineExecutionCommand,
  type ActionExecutionDetail,
} from '@aws-sdk/client-codepipeline';
import {
  actions,
  createBuckets,
  createPipeline,
  epochClock,
  getBuilds,
  listActions,
  ms,
  recentExecutions,
  sleep,
  terminalStatuses,
  type PipelineClients,
} from './pipelines-clients.ts';
import { progress } from './support/report.ts';
import { median } from './support/stats.ts';

export interface StagesPlan {
  readonly runs: number;
  readonly warmups: number;
  /** GetPipelineExecution is polled this often to see the end. */
  readonly pollMs: number;
  readonly timeoutMs: number;
}

export const stageActionNames = ['Source', 'Build', 'Test', 'Deploy'] as const;
const pipelineName = 'four-stages';

/** One action of one run; durations in ms. */
export interface ActionTimes {
  readonly name: string;
  /** Dispatched (job queued) → result recorded. */
  readonly ran: number;
  /** The build's startTime → endTime; 0 for actions without a build. */
  readonly build: number;
  /** The build's BUILD phase (the commands themselves); 0 without a build. */
  readonly buildPhase: number;
  /** ran − build: the action's time outside its build. */
  readonly outside: number;
  /** Dispatched → the build's startTime (the worker's claim, inputs, StartBuild); 0 without one. */
  readonly toBuild: number;
  /** The build's endTime → the action's result recorded; 0 without a build. */
  readonly afterBuild: number;
  /** The previous action's result recorded → this one dispatched (Source: since the start call was sent). */
  readonly gapBefore: number;
}

export interface StagesRun {
  /** StartPipelineExecution sent → a poll saw Succeeded. */
  readonly total: number;
  /** The execution's startTime → its last action's result (server clock). */
  readonly serverTotal: number;
  /** Σ build startTime → endTime over the Build and Test actions. */
  readonly builds: number;
  readonly buildPhases: number;
  /** total − builds: everything but the builds' own run. */
  readonly overhead: number;
  /** serverTotal − builds: the same without the client's start call and its polling. */
  readonly serverOverhead: number;
  /** Last action's result recorded → the poll that saw Succeeded. */
  readonly seenAfter: number;
  readonly actions: readonly ActionTimes[];
}

/** Medians over the runs. */
export interface StagesResult {
  readonly count: number;
  readonly total: number;
  readonly serverTotal: number;
  readonly builds: number;
  readonly buildPhases: number;
  readonly overhead: number;
  readonly serverOverhead: number;
  readonly seenAfter: number;
  readonly actions: readonly ActionTimes[];
}

export async function measureStages(
  clients: PipelineClients,
  plan: StagesPlan,
  failures: string[],
): Promise<StagesResult> {
  await createBuckets(clients.s3);
  await createEchoProject(clients);
  await createPipeline(clients.pipelines, {
    name: pipelineName,
    executionMode: 'QUEUED',
    actions: [
      actions.s3Source(),
      actions.codeBuild('Build', 'echo-ok'),
      actions.commands('Test', ['true']),
      actions.s3Deploy('Deploy'),
    ],
  });
  // CreatePipeline started the first run; it is a warm-up (it creates the Commands project).
  const first = (await recentExecutions(clients.pipelines, pipelineName, 1))[0];
  await waitEnded(clients, first?.pipelineExecutionId ?? '', plan, failures);
  progress(`pipelines: ${plan.runs} runs of a four-stage pipeline, one at a time`);
  const runs: StagesRun[] = [];
  for (let i = -plan.warmups; i < plan.runs; i += 1) {
    const run = await runOnce(clients, plan, failures);
    if (run !== undefined && i >= 0) runs.push(run);
  }
  const mid = (f: (r: StagesRun) => number) => median(runs.map(f));
  return {
    count: runs.length,
    total: mid((r) => r.total),
    serverTotal: mid((r) => r.serverTotal),
    builds: mid((r) => r.builds),
    buildPhases: mid((r) => r.buildPhases),
    overhead: mid((r) => r.overhead),
    serverOverhead: mid((r) => r.serverOverhead),
    seenAfter: mid((r) => r.seenAfter),
    actions: stageActionNames.map((name) => {
      const of = (f: (a: ActionTimes) => number) =>
        median(runs.flatMap((r) => r.actions.filter((a) => a.name === name).map(f)));
      return {
        name,
        ran: of((a) => a.ran),
        build: of((a) => a.build),
        buildPhase: of((a) => a.buildPhase),
        outside: of((a) => a.outside),
        toBuild: of((a) => a.toBuild),
        afterBuild: of((a) => a.afterBuild),
        gapBefore: of((a) => a.gapBefore),
      };
    }),
  };
}

async function createEchoProject(clients: PipelineClients): Promise<void> {
  await clients.codebuild.send(
    new CreateProjectCommand({
      name: 'echo-ok',
      source: {
        type: 'CODEPIPELINE',
        buildspec: 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo ok\n',
      },
      artifacts: { type: 'CODEPIPELINE' },
      environment: {
        type: 'LINUX_CONTAINER',
        image: 'aws/codebuild/standard:7.0',
        computeType: 'BUILD_GENERAL1_SMALL',
      },
      serviceRole: 'arn:aws:iam::000000000000:role/codebuild',
    }),
  );
}

async function runOnce(
  clients: PipelineClients,
  plan: StagesPlan,
  failures: string[],
): Promise<StagesRun | undefined> {
  const toEpoch = epochClock();
  const sentAt = performance.now();
  const started = await clients.pipelines.send(
    new StartPipelineExecutionCommand({ name: pipelineName }),
  );
  const id = started.pipelineExecutionId ?? '';
  const endedAt = await waitEnded(clients, id, plan, failures);
  if (endedAt === undefined) return undefined;
  const summary = (await recentExecutions(clients.pipelines, pipelineName, 5)).find(
    (e) => e.pipelineExecutionId === id,
  );
  const details = await listActions(clients.pipelines, pipelineName, id);
  const buildIds = details.flatMap((d) => d.output?.executionResult?.externalExecutionId ?? []);
  const buildsById = new Map(
    (await getBuilds(clients.codebuild, buildIds)).map((b) => [b.id ?? '', b]),
  );
  const executionStart = ms(summary?.startTime);
  const times = details.map((detail, i) =>
    actionTimes(detail, buildsById, i === 0 ? toEpoch(sentAt) : ms(details[i - 1]?.lastUpdateTime)),
  );
  const lastEnd = ms(details.at(-1)?.lastUpdateTime);
  if (times.length !== stageActionNames.length) {
    failures.push(`${id}: ${times.length} action executions, not ${stageActionNames.length}`);
  }
  const total = endedAt - sentAt;
  const builds = times.reduce((sum, a) => sum + a.build, 0);
  const serverTotal = lastEnd - executionStart;
  return {
    total,
    serverTotal,
    builds,
    overhead: total - builds,
    serverOverhead: serverTotal - builds,
    buildPhases: times.reduce((sum, a) => sum + a.buildPhase, 0),
    seenAfter: toEpoch(endedAt) - lastEnd,
    actions: times,
  };
}

function actionTimes(
  detail: ActionExecutionDetail,
  builds: ReadonlyMap<string, Build>,
  previousEnd: number,
): ActionTimes {
  const start = ms(detail.startTime);
  const build = builds.get(detail.output?.executionResult?.externalExecutionId ?? '');
  const phase = build?.phases?.find((p) => p.phaseType === 'BUILD');
  const end = ms(detail.lastUpdateTime);
  const built = build === undefined ? 0 : ms(build.endTime) - ms(build.startTime);
  return {
    name: detail.actionName ?? '',
    ran: end - start,
    build: built,
    outside: end - start - built,
    buildPhase: phase === undefined ? 0 : ms(phase.endTime) - ms(phase.startTime),
    toBuild: build === undefined ? 0 : ms(build.startTime) - start,
    afterBuild: build === undefined ? 0 : end - ms(build.endTime),
    gapBefore: start - previousEnd,
  };
}

/** performance.now() when a poll saw the execution end; undefined after the timeout. */
async function waitEnded(
  clients: PipelineClients,
  pipelineExecutionId: string,
  plan: StagesPlan,
  failures: string[],
): Promise<number | undefined> {
  const deadline = performance.now() + plan.timeoutMs;
  for (;;) {
    const { pipelineExecution } = await clients.pipelines.send(
      new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId }),
    );
    const at = performance.now();
    const status = pipelineExecution?.status ?? '';
    if (terminalStatuses.has(status)) {
      if (status !== 'Succeeded') {
        failures.push(
          `${pipelineExecutionId} ended ${status}: ${pipelineExecution?.statusSummary ?? ''}`,
        );
      }
      return at;
    }
    if (at > deadline) {
      failures.push(`${pipelineExecutionId} did not end within ${plan.timeoutMs} ms`);
      return undefined;
    }
    await sleep(plan.pollMs);
  }
}
