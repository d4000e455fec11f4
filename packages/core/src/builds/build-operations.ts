import { AppErrorKind, isAppError } from '../errors/app-error.ts';
import type { Scope } from '../source/source.deps.ts';
import { buildArn, buildIdOf, BuildDispatch, type Build } from './build.model.ts';
import { endedBuild, stoppedEnding } from './build-ending.ts';
import {
  applyOverrides,
  newBuild,
  requestFingerprint,
  type BuildSpecifics,
  type StartBuildInput,
} from './build-request.ts';
import {
  changeBuild,
  findScopedBuild,
  inScope,
  moved,
  requireBuild,
  requireProject,
  type BuildsContext,
} from './builds.context.ts';
import { idempotencyWindowMs } from './builds.deps.ts';
import { buildsError, BuildsSubject, invalidBuildsInput } from './builds.errors.ts';
import type { CreateBuildResult, IdempotencyRecord } from './builds.ports.ts';
import { decodePageToken, encodePageToken, isSeqCursor, pageOf, SortOrderType } from './paging.ts';
import { checkBatchSize, checkSortOrder, codeBuildPageSize } from './projects.ts';
import { projectNameOf, type Project } from './project.model.ts';

export interface RetryBuildInput {
  readonly id: string;
  readonly idempotencyToken?: string | undefined;
  readonly initiator: string;
}

export interface ListBuildsInput {
  /** DESCENDING (newest first, the default) or ASCENDING. */
  readonly sortOrder?: string | undefined;
  readonly nextToken?: string | undefined;
}

export interface ListBuildsOutput {
  readonly ids: string[];
  readonly nextToken: string | undefined;
}

export interface BatchGetBuildsOutput {
  readonly builds: Build[];
  readonly buildsNotFound: string[];
}

export interface BuildNotDeleted {
  /** The build's ARN, as CodeBuild answers (or the id as given when there is no such build). */
  readonly id: string;
  /** BUILD_IN_PROGRESS, as CodeBuild documents; BUILD_NOT_FOUND is Slipway's guess. */
  readonly statusCode: 'BUILD_IN_PROGRESS' | 'BUILD_NOT_FOUND';
}

export interface BatchDeleteBuildsOutput {
  /** ARNs, as in CodeBuild's documented example. */
  readonly buildsDeleted: string[];
  readonly buildsNotDeleted: BuildNotDeleted[];
}

const maxTokenLength = 1024;

/** StartBuild, RetryBuild, StopBuild, BatchGetBuilds, ListBuilds*, BatchDeleteBuilds. */
export class BuildOperations {
  readonly #context: BuildsContext;

  constructor(context: BuildsContext) {
    this.#context = context;
  }

