import {
  expectAppError,
  FakeClock,
  fakeClockStart,
  InMemoryEventLog,
  InMemoryJobQueue,
  InMemoryRepositoryStore,
  SeededRandom,
} from '@slipway/testing';
import { describe, expect, it } from 'vitest';
import { AppErrorKind } from '../errors/app-error.ts';
import type { JsonValue } from '../platform/json.ts';
import type { GitRef, RefChange } from './git.model.ts';
import type { GitRepositories } from './git.ports.ts';
import { TriggerEvent, type Repository, type RepositoryTrigger } from './repository.model.ts';
import type { Actor, Scope } from './source.deps.ts';
import { PushChannel, ReferenceChange, type ReferenceUpdatedData } from './source.events.ts';
import { SourceService } from './source.service.ts';
import {
  triggerDeliveryQueue,
  type TriggerDeliveryPayload,
  type WebhookSender,
} from './trigger.model.ts';

const scope: Scope = { accountId: '123456789012', region: 'us-east-1' };
const alice: Actor = { arn: 'arn:aws:iam::123456789012:user/alice', userName: 'alice' };
const c1 = '1'.repeat(40);
const c2 = '2'.repeat(40);
const c3 = '3'.repeat(40);

/**
 * Bare repositories as maps: refs per repository, HEAD per repository, and the commits that
 * exist. `updateRef` is a real compare-and-swap. Only what `SourceService` calls on the tested
 * paths is implemented.
 */
class StubGit implements GitRepositories {
  readonly calls: string[] = [];
  readonly refs = new Map<string, Map<string, string>>();
  readonly heads = new Map<string, string>();
  readonly commits = new Set([c1, c2, c3]);
  /** `old..new` pairs where new does not descend from old (a force push). */
  readonly forced = new Set<string>();
  /** Set by a test to see what the store holds while the git repository is being created. */
  onCreate: ((repositoryId: string) => Promise<void>) | undefined;

  async create(repositoryId: string, defaultBranch: string): Promise<void> {
    this.calls.push(`create ${repositoryId} ${defaultBranch}`);
    await this.onCreate?.(repositoryId);
    this.refs.set(repositoryId, new Map());
    this.heads.set(repositoryId, defaultBranch);
  }

  remove(repositoryId: string): Promise<void> {
    this.calls.push(`remove ${repositoryId}`);
    this.refs.delete(repositoryId);
    this.heads.delete(repositoryId);
    return Promise.resolve();
  }

  listRefs(repositoryId: string): Promise<GitRef[]> {
    const refs = this.refs.get(repositoryId) ?? new Map<string, string>();
    return Promise.resolve([...refs].map(([name, commitId]) => ({ name, commitId })));
  }

  readHead(repositoryId: string): Promise<string | undefined> {
    return Promise.resolve(this.heads.get(repositoryId));
  }

  setHead(repositoryId: string, branch: string): Promise<void> {
    this.calls.push(`setHead ${repositoryId} ${branch}`);
    this.heads.set(repositoryId, branch);
    return Promise.resolve();
  }

  resolveCommit(_repositoryId: string, specifier: string): Promise<string | undefined> {
    return Promise.resolve(this.commits.has(specifier) ? specifier : undefined);
  }

  updateRef(repositoryId: string, change: RefChange): Promise<'updated' | 'stale'> {
    const refs = this.refs.get(repositoryId);
    if (refs === undefined || refs.get(change.ref) !== change.expectedCommitId) {
      return Promise.resolve('stale');
    }
    if (change.newCommitId === undefined) refs.delete(change.ref);
    else refs.set(change.ref, change.newCommitId);
    return Promise.resolve('updated');
  }

  isAncestor(_repositoryId: string, ancestor: string, descendant: string): Promise<boolean> {
    return Promise.resolve(!this.forced.has(`${ancestor}..${descendant}`));
  }

  readCommits(): never {
    throw new Error('not used');
  }
  findEntry(): never {
    throw new Error('not used');
  }
  listTree(): never {
    throw new Error('not used');
  }
  readBlob(): never {
    throw new Error('not used');
  }
  writeBlob(): never {
    throw new Error('not used');
  }
  writeCommit(): never {
    throw new Error('not used');
  }
  diff(): never {
    throw new Error('not used');
  }
}

class StubWebhooks implements WebhookSender {
  readonly sent: { url: string; body: JsonValue }[] = [];

  send(url: string, body: JsonValue) {
    this.sent.push({ url, body });
    return Promise.resolve({ ok: true } as const);
  }
}

