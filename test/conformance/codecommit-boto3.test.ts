import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { python } from '../support/aws-cli.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/**
 * Runs a Python body with `cc` (a boto3 CodeCommit client for the server) and `call(name, **kw)`,
 * which returns the result without ResponseMetadata or {'error': code}; prints `out` as JSON.
 */
async function boto3(body: string): Promise<Record<string, unknown>> {
  const script = `
import json, base64, boto3
from botocore.exceptions import ClientError
cc = boto3.client('codecommit', endpoint_url='${server.url}', region_name='us-east-1',
                  aws_access_key_id='${server.accessKeyId}', aws_secret_access_key='${server.secretAccessKey}')
def call(_op, **kw):
    try:
        r = getattr(cc, _op)(**kw)
        r.pop('ResponseMetadata', None)
        return r
    except ClientError as e:
        return {'error': e.response['Error']['Code'], 'status': e.response['ResponseMetadata']['HTTPStatusCode']}
out = {}
${body}
print(json.dumps(out, default=str))
`;
  const result = await python(script, {});
  if (result.code !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe('CodeCommit through boto3', () => {
  it('creates a repository, commits twice, and reads files, folders, differences and branches', async () => {
    const out = await boto3(`
out['create'] = call('create_repository', repositoryName='boto-flow', repositoryDescription='d')
p1 = call('put_file', repositoryName='boto-flow', branchName='main', fileContent=b'hello\\n', filePath='README.md', commitMessage='first')
p2 = call('put_file', repositoryName='boto-flow', branchName='main', fileContent=b'\\x00\\x01bin', filePath='src/app/bin.dat', parentCommitId=p1['commitId'], fileMode='EXECUTABLE', name='Ada', email='ada@example.com')
out['p1'] = p1; out['p2'] = p2
f = call('get_file', repositoryName='boto-flow', filePath='src/app/bin.dat')
f['fileContent'] = base64.b64encode(f['fileContent']).decode()
out['file'] = f
out['file_at_p1'] = base64.b64encode(call('get_file', repositoryName='boto-flow', filePath='README.md', commitSpecifier=p1['commitId'])['fileContent']).decode()
out['root'] = call('get_folder', repositoryName='boto-flow', folderPath='/')
out['sub'] = call('get_folder', repositoryName='boto-flow', folderPath='src/app', commitSpecifier='main')
out['diff'] = call('get_differences', repositoryName='boto-flow', beforeCommitSpecifier=p1['commitId'], afterCommitSpecifier=p2['commitId'])
out['branches'] = call('list_branches', repositoryName='boto-flow')
out['commit'] = call('get_commit', repositoryName='boto-flow', commitId=p2['commitId'])
out['repo'] = call('get_repository', repositoryName='boto-flow')
`);
    expect(out.create).toMatchObject({
      repositoryMetadata: {
        repositoryName: 'boto-flow',
        Arn: `arn:aws:codecommit:us-east-1:${server.accountId}:boto-flow`,
        cloneUrlHttp: `${server.url}/v1/repos/boto-flow`,
      },
    });
    const p1 = out.p1 as { commitId: string };
    const p2 = out.p2 as { commitId: string; blobId: string };
    expect(out.file).toMatchObject({
      commitId: p2.commitId,
      blobId: p2.blobId,
      filePath: 'src/app/bin.dat',
      fileMode: 'EXECUTABLE',
      fileSize: 5,
      fileContent: Buffer.from('\x00\x01bin', 'latin1').toString('base64'),
    });
    expect(out.file_at_p1).toBe(Buffer.from('hello\n').toString('base64'));
    expect(out.root).toMatchObject({
      folderPath: '/',
      files: [{ absolutePath: 'README.md', relativePath: 'README.md', fileMode: 'NORMAL' }],
      subFolders: [{ absolutePath: 'src', relativePath: 'src' }],
    });
    expect(out.sub).toMatchObject({
      folderPath: 'src/app',
      files: [{ absolutePath: 'src/app/bin.dat', relativePath: 'bin.dat', fileMode: 'EXECUTABLE' }],
    });
    expect(out.diff).toEqual({
      differences: [
        {
          afterBlob: { blobId: p2.blobId, path: 'src/app/bin.dat', mode: '100755' },
          changeType: 'A',
        },
      ],
    });
    expect(out.branches).toEqual({ branches: ['main'] });
    expect(out.commit).toMatchObject({
      commit: {
        commitId: p2.commitId,
        parents: [p1.commitId],
        author: { name: 'Ada', email: 'ada@example.com' },
      },
    });
    expect(out.repo).toMatchObject({ repositoryMetadata: { defaultBranch: 'main' } });
  });

  it('answers every bad input with its CodeCommit error', async () => {
    const out = await boto3(`
call('create_repository', repositoryName='boto-errors')
p1 = call('put_file', repositoryName='boto-errors', branchName='main', fileContent=b'1', filePath='a.txt')
p2 = call('put_file', repositoryName='boto-errors', branchName='main', fileContent=b'2', filePath='a.txt', parentCommitId=p1['commitId'])
cases = {
  'bad_chars': ('create_repository', dict(repositoryName='no spaces')),
  'too_long': ('create_repository', dict(repositoryName='x' * 101)),
  'git_suffix': ('create_repository', dict(repositoryName='repo.git')),
  'exists': ('create_repository', dict(repositoryName='boto-errors')),
  'missing_repo': ('get_repository', dict(repositoryName='nope')),
  'missing_repo_file': ('get_file', dict(repositoryName='nope', filePath='a.txt')),
  'stale_parent': ('put_file', dict(repositoryName='boto-errors', branchName='main', fileContent=b'3', filePath='a.txt', parentCommitId=p1['commitId'])),
  'no_parent': ('put_file', dict(repositoryName='boto-errors', branchName='main', fileContent=b'3', filePath='a.txt')),
  'same_content': ('put_file', dict(repositoryName='boto-errors', branchName='main', fileContent=b'2', filePath='a.txt', parentCommitId=p2['commitId'])),
  'dotdot': ('put_file', dict(repositoryName='boto-errors', branchName='main', fileContent=b'3', filePath='../escape.txt', parentCommitId=p2['commitId'])),
  'dotdot_inside': ('get_file', dict(repositoryName='boto-errors', filePath='src/../../etc/passwd')),
  'nul': ('put_file', dict(repositoryName='boto-errors', branchName='main', fileContent=b'3', filePath='a\\x00b', parentCommitId=p2['commitId'])),
  'dot_git': ('put_file', dict(repositoryName='boto-errors', branchName='main', fileContent=b'3', filePath='.git/config', parentCommitId=p2['commitId'])),
  'bad_branch': ('create_branch', dict(repositoryName='boto-errors', branchName='bad..name', commitId=p2['commitId'])),
  'bad_branch_lock': ('create_branch', dict(repositoryName='boto-errors', branchName='x.lock', commitId=p2['commitId'])),
  'bad_branch_dash': ('get_branch', dict(repositoryName='boto-errors', branchName='-delete')),
  'missing_branch': ('get_branch', dict(repositoryName='boto-errors', branchName='nope')),
  'branch_exists': ('create_branch', dict(repositoryName='boto-errors', branchName='main', commitId=p1['commitId'])),
  'missing_file': ('get_file', dict(repositoryName='boto-errors', filePath='nope.txt')),
  'missing_folder': ('get_folder', dict(repositoryName='boto-errors', folderPath='nope')),
  'bad_commit_id': ('get_commit', dict(repositoryName='boto-errors', commitId='--help')),
  'missing_commit': ('get_commit', dict(repositoryName='boto-errors', commitId='0' * 40)),
  'bad_specifier': ('get_file', dict(repositoryName='boto-errors', filePath='a.txt', commitSpecifier='--output=/tmp/x')),
  'default_branch': ('delete_branch', dict(repositoryName='boto-errors', branchName='main')),
}
for key, (name, kw) in cases.items():
    out[key] = call(name, **kw).get('error')
`);
    expect(out).toEqual({
      bad_chars: 'InvalidRepositoryNameException',
      too_long: 'InvalidRepositoryNameException',
      git_suffix: 'InvalidRepositoryNameException',
      exists: 'RepositoryNameExistsException',
      missing_repo: 'RepositoryDoesNotExistException',
      missing_repo_file: 'RepositoryDoesNotExistException',
      stale_parent: 'ParentCommitIdOutdatedException',
      no_parent: 'ParentCommitIdRequiredException',
      same_content: 'SameFileContentException',
      dotdot: 'InvalidPathException',
      dotdot_inside: 'InvalidPathException',
      nul: 'InvalidPathException',
      dot_git: 'InvalidPathException',
      bad_branch: 'InvalidBranchNameException',
      bad_branch_lock: 'InvalidBranchNameException',
      bad_branch_dash: 'InvalidBranchNameException',
      missing_branch: 'BranchDoesNotExistException',
      branch_exists: 'BranchNameExistsException',
      missing_file: 'FileDoesNotExistException',
      missing_folder: 'FolderDoesNotExistException',
      bad_commit_id: 'InvalidCommitIdException',
      missing_commit: 'CommitIdDoesNotExistException',
      bad_specifier: 'InvalidCommitException',
      default_branch: 'DefaultBranchCannotBeDeletedException',
    });
  });
});
