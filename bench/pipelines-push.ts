// Push → execution InProgress with its Source action started. A CodeCommit repository watched by
// a PARALLEL pipeline whose second stage's inbound transition is disabled: each execution runs
// its Source action and stops in front of that stage. Each push waits until the previous
// execution's Source action has ended, so nothing else runs on the server while one is timed.
// The server runs in this process (as in the git bench), so the push's acceptance is read from
// its event log and its arrival from Node's HTTP diagnostics channel.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeCommitClient, PutFileCommand } from '@aws-sdk/client-codecommit';
import { DisableStageTransitionCommand } from '@aws-sdk/client-codepipeline';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { SourceEventType, type ReferenceUpdatedData } from '@slipway/core';
import { startTestServer, type TestServer } from '../test/support/test-server.ts';
import {
  actions,
  allExecutions,
  buckets,
  createPipeline,
  epochClock,
  listActions,
  ms,
  pipelineClients,
  recentExecutions,
  sleep,
  terminalStatuses,
  type PipelineClients,
} from './pipelines-clients.ts';
import { describeGitFailure, git, gitClientEnv, runGit } from './support/git-client.ts';
import { progress } from './support/report.ts';
import {
  createGitCredential,
  createSlipwayRepository,
  ReceivePackArrivals,
  slipwayCloneUrl,
} from './support/slipway-git.ts';
import { summariseLatencies, type LatencySummary } from './support/stats.ts';

export interface PushPlan {
  readonly pushes: number;
  readonly warmups: number;
  /** ListPipelineExecutions is polled this often after a push returns. */
  readonly pollMs: number;
  readonly timeoutMs: number;
}

export interface PushRun {
  readonly label: string;
  readonly count: number;
  /** The client's call: git's process from spawn to exit, or PutFile's round trip. */
  readonly push: LatencySummary;
  /** The push's event (`createdAt`, when the server recorded the ref update) → execution start. */
  readonly acceptedToStarted: LatencySummary;
  /** The push command returned → execution start; negative when it started before git exited. */
  readonly returnedToStarted: LatencySummary;
  /** The push command returned → a ListPipelineExecutions poll showed the execution. */
  readonly returnedToSeen: LatencySummary;
  /** git-receive-pack request arrived → the push's event (git only). */
  readonly arrivedToAccepted: LatencySummary | undefined;
  /** The Source action's run: dispatched → Succeeded. */
  readonly sourceRan: LatencySummary;
  /** Executions whose Source action's startTime differs from the execution's. */
  readonly sourceStartMismatches: number;
}

interface PushContext {
  readonly plan: PushPlan;
  readonly server: TestServer;
  readonly clients: PipelineClients;
  readonly failures: string[];
  /** Read position in the server's event log. */
  eventCursor: number;
}

/** One push as the client saw it; times in epoch ms. */
interface Pushed {
  readonly commitId: string;
  readonly returnedAt: number;
  readonly arrivedAt: number;
  readonly pushMs: number;
}

interface Sample {
  readonly pushed: Pushed;
  readonly acceptedAt: number;
  readonly startedAt: number;
  readonly seenAt: number;
  readonly sourceStartedAt: number;
  readonly sourceEndedAt: number;
}

export async function measurePushStarts(plan: PushPlan, failures: string[]): Promise<PushRun[]> {
  // Silent unless SLIPWAY_TEST_LOG_LEVEL says otherwise (debug, for a breakdown by log lines).
  const server = await startTestServer();
  const home = await mkdtemp(join(tmpdir(), 'slipway-bench-pipelines-push-'));
  const clients = pipelineClients(server);
  const codecommit = new CodeCommitClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    maxAttempts: 1,
  });
  try {
    await clients.s3.send(new CreateBucketCommand({ Bucket: buckets.deploy }));
    const context: PushContext = { plan, server, clients, failures, eventCursor: 0 };
    const byGit = await measureGitPushes(context, home);
    const byPutFile = await measurePutFiles(context, codecommit);
    return [byGit, byPutFile];
  } finally {
    codecommit.destroy();
    clients.close();
    await server.close();
    await rm(home, { recursive: true, force: true });
  }
}

