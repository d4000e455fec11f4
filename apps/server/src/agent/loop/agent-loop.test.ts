import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { HostCommandInstance } from '@slipway/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aSpec, makeTempDir, makeTgz, script, writeTree } from '../agent-test-fixtures.ts';
import { startAgent, type RunningAgent } from '../start-agent.ts';
import { FakeCommandServer, type RecordedCall } from './fake-command-server.ts';

const credentials = { accessKeyId: 'AKIDAGENTTEST0000001', secretAccessKey: 'agent/secret+key' };
const arn = 'arn:aws:iam::000000000000:user/host-1';

function aCommand(commandName: string, id = `hc-${commandName}`): HostCommandInstance {
  return {
    HostCommandIdentifier: id,
    HostIdentifier: arn,
    DeploymentExecutionId: 'dx-1',
    CommandName: commandName,
    Nonce: 1,
  };
}

const payloadOf = (call: RecordedCall | undefined) =>
  JSON.parse((call?.body.Diagnostics as { Payload: string }).Payload) as Record<string, unknown>;

describe('AgentLoop against a fake command server', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let server: FakeCommandServer;
  let agent: RunningAgent | undefined;
  const root = () => join(tmp.path, 'root');
  const start = (options: { fromSts?: boolean } = {}) =>
    startAgent({
      server: server.url,
      region: 'us-east-1',
      credentials,
      hostIdentifier: options.fromSts === true ? undefined : arn,
      root: root(),
      log: pino({ level: 'silent' }),
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', RECORD: join(tmp.path, 'record') },
      heartbeatMs: 100,
    });
  const completed = (id: string) =>
    server.of('PutHostCommandComplete').find((call) => call.body.HostCommandIdentifier === id);

  beforeEach(async () => {
    tmp = makeTempDir();
    server = new FakeCommandServer();
    await server.listen();
    server.spec = aSpec({ BundleUrl: `${server.url}/bundle.tgz` });
  });
  afterEach(async () => {
    await agent?.stop(0);
    agent = undefined;
    await server.close();
    tmp.remove();
  });

  it('signs its calls, acknowledges, streams output in heartbeats and completes', async () => {
    server.bundleFile = makeTgz(tmp.path, {
      'appspec.yml': 'version: 0.0\nos: linux\nhooks:\n  BeforeInstall:\n    - location: b.sh\n',
      'b.sh': script('echo hello\nsleep 0.5\necho bye'),
    });
    // The server hands a host its commands one at a time.
    server.commands.push(aCommand('DownloadBundle'));
    agent = await start();
    await expect.poll(() => completed('hc-DownloadBundle'), { timeout: 10_000 }).toBeDefined();
    server.commands.push(aCommand('BeforeInstall'));
    await expect.poll(() => completed('hc-BeforeInstall'), { timeout: 10_000 }).toBeDefined();

    for (const call of server.calls) {
      expect(call.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDAGENTTEST0000001\/\d{8}\/us-east-1\/codedeploy-commands\/aws4_request, SignedHeaders=.*x-amz-target.*, Signature=[0-9a-f]{64}$/,
      );
      expect(call.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
      expect(call.headers['content-type']).toBe('application/x-amz-json-1.1');
      expect(call.headers['x-amz-target']).toBe(
        `CodeDeployCommandService_v20141006.${call.operation}`,
      );
    }
    const forHook = server.calls
      .filter((call) => call.body.HostCommandIdentifier === 'hc-BeforeInstall')
      .map((call) => call.operation);
    expect(forHook[0]).toBe('PutHostCommandAcknowledgement');
    expect(forHook.at(-1)).toBe('PutHostCommandComplete');
    expect(forHook.filter((op) => op === 'PostHostCommandUpdate').length).toBeGreaterThan(0);
    const streamed = server
      .of('PostHostCommandUpdate')
      .filter((call) => call.body.HostCommandIdentifier === 'hc-BeforeInstall')
      .filter((call) => call.body.Diagnostics !== undefined)
      .map((call) => payloadOf(call).log)
      .join('');
    // What came after the last heartbeat is in the completion's log, not a last update.
    expect(streamed).toBe('[stdout]hello\n');
    expect(completed('hc-BeforeInstall')?.body.CommandStatus).toBe('Succeeded');
    expect(payloadOf(completed('hc-BeforeInstall'))).toEqual({
      error_code: 0,
      script_name: '',
      message: 'Succeeded',
      log: '[stdout]hello\n[stdout]bye\n',
    });
    expect(server.of('GetDeploymentSpecification')[0]?.body).toEqual({
      DeploymentExecutionId: 'dx-1',
      HostIdentifier: arn,
    });
  });

  it('kills the script when an update answers Failed, and completes the command as Failed', async () => {
    const pidFile = join(tmp.path, 'child.pid');
    writeTree(join(root(), 'dg-0000-1111/d-TEST00001/deployment-archive'), {
      'appspec.yml': 'version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: s.sh\n',
      's.sh': script(`sleep 300 &\necho $! > ${pidFile}\nwait`),
    });
    server.updateStatus = () => 'Failed';
    server.commands.push(aCommand('ApplicationStart'));
    agent = await start();
    await expect.poll(() => completed('hc-ApplicationStart'), { timeout: 10_000 }).toBeDefined();
    const complete = completed('hc-ApplicationStart');
    expect(complete?.body.CommandStatus).toBe('Failed');
    expect(payloadOf(complete).message).toMatch(/the server stopped the command/);
    const child = Number(readFileSync(pidFile, 'utf8'));
    await expect.poll(() => isAlive(child), { timeout: 5_000 }).toBe(false);
  });

  it('on stop, gives a running command its grace, then kills it and completes it as Failed', async () => {
    writeTree(join(root(), 'dg-0000-1111/d-TEST00001/deployment-archive'), {
      'appspec.yml': 'version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: s.sh\n',
      's.sh': script('sleep 300'),
    });
    server.commands.push(aCommand('ApplicationStart'));
    const running = await start();
    await expect.poll(() => server.of('PostHostCommandUpdate').length).toBeGreaterThan(0);
    const stopped = Date.now();
    await running.stop(200);
    expect(Date.now() - stopped).toBeLessThan(3_000);
    expect(payloadOf(completed('hc-ApplicationStart')).message).toMatch(/agent was stopped/);
    expect(existsSync(join(root(), 'ongoing-command.json'))).toBe(false);
  });

  it('completes a command left running by a previous run as FailedAfterRestart, without running it', async () => {
    writeTree(root(), {
      'ongoing-command.json': JSON.stringify([aCommand('AfterInstall', 'hc-left')]),
    });
    agent = await start();
    expect(completed('hc-left')?.body.CommandStatus).toBe('Failed');
    expect(payloadOf(completed('hc-left'))).toMatchObject({
      error_code: 7,
      message: 'The agent was restarted while the command ran',
    });
    expect(server.of('GetDeploymentSpecification')).toEqual([]);
    expect(existsSync(join(root(), 'ongoing-command.json'))).toBe(false);
  });

  it('learns its host identifier from STS GetCallerIdentity', async () => {
    agent = await start({ fromSts: true });
    expect(agent.hostIdentifier).toBe(arn);
    expect(server.of('GetCallerIdentity')[0]?.headers.authorization).toMatch(/\/sts\/aws4_request/);
    await expect.poll(() => server.of('PollHostCommand').length).toBeGreaterThan(0);
    expect(server.of('PollHostCommand')[0]?.body).toEqual({ HostIdentifier: arn });
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
