import {
  AppError,
  AppErrorKind,
  type Build,
  type BuildsService,
  type ClaimedBuild,
  type EnvironmentVariable,
  type ObjectsService,
  type ProjectArtifacts,
  type ProjectSource,
} from '@slipway/core';
import type {
  ArtifactUploadResponse,
  BuildCompleteRequest,
  BuildJobSpec,
  ClaimResponse,
  HeartbeatResponse,
  JobArtifact,
  JobSource,
  JobVariable,
  LogAppendRequest,
  PhaseUpdateRequest,
} from '@slipway/protocol';
import type { HashedBody } from '@slipway/core';
import type { ParsedTestCase } from '@slipway/buildspec';
import type { ArtifactUpload, BuildJobHandler } from './build-job-handler.ts';

export interface BuildsJobHandlerDeps {
  readonly builds: BuildsService;
  readonly objects: ObjectsService;
  readonly hashBody: (body: AsyncIterable<Uint8Array>) => HashedBody;
  /** A clone URL of this server for a repository, with credentials valid for a while. */
  readonly gitSource: (input: { readonly region: string; readonly repository: string }) => {
    readonly url: string;
    readonly username: string;
    readonly password: string;
  };
  /** A presigned GET URL for an object (S3 sources). */
  readonly presignGet: (bucket: string, key: string) => string;
  readonly leaseMs?: number;
}

/** Heartbeats every third of it: a dead runner is noticed about 15 s after its last one. */
const defaultLeaseMs = 15_000;

/**
 * The job protocol's build calls over BuildsService: a claim becomes a BuildJobSpec with
 * everything resolved (sources as a git URL with credentials or a presigned zip URL), artifacts
 * are stored where the project says (the runner holds no S3 credentials), and every other call
 * names the build and its lease. The protocol's job id is the build id.
 */
export class BuildsJobHandler implements BuildJobHandler {
  readonly #deps: BuildsJobHandlerDeps;

  constructor(deps: BuildsJobHandlerDeps) {
    this.#deps = deps;
  }

