import { SourceEventType, type EventRecord } from '@slipway/core';
import { eventually, FakeClock, InMemoryEventLog } from '@slipway/testing';
import { describe, expect, it } from 'vitest';
import { PushTriggerConsumer } from './push-trigger-consumer.ts';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

function setup(handle: (event: EventRecord) => Promise<string[]>, start = 0) {
  const events = new InMemoryEventLog(new FakeClock());
  const positions = new Map<string, number>([['pipelines-push', start]]);
  const cursors = {
    get: (name: string) => Promise.resolve(positions.get(name) ?? 0),
    advance: (name: string, seq: number) => {
      positions.set(name, seq);
      return Promise.resolve();
    },
  };
  const consumer = new PushTriggerConsumer({ events, cursors, handle, log: silent });
  const push = (subject: string) =>
    events.append([{ type: SourceEventType.ReferenceUpdated, subject, data: {} }]);
  return { consumer, push, position: () => positions.get('pipelines-push') };
}

describe('PushTriggerConsumer', () => {
  it('handles each push once, in order, from its cursor, woken by the log', async () => {
    const seen: string[] = [];
    const { consumer, push, position } = setup((event) => {
      seen.push(event.subject);
      return Promise.resolve([]);
    });
    await push('before-start');
    consumer.start();
    await eventually(() => seen.length === 1);
    await push('a');
    await push('b');
    await eventually(() => seen.length === 3);
    await consumer.close();
    expect(seen).toEqual(['before-start', 'a', 'b']);
    expect(position()).toBe(3);
  });

  it('passes over an event that keeps failing, so later pushes still start pipelines', async () => {
    const seen: string[] = [];
    let poisonTries = 0;
    const { consumer, push, position } = setup((event) => {
      if (event.subject === 'poison') {
        poisonTries += 1;
        return Promise.reject(new Error('git cannot diff this'));
      }
      seen.push(event.subject);
      return Promise.resolve([]);
    });
    await push('poison');
    await push('after');
    consumer.start();
    await eventually(() => seen.length === 1, { timeoutMs: 5_000 });
    await consumer.close();
    expect(poisonTries).toBe(3);
    expect(seen).toEqual(['after']);
    expect(position()).toBe(2);
  });
});
