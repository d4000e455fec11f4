import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { CodeCommitClient } from '@aws-sdk/client-codecommit';
import {
  BatchGetCommitsCommand,
  BatchGetRepositoriesCommand,
  CodeCommitServiceException,
  CreateBranchCommand,
  CreateCommitCommand,
  CreateRepositoryCommand,
  DeleteBranchCommand,
  DeleteFileCommand,
  DeleteRepositoryCommand,
  GetBlobCommand,
  GetBranchCommand,
  GetDifferencesCommand,
  GetFileCommand,
  GetFolderCommand,
  GetRepositoryCommand,
  GetRepositoryTriggersCommand,
  ListBranchesCommand,
  ListRepositoriesCommand,
  ListTagsForResourceCommand,
  PutFileCommand,
  PutRepositoryTriggersCommand,
  TagResourceCommand,
  TestRepositoryTriggersCommand,
  UntagResourceCommand,
  UpdateDefaultBranchCommand,
  UpdateRepositoryDescriptionCommand,
  UpdateRepositoryNameCommand,
} from '@aws-sdk/client-codecommit';
import { eventually } from '@slipway/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeCommitClient } from '../support/codecommit.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let client: CodeCommitClient;

beforeAll(async () => {
  server = await startTestServer();
  client = codeCommitClient(server);
});
afterAll(async () => {
  client.destroy();
  await server.close();
});

async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CodeCommitServiceException) return error.name;
    throw error;
  }
  return 'no error';
}

const text = (s: string) => new TextEncoder().encode(s);

async function repositoryWithCommit(name: string) {
  await client.send(new CreateRepositoryCommand({ repositoryName: name }));
  const first = await client.send(
    new PutFileCommand({
      repositoryName: name,
      branchName: 'main',
      filePath: 'README.md',
      fileContent: text('one'),
    }),
  );
  return first.commitId ?? '';
}

