import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StartPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { freshPostgresUrl } from '../support/fresh-postgres.ts';
import {
  auditPipeline,
  createFaultsPipeline,
  duplicatedOrLostWork,
  isLostBuild,
  isTerminal,
  listExecutions,
  pipelineClients,
  wrongOutcomes,
  type PipelineClients,
} from '../support/pipeline-audit.ts';
import { s3Client } from '../support/s3.ts';
import {
  readCredentials,
  spawnServer,
  startTestServer,
  type SpawnedServer,
  type TestServer,
} from '../support/test-server.ts';

/**
 * Pipelines under faults, with real server processes, the built-in runner and the AWS SDKs:
 * a server killed with SIGKILL three times while 20 executions run in parallel, and two servers
 * on one PostgreSQL database sharing 50 executions. Whatever happens, every execution ends as
 * its actions dictate and no action starts a second build (see pipeline-audit.ts).
 */
const runnerConcurrency = 2;

/** Undone after each test, last first: servers killed, clients closed, directories removed. */
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch {
      // The rest still runs.
    }
  }
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  // The built-in runner works outside the data directory (apps/server/…/embedded-runner.ts).
  const runnerRoot = `slipway-runner-${createHash('sha256').update(dir).digest('hex').slice(0, 12)}`;
  cleanups.push(() => rm(join(tmpdir(), runnerRoot), { recursive: true, force: true }));
  return dir;
}

/** `slipway server` on `dataDir`, killed with SIGKILL at the end of the test. */
async function serve(dataDir: string, env: Record<string, string> = {}): Promise<SpawnedServer> {
  const server = await spawnServer(['--port', '0', '--data-dir', dataDir], {
    SLIPWAY_RUNNER_CONCURRENCY: String(runnerConcurrency),
    ...env,
  });
  cleanups.push(async () => {
    server.child.kill('SIGKILL');
    await server.exited;
  });
  return server;
}

async function clientsOf(server: SpawnedServer, dataDir: string): Promise<PipelineClients> {
  const credentials = await readCredentials(join(dataDir, 'credentials'));
  const clients = pipelineClients({ url: server.url, ...credentials });
  cleanups.push(() => clients.destroy());
  return clients;
}

async function start(clients: PipelineClients, pipeline: string, fail: boolean): Promise<string> {
  const started = await clients.pipelines.send(
    new StartPipelineExecutionCommand({
      name: pipeline,
      variables: [{ name: 'FAIL', value: fail ? 'yes' : 'no' }],
    }),
  );
  return started.pipelineExecutionId ?? '';
}