  async claim(
    workerId: string,
    waitMs: number,
    signal: AbortSignal,
  ): Promise<ClaimResponse<BuildJobSpec> | undefined> {
    const deadline = Date.now() + waitMs;
    const leaseMs = this.#deps.leaseMs ?? defaultLeaseMs;
    for (;;) {
      // Subscribed before claiming, so a build queued in between still wakes this claim.
      let wake: () => void = () => undefined;
      const woken = new Promise<void>((resolve) => (wake = resolve));
      const unwatch = this.#deps.builds.watchClaimable(() => wake());
      try {
        const claimed = await this.#deps.builds.claimBuild({ workerId, leaseMs });
        if (claimed !== undefined) return this.#toClaim(claimed);
        const left = deadline - Date.now();
        if (left <= 0 || signal.aborted) return undefined;
        await Promise.race([
          woken,
          new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, left);
            signal.addEventListener('abort', () => {
              clearTimeout(timer);
              resolve();
            });
          }),
        ]);
      } finally {
        unwatch();
      }
    }
  }

  async heartbeat(jobId: string, leaseId: string): Promise<HeartbeatResponse> {
    const beat = await this.#deps.builds.heartbeat({
      buildId: jobId,
      leaseId,
      leaseMs: this.#deps.leaseMs ?? defaultLeaseMs,
    });
    return { expiresAt: beat.expiresAt, cancelRequested: beat.cancelRequested };
  }

  async appendLogs(jobId: string, request: LogAppendRequest): Promise<void> {
    await this.#deps.builds.appendLogs({
      buildId: jobId,
      leaseId: request.leaseId,
      sequence: request.sequence,
      events: request.events,
    });
  }

  async updatePhase(jobId: string, request: PhaseUpdateRequest): Promise<void> {
    await this.#deps.builds.recordPhase({
      buildId: jobId,
      leaseId: request.leaseId,
      phaseType: request.phaseType,
      phaseStatus: request.phaseStatus,
      contexts: request.contexts,
      startTime: request.startTime,
      endTime: request.endTime,
    });
  }

  async storeArtifact(
    jobId: string,
    upload: ArtifactUpload,
    body: AsyncIterable<Uint8Array>,
  ): Promise<ArtifactUploadResponse> {
    const build = await this.#deps.builds.leasedBuild({ buildId: jobId, leaseId: upload.leaseId });
    const settings =
      upload.identifier === undefined
        ? build.settings.artifacts
        : build.settings.secondaryArtifacts.find(
            (artifact) => artifact.artifactIdentifier === upload.identifier,
          );
    if (settings === undefined || settings.type !== 'S3' || settings.location === undefined) {
      throw new AppError(
        AppErrorKind.InvalidInput,
        `The project has no S3 artifact ${upload.identifier ?? '(primary)'}`,
      );
    }
    const bucket = settings.location;
    const folder = artifactKey(build, settings, upload.name);
    const location = `arn:aws:s3:::${bucket}/${folder}`;
    if (upload.packaging === 'NONE' && upload.path === undefined) return { location };
    const key =
      upload.packaging === 'NONE' ? `${folder}/${safeRelative(upload.path ?? '')}` : folder;
    const hashed = this.#deps.hashBody(body);
    await this.#deps.objects.putObject({
      scope: { accountId: build.accountId, region: build.region },
      bucket,
      key,
      body: hashed.body,
      describe: hashed.describe,
      contentType: upload.packaging === 'ZIP' ? 'application/zip' : undefined,
      // As CodeBuild marks its uploads.
      metadata: { 'codebuild-buildarn': build.arn },
    });
    return { location };
  }

  async complete(jobId: string, request: BuildCompleteRequest): Promise<void> {
    const [primary, ...secondary] = [
      ...request.artifacts.filter((a) => a.identifier === undefined),
      ...request.artifacts.filter((a) => a.identifier !== undefined),
    ];
    await this.#deps.builds.completeBuild({
      buildId: jobId,
      leaseId: request.leaseId,
      outcome: {
        buildStatus: request.buildStatus,
        resolvedSourceVersion: request.resolvedSourceVersion,
        exportedEnvironmentVariables: request.exportedEnvironmentVariables,
        ...(primary === undefined || primary.identifier !== undefined
          ? {}
          : { artifacts: artifactResult(primary) }),
        secondaryArtifacts: [primary, ...secondary]
          .filter((a) => a?.identifier !== undefined)
          .map((a) => artifactResult(a as (typeof request.artifacts)[number])),
        reports: request.reports.map((report) => ({
          reportGroup: report.reportGroup,
          // Checked by the service, case by case (sizes, statuses, counts).
          testCases: report.testCases as unknown as ParsedTestCase[],
          summary: report.summary,
          truncated: report.truncated,
          ...(report.status === 'INCOMPLETE' ? { status: 'INCOMPLETE' as const } : {}),
        })),
      },
    });
  }

  #toClaim(claimed: ClaimedBuild): ClaimResponse<BuildJobSpec> {
    const { build } = claimed;
    const artifact = toJobArtifact(build.settings.artifacts);
    return {
      kind: 'build',
      lease: {
        jobId: build.id,
        leaseId: claimed.lease.leaseId,
        expiresAt: claimed.lease.expiresAt,
      },
      spec: {
        buildId: build.id,
        buildArn: build.arn,
        buildNumber: build.buildNumber,
        projectName: build.projectName,
        projectArn: build.settings.projectArn,
        region: build.region,
        accountId: build.accountId,
        initiator: build.initiator,
        startTime: build.startTime,
        deadline: claimed.deadline,
        image: build.environment.image,
        buildspec: buildspecOf(claimed.buildspec),
        environment: {
          project: claimed.environmentVariables.project.map(toJobVariable),
          override: claimed.environmentVariables.override.map(toJobVariable),
        },
        network: claimed.network !== 'none',
        source: this.#toJobSource(build, build.source, build.sourceVersion),
        secondarySources: build.secondarySources.map((source) => ({
          sourceIdentifier: source.sourceIdentifier ?? '',
          source: this.#toJobSource(
            build,
            source,
            build.secondarySourceVersions.find(
              (v) => v.sourceIdentifier === source.sourceIdentifier,
            )?.sourceVersion,
          ),
        })),
        ...(build.sourceVersion === undefined ? {} : { sourceVersion: build.sourceVersion }),
        ...(build.source.location === undefined ? {} : { sourceRepoUrl: build.source.location }),
        ...(artifact === undefined ? {} : { artifact }),
        secondaryArtifacts: build.settings.secondaryArtifacts
          .map(toJobArtifact)
          .filter((a) => a !== undefined),
        localCache: build.cache.type === 'LOCAL',
        logStream: claimed.logs?.streamName ?? build.id.slice(build.id.lastIndexOf(':') + 1),
      },
    };
  }

  #toJobSource(build: Build, source: ProjectSource, version: string | undefined): JobSource {
    switch (source.type) {
      case 'CODECOMMIT': {
        const repository = /\/v1\/repos\/([^/?#]+)/.exec(source.location ?? '')?.[1];
        if (repository === undefined) return { kind: 'none' };
        const git = this.#deps.gitSource({ region: build.region, repository });
        return {
          kind: 'git',
          ...git,
          ...(version === undefined ? {} : { version }),
          depth: source.gitCloneDepth ?? 0,
        };
      }
      case 'S3':
      case 'CODEPIPELINE': {
        const location = source.location ?? '';
        const slash = location.indexOf('/');
        if (slash <= 0) return { kind: 'none' };
        const url = this.#deps.presignGet(location.slice(0, slash), location.slice(slash + 1));
        return { kind: 'zip', url, ...(version === undefined ? {} : { version }) };
      }
      case 'NO_SOURCE':
      case 'BITBUCKET':
      case 'GITHUB':
      case 'GITHUB_ENTERPRISE':
      case 'GITLAB':
      case 'GITLAB_SELF_MANAGED':
        // The service refuses the hosted providers when a project is created.
        return { kind: 'none' };
    }
  }
}