describe('CodeCommit through @aws-sdk/client-codecommit', () => {
  it('runs the create, PutFile ×2, GetFile, GetFolder, GetDifferences, ListBranches flow', async () => {
    const first = await repositoryWithCommit('sdk-flow');
    const second = await client.send(
      new PutFileCommand({
        repositoryName: 'sdk-flow',
        branchName: 'main',
        filePath: 'README.md',
        fileContent: text('two'),
        parentCommitId: first,
      }),
    );
    const file = await client.send(
      new GetFileCommand({ repositoryName: 'sdk-flow', filePath: 'README.md' }),
    );
    expect(new TextDecoder().decode(file.fileContent)).toBe('two');
    expect(file.commitId).toBe(second.commitId);
    const folder = await client.send(
      new GetFolderCommand({ repositoryName: 'sdk-flow', folderPath: '/' }),
    );
    expect(folder.files?.map((f) => f.absolutePath)).toEqual(['README.md']);
    const diff = await client.send(
      new GetDifferencesCommand({
        repositoryName: 'sdk-flow',
        beforeCommitSpecifier: first,
        afterCommitSpecifier: second.commitId,
      }),
    );
    expect(diff.differences).toEqual([
      expect.objectContaining({
        changeType: 'M',
        afterBlob: expect.objectContaining({ path: 'README.md' }) as unknown,
      }),
    ]);
    const branches = await client.send(new ListBranchesCommand({ repositoryName: 'sdk-flow' }));
    expect(branches.branches).toEqual(['main']);
  });

  it('creates, reads, moves the default of and deletes branches', async () => {
    const commitId = await repositoryWithCommit('sdk-branches');
    await client.send(
      new CreateBranchCommand({ repositoryName: 'sdk-branches', branchName: 'dev', commitId }),
    );
    const dev = await client.send(
      new GetBranchCommand({ repositoryName: 'sdk-branches', branchName: 'dev' }),
    );
    expect(dev.branch).toEqual({ branchName: 'dev', commitId });
    await client.send(
      new UpdateDefaultBranchCommand({ repositoryName: 'sdk-branches', defaultBranchName: 'dev' }),
    );
    const repository = await client.send(
      new GetRepositoryCommand({ repositoryName: 'sdk-branches' }),
    );
    expect(repository.repositoryMetadata?.defaultBranch).toBe('dev');
    const deleted = await client.send(
      new DeleteBranchCommand({ repositoryName: 'sdk-branches', branchName: 'main' }),
    );
    expect(deleted.deletedBranch).toEqual({ branchName: 'main', commitId });
    expect(
      await errorCode(
        client.send(new DeleteBranchCommand({ repositoryName: 'sdk-branches', branchName: 'dev' })),
      ),
    ).toBe('DefaultBranchCannotBeDeletedException');
  });

  it('commits several changes at once and deletes a file', async () => {
    const parent = await repositoryWithCommit('sdk-commit');
    const commit = await client.send(
      new CreateCommitCommand({
        repositoryName: 'sdk-commit',
        branchName: 'main',
        parentCommitId: parent,
        authorName: 'Grace',
        email: 'grace@example.com',
        commitMessage: 'several',
        putFiles: [
          { filePath: 'bin/run.sh', fileContent: text('#!/bin/sh\n'), fileMode: 'EXECUTABLE' },
          { filePath: 'docs/README.md', sourceFile: { filePath: 'README.md', isMove: true } },
        ],
      }),
    );
    expect(commit.filesAdded?.map((f) => f.absolutePath).sort()).toEqual([
      'bin/run.sh',
      'docs/README.md',
    ]);
    expect(commit.filesDeleted?.map((f) => f.absolutePath)).toEqual(['README.md']);
    const removed = await client.send(
      new DeleteFileCommand({
        repositoryName: 'sdk-commit',
        branchName: 'main',
        filePath: 'bin/run.sh',
        parentCommitId: commit.commitId,
      }),
    );
    expect(removed.filePath).toBe('bin/run.sh');
    const commits = await client.send(
      new BatchGetCommitsCommand({
        repositoryName: 'sdk-commit',
        commitIds: [removed.commitId ?? '', 'f'.repeat(40), 'nope'],
      }),
    );
    expect(commits.commits?.[0]).toMatchObject({
      commitId: removed.commitId,
      parents: [commit.commitId],
    });
    expect(commits.errors?.map((e) => e.errorCode)).toEqual([
      'CommitIdDoesNotExistException',
      'InvalidCommitIdException',
    ]);
    const blob = await client.send(
      new GetBlobCommand({ repositoryName: 'sdk-commit', blobId: commit.filesAdded?.[0]?.blobId }),
    );
    expect(blob.content?.byteLength).toBeGreaterThan(0);
  });

  it('lists repositories sorted, renames, describes, tags and deletes them', async () => {
    for (const name of ['sdk-list-b', 'sdk-list-a', 'sdk-list-c']) {
      await client.send(new CreateRepositoryCommand({ repositoryName: name, tags: { team: 'x' } }));
    }
    const listed = await client.send(
      new ListRepositoriesCommand({ sortBy: 'repositoryName', order: 'descending' }),
    );
    const names = listed.repositories?.map((r) => r.repositoryName) ?? [];
    expect(names.filter((n) => n?.startsWith('sdk-list'))).toEqual([
      'sdk-list-c',
      'sdk-list-b',
      'sdk-list-a',
    ]);
    await client.send(
      new UpdateRepositoryNameCommand({ oldName: 'sdk-list-a', newName: 'sdk-renamed' }),
    );
    await client.send(
      new UpdateRepositoryDescriptionCommand({
        repositoryName: 'sdk-renamed',
        repositoryDescription: 'new',
      }),
    );
    const batch = await client.send(
      new BatchGetRepositoriesCommand({ repositoryNames: ['sdk-renamed', 'sdk-list-a'] }),
    );
    expect(batch.repositories?.[0]?.repositoryDescription).toBe('new');
    expect(batch.repositoriesNotFound).toEqual(['sdk-list-a']);
    const arn = batch.repositories?.[0]?.Arn ?? '';
    await client.send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'prod' } }));
    await client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] }));
    const tags = await client.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    expect(tags.tags).toEqual({ env: 'prod' });
    const deleted = await client.send(
      new DeleteRepositoryCommand({ repositoryName: 'sdk-renamed' }),
    );
    expect(deleted.repositoryId).toBe(batch.repositories?.[0]?.repositoryId);
    const again = await client.send(new DeleteRepositoryCommand({ repositoryName: 'sdk-renamed' }));
    expect(again.repositoryId).toBeUndefined();
  });

  it('pages through repositories with nextToken', async () => {
    const seen = new Set<string>();
    let nextToken: string | undefined;
    do {
      const page = await client.send(new ListRepositoriesCommand({ nextToken }));
      for (const r of page.repositories ?? []) seen.add(r.repositoryName ?? '');
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    expect(seen.size).toBeGreaterThan(0);
    expect(await errorCode(client.send(new ListRepositoriesCommand({ nextToken: 'forged' })))).toBe(
      'InvalidContinuationTokenException',
    );
  });

  describe('repository triggers', () => {
    let hook: Server;
    let hookUrl = '';
    const received: unknown[] = [];

    beforeAll(async () => {
      hook = createServer((request: IncomingMessage, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          received.push(JSON.parse(body));
          response.end('ok');
        });
      });
      await new Promise<void>((done) => hook.listen(0, '127.0.0.1', done));
      const address = hook.address();
      hookUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
    });
    afterAll(() => new Promise<void>((done) => hook.close(() => done())));

    it('stores triggers, tests them, and delivers a push to a webhook', async () => {
      const first = await repositoryWithCommit('sdk-triggers');
      const triggers = [
        {
          name: 'hook',
          destinationArn: hookUrl,
          branches: [],
          events: ['all' as const],
          customData: 'c',
        },
      ];
      const put = await client.send(
        new PutRepositoryTriggersCommand({ repositoryName: 'sdk-triggers', triggers }),
      );
      const got = await client.send(
        new GetRepositoryTriggersCommand({ repositoryName: 'sdk-triggers' }),
      );
      expect(got).toMatchObject({ configurationId: put.configurationId, triggers });
      const tested = await client.send(
        new TestRepositoryTriggersCommand({ repositoryName: 'sdk-triggers', triggers }),
      );
      expect(tested.successfulExecutions).toEqual(['hook']);
      await client.send(
        new PutFileCommand({
          repositoryName: 'sdk-triggers',
          branchName: 'main',
          filePath: 'next.txt',
          fileContent: text('next'),
          parentCommitId: first,
        }),
      );
      await eventually(() => received.length === 2, { message: 'the push delivered' });
      expect(received[1]).toMatchObject({
        Records: [
          {
            eventSource: 'aws:codecommit',
            eventTriggerName: 'hook',
            customData: 'c',
            codecommit: { references: [{ ref: 'refs/heads/main' }] },
          },
        ],
      });
    });

    it('rejects a trigger destination that is neither an ARN nor a URL', async () => {
      await client.send(new CreateRepositoryCommand({ repositoryName: 'sdk-bad-trigger' }));
      expect(
        await errorCode(
          client.send(
            new PutRepositoryTriggersCommand({
              repositoryName: 'sdk-bad-trigger',
              triggers: [
                { name: 't', destinationArn: 'file:///etc', branches: [], events: ['all'] },
              ],
            }),
          ),
        ),
      ).toBe('InvalidRepositoryTriggerDestinationArnException');
    });
  });
});