  /**
   * Creates the build (SUBMITTED done, QUEUED in progress) and, when its project has a free
   * slot, its job, in one transaction; over the limit it is held until a slot frees.
   * CodeBuild itself refuses StartBuild when a project is at its concurrentBuildLimit ("builds
   * return an error", builds-working docs); Slipway queues instead, which is what teams using
   * the limit as a mutex want, and refuses (AccountLimitExceeded) only once five times the
   * limit are waiting, the ratio CodeBuild documents for its own queue.
   */
  async startBuild(scope: Scope, input: StartBuildInput): Promise<Build> {
    const name = projectNameOf(scope, input.projectName);
    if (name === undefined) {
      throw invalidBuildsInput(
        BuildsSubject.BuildInput,
        `${input.projectName} is not a project of this account`,
      );
    }
    const project = await requireProject(this.#context, scope, name);
    const specifics = applyOverrides(project, input);
    // The initiator is who asks, not what is asked: a replay by someone else is the same request.
    const request = { ...input, idempotencyToken: undefined, initiator: undefined };
    return this.#create(scope, project, specifics, input.initiator, {
      token: input.idempotencyToken,
      fingerprint: requestFingerprint('StartBuild', request),
    });
  }

  /** A new build with the old one's settings, overrides included, as they were. */
  async retryBuild(scope: Scope, input: RetryBuildInput): Promise<Build> {
    const old = await requireBuild(this.#context, scope, input.id);
    const project = await requireProject(this.#context, scope, old.projectName);
    const specifics: BuildSpecifics = {
      source: old.source,
      secondarySources: old.secondarySources,
      // The same version as asked for, not the commit it resolved to: CodeBuild's docs do not
      // say which a retry builds; asking again is what "retry" means for a branch.
      sourceVersion: old.sourceVersion,
      secondarySourceVersions: old.secondarySourceVersions,
      artifacts: old.settings.artifacts,
      secondaryArtifacts: old.settings.secondaryArtifacts,
      cache: old.cache,
      environment: old.environment,
      serviceRole: old.serviceRole,
      timeoutInMinutes: old.timeoutInMinutes,
      queuedTimeoutInMinutes: old.queuedTimeoutInMinutes,
      encryptionKey: old.encryptionKey,
      logsConfig: old.settings.logsConfig,
      projectEnvironmentVariables: old.settings.projectEnvironmentVariables,
      environmentVariablesOverride: old.settings.environmentVariablesOverride,
      network: old.settings.network,
    };
    return this.#create(scope, project, specifics, input.initiator, {
      token: input.idempotencyToken,
      fingerprint: requestFingerprint('RetryBuild', { id: old.id }),
    });
  }

  /**
   * A queued or held build stops at once (QUEUED STOPPED); a running one is asked to stop (the
   * runner sees it on its next heartbeat, stops and reports STOPPED) and is returned still in
   * progress. A finished build is returned unchanged: CodeBuild's docs do not say what it
   * does then (one third-party report says it errors); unchanged is the idempotent choice.
   * CodeBuild's documented example answer shows the build already STOPPED: a door that wants
   * that can wait briefly on `watchBuilds` for the runner's report.
   */
  async stopBuild(scope: Scope, idOrArn: string): Promise<Build> {
    const { id } = await requireBuild(this.#context, scope, idOrArn);
    const { builds, clock } = this.#context.deps;
    return changeBuild(this.#context, id, async (build) => {
      if (build.buildComplete) return build;
      const { jobId } = build.run;
      if (build.run.dispatch !== BuildDispatch.Running) {
        const ended = endedBuild(build, stoppedEnding(), clock.now());
        const finished = await builds.finish({ build: ended, reports: [] });
        if (finished === undefined) return moved;
        if (jobId !== undefined) await this.#cancelJob(jobId);
        return finished.build;
      }
      let current = build;
      if (!build.run.stopRequested) {
        const updated = await builds.update({
          ...build,
          run: { ...build.run, stopRequested: true },
        });
        if (updated === undefined) return moved;
        current = updated;
      }
      if (jobId !== undefined) await this.#cancelJob(jobId);
      return current;
    });
  }

  /** Ids or build ARNs, 1 to 100, answered in the order asked. */
  async batchGetBuilds(scope: Scope, ids: readonly string[]): Promise<BatchGetBuildsOutput> {
    checkBatchSize(ids, 'ids');
    const wanted = ids.map((id) => buildIdOf(scope, id));
    const found = await this.#context.deps.builds.findMany(
      wanted.filter((id): id is string => id !== undefined),
    );
    const byId = new Map(found.filter((b) => inScope(b, scope)).map((b) => [b.id, b]));
    const builds: Build[] = [];
    const buildsNotFound: string[] = [];
    ids.forEach((asked, i) => {
      const build = byId.get(wanted[i] ?? '');
      if (build === undefined) buildsNotFound.push(asked);
      else builds.push(build);
    });
    return { builds, buildsNotFound };
  }

  findBuild(scope: Scope, idOrArn: string): Promise<Build | undefined> {
    return findScopedBuild(this.#context, scope, idOrArn);
  }

  getBuild(scope: Scope, idOrArn: string): Promise<Build> {
    return requireBuild(this.#context, scope, idOrArn);
  }

  listBuilds(scope: Scope, input: ListBuildsInput = {}): Promise<ListBuildsOutput> {
    return this.#list(scope, undefined, input);
  }

  /** ResourceNotFound (`project`) for an unknown project, as CodeBuild answers. */
  async listBuildsForProject(
    scope: Scope,
    projectName: string,
    input: ListBuildsInput = {},
  ): Promise<ListBuildsOutput> {
    const name = projectNameOf(scope, projectName) ?? projectName;
    await requireProject(this.#context, scope, name);
    return this.#list(scope, name, input);
  }

  /** Only finished builds are deleted; the others are answered BUILD_IN_PROGRESS. */
  async batchDeleteBuilds(scope: Scope, ids: readonly string[]): Promise<BatchDeleteBuildsOutput> {
    checkBatchSize(ids, 'ids');
    const buildsNotDeleted: BuildNotDeleted[] = [];
    const candidates: Build[] = [];
    for (const asked of ids) {
      const build = await findScopedBuild(this.#context, scope, asked);
      if (build === undefined) buildsNotDeleted.push({ id: asked, statusCode: 'BUILD_NOT_FOUND' });
      else candidates.push(build);
    }
    const deleted = new Set(await this.#context.deps.builds.delete(candidates.map((b) => b.id)));
    for (const build of candidates) {
      if (!deleted.has(build.id)) {
        buildsNotDeleted.push({ id: build.arn, statusCode: 'BUILD_IN_PROGRESS' });
      }
    }
    return {
      buildsDeleted: candidates.filter((b) => deleted.has(b.id)).map((b) => buildArn(scope, b.id)),
      buildsNotDeleted,
    };
  }

  async #list(
    scope: Scope,
    projectName: string | undefined,
    input: ListBuildsInput,
  ): Promise<ListBuildsOutput> {
    const sortOrder = input.sortOrder ?? SortOrderType.Descending;
    checkSortOrder(sortOrder);
    const after = decodePageToken(input.nextToken, isSeqCursor)?.after;
    const listed = await this.#context.deps.builds.list({
      ...scope,
      projectName,
      sortOrder,
      after,
      limit: codeBuildPageSize + 1,
    });
    const { page, more } = pageOf(listed, codeBuildPageSize);
    const last = page.at(-1);
    return {
      ids: page.map((b) => b.id),
      nextToken: more && last !== undefined ? encodePageToken({ after: last.seq }) : undefined,
    };
  }

  async #create(
    scope: Scope,
    project: Project,
    specifics: BuildSpecifics,
    initiator: string,
    idempotency: { token: string | undefined; fingerprint: string },
  ): Promise<Build> {
    if (typeof initiator !== 'string' || initiator === '' || initiator.length > 1024) {
      throw invalidBuildsInput(BuildsSubject.BuildInput, 'initiator must be 1 to 1024 characters');
    }
    const { builds, clock, random } = this.#context.deps;
    const now = clock.now();
    const record = idempotencyRecord(idempotency.token, idempotency.fingerprint, now);
    const build = newBuild({ scope, project, specifics, uuid: random.uuid(), initiator, now });
    const result = await builds.create({
      build,
      idempotency: record,
      maxHeldPerSlot: this.#context.options.maxHeldBuildsPerSlot,
    });
    return createdBuild(result, project.name);
  }

  async #cancelJob(jobId: string): Promise<void> {
    try {
      await this.#context.deps.jobs.requestCancel(jobId);
    } catch (error) {
      // A job that is gone needs no cancelling.
      if (!isAppError(error) || error.kind !== AppErrorKind.NotFound) throw error;
    }
  }
}

