import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildJobQueue,
  BuildsService,
  defaultActionProviders,
  DeploymentsService,
  isHostCommandQueue,
  pipelineActionQueue,
  PipelinesService,
  codecommitServiceName,
  CommitReader,
  CommitWriter,
  IdentityService,
  ObjectsService,
  ServiceCredentialService,
  SourceService,
  systemClock,
  terminalJobStatuses,
  type Clock,
  type EventLog,
  type Random,
} from '@slipway/core';
import type { Logger } from 'pino';
import { AwsDoor } from './aws-api/aws-door.ts';
import { createCodeBuildService } from './aws-api/services/codebuild/codebuild-service.ts';
import { createCodeCommitService } from './aws-api/services/codecommit/codecommit-service.ts';
import { createCodeDeployService } from './aws-api/services/codedeploy/codedeploy-service.ts';
import { createCodeDeployCommandsService } from './aws-api/services/codedeploy-commands/codedeploy-commands-service.ts';
import { ObjectRevisionBundles } from './deployments/object-revision-bundles.ts';
import { startLocalAgents } from './deployments/local-agents.ts';
import { createCodePipelineService } from './aws-api/services/codepipeline/codepipeline-service.ts';
import { createPendingJsonServices } from './aws-api/services/json-services/catalog.ts';
import { createLogsService } from './aws-api/services/logs/logs-service.ts';
import { createIamService } from './aws-api/services/iam/iam-service.ts';
import { createStsService } from './aws-api/services/sts/sts-service.ts';
import type { ServerConfig } from './config.ts';
import { buildHttpApp, closeHttpApp } from './http/app.ts';
import { AesSecretBox, loadSecretsKey } from './identity/aes-secret-box.ts';
import { writeCredentialsFiles, type CredentialsFiles } from './identity/credentials-files.ts';
import { openDatabase } from './store/database.ts';
import { KyselyIdentityStore } from './store/kysely-identity-store.ts';
import { KyselyEventLog } from './store/kysely-event-log.ts';
import { KyselyJobQueue } from './store/kysely-job-queue.ts';
import { DeploymentReconciler } from './orchestrator/deployment-reconciler.ts';
import { LeaseReaper } from './orchestrator/lease-reaper.ts';
import { PipelineReconciler } from './orchestrator/pipeline-reconciler.ts';
import { PushTriggerConsumer } from './orchestrator/push-trigger-consumer.ts';
import { ActionWorker } from './pipelines/action-worker.ts';
import { defaultExecutors } from './pipelines/executors/default-executors.ts';
import { GitPushedFiles } from './pipelines/git-pushed-files.ts';
import { KyselyEventCursors } from './store/kysely-event-cursors.ts';
import { KyselyCustomActionTypeStore } from './store/kysely-custom-action-type-store.ts';
import { KyselyDeploymentStore } from './store/kysely-deployment-store.ts';
import { KyselyPipelineStore } from './store/kysely-pipeline-store.ts';
import { BuildsJobHandler } from './jobs-http/builds-job-handler.ts';
import { BuildLogEvents } from './console-http/build-log-events.ts';
import { JobsDoor } from './jobs-http/jobs-door.ts';
import { loadRunnerToken } from './jobs-http/runner-token.ts';
import { runnerGitSource } from './jobs-http/runner-git-source.ts';
import { startEmbeddedRunner } from './runner/embedded-runner.ts';
import { GitAuthenticator } from './git-http/git-authenticator.ts';
import { GitHttpDoor } from './git-http/git-http-door.ts';
import { FetchWebhookSender } from './source/fetch-webhook-sender.ts';
import { GitCli } from './source/git/git-cli.ts';
import { TriggerDeliveryWorker } from './source/trigger-delivery-worker.ts';
import { KyselyRepositoryStore } from './store/kysely-repository-store.ts';
import { KyselyObjectMetadataStore } from './store/kysely-object-metadata-store.ts';
import { ArtifactStore } from './objects/artifact-store.ts';
import { DigestWorkers } from './objects/digest-workers.ts';
import { hashBody, md5Hex } from './objects/hashing.ts';
import { openBlobStore } from './objects/open-blob-store.ts';
import { S3Authenticator } from './s3/s3-auth.ts';
import { S3Door } from './s3/s3-door.ts';
import { KyselyServiceCredentialStore } from './store/kysely-service-credential-store.ts';
import { KyselyBuildStore } from './store/kysely-build-store.ts';
import { KyselyLogStore } from './store/kysely-log-store.ts';
import { KyselyProjectStore } from './store/kysely-project-store.ts';
import { KyselyReportStore } from './store/kysely-report-store.ts';

