import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommitReader, SourceService, type Repository } from '@slipway/core';
import {
  FakeClock,
  InMemoryEventLog,
  InMemoryJobQueue,
  InMemoryRepositoryStore,
  objectsHarness,
  readBytes,
  SeededRandom,
  type ObjectsHarness,
} from '@slipway/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitCli } from '../../source/git/git-cli.ts';
import {
  anActionTask,
  gitIn,
  recordingControls,
  testScope,
  unzip,
} from '../action-task.fixture.ts';
import { PipelineArtifacts } from '../pipeline-artifacts.ts';
import { cloneRefOf } from './clone-ref.ts';
import { CodeCommitSourceExecutor } from './codecommit-source-executor.ts';

let root: string;
let work: string;
let gitCli: GitCli;
let source: SourceService;
let objects: ObjectsHarness;
let executor: CodeCommitSourceExecutor;
let repository: Repository;

const output = { name: 'SourceOutput', location: { bucket: 'artifacts', key: 'demo/Source/abc' } };
const git = (...args: string[]) => gitIn(work, args, root);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'slipway-cc-source-'));
  work = join(root, 'work');
  await mkdir(work);
  gitCli = new GitCli({ root: join(root, 'repos') });
  const clock = new FakeClock();
  const jobs = new InMemoryJobQueue({ clock, random: new SeededRandom(3) });
  source = new SourceService({
    repositories: new InMemoryRepositoryStore({ events: new InMemoryEventLog(clock), jobs }),
    git: gitCli,
    webhooks: { send: () => Promise.resolve({ ok: true }) },
    clock,
    random: new SeededRandom(5),
  });
  repository = await source.createRepository(testScope, { name: 'demo' });
  objects = objectsHarness();
  executor = new CodeCommitSourceExecutor({
    source,
    commits: new CommitReader({ git: gitCli }),
    artifacts: new PipelineArtifacts({ objects: objects.service }),
    directoryOf: (id) => gitCli.directoryOf(id),
    commitUrl: (repo, commitId) => `http://console.test/${repo.name}/${commitId}`,
  });
  git('init', '--quiet', '--initial-branch=main');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function pushCommit(files: Record<string, string>, message: string): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(work, path, '..'), { recursive: true });
    await writeFile(join(work, path), content);
    git('add', path);
  }
  git('commit', '--quiet', '-m', message);
  git('push', '--quiet', gitCli.directoryOf(repository.id), 'HEAD:refs/heads/main');
  return git('rev-parse', 'HEAD');
}

function sourceTask(configuration: Record<string, string> = {}, overrides = {}) {
  return anActionTask({
    stageName: 'Source',
    actionName: 'Source',
    actionTypeId: { category: 'Source', owner: 'AWS', provider: 'CodeCommit', version: '1' },
    configuration: { RepositoryName: 'demo', BranchName: 'main', ...configuration },
    outputArtifacts: [output],
    ...overrides,
  });
}

async function storedOutput() {
  const { body, version } = await objects.service.getObject({
    scope: testScope,
    ...output.location,
  });
  return { bytes: await readBytes(body), version };
}

describe('CodeCommitSourceExecutor', () => {
  it('zips the tree of the branch head and publishes the commit variables', async () => {
    await pushCommit({ 'README.md': 'first' }, 'first');
    const head = await pushCommit({ 'src/app.ts': 'app', 'README.md': 'second' }, 'Second\n\nBody');
    const result = await executor.execute(sourceTask(), recordingControls());
    expect(result).toEqual({
      status: 'Succeeded',
      outputVariables: {
        CommitId: head,
        BranchName: 'main',
        RepositoryName: 'demo',
        AuthorDate: '2017-01-11T20:49:58Z',
        CommitterDate: '2017-01-11T20:50:00Z',
        CommitMessage: 'Second\n\nBody\n',
      },
      sourceRevision: {
        actionName: 'Source',
        artifactName: 'SourceOutput',
        revisionId: head,
        revisionSummary: 'Second\n\nBody\n',
        revisionUrl: `http://console.test/demo/${head}`,
        created: 1_484_167_800_000,
      },
    });
    const stored = await storedOutput();
    expect(await unzip(stored.bytes)).toEqual({ 'README.md': 'second', 'src/app.ts': 'app' });
    expect(stored.version.contentType).toBe('application/zip');
  });

  it("takes the execution's commit over the branch head", async () => {
    const first = await pushCommit({ 'README.md': 'first' }, 'first');
    await pushCommit({ 'README.md': 'second' }, 'second');
    const result = await executor.execute(
      sourceTask({}, { sourceRevision: { type: 'COMMIT_ID', value: first } }),
      recordingControls(),
    );
    expect(result.outputVariables?.CommitId).toBe(first);
    expect(await unzip((await storedOutput()).bytes)).toEqual({ 'README.md': 'first' });
  });

  it('writes the same bytes when it runs again', async () => {
    await pushCommit({ 'a.txt': 'a', 'b/c.txt': 'c' }, 'one');
    await executor.execute(sourceTask(), recordingControls());
    const first = (await storedOutput()).version.etag;
    await executor.execute(sourceTask(), recordingControls());
    expect((await storedOutput()).version.etag).toBe(first);
  });

  it('writes a clone reference for CODEBUILD_CLONE_REF', async () => {
    const head = await pushCommit({ 'a.txt': 'a' }, 'one');
    const result = await executor.execute(
      sourceTask({ OutputArtifactFormat: 'CODEBUILD_CLONE_REF' }),
      recordingControls(),
    );
    expect(result.status).toBe('Succeeded');
    const stored = await storedOutput();
    expect(cloneRefOf(stored.version)).toEqual({ repositoryName: 'demo', commitId: head });
    const files = await unzip(stored.bytes);
    const document: unknown = JSON.parse(files['codebuild-clone-ref.json'] ?? '{}');
    expect(document).toMatchObject({ repositoryName: 'demo', branchName: 'main', commitId: head });
  });

  it('fails naming a repository that does not exist', async () => {
    const result = await executor.execute(
      sourceTask({ RepositoryName: 'nope' }),
      recordingControls(),
    );
    expect(result).toMatchObject({
      status: 'Failed',
      summary: 'The repository nope does not exist',
    });
  });

  it('fails naming a branch that does not exist', async () => {
    await pushCommit({ 'a.txt': 'a' }, 'one');
    const result = await executor.execute(sourceTask({ BranchName: 'dev' }), recordingControls());
    expect(result).toMatchObject({
      status: 'Failed',
      summary: 'The branch dev does not exist in repository demo',
    });
  });

  it('fails for a commit the repository does not have', async () => {
    await pushCommit({ 'a.txt': 'a' }, 'one');
    const missing = '1234567890123456789012345678901234567890';
    const result = await executor.execute(
      sourceTask({}, { sourceRevision: { type: 'COMMIT_ID', value: missing } }),
      recordingControls(),
    );
    expect(result.status).toBe('Failed');
    expect(result.summary).toContain(`The commit ${missing} does not exist in repository demo`);
  });
});
