import {
  BuildDispatch,
  buildJobQueue,
  JobStatus,
  type Build,
  type BuildListing,
  type BuildStore,
  type CreateBuild,
  type CreateBuildResult,
  type DueBuildsQuery,
  type FinishBuild,
  type FinishedBuild,
  type ListBuildsQuery,
  type ProjectKey,
  type Random,
} from '@slipway/core';
import { copyOf } from './in-memory-builds-support.ts';
import type { InMemoryJobQueue } from './in-memory-job-queue.ts';
import type { InMemoryProjectStore } from './in-memory-project-store.ts';
import type { InMemoryReportStore } from './in-memory-report-store.ts';
import { settle } from './settle.ts';

export interface InMemoryBuildStoreDeps {
  /** Where build numbers and concurrency limits come from. */
  readonly projects: InMemoryProjectStore;
  /** Where `finish` records reports. */
  readonly reports: InMemoryReportStore;
  /** Where dispatched builds' jobs go. */
  readonly jobs: InMemoryJobQueue;
  /** Job ids. */
  readonly random: Random;
}

interface StoredBuild {
  readonly build: Build;
  readonly seq: number;
}

interface StoredToken {
  readonly fingerprint: string;
  readonly buildId: string;
  readonly createdAt: number;
}

/**
 * Builds in a Map, with the semantics of `KyselyBuildStore`; the contract suite holds both.
 * Each write runs to completion before its first await, as the SQL stores' transactions do:
 * the in-memory job queue, project and report stores it writes through change synchronously.
 */
export class InMemoryBuildStore implements BuildStore {
  readonly #deps: InMemoryBuildStoreDeps;
  readonly #builds = new Map<string, StoredBuild>();
  readonly #tokens = new Map<string, StoredToken>();
  readonly #listeners = new Set<(buildId: string) => void>();
  #lastSeq = 0;

  constructor(deps: InMemoryBuildStoreDeps) {
    this.#deps = deps;
  }

