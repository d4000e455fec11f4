import { AppErrorKind } from '../errors/app-error.ts';
import type { EventRecord, NewEvent } from '../events/event.model.ts';
import type { NewJob } from '../jobs/job.model.ts';
import type { GitRef } from './git.model.ts';
import {
  refNameProblem,
  repositoryArn,
  repositoryNameProblem,
  type Repository,
  type RepositoryTrigger,
} from './repository.model.ts';
import type { ListRepositoriesQuery } from './repository.ports.ts';
import type { Actor, Scope, SourceDeps } from './source.deps.ts';
import { conflict, invalid, notFound, SourceSubject, sourceError } from './source.errors.ts';
import {
  PushChannel,
  ReferenceChange,
  SourceEventType,
  type RefUpdate,
  type ReferenceUpdatedData,
} from './source.events.ts';
import {
  isWebhookDestination,
  triggerDeliveryQueue,
  triggerMatches,
  triggerMessage,
  type TriggerDeliveryPayload,
} from './trigger.model.ts';

export interface CreateRepositoryInput {
  readonly name: string;
  readonly description?: string | undefined;
  readonly tags?: Readonly<Record<string, string>> | undefined;
  readonly kmsKeyId?: string | undefined;
}

/** A ref update as git or an API call reports it, before `forced` is known. */
export interface ReportedRefUpdate {
  readonly ref: string;
  readonly oldCommitId: string | undefined;
  readonly newCommitId: string | undefined;
}

export interface RecordPushInput {
  /** Names the push so that recording it twice (crash recovery) records it once. */
  readonly pushId?: string | undefined;
  readonly repositoryId: string;
  readonly pusher: Actor;
  readonly channel: PushChannel;
  readonly updates: readonly ReportedRefUpdate[];
}

const maxDescriptionLength = 1000;
/** Delivery attempts of one trigger message: lost leases included. */
const deliveryAttempts = 3;

/** Repositories, branches and the push record: the CodeCommit model without its wire shapes. */
export class SourceService {
  readonly #deps: SourceDeps;

  constructor(deps: SourceDeps) {
    this.#deps = deps;
  }

  async createRepository(scope: Scope, input: CreateRepositoryInput): Promise<Repository> {
    checkRepositoryName(input.name);
    checkDescription(input.description);
    const now = this.#deps.clock.now();
    const repository: Repository = {
      id: this.#deps.random.uuid(),
      accountId: scope.accountId,
      region: scope.region,
      name: input.name,
      description: input.description,
      defaultBranch: undefined,
      kmsKeyId: input.kmsKeyId,
      tags: input.tags ?? {},
      triggers: { configurationId: undefined, triggers: [] },
      createdAt: now,
      lastModifiedAt: now,
    };
    // The directory first: a row without one would be a repository nobody can push to.
    await this.#deps.git.create(repository.id, 'main');
    try {
      await this.#deps.repositories.insert(repository);
    } catch (error) {
      await this.#deps.git.remove(repository.id);
      throw error;
    }
    return repository;
  }

  async findRepository(scope: Scope, name: string): Promise<Repository | undefined> {
    checkRepositoryName(name);
    return this.#deps.repositories.findByName(scope.accountId, scope.region, name);
  }

  async getRepository(scope: Scope, name: string): Promise<Repository> {
    const repository = await this.findRepository(scope, name);
    if (repository === undefined) {
      throw notFound(SourceSubject.Repository, `${name} does not exist`);
    }
    return repository;
  }

  /** The repository an ARN names, in the caller's account. */
  async getRepositoryByArn(scope: Scope, arn: string): Promise<Repository> {
    const match = /^arn:aws:codecommit:([^:]+):(\d{12}):(.+)$/.exec(arn);
    if (match === null) throw invalid(SourceSubject.ResourceArn, `${arn} is not a repository ARN`);
    const [, region = '', accountId = '', name = ''] = match;
    if (accountId !== scope.accountId) {
      throw notFound(SourceSubject.Repository, `${name} does not exist`);
    }
    return this.getRepository({ accountId, region }, name);
  }