/** Waits until `count` executions exist and none is running; says which are stuck if not. */
async function allEnded(
  clients: () => PipelineClients,
  pipeline: string,
  count: number,
  context: () => string,
): Promise<void> {
  const deadline = Date.now() + 150_000;
  for (;;) {
    const executions = await listExecutions(clients(), pipeline);
    const running = executions.filter((e) => !isTerminal(e.status));
    if (executions.length === count && running.length === 0) return;
    if (Date.now() > deadline) {
      const stuck = running.map((e) => `${e.pipelineExecutionId}: ${e.status}`);
      throw new Error(
        `${executions.length} of ${count} executions, still running:\n${stuck.join('\n')}\n${context()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Warnings and errors the servers logged (pino JSON, level ≥ 40), for failure messages. */
function notableLog(servers: readonly SpawnedServer[]): string {
  const lines = servers.flatMap((server, i) =>
    `${server.stdout()}\n${server.stderr()}`
      .split('\n')
      .filter((line) => /"level":(4|5|6)\d/.test(line))
      .map((line) => `[server ${i}] ${line.slice(0, 400)}`),
  );
  return `server log warnings and errors:\n${lines.slice(-60).join('\n')}`;
}

/** The builds this server's built-in runner ran to their end, from its log. */
function buildsRunBy(server: SpawnedServer): string[] {
  return `${server.stdout()}\n${server.stderr()}`
    .split('\n')
    .filter((line) => line.includes('"msg":"build finished"'))
    .map((line) => (JSON.parse(line) as { buildId: string }).buildId);
}

describe('pipelines when the server is killed', () => {
  it('end every execution as its actions dictate, each build run once, across three kill -9', async () => {
    const dataDir = await tempDir('slipway-pipeline-crash-');
    const incarnations = [await serve(dataDir)];
    let clients = await clientsOf(incarnations[0]!, dataDir);
    const pipeline = 'crash-pipeline';
    await createFaultsPipeline(clients, pipeline, '0.3');
    const failing = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const id = await start(clients, pipeline, i % 4 === 0);
      if (i % 4 === 0) failing.add(id);
    }
    const delays: number[] = [];
    for (let kill = 0; kill < 3; kill++) {
      const delay = 500 + Math.floor(Math.random() * 2_500);
      delays.push(delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
      const victim = incarnations[incarnations.length - 1]!;
      victim.child.kill('SIGKILL');
      await victim.exited;
      incarnations.push(await serve(dataDir));
      clients = await clientsOf(incarnations[incarnations.length - 1]!, dataDir);
    }
    const context = () => `kills after ${delays.join(', ')} ms\n${notableLog(incarnations)}`;
    // 20 started, and the one CreatePipeline starts.
    await allEnded(() => clients, pipeline, 21, context);

    const audit = await auditPipeline(clients, pipeline);
    expect(duplicatedOrLostWork(audit), context()).toEqual([]);
    expect(
      wrongOutcomes(audit, (id) => failing.has(id), true),
      context(),
    ).toEqual([]);
    // Every execution asked to fail did; each kill loses at most the builds running then.
    const statusOf = new Map(audit.executions.map((e) => [e.pipelineExecutionId, e.status]));
    expect([...failing].map((id) => statusOf.get(id))).toEqual([...failing].map(() => 'Failed'));
    const lost = audit.builds.filter(isLostBuild);
    expect(lost.length, context()).toBeLessThanOrEqual(3 * runnerConcurrency);
  }, 240_000);
});

describe('pipelines on two servers sharing PostgreSQL', () => {
  it('run 50 executions started through both, every action once, all succeeded', async () => {
    // Blobs in a third Slipway's S3 door, as a fleet keeps them in one S3-compatible store.
    const blobs: TestServer = await startTestServer();
    cleanups.push(() => blobs.close());
    const blobClient = s3Client(blobs);
    await blobClient.send(new CreateBucketCommand({ Bucket: 'fleet-blobs' }));
    blobClient.destroy();
    const env = {
      SLIPWAY_DATABASE_URL: await freshPostgresUrl(),
      SLIPWAY_SECRETS_KEY: randomBytes(32).toString('base64'),
      SLIPWAY_BLOB_URL: 's3://fleet-blobs/fleet/',
      SLIPWAY_BLOB_ENDPOINT: blobs.url,
      SLIPWAY_BLOB_ACCESS_KEY_ID: blobs.accessKeyId,
      SLIPWAY_BLOB_SECRET_ACCESS_KEY: blobs.secretAccessKey,
    };
    const dirs = [
      await tempDir('slipway-pipeline-fleet-a-'),
      await tempDir('slipway-pipeline-fleet-b-'),
    ];
    const servers = [await serve(dirs[0]!, env), await serve(dirs[1]!, env)];
    const clients = [
      await clientsOf(servers[0]!, dirs[0]!),
      await clientsOf(servers[1]!, dirs[1]!),
    ];
    const pipeline = 'fleet-pipeline';
    await createFaultsPipeline(clients[0]!, pipeline, '0.1');
    for (let i = 0; i < 50; i++) await start(clients[i % 2]!, pipeline, false);
    const context = () => notableLog(servers);
    await allEnded(() => clients[1]!, pipeline, 51, context);

    const audit = await auditPipeline(clients[0]!, pipeline);
    expect(duplicatedOrLostWork(audit), context()).toEqual([]);
    expect(
      wrongOutcomes(audit, () => false, false),
      context(),
    ).toEqual([]);
    expect(audit.executions.map((e) => e.status)).toEqual(audit.executions.map(() => 'Succeeded'));
    expect(audit.builds).toHaveLength(2 * 51);
    // Each build ran on one runner once, and both servers' runners took a share.
    const ran = servers.map(buildsRunBy);
    expect(ran.flat().sort()).toEqual(audit.builds.map((b) => b.id).sort());
    expect(ran.map((ids) => ids.length > 0)).toEqual([true, true]);
  }, 180_000);
});
