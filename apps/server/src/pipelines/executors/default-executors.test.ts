import { CommitReader, SourceService } from '@slipway/core';
import {
  buildsHarness,
  FakeClock,
  InMemoryEventLog,
  InMemoryJobQueue,
  InMemoryRepositoryStore,
  objectsHarness,
  SeededRandom,
} from '@slipway/testing';
import { describe, expect, it } from 'vitest';
import { GitCli } from '../../source/git/git-cli.ts';
import { defaultExecutors } from './default-executors.ts';

describe('defaultExecutors', () => {
  it('covers the AWS-owned providers the server runs', () => {
    const clock = new FakeClock();
    const jobs = new InMemoryJobQueue({ clock, random: new SeededRandom() });
    const git = new GitCli({ root: '/nonexistent' });
    const executors = defaultExecutors({
      objects: objectsHarness().service,
      builds: buildsHarness().service,
      source: new SourceService({
        repositories: new InMemoryRepositoryStore({ events: new InMemoryEventLog(clock), jobs }),
        git,
        webhooks: { send: () => Promise.resolve({ ok: true }) },
        clock,
        random: new SeededRandom(),
      }),
      commits: new CommitReader({ git }),
      directoryOf: (id) => git.directoryOf(id),
    });
    expect([...executors.keys()].sort()).toEqual([
      'Build/AWS/CodeBuild/1',
      'Compute/AWS/Commands/1',
      'Deploy/AWS/S3/1',
      'Source/AWS/CodeCommit/1',
      'Source/AWS/S3/1',
      'Test/AWS/CodeBuild/1',
    ]);
    expect(executors.get('Build/AWS/CodeBuild/1')).toBe(executors.get('Test/AWS/CodeBuild/1'));
  });
});