export interface RunningServer {
  /** `http://host:port` as clients should use it. */
  readonly url: string;
  readonly port: number;
  readonly files: CredentialsFiles;
  readonly accountId: string;
  /** The durable event bus, for in-process subscribers (tests, benchmarks, embedders). */
  readonly events: EventLog;
  /** Artifacts as streams and presigned URLs, for in-process components. */
  readonly artifacts: ArtifactStore;
  /** Stops accepting, lets in-flight requests finish, then closes the store. */
  close(): Promise<void>;
}

export const defaultRegion = 'us-east-1';

/** The JSON services with an operation table of their own; the catalog answers for the rest. */
const implementedJsonServices = new Set([
  'codecommit',
  'codebuild',
  'logs',
  'codepipeline',
  'codedeploy',
]);

const systemRandom: Random = { bytes: (n) => randomBytes(n), uuid: () => randomUUID() };

/** The composition root: the only place that constructs adapters and wires them together. */
export async function startServer(
  config: ServerConfig,
  log: Logger,
  clock: Clock = systemClock,
): Promise<RunningServer> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const secrets = new AesSecretBox(await loadSecretsKey(config.secrets.key, config.dataDir));
  // What has been opened so far, closed in reverse order on shutdown or a failed start.
  const opened: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of opened.splice(0).reverse()) {
      await close().catch((error: unknown) => log.error({ err: error }, 'close failed'));
    }
  };
  try {
    const database = await openDatabase(
      { ...config.store, dataDir: config.dataDir },
      log.child({ component: 'store' }),
    );
    opened.push(() => database.close());
    const identity = new IdentityService({
      store: new KyselyIdentityStore(database.db),
      secrets,
      clock,
      random: systemRandom,
    });
    const administrator = await identity.ensureAdministrator();
    if (administrator.created) {
      log.info(
        { accountId: administrator.principal.accountId },
        'created account and administrator',
      );
    }

    const serviceCredentials = new ServiceCredentialService({
      store: new KyselyServiceCredentialStore(database.db),
      secrets,
      clock,
      random: systemRandom,
    });

    const jobs = new KyselyJobQueue({ database, clock, random: systemRandom });

    const git = new GitCli({ root: join(config.dataDir, 'git', 'repositories') });
    const webhooks = new FetchWebhookSender({ timeoutMs: 10_000 });
    const source = new SourceService({
      repositories: new KyselyRepositoryStore({ database, clock, random: systemRandom }),
      git,
      webhooks,
      clock,
      random: systemRandom,
    });
    const triggers = new TriggerDeliveryWorker({
      jobs,
      webhooks,
      workerId: `server-${systemRandom.uuid()}`,
      retryDelaysMs: [1_000, 4_000],
      log: log.child({ component: 'trigger-delivery' }),
    });
    triggers.start();
    opened.push(() => triggers.close());

    const gitDoor = new GitHttpDoor({
      authenticator: new GitAuthenticator({
        identity,
        verifyServiceCredential: (userName, password) =>
          serviceCredentials.verify(userName, password, codecommitServiceName),
        clock,
      }),
      findRepository: async ({ principal, region, name }) => {
        const scope = { accountId: principal.accountId, region };
        const repository = await source.findRepository(scope, name).catch(() => undefined);
        return repository && { id: repository.id, directory: git.directoryOf(repository.id) };
      },
      recordPush: async ({ pushId, repositoryId, pusher, updates }) => {
        await source.recordPush({ pushId, repositoryId, pusher, channel: 'git', updates });
      },
      defaultRegion,
      workDir: join(config.dataDir, 'git', 'door'),
      log: log.child({ component: 'git-http' }),
    });
    await gitDoor.recoverSpool();

    const digestWorkers = new DigestWorkers();
    opened.push(() => digestWorkers.close());
    const blobs = await openBlobStore(config.blobs, config.dataDir);
    opened.push(async () => blobs.close?.());
    const objects = new ObjectsService({
      metadata: new KyselyObjectMetadataStore(database),
      blobs,
      clock,
      random: systemRandom,
      md5: md5Hex,
      hashBody: (body) => hashBody(body, digestWorkers),
      onBlobDeleteFailed: (blobKey, error) =>
        log.warn({ err: error, blobKey }, 'could not delete an unused blob'),
    });
    const s3 = new S3Door({
      objects,
      authenticator: new S3Authenticator({ identity, clock }),
      serviceHosts: s3Hosts(config),
      defaultRegion,
      log: log.child({ component: 's3' }),
      digestWorkers,
    });

    const builds = new BuildsService({
      projects: new KyselyProjectStore(database),
      builds: new KyselyBuildStore({ database, clock, random: systemRandom }),
      reports: new KyselyReportStore(database),
      logs: new KyselyLogStore(database),
      jobs,
      clock,
      random: systemRandom,
    });
    const pipelines = new PipelinesService({
      store: new KyselyPipelineStore({ database, clock, random: systemRandom }),
      customActionTypes: new KyselyCustomActionTypeStore(database),
      jobs,
      providers: defaultActionProviders(),
      pushedFiles: new GitPushedFiles({ directoryOf: (id) => git.directoryOf(id) }),
      clock,
      random: systemRandom,
    });
    const runnerToken = await loadRunnerToken(config.dataDir);

    // The clone URL follows the listening port, known only after listen.
    const urls = { baseUrl: '', defaultRegion };
    const artifacts = new ArtifactStore({
      objects,
      scope: { accountId: administrator.principal.accountId, region: defaultRegion },
      signer: {
        accessKeyId: administrator.principal.accessKeyId,
        secretAccessKey: administrator.secretAccessKey,
      },
      baseUrl: () => urls.baseUrl,
      now: () => clock.now(),
      digestWorkers,
    });
    const deployments = new DeploymentsService({
      store: new KyselyDeploymentStore({ database, clock, random: systemRandom }),
      jobs,
      bundles: new ObjectRevisionBundles({ objects, artifacts }),
      clock,
      random: systemRandom,
    });
    const reaper = new LeaseReaper({
      jobs,
      intervalMs: config.jobs.expiryIntervalMs,
      log: log.child({ component: 'lease-reaper' }),
      afterPass: async (changed) => {
        // A build whose runner stopped responding ends FAILED; then timeouts and held builds.
        for (const job of changed) {
          if (!terminalJobStatuses.has(job.status)) continue;
          if (job.queue === buildJobQueue) await builds.failLostBuild(job.id);
          if (isPipelineJobQueue(job.queue)) await pipelines.failLostActionJob(job.id);
          if (isHostCommandQueue(job.queue)) await deployments.hostCommandLost(job.id, job.payload);
        }
        await builds.expireBuilds();
      },
    });
    reaper.start();
    opened.push(() => reaper.close());
    // Commands whose jobs ended while no server was watching (a crash between the two).
    await deployments.resumeUnfinished();
    const deploymentReconciler = new DeploymentReconciler({
      deployments,
      intervalMs: 5_000,
      log: log.child({ component: 'deployments' }),
    });
    deploymentReconciler.start();
    opened.push(() => deploymentReconciler.close());
    const aws = new AwsDoor({
      identity,
      clock,
      services: [
        createStsService(),
        createIamService({ credentials: serviceCredentials, identity }),
        createCodeCommitService({
          source,
          reader: new CommitReader({ git }),
          writer: new CommitWriter({ git, clock, source }),
          urls,
        }),
        createCodeBuildService({ builds }),
        createCodePipelineService({ pipelines }),
        createCodeDeployService({ deployments }),
        createCodeDeployCommandsService({ deployments }),
        createLogsService({ builds }),
        ...createPendingJsonServices().filter((s) => !implementedJsonServices.has(s.signingName)),
      ],
      maxBodyBytes: config.aws.maxBodyBytes,
      log: log.child({ component: 'aws-api' }),
    });
    const jobsDoor = new JobsDoor({
      builds: new BuildsJobHandler({
        builds,
        objects,
        hashBody: (body) => hashBody(body, digestWorkers),
        gitSource: ({ region, repository }) =>
          runnerGitSource({
            baseUrl: urls.baseUrl,
            defaultRegion,
            region,
            repository,
            accessKeyId: administrator.principal.accessKeyId,
            secretAccessKey: administrator.secretAccessKey,
            now: clock.now(),
          }),
        presignGet: (bucket, key) =>
          artifacts.presign({ method: 'GET', bucket, key, expiresSeconds: 3600 }),
      }),
      token: () => runnerToken,
      log: log.child({ component: 'jobs' }),
    });
    const app = buildHttpApp({
      log: log.child({ component: 'http' }),
      aws,
      git: gitDoor,
      s3,
      jobs: jobsDoor,
      console: new BuildLogEvents({
        builds,
        identity,
        now: () => clock.now(),
        log: log.child({ component: 'console' }),
      }),
    });
    opened.push(() => closeHttpApp(app));
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const url = config.publicUrl ?? `http://${clientHost(config.host)}:${port}`;
    urls.baseUrl = url;
    const scratchDir = join(config.dataDir, 'pipelines', 'scratch');
    await mkdir(scratchDir, { recursive: true, mode: 0o700 });
    const actionWorker = new ActionWorker({
      jobs,
      pipelines,
      executors: defaultExecutors({
        objects,
        builds,
        deployments,
        source,
        commits: new CommitReader({ git }),
        directoryOf: (id) => git.directoryOf(id),
        hashBody: (body) => hashBody(body, digestWorkers),
        scratchDir,
      }),
      clock,
      workerId: `server-${systemRandom.uuid()}`,
      log: log.child({ component: 'pipeline-actions' }),
    });
    actionWorker.start();
    opened.push(() => actionWorker.close());
    const reconciler = new PipelineReconciler({
      pipelines,
      now: () => clock.now(),
      log: log.child({ component: 'pipelines' }),
    });
    reconciler.start();
    opened.push(() => reconciler.close());
    const pushTriggers = new PushTriggerConsumer({
      events: new KyselyEventLog(database, clock),
      cursors: new KyselyEventCursors(database),
      handle: (event) => pipelines.handleReferenceUpdated(event),
      log: log.child({ component: 'pipeline-triggers' }),
    });
    pushTriggers.start();
    opened.push(() => pushTriggers.close());
    if (config.runner.concurrency > 0) {
      const runner = await startEmbeddedRunner({
        server: `http://${clientHost(config.host)}:${port}`,
        token: runnerToken,
        dataDir: config.dataDir,
        concurrency: config.runner.concurrency,
        isolation: config.runner.isolation,
        log: log.child({ component: 'runner' }),
      });
      // Closed before the HTTP app (registered after it): running builds end with the server.
      if (runner !== undefined) opened.push(() => runner.stop(0));
    }
    if (config.localAgents > 0) {
      const agents = await startLocalAgents({
        count: config.localAgents,
        dataDir: config.dataDir,
        serverUrl: url,
        scope: { accountId: administrator.principal.accountId, region: defaultRegion },
        identity,
        deployments,
        log: log.child({ component: 'local-agents' }),
      });
      opened.push(() => agents.stop());
    }
    const files = await writeCredentialsFiles({
      dataDir: config.dataDir,
      accessKeyId: administrator.principal.accessKeyId,
      secretAccessKey: administrator.secretAccessKey,
      endpointUrl: url,
      region: defaultRegion,
    });
    return {
      url,
      port,
      files,
      accountId: administrator.principal.accountId,
      events: new KyselyEventLog(database, clock),
      artifacts,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/**
 * Host names under which `<bucket>.<host>` is a virtual-hosted S3 request: `localhost` (any
 * `*.localhost` name resolves to this machine) and the public URL's host when it is a name.
 */
function s3Hosts(config: ServerConfig): string[] {
  const hosts = ['localhost'];
  if (config.publicUrl !== undefined) {
    const { hostname } = new URL(config.publicUrl);
    if (!/^[\d.]+$/.test(hostname) && !hostname.includes(':')) hosts.push(hostname);
  }
  return hosts;
}

/** Queues whose jobs run pipeline actions: the server's executors and custom job workers. */
function isPipelineJobQueue(queue: string): boolean {
  return queue === pipelineActionQueue || queue.startsWith('codepipeline-job:');
}

/** The address a client on this machine should dial for a listen address. */
function clientHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