function setUp() {
  const clock = new FakeClock();
  const random = new SeededRandom(3);
  const events = new InMemoryEventLog(clock);
  const jobs = new InMemoryJobQueue({ clock, random: new SeededRandom(4) });
  const repositories = new InMemoryRepositoryStore({ events, jobs });
  const git = new StubGit();
  const webhooks = new StubWebhooks();
  const service = new SourceService({ repositories, git, webhooks, clock, random });

  /** The repository as the store has it now. */
  async function current(repository: Repository): Promise<Repository> {
    const found = await repositories.findById(repository.id);
    if (found === undefined) throw new Error(`${repository.name} is gone`);
    return found;
  }
  /** The data of every `source.reference-updated` event so far. */
  async function eventData(): Promise<ReferenceUpdatedData[]> {
    const records = await events.read({ after: 0 });
    return records.map((r) => r.data as ReferenceUpdatedData);
  }
  /** Every trigger delivery queued so far. */
  async function deliveries(): Promise<TriggerDeliveryPayload[]> {
    const claimed: TriggerDeliveryPayload[] = [];
    for (;;) {
      const next = await jobs.claim({ queue: triggerDeliveryQueue, workerId: 'w', leaseMs: 1 });
      if (next === undefined) return claimed;
      claimed.push(next.job.payload as TriggerDeliveryPayload);
    }
  }
  /** Puts a branch straight into the stub, as a push would have. */
  function setBranch(repository: Repository, branch: string, commitId: string): void {
    git.refs.get(repository.id)?.set(`refs/heads/${branch}`, commitId);
  }
  return { clock, service, repositories, git, webhooks, current, eventData, deliveries, setBranch };
}

function aTrigger(overrides: Partial<RepositoryTrigger>): RepositoryTrigger {
  return {
    name: 'trigger',
    destinationArn: 'https://hooks.example.com/all',
    customData: undefined,
    branches: [],
    events: [TriggerEvent.All],
    ...overrides,
  };
}

describe('SourceService.createRepository', () => {
  it('creates the git repository first, then the row', async () => {
    const { service, repositories, git } = setUp();
    let rowDuringCreate: Repository | undefined | 'unchecked' = 'unchecked';
    git.onCreate = async (id) => {
      rowDuringCreate = await repositories.findById(id);
    };
    const repository = await service.createRepository(scope, {
      name: 'my-repo',
      description: 'Mine',
      tags: { team: 'a' },
    });
    expect(rowDuringCreate).toBeUndefined();
    expect(git.calls).toEqual([`create ${repository.id} main`]);
    expect(repository).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      accountId: scope.accountId,
      region: scope.region,
      name: 'my-repo',
      description: 'Mine',
      defaultBranch: undefined,
      kmsKeyId: undefined,
      tags: { team: 'a' },
      triggers: { configurationId: undefined, triggers: [] },
      createdAt: fakeClockStart,
      lastModifiedAt: fakeClockStart,
    });
    expect(await repositories.findByName(scope.accountId, scope.region, 'my-repo')).toEqual(
      repository,
    );
  });

  it.each(['', 'has space', 'ends.git', 'a/b', '..', 'x'.repeat(101)])(
    'refuses the name %j with InvalidInput, touching nothing',
    async (name) => {
      const { service, git } = setUp();
      const error = await expectAppError(
        service.createRepository(scope, { name }),
        AppErrorKind.InvalidInput,
      );
      expect(error.resource).toBe('repository-name');
      expect(git.calls).toEqual([]);
    },
  );

  it('removes the git repository it created when the name is taken', async () => {
    const { service, git } = setUp();
    const first = await service.createRepository(scope, { name: 'taken' });
    git.calls.length = 0;
    const error = await expectAppError(
      service.createRepository(scope, { name: 'taken' }),
      AppErrorKind.AlreadyExists,
    );
    expect(error.resource).toBe('repository');
    const newId = git.calls[0]?.split(' ')[1];
    expect(newId).not.toBe(first.id);
    expect(git.calls).toEqual([`create ${newId} main`, `remove ${newId}`]);
    expect(git.refs.has(first.id)).toBe(true);
  });
});

describe('SourceService.deleteRepository', () => {
  it('returns undefined for a repository that does not exist, removing nothing', async () => {
    const { service, git } = setUp();
    expect(await service.deleteRepository(scope, 'missing')).toBeUndefined();
    expect(git.calls).toEqual([]);
  });

  it('deletes the row and then the git repository', async () => {
    const { service, repositories, git } = setUp();
    const repository = await service.createRepository(scope, { name: 'doomed' });
    expect(await service.deleteRepository(scope, 'doomed')).toBe(repository.id);
    expect(await repositories.findById(repository.id)).toBeUndefined();
    expect(git.calls.at(-1)).toBe(`remove ${repository.id}`);
  });
});