async function measureGitPushes(context: PushContext, home: string): Promise<PushRun> {
  const { plan, server, failures } = context;
  const repository = 'pushed-by-git';
  const env = gitClientEnv(home);
  const dir = join(home, repository);
  await mkdir(dir);
  const run = (args: string[]) => git(args, { cwd: dir, env });
  const commit = async (text: string) => {
    await writeFile(join(dir, 'counter.txt'), `${text}\n`);
    await run(['add', 'counter.txt']);
    await run(['commit', '--quiet', '-m', text]);
    return (await run(['rev-parse', 'HEAD'])).trim();
  };
  await createSlipwayRepository(server, repository);
  const url = slipwayCloneUrl(server.url, await createGitCredential(server), repository);
  await run(['init', '--quiet', '--initial-branch=main']);
  await commit('first');
  await run(['push', '--quiet', url, 'HEAD:refs/heads/main']);
  const pipelineName = await watchWithPipeline(context, repository);
  progress(`pipelines: ${plan.pushes} git pushes → execution InProgress`);
  const arrivals = new ReceivePackArrivals();
  try {
    return await pushLoop(context, 'git push', pipelineName, async (i) => {
      const commitId = await commit(`push ${i}`);
      const toEpoch = epochClock();
      const push = await runGit(['push', '--quiet', url, 'HEAD:refs/heads/main'], {
        cwd: dir,
        env,
      });
      if (push.code !== 0) {
        failures.push(`git push ${i} failed: ${describeGitFailure(push)}`);
        return undefined;
      }
      return {
        commitId,
        returnedAt: toEpoch(push.exitedAt),
        arrivedAt: toEpoch(arrivals.lastSince(push.startedAt)),
        pushMs: push.ms,
      };
    });
  } finally {
    arrivals.close();
  }
}

async function measurePutFiles(
  context: PushContext,
  codecommit: CodeCommitClient,
): Promise<PushRun> {
  const repository = 'pushed-by-putfile';
  await createSlipwayRepository(context.server, repository);
  const put = (i: number | string, parentCommitId: string | undefined) =>
    codecommit.send(
      new PutFileCommand({
        repositoryName: repository,
        branchName: 'main',
        parentCommitId,
        filePath: 'counter.txt',
        fileContent: Buffer.from(`put ${i}\n`),
        commitMessage: `Put ${i}`,
        name: 'Bench',
        email: 'bench@example.com',
      }),
    );
  let parent = (await put('first', undefined)).commitId;
  const pipelineName = await watchWithPipeline(context, repository);
  progress(`pipelines: ${context.plan.pushes} CodeCommit PutFile commits → execution InProgress`);
  return pushLoop(context, 'CodeCommit PutFile', pipelineName, async (i) => {
    const toEpoch = epochClock();
    const sentAt = performance.now();
    const output = await put(i, parent);
    const returnedAt = performance.now();
    parent = output.commitId;
    return {
      commitId: output.commitId ?? '',
      returnedAt: toEpoch(returnedAt),
      arrivedAt: Number.NaN,
      pushMs: returnedAt - sentAt,
    };
  });
}

/**
 * A PARALLEL pipeline on the repository's main branch. The execution CreatePipeline starts runs
 * to the end; then the Deploy stage's inbound transition is disabled, so later executions stop
 * after their Source action.
 */
async function watchWithPipeline(context: PushContext, repository: string): Promise<string> {
  const { pipelines } = context.clients;
  const pipelineName = `on-${repository}`;
  await createPipeline(pipelines, {
    name: pipelineName,
    executionMode: 'PARALLEL',
    actions: [actions.codeCommitSource(repository), actions.s3Deploy('Deploy')],
  });
  const deadline = performance.now() + 30_000;
  for (;;) {
    const executions = await allExecutions(pipelines, pipelineName);
    if (executions.every((e) => terminalStatuses.has(e.status ?? ''))) {
      for (const e of executions) {
        if (e.status !== 'Succeeded') {
          context.failures.push(`${pipelineName}: first execution ended ${e.status ?? '?'}`);
        }
      }
      break;
    }
    if (performance.now() > deadline) throw new Error(`${pipelineName}: first run did not end`);
    await sleep(20);
  }
  await pipelines.send(
    new DisableStageTransitionCommand({
      pipelineName,
      stageName: 'Deploy',
      transitionType: 'Inbound',
      reason: 'Bench - executions stop after their Source action',
    }),
  );
  return pipelineName;
}