  async create(input: CreateBuild): Promise<CreateBuildResult> {
    const { build, idempotency } = input;
    const project = this.#deps.projects.peek(build.accountId, build.region, build.projectName);
    if (project === undefined) return { kind: 'project-missing' };
    const tokenKey =
      idempotency === undefined
        ? undefined
        : `${build.accountId}\n${build.region}\n${idempotency.token}`;
    if (idempotency !== undefined && tokenKey !== undefined) {
      const recorded = this.#tokens.get(tokenKey);
      if (recorded !== undefined && recorded.createdAt >= idempotency.validSince) {
        if (recorded.fingerprint !== idempotency.fingerprint) return { kind: 'token-mismatch' };
        const replayed = this.#builds.get(recorded.buildId);
        if (replayed !== undefined) return { kind: 'replayed', build: copyOf(replayed.build) };
      }
    }
    const limit = project.concurrentBuildLimit;
    const siblings = this.#projectBuilds(project);
    const held = siblings.filter((b) => b.run.dispatch === BuildDispatch.Held).length;
    const active = siblings.filter(occupiesSlot).length;
    const waits = limit !== undefined && (held > 0 || active >= limit);
    if (waits && limit !== undefined && held >= limit * input.maxHeldPerSlot) {
      return { kind: 'queue-full', limit, held };
    }
    const buildNumber =
      this.#deps.projects.takeBuildNumber(build.accountId, build.region, build.projectName) ?? 0;
    const created: Build = {
      ...build,
      buildNumber,
      run: { ...build.run, dispatch: BuildDispatch.Held, jobId: undefined },
      version: 1,
    };
    this.#builds.set(created.id, { build: copyOf(created), seq: ++this.#lastSeq });
    if (idempotency !== undefined && tokenKey !== undefined) {
      this.#tokens.set(tokenKey, {
        fingerprint: idempotency.fingerprint,
        buildId: created.id,
        createdAt: build.startTime,
      });
    }
    // New builds queue behind held ones: it is held, then the oldest held get the free slots.
    const { released, enqueued } = this.#release(keyOf(created));
    await Promise.all(enqueued);
    this.#notify([created.id, ...released.map((b) => b.id)]);
    return { kind: 'created', build: this.#copy(created.id) ?? created };
  }

  find(id: string): Promise<Build | undefined> {
    return settle(() => this.#copy(id));
  }

  findByJob(jobId: string): Promise<Build | undefined> {
    return settle(() => {
      for (const { build } of this.#builds.values()) {
        if (build.run.jobId === jobId) return copyOf(build);
      }
      return undefined;
    });
  }

  findMany(ids: readonly string[]): Promise<Build[]> {
    return settle(() =>
      [...new Set(ids)].flatMap((id) => {
        const build = this.#copy(id);
        return build === undefined ? [] : [build];
      }),
    );
  }

  list(query: ListBuildsQuery): Promise<BuildListing[]> {
    return settle(() => {
      const sign = query.sortOrder === 'ASCENDING' ? 1 : -1;
      const { after } = query;
      return [...this.#builds.values()]
        .filter(
          ({ build }) =>
            build.accountId === query.accountId &&
            build.region === query.region &&
            (query.projectName === undefined || build.projectName === query.projectName),
        )
        .filter(({ seq }) => after === undefined || sign * (seq - after) > 0)
        .sort((a, b) => sign * (a.seq - b.seq))
        .slice(0, Math.max(0, query.limit))
        .map(({ build, seq }) => ({ id: build.id, seq }));
    });
  }

  update(build: Build): Promise<Build | undefined> {
    return settle(() => {
      const stored = this.#builds.get(build.id);
      if (stored?.build.version !== build.version) return undefined;
      const next = { ...build, version: build.version + 1 };
      this.#builds.set(build.id, { build: copyOf(next), seq: stored.seq });
      this.#notify([build.id]);
      return copyOf(next);
    });
  }

  async finish(input: FinishBuild): Promise<FinishedBuild | undefined> {
    const { build } = input;
    const stored = this.#builds.get(build.id);
    if (stored?.build.version !== build.version) return undefined;
    const next = { ...build, version: build.version + 1 };
    this.#builds.set(build.id, { build: copyOf(next), seq: stored.seq });
    this.#deps.reports.record(input.reports);
    const { released, enqueued } = this.#release(keyOf(build));
    await Promise.all(enqueued);
    this.#notify([build.id, ...released.map((b) => b.id)]);
    return { build: copyOf(next), released };
  }

  async releaseHeld(project: ProjectKey): Promise<Build[]> {
    const { released, enqueued } = this.#release(project);
    await Promise.all(enqueued);
    this.#notify(released.map((b) => b.id));
    return released;
  }

  delete(ids: readonly string[]): Promise<string[]> {
    return settle(() =>
      [...new Set(ids)].filter((id) => {
        const stored = this.#builds.get(id);
        if (stored?.build.buildComplete !== true) return false;
        this.#builds.delete(id);
        return true;
      }),
    );
  }

  listDue(query: DueBuildsQuery): Promise<Build[]> {
    return settle(() =>
      this.#sorted()
        .filter(({ build }) => {
          const { run } = build;
          if (run.dispatch === BuildDispatch.Held || run.dispatch === BuildDispatch.Queued) {
            return run.queuedDeadline <= query.queuedBefore;
          }
          return (
            run.dispatch === BuildDispatch.Running &&
            run.deadline !== undefined &&
            run.deadline <= query.runningBefore
          );
        })
        .slice(0, Math.max(0, query.limit))
        .map(({ build }) => copyOf(build)),
    );
  }

  async listOrphaned(limit: number): Promise<Build[]> {
    const orphaned: Build[] = [];
    for (const { build } of this.#sorted()) {
      if (orphaned.length >= limit) break;
      if (!occupiesSlot(build) || build.run.jobId === undefined) continue;
      const job = await this.#deps.jobs.findJob(build.run.jobId);
      if (job?.status !== JobStatus.Queued && job?.status !== JobStatus.Leased) {
        orphaned.push(copyOf(build));
      }
    }
    return orphaned;
  }

  listReleasable(limit: number): Promise<ProjectKey[]> {
    return settle(() => {
      const projects = new Map<string, ProjectKey>();
      for (const { build } of this.#sorted()) {
        if (build.run.dispatch !== BuildDispatch.Held) continue;
        const key = keyOf(build);
        const text = `${key.accountId}\n${key.region}\n${key.projectName}`;
        if (projects.has(text) || this.#freeSlots(key) === 0) continue;
        projects.set(text, key);
      }
      return [...projects.values()].slice(0, Math.max(0, limit));
    });
  }

  watch(listener: (buildId: string) => void): () => void {
    const subscription = (buildId: string) => listener(buildId);
    this.#listeners.add(subscription);
    return () => this.#listeners.delete(subscription);
  }

  /** Dispatches the oldest held builds into free slots, synchronously; enqueues their jobs. */
  #release(project: ProjectKey): { released: Build[]; enqueued: Promise<unknown>[] } {
    let free = this.#freeSlots(project);
    const released: Build[] = [];
    const enqueued: Promise<unknown>[] = [];
    const held = this.#sorted().filter(
      ({ build }) => sameProject(build, project) && build.run.dispatch === BuildDispatch.Held,
    );
    for (const { build, seq } of held) {
      if (free <= 0) break;
      free -= 1;
      const jobId = this.#deps.random.uuid();
      enqueued.push(
        this.#deps.jobs.enqueue({
          id: jobId,
          queue: buildJobQueue,
          payload: { buildId: build.id },
          maxAttempts: 1,
        }),
      );
      const dispatched: Build = {
        ...build,
        run: { ...build.run, dispatch: BuildDispatch.Queued, jobId },
        version: build.version + 1,
      };
      this.#builds.set(build.id, { build: copyOf(dispatched), seq });
      released.push(copyOf(dispatched));
    }
    return { released, enqueued };
  }

  /** Infinity without a limit (or without the project: nothing limits a deleted one's builds). */
  #freeSlots(project: ProjectKey): number {
    const limit = this.#deps.projects.peek(
      project.accountId,
      project.region,
      project.projectName,
    )?.concurrentBuildLimit;
    if (limit === undefined) return Infinity;
    const active = [...this.#builds.values()].filter(
      ({ build }) => sameProject(build, project) && occupiesSlot(build),
    ).length;
    return Math.max(0, limit - active);
  }

  #projectBuilds(project: { accountId: string; region: string; name: string }): Build[] {
    return [...this.#builds.values()]
      .map(({ build }) => build)
      .filter(
        (b) =>
          b.accountId === project.accountId &&
          b.region === project.region &&
          b.projectName === project.name,
      );
  }

  #sorted(): StoredBuild[] {
    return [...this.#builds.values()].sort((a, b) => a.seq - b.seq);
  }

  #copy(id: string): Build | undefined {
    const stored = this.#builds.get(id);
    return stored === undefined ? undefined : copyOf(stored.build);
  }

  #notify(buildIds: readonly string[]): void {
    for (const id of buildIds) for (const listener of [...this.#listeners]) listener(id);
  }
}

function occupiesSlot(build: Build): boolean {
  return (
    build.run.dispatch === BuildDispatch.Queued || build.run.dispatch === BuildDispatch.Running
  );
}

function keyOf(build: Build): ProjectKey {
  return { accountId: build.accountId, region: build.region, projectName: build.projectName };
}

function sameProject(build: Build, project: ProjectKey): boolean {
  return (
    build.accountId === project.accountId &&
    build.region === project.region &&
    build.projectName === project.projectName
  );
}