describe('SourceService.recordPush', () => {
  it('records one event per ref update, with what changed and who pushed', async () => {
    const { service, git, eventData } = setUp();
    const repository = await service.createRepository(scope, { name: 'pushed' });
    git.forced.add(`${c2}..${c3}`);
    const records = await service.recordPush({
      pushId: 'push-1',
      repositoryId: repository.id,
      pusher: alice,
      channel: PushChannel.Git,
      updates: [
        { ref: 'refs/heads/feature/x', oldCommitId: undefined, newCommitId: c1 },
        { ref: 'refs/heads/main', oldCommitId: c1, newCommitId: c2 },
        { ref: 'refs/heads/rewritten', oldCommitId: c2, newCommitId: c3 },
        { ref: 'refs/tags/v1', oldCommitId: c1, newCommitId: undefined },
      ],
    });
    expect(records).toHaveLength(4);
    const common = {
      accountId: scope.accountId,
      region: scope.region,
      repositoryId: repository.id,
      repositoryName: 'pushed',
      pusher: alice.arn,
      channel: PushChannel.Git,
      pushId: 'push-1',
    };
    expect(await eventData()).toEqual([
      {
        ...common,
        ref: 'refs/heads/feature/x',
        refType: 'heads',
        refName: 'feature/x',
        change: ReferenceChange.Created,
        oldCommitId: null,
        newCommitId: c1,
        forced: false,
      },
      {
        ...common,
        ref: 'refs/heads/main',
        refType: 'heads',
        refName: 'main',
        change: ReferenceChange.Updated,
        oldCommitId: c1,
        newCommitId: c2,
        forced: false,
      },
      {
        ...common,
        ref: 'refs/heads/rewritten',
        refType: 'heads',
        refName: 'rewritten',
        change: ReferenceChange.Updated,
        oldCommitId: c2,
        newCommitId: c3,
        forced: true,
      },
      {
        ...common,
        ref: 'refs/tags/v1',
        refType: 'tags',
        refName: 'v1',
        change: ReferenceChange.Deleted,
        oldCommitId: c1,
        newCommitId: null,
        forced: false,
      },
    ]);
    expect(new Set(records.map((r) => r.subject))).toEqual(
      new Set(['arn:aws:codecommit:us-east-1:123456789012:pushed']),
    );
  });

  it('gives every update of a push one generated push id when none is given', async () => {
    const { service, eventData } = setUp();
    const repository = await service.createRepository(scope, { name: 'pushed' });
    await service.recordPush({
      repositoryId: repository.id,
      pusher: alice,
      channel: PushChannel.Api,
      updates: [
        { ref: 'refs/heads/a', oldCommitId: undefined, newCommitId: c1 },
        { ref: 'refs/heads/b', oldCommitId: undefined, newCommitId: c1 },
      ],
    });
    const [a, b] = await eventData();
    expect(a?.pushId).toMatch(/^[0-9a-f-]{36}$/);
    expect(b?.pushId).toBe(a?.pushId);
  });

  it('makes the first pushed branch the default branch and HEAD, and keeps it', async () => {
    const { service, git, current, clock } = setUp();
    const repository = await service.createRepository(scope, { name: 'pushed' });
    const push = (ref: string, pushId: string) =>
      service.recordPush({
        pushId,
        repositoryId: repository.id,
        pusher: alice,
        channel: PushChannel.Git,
        updates: [{ ref, oldCommitId: undefined, newCommitId: c1 }],
      });
    // A tag alone does not make a default branch.
    await push('refs/tags/v1', 'p1');
    expect((await current(repository)).defaultBranch).toBeUndefined();
    const at = clock.advance(1_000);
    await push('refs/heads/develop', 'p2');
    expect(git.calls).toContain(`setHead ${repository.id} develop`);
    expect(await current(repository)).toMatchObject({
      defaultBranch: 'develop',
      lastModifiedAt: at,
    });
    git.calls.length = 0;
    await push('refs/heads/main', 'p3');
    expect(git.calls).toEqual([]);
    expect((await current(repository)).defaultBranch).toBe('develop');
  });

  it('prefers the branch HEAD names when one push creates several', async () => {
    const { service, current } = setUp();
    const repository = await service.createRepository(scope, { name: 'pushed-all' });
    await service.recordPush({
      repositoryId: repository.id,
      pusher: alice,
      channel: PushChannel.Git,
      updates: ['feature/a', 'main', 'zeta'].map((b) => ({
        ref: `refs/heads/${b}`,
        oldCommitId: undefined,
        newCommitId: c1,
      })),
    });
    expect((await current(repository)).defaultBranch).toBe('main');
  });

  it('records a push id once', async () => {
    const { service, eventData } = setUp();
    const repository = await service.createRepository(scope, { name: 'pushed' });
    const input = {
      pushId: 'same',
      repositoryId: repository.id,
      pusher: alice,
      channel: PushChannel.Git,
      updates: [{ ref: 'refs/heads/main', oldCommitId: undefined, newCommitId: c1 }],
    };
    expect(await service.recordPush(input)).toHaveLength(1);
    expect(await service.recordPush(input)).toEqual([]);
    expect(await eventData()).toHaveLength(1);
  });

  it('records nothing for a repository that no longer exists', async () => {
    const { service, eventData } = setUp();
    const records = await service.recordPush({
      repositoryId: '00000000-0000-4000-8000-000000000000',
      pusher: alice,
      channel: PushChannel.Git,
      updates: [{ ref: 'refs/heads/main', oldCommitId: undefined, newCommitId: c1 }],
    });
    expect(records).toEqual([]);
    expect(await eventData()).toEqual([]);
  });

  it('queues deliveries only for webhook triggers that match the update', async () => {
    const { service, repositories, deliveries } = setUp();
    const created = await service.createRepository(scope, { name: 'triggered' });
    const configurationId = await service.putTriggers(created, [
      aTrigger({ name: 'all-webhook', destinationArn: 'https://hooks.example.com/all' }),
      aTrigger({
        name: 'main-updates',
        destinationArn: 'http://hooks.example.com/main',
        branches: ['main'],
        events: [TriggerEvent.UpdateReference],
        customData: 'custom',
      }),
      aTrigger({ name: 'sns', destinationArn: 'arn:aws:sns:us-east-1:123456789012:topic' }),
      aTrigger({
        name: 'lambda',
        destinationArn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
      }),
      aTrigger({
        name: 'release-only',
        destinationArn: 'https://hooks.example.com/release',
        branches: ['release'],
      }),
      aTrigger({
        name: 'deletes-only',
        destinationArn: 'https://hooks.example.com/deletes',
        events: [TriggerEvent.DeleteReference],
      }),
    ]);
    const repository = await repositories.findById(created.id);
    await service.recordPush({
      repositoryId: created.id,
      pusher: alice,
      channel: PushChannel.Git,
      updates: [
        { ref: 'refs/heads/main', oldCommitId: c1, newCommitId: c2 },
        { ref: 'refs/tags/v1', oldCommitId: undefined, newCommitId: c2 },
      ],
    });
    const queued = (await deliveries()).sort((a, b) => a.triggerName.localeCompare(b.triggerName));
    expect(queued.map((d) => [d.triggerName, d.url])).toEqual([
      ['all-webhook', 'https://hooks.example.com/all'],
      ['main-updates', 'http://hooks.example.com/main'],
    ]);
    const [record] = (queued[1]?.body as { Records: Record<string, JsonValue>[] }).Records;
    expect(record).toMatchObject({
      eventSourceARN: 'arn:aws:codecommit:us-east-1:123456789012:triggered',
      eventTriggerConfigId: configurationId,
      eventTriggerName: 'main-updates',
      customData: 'custom',
      userIdentityARN: alice.arn,
      // The tag is not a branch: no trigger hears of it.
      codecommit: { references: [{ commit: c2, ref: 'refs/heads/main' }] },
    });
    expect(repository?.triggers.configurationId).toBe(configurationId);
  });

  it('queues nothing when no trigger matches', async () => {
    const { service, deliveries } = setUp();
    const created = await service.createRepository(scope, { name: 'quiet' });
    await service.putTriggers(created, [
      aTrigger({ name: 'sns', destinationArn: 'arn:aws:sns:us-east-1:123456789012:topic' }),
      aTrigger({ name: 'other-branch', branches: ['release'] }),
      aTrigger({ name: 'creates-only', events: [TriggerEvent.CreateReference] }),
    ]);
    await service.recordPush({
      repositoryId: created.id,
      pusher: alice,
      channel: PushChannel.Git,
      updates: [{ ref: 'refs/heads/main', oldCommitId: c1, newCommitId: c2 }],
    });
    expect(await deliveries()).toEqual([]);
  });
});