/** Warm-up pushes first (not counted), then the measured ones; each observed to its end. */
async function pushLoop(
  context: PushContext,
  label: string,
  pipelineName: string,
  push: (i: number) => Promise<Pushed | undefined>,
): Promise<PushRun> {
  const { plan, failures } = context;
  const samples: Sample[] = [];
  let lost = 0;
  for (let i = -plan.warmups; i < plan.pushes; i += 1) {
    const pushed = await push(i);
    if (pushed === undefined) continue;
    const sample = await observe(context, pipelineName, pushed);
    if (sample === undefined) {
      lost += 1;
      if (lost <= 3) failures.push(`${label} ${i}: no execution, or no end of its Source, in time`);
      continue;
    }
    if (i >= 0) samples.push(sample);
  }
  if (lost > 3) failures.push(`${label}: ${lost} pushes not observed in all`);
  const of = (f: (s: Sample) => number) => summariseLatencies(samples.map(f));
  const arrived = samples.filter((s) => !Number.isNaN(s.pushed.arrivedAt));
  return {
    label,
    count: samples.length,
    push: of((s) => s.pushed.pushMs),
    acceptedToStarted: of((s) => s.startedAt - s.acceptedAt),
    returnedToStarted: of((s) => s.startedAt - s.pushed.returnedAt),
    returnedToSeen: of((s) => s.seenAt - s.pushed.returnedAt),
    arrivedToAccepted:
      arrived.length === 0
        ? undefined
        : summariseLatencies(arrived.map((s) => s.acceptedAt - s.pushed.arrivedAt)),
    sourceRan: of((s) => s.sourceEndedAt - s.sourceStartedAt),
    sourceStartMismatches: samples.filter((s) => s.sourceStartedAt !== s.startedAt).length,
  };
}

/**
 * Polls ListPipelineExecutions until the push's execution shows (its trigger names the commit),
 * reads the push's event, then waits for the Source action to end.
 */
async function observe(
  context: PushContext,
  pipelineName: string,
  pushed: Pushed,
): Promise<Sample | undefined> {
  const { plan, clients } = context;
  const toEpoch = epochClock();
  const deadline = performance.now() + plan.timeoutMs;
  let found: { id: string; startedAt: number; seenAt: number } | undefined;
  while (found === undefined) {
    const executions = await recentExecutions(clients.pipelines, pipelineName, 5);
    const seenAt = performance.now();
    const execution = executions.find((e) => e.trigger?.triggerDetail?.includes(pushed.commitId));
    if (execution?.status === 'InProgress') {
      const id = execution.pipelineExecutionId ?? '';
      found = { id, startedAt: ms(execution.startTime), seenAt: toEpoch(seenAt) };
    } else if (execution !== undefined) {
      context.failures.push(`${pushed.commitId}: execution ${execution.status ?? '?'} when seen`);
      return undefined;
    } else if (seenAt > deadline) {
      return undefined;
    } else {
      await sleep(plan.pollMs);
    }
  }
  const acceptedAt = await eventTime(context, pushed.commitId);
  for (;;) {
    const source = (await listActions(clients.pipelines, pipelineName, found.id)).find(
      (a) => a.actionName === 'Source',
    );
    if (source !== undefined && source.status !== 'InProgress') {
      if (source.status !== 'Succeeded') {
        context.failures.push(`${found.id}: Source ended ${source.status ?? '?'}`);
      }
      return {
        pushed,
        acceptedAt,
        startedAt: found.startedAt,
        seenAt: found.seenAt,
        sourceStartedAt: ms(source.startTime),
        sourceEndedAt: ms(source.lastUpdateTime),
      };
    }
    if (performance.now() > deadline + plan.timeoutMs) return undefined;
    await sleep(10);
  }
}

/** `createdAt` of the push's `source.reference-updated` event (server clock, epoch ms). */
async function eventTime(context: PushContext, commitId: string): Promise<number> {
  for (;;) {
    const batch = await context.server.events.read({
      after: context.eventCursor,
      types: [SourceEventType.ReferenceUpdated],
    });
    for (const event of batch) {
      context.eventCursor = event.seq;
      if ((event.data as unknown as ReferenceUpdatedData).newCommitId === commitId) {
        return event.createdAt;
      }
    }
    if (batch.length === 0) return Number.NaN;
  }
}
