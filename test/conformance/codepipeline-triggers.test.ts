import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approvalAction,
  awsCli,
  codeCommitSource,
  codePipelineClient,
  pipelineDeclaration,
  repositoryWorkspace,
  stage,
  watchPipeline,
  type PipelineWatch,
} from '../support/codepipeline.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * Pipelines started by real `git push`es to a CodeCommit repository: one with a V2 trigger
 * (push to main, docs/** excluded; honoured on CodeCommit sources as a Slipway extension) and
 * one without triggers, which starts on any push to its BranchName as AWS's EventBridge rule
 * does. Pushes are handled in order, so a push that starts an execution proves every earlier
 * push was looked at: "nothing started" is asserted after a later push that did start one.
 */
let server: TestServer;
let client: CodePipelineClient;
let home: string;
let repo: Awaited<ReturnType<typeof repositoryWorkspace>>;
let filtered: PipelineWatch;
let plain: PipelineWatch;
/** Executions already seen per pipeline, oldest first. */
const seen = { filtered: [] as string[], plain: [] as string[] };

beforeAll(async () => {
  server = await startTestServer();
  client = codePipelineClient(server);
  home = await mkdtemp(join(tmpdir(), 'slipway-cp-triggers-'));
  repo = await repositoryWorkspace(server, { home, repository: 'triggered' });
  await repo.push({ 'src/app.sh': 'echo 0\n', 'docs/index.md': '# docs\n' }, 'initial');
  const cli = awsCli(server);
  const source = codeCommitSource({ repository: 'triggered' });
  const hold = stage('Hold', [approvalAction()]);
  // PARALLEL, so no execution supersedes another while the approvals wait.
  await cli.json(
    'codepipeline',
    'create-pipeline',
    '--pipeline',
    JSON.stringify(
      pipelineDeclaration('filtered', [stage('Source', [source]), hold], {
        executionMode: 'PARALLEL',
        triggers: [
          {
            providerType: 'CodeStarSourceConnection',
            gitConfiguration: {
              sourceActionName: 'Source',
              push: [{ branches: { includes: ['main'] }, filePaths: { excludes: ['docs/**'] } }],
            },
          },
        ],
      }),
    ),
  );
  await cli.json(
    'codepipeline',
    'create-pipeline',
    '--pipeline',
    JSON.stringify(
      pipelineDeclaration('plain', [stage('Source', [source]), hold], {
        executionMode: 'PARALLEL',
      }),
    ),
  );
  filtered = watchPipeline(client, 'filtered');
  plain = watchPipeline(client, 'plain');
  seen.filtered.push(await filtered.first());
  seen.plain.push(await plain.first());
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await server?.close();
  if (home !== undefined) await rm(home, { recursive: true, force: true });
});

/** Waits for the push's execution of a pipeline to run its Source; records it as seen. */
async function startedBy(which: keyof typeof seen) {
  const watch = which === 'filtered' ? filtered : plain;
  const id = (await watch.next(seen[which])).pipelineExecutionId ?? '';
  seen[which].push(id);
  await watch.approvalToken(id); // its Source ran
  const summary = (await watch.executions()).find((e) => e.pipelineExecutionId === id);
  return { summary, execution: await watch.execution(id) };
}

const listed = async (watch: PipelineWatch) =>
  (await watch.executions()).map((e) => e.pipelineExecutionId).reverse();

// The pushes build on each other, so these run in order.
describe('push triggers on a CodeCommit source', () => {
  it('a push touching src/ on main starts the filtered pipeline with trigger WebhookV2', async () => {
    const commit = await repo.push({ 'src/app.sh': 'echo 1\n' }, 'change the app');
    const { summary, execution } = await startedBy('filtered');
    expect(summary?.trigger?.triggerType).toBe('WebhookV2');
    expect(summary?.sourceRevisions?.[0]).toMatchObject({
      actionName: 'Source',
      revisionId: commit,
    });
    expect(execution.artifactRevisions?.[0]?.revisionId).toBe(commit);
    await startedBy('plain');
  });

  it('a push touching only docs/** starts nothing in the filtered pipeline', async () => {
    const docs = await repo.push({ 'docs/index.md': '# more docs\n' }, 'docs only');
    // The pipeline without filters starts on it: the push was seen.
    const plainRun = await startedBy('plain');
    expect(plainRun.summary?.trigger?.triggerType).toBe('CloudWatchEvent');
    expect(plainRun.execution.artifactRevisions?.[0]?.revisionId).toBe(docs);
    const app = await repo.push({ 'src/app.sh': 'echo 2\n' }, 'app again');
    const { execution } = await startedBy('filtered');
    expect(execution.artifactRevisions?.[0]?.revisionId).toBe(app);
    expect(await listed(filtered)).toEqual(seen.filtered);
    await startedBy('plain');
  });

  it('a push to another branch starts neither pipeline', async () => {
    await repo.push({ 'src/app.sh': 'echo feature\n' }, 'feature work', 'feature');
    const app = await repo.push({ 'src/app.sh': 'echo 3\n' }, 'app on main', 'main');
    const { execution } = await startedBy('filtered');
    expect(execution.artifactRevisions?.[0]?.revisionId).toBe(app);
    const plainRun = await startedBy('plain');
    expect(plainRun.execution.artifactRevisions?.[0]?.revisionId).toBe(app);
    expect(await listed(filtered)).toEqual(seen.filtered);
    expect(await listed(plain)).toEqual(seen.plain);
  });

  it('the pipeline without triggers starts on a push to its BranchName with CloudWatchEvent', async () => {
    const commit = await repo.push({ 'README.md': 'readme\n' }, 'readme');
    const { summary, execution } = await startedBy('plain');
    expect(summary?.trigger).toMatchObject({ triggerType: 'CloudWatchEvent' });
    expect(execution).toMatchObject({
      status: 'InProgress',
      trigger: { triggerType: 'CloudWatchEvent' },
      artifactRevisions: [{ name: 'SourceOutput', revisionId: commit }],
    });
    const actions = await plain.actions(execution.pipelineExecutionId ?? '');
    const source = actions.find((a) => a.actionName === 'Source');
    expect(source?.output?.outputVariables).toMatchObject({
      CommitId: commit,
      BranchName: 'main',
      RepositoryName: 'triggered',
      CommitMessage: 'readme\n',
    });
  });
});
