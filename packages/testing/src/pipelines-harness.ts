import {
  actionTypeKey,
  defaultActionProviders,
  pipelineActionQueue,
  PipelinesService,
  type ActionResult,
  type ActionTask,
  type PipelineActionJobPayload,
  type PipelineDeclaration,
  type PipelineExecution,
  type PipelinesOptions,
  type Scope,
} from '@slipway/core';
import { FakeClock } from './fake-clock.ts';
import { InMemoryCustomActionTypeStore } from './in-memory-custom-action-type-store.ts';
import { InMemoryJobQueue } from './in-memory-job-queue.ts';
import { InMemoryPipelineStore } from './in-memory-pipeline-store.ts';
import { SeededRandom } from './seeded-random.ts';

export interface PipelinesHarness {
  readonly service: PipelinesService;
  readonly store: InMemoryPipelineStore;
  readonly customActionTypes: InMemoryCustomActionTypeStore;
  readonly jobs: InMemoryJobQueue;
  readonly clock: FakeClock;
  readonly scope: Scope;
  readonly caller: { readonly arn: string };
  /** Files a push changed, as the PushedFiles port reports them. */
  changedFiles: string[];
}

/** A PipelinesService on in-memory fakes and a FakeClock. */
export function pipelinesHarness(options: PipelinesOptions = {}): PipelinesHarness {
  const clock = new FakeClock();
  const jobs = new InMemoryJobQueue({ clock, random: new SeededRandom(7) });
  const store = new InMemoryPipelineStore({ jobs, clock, random: new SeededRandom(9) });
  const customActionTypes = new InMemoryCustomActionTypeStore();
  const harness: PipelinesHarness = {
    service: undefined as unknown as PipelinesService,
    store,
    customActionTypes,
    jobs,
    clock,
    scope: { accountId: '111122223333', region: 'us-east-1' },
    caller: { arn: 'arn:aws:iam::111122223333:user/alice' },
    changedFiles: [],
  };
  const service = new PipelinesService(
    {
      store,
      customActionTypes,
      jobs,
      providers: defaultActionProviders(),
      pushedFiles: { changedFiles: () => Promise.resolve(harness.changedFiles) },
      clock,
      random: new SeededRandom(11),
    },
    options,
  );
  return Object.assign(harness, { service });
}

/** What a fake executor answers for a task; Succeeded with no outputs by default. */
export type FakeOutcome = (task: ActionTask) => ActionResult;

/**
 * Plays the action worker: claims every ready `pipeline-action` job, answers it with `outcome`,
 * and completes action then job, until no job is ready. Returns the tasks it ran.
 */
export async function runReadyActions(
  h: PipelinesHarness,
  outcome: FakeOutcome = () => ({ status: 'Succeeded' }),
  only?: (task: ActionTask) => boolean,
): Promise<ActionTask[]> {
  const ran: ActionTask[] = [];
  const skipped: { jobId: string; leaseId: string }[] = [];
  for (;;) {
    const claimed = await h.jobs.claim({
      queue: pipelineActionQueue,
      workerId: 'test',
      leaseMs: 60_000,
    });
    if (claimed === undefined) break;
    const payload = claimed.job.payload as PipelineActionJobPayload;
    const task = await h.service.openActionTask(payload);
    if (task !== undefined && only !== undefined && !only(task)) {
      skipped.push({ jobId: claimed.job.id, leaseId: claimed.lease.leaseId });
      continue;
    }
    if (task !== undefined) {
      ran.push(task);
      await h.service.completeActionTask(
        { executionId: task.executionId, actionExecutionId: task.actionExecutionId },
        outcome(task),
      );
    }
    await h.jobs.complete({
      jobId: claimed.job.id,
      leaseId: claimed.lease.leaseId,
      outcome: 'succeeded',
    });
  }
  // Jobs left for later become claimable again once their lease lapses; release them now.
  for (const job of skipped) await h.jobs.heartbeat({ ...job, leaseMs: 0 });
  if (skipped.length > 0) {
    h.clock.advance(1);
    await h.jobs.expireLeases();
  }
  return ran;
}

/** The provider key of a task, for outcome tables. */
export function taskKey(task: ActionTask): string {
  return `${task.stageName}/${task.actionName}:${actionTypeKey(task.actionTypeId)}`;
}

export async function executionOf(h: PipelinesHarness, id: string): Promise<PipelineExecution> {
  const execution = await h.store.findExecution(id);
  if (execution === undefined) throw new Error(`no execution ${id}`);
  return execution;
}

/** A small V2 pipeline: Source (CodeCommit) → Build (CodeBuild) → Deploy (approval, S3). */
export function aPipelineDeclaration(
  overrides: Partial<PipelineDeclaration> = {},
): PipelineDeclaration {
  return {
    name: 'demo',
    roleArn: 'arn:aws:iam::111122223333:role/pipeline',
    artifactStore: { type: 'S3', location: 'artifacts' },
    pipelineType: 'V2',
    stages: [
      {
        name: 'Source',
        actions: [
          {
            name: 'Source',
            actionTypeId: {
              category: 'Source',
              owner: 'AWS',
              provider: 'CodeCommit',
              version: '1',
            },
            configuration: { RepositoryName: 'repo', BranchName: 'main' },
            outputArtifacts: [{ name: 'SourceOutput' }],
            namespace: 'SourceVariables',
          },
        ],
      },
      {
        name: 'Build',
        actions: [
          {
            name: 'Build',
            actionTypeId: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' },
            configuration: {
              ProjectName: 'app',
              EnvironmentVariables:
                '[{"name":"COMMIT","value":"#{SourceVariables.CommitId}","type":"PLAINTEXT"}]',
            },
            inputArtifacts: [{ name: 'SourceOutput' }],
            outputArtifacts: [{ name: 'BuildOutput' }],
            namespace: 'BuildVariables',
          },
        ],
      },
      {
        name: 'Deploy',
        actions: [
          {
            name: 'Approve',
            actionTypeId: { category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' },
            runOrder: 1,
          },
          {
            name: 'Deploy',
            actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'S3', version: '1' },
            runOrder: 2,
            configuration: { BucketName: 'site', Extract: 'true' },
            inputArtifacts: [{ name: 'BuildOutput' }],
          },
        ],
      },
    ],
    ...overrides,
  };
}
