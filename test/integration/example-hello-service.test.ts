import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli.ts';
import { gitClient } from '../support/git-client.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * examples/hello-service as its README runs it: a server with three local agents, the example's
 * own setup.sh, then `git push`. The pipeline builds (unit tests in bubblewrap) and deploys one
 * host at a time until every host serves the new version; a broken release's ValidateService
 * fails, the deployment fails, and the automatic rollback puts the good version back everywhere.
 */
const example = resolve(import.meta.dirname, '../../examples/hello-service');
const hosts = ['local-agent-1', 'local-agent-2', 'local-agent-3'];
// Each host serves on HELLO_PORT_BASE + its index; agents inherit this process's environment.
const portBase = 20_000 + Math.floor(Math.random() * 20_000);
process.env.HELLO_PORT_BASE = String(portBase);

interface Execution {
  pipelineExecutionId: string;
  status: string;
  trigger: { triggerType: string };
}

describe('examples/hello-service: git push to three hosts, and a rollback', () => {
  let server: TestServer;
  let home: string;
  let work: string;
  let git: ReturnType<typeof gitClient>;
  const cli = async (...args: string[]) => {
    const result = await aws([...args, '--output', 'json'], server.awsEnv);
    if (result.code !== 0) throw new Error(`aws ${args.join(' ')}: ${result.stderr}`);
    return JSON.parse(result.stdout || '{}') as Record<string, unknown>;
  };
  const executions = async () =>
    (
      (await cli(
        'codepipeline',
        'list-pipeline-executions',
        '--pipeline-name',
        'hello-service',
      )) as {
        pipelineExecutionSummaries: Execution[];
      }
    ).pipelineExecutionSummaries;
  /** The execution a push started after `known` executions, once it has ended. */
  async function pushedExecutionEnds(known: number): Promise<Execution> {
    const deadline = Date.now() + 150_000;
    for (;;) {
      const list = await executions();
      const newest = list[0];
      if (list.length > known && newest !== undefined && newest.status !== 'InProgress') {
        return newest;
      }
      if (Date.now() > deadline)
        throw new Error(`no push execution ended: ${JSON.stringify(list)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  const served = () =>
    Promise.all(
      hosts.map(async (_, i) => {
        const response = await fetch(`http://127.0.0.1:${portBase + i + 1}/`).catch(
          () => undefined,
        );
        return response === undefined ? 'down' : (await response.text()).trim();
      }),
    );
  const push = async (message: string) => {
    await git(['add', '.'], work);
    await git(['commit', '-q', '-m', message], work);
    await git(['push', '-q', 'origin', 'main'], work);
  };

  beforeAll(async () => {
    server = await startTestServer({
      env: { SLIPWAY_LOCAL_AGENTS: '3', SLIPWAY_RUNNER_CONCURRENCY: '1' },
    });
    home = await mkdtemp(join(tmpdir(), 'slipway-hello-service-'));
    git = gitClient(server, home);
    const setup = await new Promise<{ code: number; output: string }>((done) => {
      execFile(
        'sh',
        [join(example, 'setup.sh')],
        { env: { ...process.env, ...server.awsEnv } },
        (error, stdout, stderr) => done({ code: error === null ? 0 : 1, output: stdout + stderr }),
      );
    });
    expect(setup, setup.output).toMatchObject({ code: 0 });
    work = join(home, 'hello-service');
    await cp(example, work, { recursive: true });
    await git(['init', '-q'], work);
    await git(['remote', 'add', 'origin', `${server.url}/v1/repos/hello-service`], work);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    if (home !== undefined) await rm(home, { recursive: true, force: true });
  });

  it('builds, tests and deploys one host at a time until every host serves the release', async () => {
    const before = (await executions()).length;
    await push('hello-service 1.0.0');
    const execution = await pushedExecutionEnds(before);
    expect(execution.status).toBe('Succeeded');
    expect(await served()).toEqual(hosts.map((h) => `hello-service 1.0.0 on ${h}`));

    const { deployments } = (await cli(
      'deploy',
      'list-deployments',
      '--application-name',
      'hello-service',
      '--deployment-group-name',
      'local-hosts',
    )) as { deployments: string[] };
    const { deploymentInfo } = (await cli(
      'deploy',
      'get-deployment',
      '--deployment-id',
      deployments[0] ?? '',
    )) as { deploymentInfo: Record<string, unknown> };
    // The pipeline's Deploy action names the deployment it made.
    const { actionExecutionDetails } = (await cli(
      'codepipeline',
      'list-action-executions',
      '--pipeline-name',
      'hello-service',
      '--filter',
      `pipelineExecutionId=${execution.pipelineExecutionId}`,
    )) as {
      actionExecutionDetails: {
        actionName: string;
        output?: { executionResult?: { externalExecutionId?: string } };
      }[];
    };
    const deployAction = actionExecutionDetails.find((d) => d.actionName === 'Deploy');
    expect(deployAction?.output?.executionResult?.externalExecutionId).toBe(deployments[0]);
    expect(deploymentInfo).toMatchObject({
      status: 'Succeeded',
      creator: 'CodePipeline',
      deploymentConfigName: 'CodeDeployDefault.OneAtATime',
      deploymentOverview: { Succeeded: 3, Failed: 0 },
    });
  }, 180_000);

  it('fails a release whose ValidateService fails, and rolls every host back', async () => {
    const before = (await executions()).length;
    await writeFile(join(work, 'app/VERSION'), '\n');
    await push('a broken release');
    const execution = await pushedExecutionEnds(before);
    expect(execution.status).toBe('Failed');

    const { deployments } = (await cli(
      'deploy',
      'list-deployments',
      '--application-name',
      'hello-service',
      '--deployment-group-name',
      'local-hosts',
    )) as { deployments: string[] };
    const infos = (
      (await cli('deploy', 'batch-get-deployments', '--deployment-ids', ...deployments)) as {
        deploymentsInfo: {
          deploymentId: string;
          status: string;
          creator: string;
          rollbackInfo?: Record<string, string>;
        }[];
      }
    ).deploymentsInfo;
    const failed = infos.find((d) => d.status === 'Failed');
    const rollback = infos.find((d) => d.creator === 'codeDeployRollback');
    expect(failed?.rollbackInfo?.rollbackDeploymentId).toBe(rollback?.deploymentId);
    expect(rollback?.rollbackInfo?.rollbackTriggeringDeploymentId).toBe(failed?.deploymentId);

    // The rollback runs after the pipeline's action failed: wait for it to end.
    const deadline = Date.now() + 60_000;
    let status = '';
    while (Date.now() < deadline) {
      const { deploymentInfo } = (await cli(
        'deploy',
        'get-deployment',
        '--deployment-id',
        rollback?.deploymentId ?? '',
      )) as { deploymentInfo: { status: string } };
      status = deploymentInfo.status;
      if (status !== 'InProgress' && status !== 'Created') break;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(status).toBe('Succeeded');
    expect(await served()).toEqual(hosts.map((h) => `hello-service 1.0.0 on ${h}`));

    const targets = (await cli(
      'deploy',
      'batch-get-deployment-targets',
      '--deployment-id',
      failed?.deploymentId ?? '',
      '--target-ids',
      'local-agent-1',
    )) as {
      deploymentTargets: {
        instanceTarget: {
          status: string;
          lifecycleEvents: {
            lifecycleEventName: string;
            status: string;
            diagnostics?: Record<string, string>;
          }[];
        };
      }[];
    };
    const first = targets.deploymentTargets[0]?.instanceTarget;
    expect(first?.status).toBe('Failed');
    const validate = first?.lifecycleEvents.find((e) => e.lifecycleEventName === 'ValidateService');
    expect(validate).toMatchObject({
      status: 'Failed',
      diagnostics: { errorCode: 'ScriptFailed', scriptName: 'scripts/validate.sh' },
    });
    expect(validate?.diagnostics?.logTail).toContain('not healthy');
  }, 240_000);
});