  listRepositories(query: ListRepositoriesQuery): Promise<Repository[]> {
    return this.#deps.repositories.list(query);
  }

  async renameRepository(scope: Scope, oldName: string, newName: string): Promise<void> {
    checkRepositoryName(newName);
    const repository = await this.getRepository(scope, oldName);
    if (oldName === newName) return;
    await this.#deps.repositories.update(repository.id, {
      name: newName,
      lastModifiedAt: this.#deps.clock.now(),
    });
  }

  async updateDescription(scope: Scope, name: string, description: string | undefined) {
    checkDescription(description);
    const repository = await this.getRepository(scope, name);
    await this.#deps.repositories.update(repository.id, {
      description,
      lastModifiedAt: this.#deps.clock.now(),
    });
  }

  /** The deleted repository's id, or undefined when there was none (not an error, as in AWS). */
  async deleteRepository(scope: Scope, name: string): Promise<string | undefined> {
    const repository = await this.findRepository(scope, name);
    if (repository === undefined) return undefined;
    // The row first: once it is gone nothing resolves to the directory, so removing it is safe.
    if (!(await this.#deps.repositories.delete(repository.id))) return undefined;
    await this.#deps.git.remove(repository.id);
    return repository.id;
  }

  async tagRepository(repository: Repository, tags: Readonly<Record<string, string>>) {
    await this.#deps.repositories.update(repository.id, {
      tags: { ...repository.tags, ...tags },
      lastModifiedAt: repository.lastModifiedAt,
    });
  }

  async untagRepository(repository: Repository, keys: readonly string[]) {
    const tags = Object.fromEntries(
      Object.entries(repository.tags).filter(([key]) => !keys.includes(key)),
    );
    await this.#deps.repositories.update(repository.id, {
      tags,
      lastModifiedAt: repository.lastModifiedAt,
    });
  }

  async listBranches(repository: Repository): Promise<string[]> {
    const refs = await this.#deps.git.listRefs(repository.id);
    return refs.filter(isBranch).map((r) => r.name.slice('refs/heads/'.length));
  }

  async getBranch(repository: Repository, branch: string): Promise<string> {
    checkBranchName(branch);
    const commitId = await this.#branchHead(repository, branch);
    if (commitId === undefined) {
      throw notFound(SourceSubject.Branch, `Branch ${branch} does not exist`);
    }
    return commitId;
  }

  async createBranch(repository: Repository, branch: string, commitId: string, actor: Actor) {
    checkBranchName(branch);
    if (!isCommitId(commitId)) {
      throw invalid(SourceSubject.CommitId, `${commitId} is not a valid commit id`);
    }
    const resolved = await this.#deps.git.resolveCommit(repository.id, commitId);
    if (resolved === undefined) {
      throw notFound(SourceSubject.Commit, `Commit ${commitId} does not exist`);
    }
    const ref = `refs/heads/${branch}`;
    const result = await this.#deps.git.updateRef(repository.id, {
      ref,
      expectedCommitId: undefined,
      newCommitId: resolved,
    });
    if (result === 'stale') {
      throw sourceError(AppErrorKind.AlreadyExists, SourceSubject.Branch, `${branch} exists`);
    }
    await this.recordPush({
      repositoryId: repository.id,
      pusher: actor,
      channel: PushChannel.Api,
      updates: [{ ref, oldCommitId: undefined, newCommitId: resolved }],
    });
  }

  /** The deleted branch and the commit it pointed at; undefined when it did not exist. */
  async deleteBranch(repository: Repository, branch: string, actor: Actor) {
    checkBranchName(branch);
    const defaultBranch =
      repository.defaultBranch ?? (await this.#deps.git.readHead(repository.id));
    if (branch === defaultBranch) {
      throw conflict(SourceSubject.DefaultBranch, `${branch} is the default branch`);
    }
    const commitId = await this.#branchHead(repository, branch);
    if (commitId === undefined) return undefined;
    const ref = `refs/heads/${branch}`;
    const result = await this.#deps.git.updateRef(repository.id, {
      ref,
      expectedCommitId: commitId,
      newCommitId: undefined,
    });
    if (result === 'stale') {
      throw conflict(SourceSubject.ParentCommit, `${branch} moved while it was being deleted`);
    }
    await this.recordPush({
      repositoryId: repository.id,
      pusher: actor,
      channel: PushChannel.Api,
      updates: [{ ref, oldCommitId: commitId, newCommitId: undefined }],
    });
    return { branchName: branch, commitId };
  }

  async updateDefaultBranch(repository: Repository, branch: string): Promise<void> {
    await this.getBranch(repository, branch);
    await this.#deps.git.setHead(repository.id, branch);
    await this.#deps.repositories.update(repository.id, {
      defaultBranch: branch,
      lastModifiedAt: this.#deps.clock.now(),
    });
  }

  async putTriggers(repository: Repository, triggers: readonly RepositoryTrigger[]) {
    checkTriggers(triggers);
    const configurationId = this.#deps.random.uuid();
    await this.#deps.repositories.update(repository.id, {
      triggers: { configurationId, triggers },
      lastModifiedAt: this.#deps.clock.now(),
    });
    return configurationId;
  }

  /** Sends a test message to each trigger now; ARN destinations cannot be reached from here. */
  async testTriggers(repository: Repository, triggers: readonly RepositoryTrigger[], actor: Actor) {
    checkTriggers(triggers);
    const successful: string[] = [];
    const failed: { trigger: string; failureMessage: string }[] = [];
    const head = repository.defaultBranch ?? 'main';
    const commitId = (await this.#branchHead(repository, head)) ?? '0'.repeat(40);
    for (const trigger of triggers) {
      if (!isWebhookDestination(trigger.destinationArn)) {
        failed.push({
          trigger: trigger.name,
          failureMessage: `Slipway delivers triggers to http(s) webhook URLs only, not ${trigger.destinationArn}`,
        });
        continue;
      }
      const body = triggerMessage({
        repository,
        configurationId: repository.triggers.configurationId ?? this.#deps.random.uuid(),
        trigger,
        updates: [
          {
            ref: `refs/heads/${head}`,
            oldCommitId: commitId,
            newCommitId: commitId,
            forced: false,
          },
        ],
        pusherArn: actor.arn,
        eventId: this.#deps.random.uuid(),
        time: this.#deps.clock.now(),
      });
      const result = await this.#deps.webhooks.send(trigger.destinationArn, body);
      if (result.ok) successful.push(trigger.name);
      else failed.push({ trigger: trigger.name, failureMessage: result.message });
    }
    return { successfulExecutions: successful, failedExecutions: failed };
  }

  /**
   * Records accepted ref updates as `source.reference-updated` events and queues the trigger
   * deliveries they cause, in one transaction. The first branch of an empty repository becomes
   * its default branch, as in CodeCommit.
   */
  async recordPush(input: RecordPushInput): Promise<EventRecord[]> {
    const repository = await this.#deps.repositories.findById(input.repositoryId);
    if (repository === undefined) return [];
    const updates = await Promise.all(input.updates.map((u) => this.#withForced(repository, u)));
    const pushId = input.pushId ?? this.#deps.random.uuid();
    const now = this.#deps.clock.now();
    const events: NewEvent[] = updates.map((u) => ({
      type: SourceEventType.ReferenceUpdated,
      subject: repositoryArn(repository),
      data: eventData(repository, u, input, pushId),
    }));
    let defaultBranch: string | undefined;
    if (repository.defaultBranch === undefined) {
      defaultBranch = await this.#firstDefaultBranch(repository, updates);
      if (defaultBranch !== undefined) await this.#deps.git.setHead(repository.id, defaultBranch);
    }
    return this.#deps.repositories.recordRefUpdates({
      pushId,
      repositoryId: repository.id,
      events,
      deliveries: this.#deliveries(repository, updates, input.pusher, now),
      defaultBranch,
      lastModifiedAt: now,
    });
  }

  /**
   * The first branch pushed becomes the default, as in CodeCommit. When one push creates several
   * (`git push --all`), the one HEAD already names (`main` in a new repository) wins over the
   * alphabetically first, so a clone checks out what the user expects.
   */
  async #firstDefaultBranch(repository: Repository, updates: readonly RefUpdate[]) {
    const created = updates
      .filter((u) => u.ref.startsWith('refs/heads/') && u.newCommitId !== undefined)
      .map((u) => u.ref.slice('refs/heads/'.length));
    if (created.length <= 1) return created[0];
    const head = await this.#deps.git.readHead(repository.id);
    return head !== undefined && created.includes(head) ? head : created[0];
  }

  async #branchHead(repository: Repository, branch: string): Promise<string | undefined> {
    const refs = await this.#deps.git.listRefs(repository.id);
    return refs.find((r) => r.name === `refs/heads/${branch}`)?.commitId;
  }

  async #withForced(repository: Repository, update: ReportedRefUpdate): Promise<RefUpdate> {
    const { oldCommitId, newCommitId } = update;
    const forced =
      oldCommitId !== undefined &&
      newCommitId !== undefined &&
      !(await this.#deps.git.isAncestor(repository.id, oldCommitId, newCommitId));
    return { ...update, forced };
  }

  #deliveries(repository: Repository, updates: RefUpdate[], pusher: Actor, now: number): NewJob[] {
    const { configurationId, triggers } = repository.triggers;
    if (configurationId === undefined) return [];
    const jobs: NewJob[] = [];
    for (const trigger of triggers) {
      if (!isWebhookDestination(trigger.destinationArn)) continue;
      const matching = updates.filter((u) => triggerMatches(trigger, u));
      if (matching.length === 0) continue;
      const payload: TriggerDeliveryPayload = {
        url: trigger.destinationArn,
        triggerName: trigger.name,
        body: triggerMessage({
          repository,
          configurationId,
          trigger,
          updates: matching,
          pusherArn: pusher.arn,
          eventId: this.#deps.random.uuid(),
          time: now,
        }),
      };
      jobs.push({ queue: triggerDeliveryQueue, payload, maxAttempts: deliveryAttempts });
    }
    return jobs;
  }
}