describe('SourceService.deleteBranch', () => {
  it('refuses to delete the default branch with Conflict', async () => {
    const { service, setBranch, current } = setUp();
    const created = await service.createRepository(scope, { name: 'r' });
    await service.createBranch(created, 'trunk', c1, alice);
    const repository = await current(created);
    expect(repository.defaultBranch).toBe('trunk');
    setBranch(repository, 'other', c2);
    const error = await expectAppError(
      service.deleteBranch(repository, 'trunk', alice),
      AppErrorKind.Conflict,
    );
    expect(error.resource).toBe('default-branch');
  });

  it("refuses to delete HEAD's branch while the repository has no default branch", async () => {
    const { service, setBranch } = setUp();
    const repository = await service.createRepository(scope, { name: 'r' });
    setBranch(repository, 'main', c1);
    const error = await expectAppError(
      service.deleteBranch(repository, 'main', alice),
      AppErrorKind.Conflict,
    );
    expect(error.resource).toBe('default-branch');
  });

  it('deletes another branch, recording the deletion, and returns what it pointed at', async () => {
    const { service, setBranch, current, git, eventData } = setUp();
    const created = await service.createRepository(scope, { name: 'r' });
    await service.createBranch(created, 'main', c1, alice);
    const repository = await current(created);
    setBranch(repository, 'topic', c2);
    expect(await service.deleteBranch(repository, 'topic', alice)).toEqual({
      branchName: 'topic',
      commitId: c2,
    });
    expect(git.refs.get(repository.id)?.has('refs/heads/topic')).toBe(false);
    expect((await eventData()).at(-1)).toMatchObject({
      ref: 'refs/heads/topic',
      change: ReferenceChange.Deleted,
      oldCommitId: c2,
      newCommitId: null,
      channel: PushChannel.Api,
    });
    expect(await service.deleteBranch(repository, 'topic', alice)).toBeUndefined();
  });
});

