import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let scratch: string;

beforeAll(async () => {
  server = await startTestServer();
  scratch = await mkdtemp(join(tmpdir(), 'slipway-cli-'));
});
afterAll(async () => {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

async function codecommit(...args: string[]): Promise<Record<string, unknown>> {
  const result = await aws(['codecommit', ...args, '--output', 'json'], server.awsEnv);
  if (result.code !== 0) throw new Error(`aws codecommit ${args[0]} failed: ${result.stderr}`);
  return result.stdout.trim() === '' ? {} : (JSON.parse(result.stdout) as Record<string, unknown>);
}

/** The error code the CLI prints: `An error occurred (Code) when calling …`. */
async function codecommitError(...args: string[]): Promise<string | undefined> {
  const result = await aws(['codecommit', ...args], server.awsEnv);
  return /An error occurred \((\w+)\)/.exec(result.stderr)?.[1];
}

describe('CodeCommit through the AWS CLI', () => {
  it('creates a repository, commits twice and reads it back', async () => {
    const created = await codecommit('create-repository', '--repository-name', 'cli-flow');
    expect(created).toMatchObject({
      repositoryMetadata: {
        repositoryName: 'cli-flow',
        cloneUrlHttp: `${server.url}/v1/repos/cli-flow`,
      },
    });
    const content = join(scratch, 'app.py');
    await writeFile(content, 'print("one")\n');
    const first = (await codecommit(
      'put-file',
      '--repository-name',
      'cli-flow',
      '--branch-name',
      'main',
      '--file-path',
      '/solutions/app.py',
      '--file-content',
      `fileb://${content}`,
      '--name',
      'María García',
      '--email',
      'maria@example.com',
      '--commit-message',
      'first',
    )) as { commitId: string };
    await writeFile(content, 'print("two")\n');
    const second = (await codecommit(
      'put-file',
      '--repository-name',
      'cli-flow',
      '--branch-name',
      'main',
      '--file-path',
      'solutions/app.py',
      '--file-content',
      `fileb://${content}`,
      '--parent-commit-id',
      first.commitId,
    )) as { commitId: string };

    const file = await codecommit(
      'get-file',
      '--repository-name',
      'cli-flow',
      '--file-path',
      'solutions/app.py',
    );
    expect(file).toMatchObject({
      commitId: second.commitId,
      filePath: 'solutions/app.py',
      fileSize: 13,
    });
    expect(Buffer.from(file.fileContent as string, 'base64').toString()).toBe('print("two")\n');

    const folder = await codecommit(
      'get-folder',
      '--repository-name',
      'cli-flow',
      '--folder-path',
      'solutions',
    );
    expect(folder).toMatchObject({
      files: [{ absolutePath: 'solutions/app.py', relativePath: 'app.py' }],
    });

    const diff = await codecommit(
      'get-differences',
      '--repository-name',
      'cli-flow',
      '--before-commit-specifier',
      first.commitId,
      '--after-commit-specifier',
      second.commitId,
    );
    expect(diff).toMatchObject({
      differences: [{ changeType: 'M', beforeBlob: { path: 'solutions/app.py' } }],
    });

    expect(await codecommit('list-branches', '--repository-name', 'cli-flow')).toEqual({
      branches: ['main'],
    });
    const commit = await codecommit(
      'get-commit',
      '--repository-name',
      'cli-flow',
      '--commit-id',
      first.commitId,
    );
    expect(commit).toMatchObject({
      commit: { author: { name: 'María García' }, message: 'first' },
    });
  });

  it('prints the AWS error codes for bad input', async () => {
    await codecommit('create-repository', '--repository-name', 'cli-errors');
    const first = (await codecommit(
      'put-file',
      '--repository-name',
      'cli-errors',
      '--branch-name',
      'main',
      '--file-path',
      'a',
      '--file-content',
      'one',
    )) as { commitId: string };
    await codecommit(
      'put-file',
      '--repository-name',
      'cli-errors',
      '--branch-name',
      'main',
      '--file-path',
      'a',
      '--file-content',
      'two',
      '--parent-commit-id',
      first.commitId,
    );
    expect(await codecommitError('create-repository', '--repository-name', 'bad/name')).toBe(
      'InvalidRepositoryNameException',
    );
    expect(await codecommitError('get-repository', '--repository-name', 'absent')).toBe(
      'RepositoryDoesNotExistException',
    );
    expect(
      await codecommitError(
        'put-file',
        '--repository-name',
        'cli-errors',
        '--branch-name',
        'main',
        '--file-path',
        'a',
        '--file-content',
        'three',
        '--parent-commit-id',
        first.commitId,
      ),
    ).toBe('ParentCommitIdOutdatedException');
    expect(
      await codecommitError(
        'get-file',
        '--repository-name',
        'cli-errors',
        '--file-path',
        '../../etc/passwd',
      ),
    ).toBe('InvalidPathException');
    expect(
      await codecommitError(
        'get-branch',
        '--repository-name',
        'cli-errors',
        '--branch-name',
        'a..b',
      ),
    ).toBe('InvalidBranchNameException');
  });
});