function idempotencyRecord(
  token: string | undefined,
  fingerprint: string,
  now: number,
): IdempotencyRecord | undefined {
  if (token === undefined) return undefined;
  if (token.length < 1 || token.length > maxTokenLength) {
    throw invalidBuildsInput(
      BuildsSubject.IdempotencyToken,
      `idempotencyToken must be 1 to ${maxTokenLength} characters`,
    );
  }
  return { token, fingerprint, validSince: now - idempotencyWindowMs };
}

function createdBuild(result: CreateBuildResult, projectName: string): Build {
  switch (result.kind) {
    case 'created':
    case 'replayed':
      return result.build;
    case 'project-missing':
      throw buildsError(
        AppErrorKind.NotFound,
        BuildsSubject.Project,
        `Project cannot be found: ${projectName}`,
      );
    case 'token-mismatch':
      // CodeBuild: "If you repeat the StartBuild request with the same token, but change a
      // parameter, CodeBuild returns a parameter mismatch error" (an InvalidInputException).
      throw invalidBuildsInput(
        BuildsSubject.IdempotencyToken,
        'Idempotency token was used with different parameters within the last 5 minutes',
      );
    case 'queue-full':
      throw buildsError(
        AppErrorKind.LimitExceeded,
        BuildsSubject.BuildQueue,
        `Cannot have more than ${result.held} builds in queue for the project ${projectName} ` +
          `(five times its concurrentBuildLimit of ${result.limit})`,
      );
  }
}