describe('SourceService.createBranch', () => {
  it('creates the ref, records it as an API push and makes it the first default branch', async () => {
    const { service, git, current, eventData } = setUp();
    const repository = await service.createRepository(scope, { name: 'r' });
    await service.createBranch(repository, 'feature/one', c1, alice);
    expect(git.refs.get(repository.id)?.get('refs/heads/feature/one')).toBe(c1);
    expect(await eventData()).toEqual([
      expect.objectContaining({
        ref: 'refs/heads/feature/one',
        refName: 'feature/one',
        change: ReferenceChange.Created,
        newCommitId: c1,
        channel: PushChannel.Api,
        pusher: alice.arn,
      }),
    ]);
    expect((await current(repository)).defaultBranch).toBe('feature/one');
  });

  it.each(['', 'has space', 'a..b', '-dash', 'x.lock', 'HEAD', 'ends/'])(
    'refuses the branch name %j with InvalidInput',
    async (branch) => {
      const { service } = setUp();
      const repository = await service.createRepository(scope, { name: 'r' });
      const error = await expectAppError(
        service.createBranch(repository, branch, c1, alice),
        AppErrorKind.InvalidInput,
      );
      expect(error.resource).toBe('branch-name');
    },
  );

  it.each(['abc', 'A'.repeat(40), 'g'.repeat(40), `${c1}0`, 'main'])(
    'refuses the commit id %j with InvalidInput',
    async (commitId) => {
      const { service } = setUp();
      const repository = await service.createRepository(scope, { name: 'r' });
      const error = await expectAppError(
        service.createBranch(repository, 'topic', commitId, alice),
        AppErrorKind.InvalidInput,
      );
      expect(error.resource).toBe('commit-id');
    },
  );

  it('refuses a commit that does not exist with NotFound', async () => {
    const { service } = setUp();
    const repository = await service.createRepository(scope, { name: 'r' });
    const error = await expectAppError(
      service.createBranch(repository, 'topic', 'f'.repeat(40), alice),
      AppErrorKind.NotFound,
    );
    expect(error.resource).toBe('commit');
  });

  it('refuses a branch that exists with AlreadyExists, recording nothing', async () => {
    const { service, setBranch, eventData } = setUp();
    const repository = await service.createRepository(scope, { name: 'r' });
    setBranch(repository, 'topic', c1);
    const error = await expectAppError(
      service.createBranch(repository, 'topic', c2, alice),
      AppErrorKind.AlreadyExists,
    );
    expect(error.resource).toBe('branch');
    expect(await eventData()).toEqual([]);
  });
});
