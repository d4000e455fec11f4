import { aPipelineDeclaration, pipelinesHarness, type PipelinesHarness } from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EventRecord } from '../events/event.model.ts';
import type { ReferenceUpdatedData } from '../source/source.events.ts';
import type { PipelineDeclaration } from './declaration/declaration.model.ts';

let h: PipelinesHarness;
let seq = 0;
beforeEach(() => {
  h = pipelinesHarness();
});

function push(overrides: Partial<ReferenceUpdatedData> = {}): EventRecord {
  seq += 1;
  const data: ReferenceUpdatedData = {
    accountId: h.scope.accountId,
    region: h.scope.region,
    repositoryId: 'repo-id',
    repositoryName: 'repo',
    ref: 'refs/heads/main',
    refType: 'heads',
    refName: 'main',
    change: 'updated',
    oldCommitId: 'a'.repeat(40),
    newCommitId: 'b'.repeat(40),
    forced: false,
    pusher: 'arn:aws:iam::111122223333:user/alice',
    channel: 'git',
    pushId: `push-${seq}`,
    ...overrides,
  };
  return {
    seq,
    type: 'source.reference-updated',
    subject: 'arn:aws:codecommit:us-east-1:111122223333:repo',
    data,
    createdAt: 0,
  };
}

async function create(overrides: Partial<PipelineDeclaration> = {}) {
  await h.service.createPipeline(h.scope, h.caller, { pipeline: aPipelineDeclaration(overrides) });
}

const executions = async (name = 'demo') =>
  (await h.service.listPipelineExecutions(h.scope, { pipelineName: name })).executions;

describe('push triggers', () => {
  it('start a pipeline whose CodeCommit source watches the pushed branch, pinned to the commit', async () => {
    await create({ executionMode: 'PARALLEL' });
    const [id] = await h.service.handleReferenceUpdated(push());
    const [latest] = await executions();
    expect(latest).toMatchObject({
      id,
      trigger: { triggerType: 'CloudWatchEvent' },
      sourceRevisionOverrides: [
        { actionName: 'Source', revisionType: 'COMMIT_ID', revisionValue: 'b'.repeat(40) },
      ],
    });
  });

  it('report PollForSourceChanges for a source that polls', async () => {
    const declaration = aPipelineDeclaration();
    const source = declaration.stages[0]!.actions[0]!;
    await create({
      stages: [
        {
          name: 'Source',
          actions: [
            {
              ...source,
              configuration: { ...source.configuration, PollForSourceChanges: 'true' },
            },
          ],
        },
        ...declaration.stages.slice(1),
      ],
    });
    await h.service.handleReferenceUpdated(push());
    const [latest] = await executions();
    expect(latest?.trigger.triggerType).toBe('PollForSourceChanges');
  });

  it('ignore other branches, other repositories, deletions and replays of the same event', async () => {
    await create();
    expect(await h.service.handleReferenceUpdated(push({ ref: 'refs/heads/dev' }))).toEqual([]);
    expect(await h.service.handleReferenceUpdated(push({ repositoryName: 'other' }))).toEqual([]);
    expect(
      await h.service.handleReferenceUpdated(push({ change: 'deleted', newCommitId: null })),
    ).toEqual([]);
    const event = push();
    const [first] = await h.service.handleReferenceUpdated(event);
    const [again] = await h.service.handleReferenceUpdated(event);
    expect(again).toBe(first);
    expect(await executions()).toHaveLength(2); // CreatePipeline's and the push's
  });

  it('honour V2 push filters on CodeCommit sources: a docs-only push starts nothing', async () => {
    await create({
      triggers: [
        {
          providerType: 'CodeStarSourceConnection',
          gitConfiguration: {
            sourceActionName: 'Source',
            push: [
              {
                branches: { includes: ['main', 'release/**'] },
                filePaths: { excludes: ['docs/**'] },
              },
            ],
          },
        },
      ],
    });
    h.changedFiles = ['docs/index.md', 'docs/guide/setup.md'];
    expect(await h.service.handleReferenceUpdated(push())).toEqual([]);
    h.changedFiles = ['docs/index.md', 'src/app.ts'];
    expect(
      await h.service.handleReferenceUpdated(push({ ref: 'refs/heads/release/1.2' })),
    ).toHaveLength(1);
    const [latest] = await executions();
    expect(latest?.trigger.triggerType).toBe('WebhookV2');
  });
});