function eventData(
  repository: Repository,
  update: RefUpdate,
  input: RecordPushInput,
  pushId: string,
): ReferenceUpdatedData {
  const [, refType = '', ...rest] = update.ref.split('/');
  return {
    accountId: repository.accountId,
    region: repository.region,
    repositoryId: repository.id,
    repositoryName: repository.name,
    ref: update.ref,
    refType,
    refName: rest.join('/'),
    change:
      update.oldCommitId === undefined
        ? ReferenceChange.Created
        : update.newCommitId === undefined
          ? ReferenceChange.Deleted
          : ReferenceChange.Updated,
    oldCommitId: update.oldCommitId ?? null,
    newCommitId: update.newCommitId ?? null,
    forced: update.forced,
    pusher: input.pusher.arn,
    channel: input.channel,
    pushId,
  };
}

function isBranch(ref: GitRef): boolean {
  return ref.name.startsWith('refs/heads/');
}

export function isCommitId(value: string): boolean {
  return /^[0-9a-f]{40}$/.test(value);
}

export function checkRepositoryName(name: string): void {
  const problem = repositoryNameProblem(name);
  if (problem !== undefined) {
    throw invalid(SourceSubject.RepositoryName, `Repository name ${problem}`);
  }
}

export function checkBranchName(branch: string): void {
  const problem = refNameProblem(branch);
  if (problem !== undefined) throw invalid(SourceSubject.BranchName, `Branch name ${problem}`);
}

function checkDescription(description: string | undefined): void {
  if (description !== undefined && description.length > maxDescriptionLength) {
    throw invalid(
      SourceSubject.RepositoryDescription,
      `Repository description must be at most ${maxDescriptionLength} characters`,
    );
  }
}

const maxTriggers = 10;

function checkTriggers(triggers: readonly RepositoryTrigger[]): void {
  if (triggers.length > maxTriggers) {
    throw sourceError(
      AppErrorKind.LimitExceeded,
      SourceSubject.Trigger,
      `At most ${maxTriggers} triggers per repository`,
    );
  }
  for (const trigger of triggers) {
    for (const branch of trigger.branches) checkBranchName(branch);
  }
}