/** CodeBuild's layout: `<path>/<build uuid if BUILD_ID>/<name>`. */
function artifactKey(build: Build, settings: ProjectArtifacts, name: string): string {
  const namespace =
    settings.namespaceType === 'BUILD_ID' ? build.id.slice(build.id.lastIndexOf(':') + 1) : '';
  return [settings.path ?? '', namespace, safeRelative(name)]
    .flatMap((part) => part.split('/'))
    .filter((part) => part !== '')
    .join('/');
}

/** A runner-given relative path, checked: no `..`, no empty or absolute segments. */
function safeRelative(path: string): string {
  const parts = path.split('/');
  if (path === '' || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\0'))) {
    throw new AppError(AppErrorKind.InvalidInput, `Invalid artifact path ${JSON.stringify(path)}`);
  }
  return path;
}

function buildspecOf(buildspec: string | undefined): BuildJobSpec['buildspec'] {
  if (buildspec === undefined || buildspec.trim() === '') {
    return { kind: 'file', path: 'buildspec.yml' };
  }
  // CodeBuild's rule: YAML when it spans lines (or is a mapping), a path otherwise.
  return buildspec.includes('\n') || /^\s*version\s*:/.test(buildspec)
    ? { kind: 'inline', text: buildspec }
    : { kind: 'file', path: buildspec };
}

function toJobVariable(variable: EnvironmentVariable): JobVariable {
  return { name: variable.name, value: variable.value, type: variable.type ?? 'PLAINTEXT' };
}

function toJobArtifact(artifacts: ProjectArtifacts): JobArtifact | undefined {
  if (artifacts.type === 'NO_ARTIFACTS') return undefined;
  return {
    ...(artifacts.artifactIdentifier === undefined
      ? {}
      : { identifier: artifacts.artifactIdentifier }),
    packaging: artifacts.packaging === 'ZIP' ? 'ZIP' : 'NONE',
    name: artifacts.name ?? 'artifacts',
    ...(artifacts.overrideArtifactName === undefined
      ? {}
      : { overrideArtifactName: artifacts.overrideArtifactName }),
  };
}

function artifactResult(artifact: BuildCompleteRequest['artifacts'][number]) {
  return {
    ...(artifact.identifier === undefined ? {} : { artifactIdentifier: artifact.identifier }),
    location: artifact.location,
    md5sum: artifact.md5sum,
    sha256sum: artifact.sha256sum,
  };
}
