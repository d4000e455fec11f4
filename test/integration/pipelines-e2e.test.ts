import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli.ts';
import { gitClient } from '../support/git-client.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * The pipeline of AWS's tutorials — CodeCommit → CodeBuild → manual approval → S3 deploy — as
 * JSON written the way AWS's documentation writes it, created with `aws codepipeline
 * create-pipeline --cli-input-json`, fed by real `git push`es and run by the server's own
 * runner in bubblewrap. Followed only through the CodePipeline API, as a user would.
 */
const fixture = resolve(import.meta.dirname, '../fixtures/pipelines/my-first-pipeline.json');

const buildspec = `version: 0.2
env:
  exported-variables: [RELEASE]
phases:
  build:
    commands:
      - export RELEASE="1.0.$(cat version.txt)"
      - mkdir -p site
      - echo "commit $COMMIT_ID in $EXECUTION_ID release $RELEASE" > site/index.html
artifacts:
  base-directory: site
  files: ['**/*']
`;

interface ActionState {
  actionName: string;
  latestExecution?: { status: string; token?: string; summary?: string };
}
interface PipelineStateOutput {
  stageStates: {
    stageName: string;
    latestExecution?: { status: string; pipelineExecutionId: string };
    actionStates: ActionState[];
  }[];
}

describe('a pipeline from AWS documentation JSON, driven by git pushes', () => {
  let server: TestServer;
  let home: string;
  let git: ReturnType<typeof gitClient>;
  let work: string;
  const cli = async (...args: string[]) => {
    const result = await aws([...args, '--output', 'json'], server.awsEnv);
    if (result.code !== 0) throw new Error(`aws ${args.join(' ')}: ${result.stderr}`);
    return result.stdout.trim() === ''
      ? {}
      : (JSON.parse(result.stdout) as Record<string, unknown>);
  };
  const state = async () =>
    (await cli(
      'codepipeline',
      'get-pipeline-state',
      '--name',
      'MyFirstPipeline',
    )) as unknown as PipelineStateOutput;
  async function until<T>(
    what: string,
    probe: () => Promise<T | undefined>,
    ms = 60_000,
  ): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) {
        const now = await state().catch((error: unknown) => String(error));
        throw new Error(`timed out waiting for ${what}; state: ${JSON.stringify(now)}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const execution = async (id: string) =>
    (
      (await cli(
        'codepipeline',
        'get-pipeline-execution',
        '--pipeline-name',
        'MyFirstPipeline',
        '--pipeline-execution-id',
        id,
      )) as {
        pipelineExecution: {
          status: string;
          statusSummary?: string;
          artifactRevisions?: { revisionId: string }[];
          trigger: { triggerType: string };
        };
      }
    ).pipelineExecution;
  const approvalToken = () =>
    until('the approval to wait', async () => {
      const deploy = (await state()).stageStates.find((s) => s.stageName === 'Deploy');
      const approval = deploy?.actionStates.find((a) => a.actionName === 'Approval');
      return approval?.latestExecution?.status === 'InProgress'
        ? approval.latestExecution.token
        : undefined;
    });
  const approve = async (token: string, status = 'Approved') =>
    cli(
      'codepipeline',
      'put-approval-result',
      '--pipeline-name',
      'MyFirstPipeline',
      '--stage-name',
      'Deploy',
      '--action-name',
      'Approval',
      '--result',
      `summary=${status} by test,status=${status}`,
      '--token',
      token,
    );
  const finished = (id: string) =>
    until(`execution ${id} to end`, async () => {
      const e = await execution(id);
      return e.status === 'InProgress' || e.status === 'Stopping' ? undefined : e;
    });

  let firstCommit = '';
  let firstExecution = '';

  beforeAll(async () => {
    server = await startTestServer({ env: { SLIPWAY_RUNNER_CONCURRENCY: '2' } });
    home = await mkdtemp(join(tmpdir(), 'slipway-pipeline-e2e-'));
    git = gitClient(server, home);
    await cli('codecommit', 'create-repository', '--repository-name', 'MyDemoRepo');
    await cli('s3', 'mb', 's3://my-website-bucket').catch(() =>
      cli('s3api', 'create-bucket', '--bucket', 'my-website-bucket'),
    );
    await cli(
      'codebuild',
      'create-project',
      '--name',
      'MyBuildProject',
      '--source',
      'type=CODEPIPELINE',
      '--artifacts',
      'type=CODEPIPELINE',
      '--environment',
      'type=LINUX_CONTAINER,image=aws/codebuild/standard:7.0,computeType=BUILD_GENERAL1_SMALL',
      '--service-role',
      'arn:aws:iam::111122223333:role/codebuild',
    );
    work = join(home, 'repo');
    await mkdir(work);
    await git(['init', '-q'], work);
    await writeFile(join(work, 'buildspec.yml'), buildspec);
    await writeFile(join(work, 'version.txt'), '1\n');
    await git(['add', '.'], work);
    await git(['commit', '-q', '-m', 'first release'], work);
    await git(['remote', 'add', 'origin', `${server.url}/v1/repos/MyDemoRepo`], work);
    await git(['push', '-q', 'origin', 'main'], work);
    firstCommit = (await git(['rev-parse', 'HEAD'], work)).trim();
    await cli('codepipeline', 'create-pipeline', '--cli-input-json', `file://${fixture}`);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    if (home !== undefined) await rm(home, { recursive: true, force: true });
  });

  it('starts a first execution on create and runs it to the approval, then to Succeeded', async () => {
    const { pipelineExecutionSummaries } = (await cli(
      'codepipeline',
      'list-pipeline-executions',
      '--pipeline-name',
      'MyFirstPipeline',
    )) as {
      pipelineExecutionSummaries: {
        pipelineExecutionId: string;
        trigger: { triggerType: string };
      }[];
    };
    expect(pipelineExecutionSummaries).toHaveLength(1);
    expect(pipelineExecutionSummaries[0]?.trigger.triggerType).toBe('CreatePipeline');
    firstExecution = pipelineExecutionSummaries[0]!.pipelineExecutionId;
    await approve(await approvalToken());
    const done = await finished(firstExecution);
    expect([done.status, done.statusSummary]).toEqual(['Succeeded', undefined]);
    expect(done.artifactRevisions?.[0]?.revisionId).toBe(firstCommit);
  }, 120_000);

  it('passed artifacts and variables along: the deployed page names the commit and the execution', async () => {
    const page = await aws(['s3', 'cp', 's3://my-website-bucket/index.html', '-'], server.awsEnv);
    expect(page.stdout.trim()).toBe(`commit ${firstCommit} in ${firstExecution} release 1.0.1`);
    const { actionExecutionDetails } = (await cli(
      'codepipeline',
      'list-action-executions',
      '--pipeline-name',
      'MyFirstPipeline',
      '--filter',
      `pipelineExecutionId=${firstExecution}`,
    )) as {
      actionExecutionDetails: {
        actionName: string;
        status: string;
        input: { resolvedConfiguration?: Record<string, string> };
        output: {
          outputVariables?: Record<string, string>;
          executionResult?: { externalExecutionId?: string };
        };
      }[];
    };
    const byName = new Map(actionExecutionDetails.map((d) => [d.actionName, d]));
    expect([...byName.keys()].sort()).toEqual(['Approval', 'Build', 'DeployToBucket', 'Source']);
    for (const detail of actionExecutionDetails) expect(detail.status).toBe('Succeeded');
    expect(byName.get('Source')?.output.outputVariables).toMatchObject({
      CommitId: firstCommit,
      BranchName: 'main',
      RepositoryName: 'MyDemoRepo',
      CommitMessage: 'first release\n',
    });
    expect(byName.get('Build')?.input.resolvedConfiguration?.['EnvironmentVariables']).toContain(
      firstCommit,
    );
    expect(byName.get('Build')?.output.outputVariables).toEqual({ RELEASE: '1.0.1' });
    expect(byName.get('Build')?.output.executionResult?.externalExecutionId).toMatch(
      /^MyBuildProject:/,
    );
    expect(byName.get('Approval')?.input.resolvedConfiguration?.['CustomData']).toBe(
      `Release ${firstCommit} (build 1.0.1)?`,
    );
  });

  it('starts an execution on push, pinned to the pushed commit; a rejection fails it', async () => {
    await writeFile(join(work, 'version.txt'), '2\n');
    await git(['commit', '-q', '-am', 'second release'], work);
    await git(['push', '-q', 'origin', 'main'], work);
    const commit = (await git(['rev-parse', 'HEAD'], work)).trim();
    const id = await until('the push to start an execution', async () => {
      const { pipelineExecutionSummaries } = (await cli(
        'codepipeline',
        'list-pipeline-executions',
        '--pipeline-name',
        'MyFirstPipeline',
      )) as {
        pipelineExecutionSummaries: {
          pipelineExecutionId: string;
          sourceRevisions?: { revisionId: string }[];
          trigger: { triggerType: string };
        }[];
      };
      const latest = pipelineExecutionSummaries[0];
      return latest?.pipelineExecutionId !== firstExecution ? latest : undefined;
    });
    expect(id.trigger.triggerType).toBe('CloudWatchEvent');
    await approve(await approvalToken(), 'Rejected');
    const done = await finished(id.pipelineExecutionId);
    expect(done.status).toBe('Failed');
    expect(done.artifactRevisions?.[0]?.revisionId).toBe(commit);
    const page = await aws(['s3', 'cp', 's3://my-website-bucket/index.html', '-'], server.awsEnv);
    expect(page.stdout).toContain(firstCommit); // the rejected release never deployed
  }, 120_000);
});
