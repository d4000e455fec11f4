import { describe, expect, it } from 'vitest';
import type { Repository, RepositoryTrigger } from './repository.model.ts';
import { triggerMatches, triggerMessage } from './trigger.model.ts';

const trigger = (overrides: Partial<RepositoryTrigger> = {}): RepositoryTrigger => ({
  name: 't',
  destinationArn: 'http://hooks.example/x',
  customData: undefined,
  branches: [],
  events: ['all'],
  ...overrides,
});

const a = 'a'.repeat(40);
const b = 'b'.repeat(40);
const update = (ref: string, oldCommitId?: string, newCommitId?: string) => ({
  ref,
  oldCommitId,
  newCommitId,
  forced: false,
});

describe('triggerMatches', () => {
  it('matches every branch when the list is empty', () => {
    expect(triggerMatches(trigger(), update('refs/heads/any', a, b))).toBe(true);
  });

  it('matches only the listed branches', () => {
    const t = trigger({ branches: ['main'] });
    expect(triggerMatches(t, update('refs/heads/main', a, b))).toBe(true);
    expect(triggerMatches(t, update('refs/heads/dev', a, b))).toBe(false);
  });

  it('ignores tags', () => {
    expect(triggerMatches(trigger(), update('refs/tags/v1', undefined, a))).toBe(false);
  });

  it.each([
    ['createReference', undefined, b, true],
    ['createReference', a, b, false],
    ['updateReference', a, b, true],
    ['deleteReference', a, undefined, true],
    ['deleteReference', undefined, b, false],
  ] as const)('%s on %s→%s is %s', (event, from, to, expected) => {
    expect(triggerMatches(trigger({ events: [event] }), update('refs/heads/m', from, to))).toBe(
      expected,
    );
  });
});

describe('triggerMessage', () => {
  it('has the shape CodeCommit sends to a Lambda trigger', () => {
    const repository = {
      accountId: '123456789012',
      region: 'us-east-1',
      name: 'demo',
    } as Repository;
    const message = triggerMessage({
      repository,
      configurationId: 'cfg',
      trigger: trigger({ customData: 'data' }),
      updates: [update('refs/heads/main', undefined, a)],
      pusherArn: 'arn:aws:iam::123456789012:user/admin',
      eventId: 'e1',
      time: Date.UTC(2026, 10, 22, 10, 0, 0),
    });
    expect(message).toEqual({
      Records: [
        {
          awsRegion: 'us-east-1',
          codecommit: { references: [{ commit: a, ref: 'refs/heads/main', created: true }] },
          customData: 'data',
          eventId: 'e1',
          eventName: 'ReferenceChanges',
          eventPartNumber: 1,
          eventSource: 'aws:codecommit',
          eventSourceARN: 'arn:aws:codecommit:us-east-1:123456789012:demo',
          eventTime: '2026-11-22T10:00:00.000+0000',
          eventTotalParts: 1,
          eventTriggerConfigId: 'cfg',
          eventTriggerName: 't',
          eventVersion: '1.0',
          userIdentityARN: 'arn:aws:iam::123456789012:user/admin',
        },
      ],
    });
  });
});
