import { triggerDeliveryQueue, type JsonValue, type WebhookSender } from '@slipway/core';
import { eventually, FakeClock, InMemoryJobQueue, SeededRandom } from '@slipway/testing';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { TriggerDeliveryWorker } from './trigger-delivery-worker.ts';

const workers: TriggerDeliveryWorker[] = [];
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.close();
});

/** A sender that fails the first `failures` sends, then succeeds; it records every body. */
function flakySender(failures: number): WebhookSender & { sent: JsonValue[] } {
  const sent: JsonValue[] = [];
  return {
    sent,
    send: (_url, body) => {
      sent.push(body);
      return Promise.resolve(
        sent.length > failures ? { ok: true } : { ok: false, message: 'HTTP 503' },
      );
    },
  };
}

function start(webhooks: WebhookSender) {
  const jobs = new InMemoryJobQueue({ clock: new FakeClock(), random: new SeededRandom() });
  const worker = new TriggerDeliveryWorker({
    jobs,
    webhooks,
    workerId: 'test',
    retryDelaysMs: [1, 1],
    log: pino({ level: 'silent' }),
  });
  worker.start();
  workers.push(worker);
  return jobs;
}

/** Lets the worker finish the completion that follows its last send. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

const payload = { url: 'http://hooks.example/x', triggerName: 't', body: { hello: 'world' } };

describe('TriggerDeliveryWorker', () => {
  it('delivers a queued message and completes its job', async () => {
    const webhooks = flakySender(0);
    const jobs = start(webhooks);
    const job = await jobs.enqueue({ queue: triggerDeliveryQueue, payload });
    await eventually(() => webhooks.sent.length === 1);
    await settled();
    expect((await jobs.getJob(job.id)).status).toBe('succeeded');
    expect(webhooks.sent).toEqual([{ hello: 'world' }]);
  });

  it('retries a failed send and succeeds on a later attempt', async () => {
    const webhooks = flakySender(2);
    const jobs = start(webhooks);
    const job = await jobs.enqueue({ queue: triggerDeliveryQueue, payload });
    await eventually(() => webhooks.sent.length === 3);
    await settled();
    expect((await jobs.getJob(job.id)).status).toBe('succeeded');
  });

  it('fails the job with the last reason when every attempt fails', async () => {
    const webhooks = flakySender(10);
    const jobs = start(webhooks);
    const job = await jobs.enqueue({ queue: triggerDeliveryQueue, payload });
    await eventually(() => webhooks.sent.length === 3);
    await settled();
    expect(await jobs.getJob(job.id)).toMatchObject({
      status: 'failed',
      result: { error: 'HTTP 503' },
    });
  });
});
