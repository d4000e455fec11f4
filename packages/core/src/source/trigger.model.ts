import type { JsonValue } from '../platform/json.ts';
import type { Repository, RepositoryTrigger } from './repository.model.ts';
import { repositoryArn, TriggerEvent } from './repository.model.ts';
import type { RefUpdate } from './source.events.ts';

/** The job queue trigger deliveries go through. */
export const triggerDeliveryQueue = 'source:trigger-delivery';

export interface TriggerDeliveryPayload {
  readonly [key: string]: JsonValue;
  readonly url: string;
  readonly triggerName: string;
  readonly body: JsonValue;
}

/** Sends one trigger message; a port so the core never does I/O. */
export interface WebhookSender {
  send(url: string, body: JsonValue): Promise<{ ok: true } | { ok: false; message: string }>;
}

export function isWebhookDestination(destination: string): boolean {
  return /^https?:\/\//i.test(destination);
}

/** Whether an update is one the trigger listens for, on one of its branches. */
export function triggerMatches(trigger: RepositoryTrigger, update: RefUpdate): boolean {
  if (!update.ref.startsWith('refs/heads/')) return false;
  const branch = update.ref.slice('refs/heads/'.length);
  if (trigger.branches.length > 0 && !trigger.branches.includes(branch)) return false;
  const event =
    update.oldCommitId === undefined
      ? TriggerEvent.CreateReference
      : update.newCommitId === undefined
        ? TriggerEvent.DeleteReference
        : TriggerEvent.UpdateReference;
  return trigger.events.includes(TriggerEvent.All) || trigger.events.includes(event);
}

export interface TriggerMessageInput {
  readonly repository: Repository;
  readonly configurationId: string;
  readonly trigger: RepositoryTrigger;
  readonly updates: readonly RefUpdate[];
  readonly pusherArn: string;
  readonly eventId: string;
  readonly time: number;
}

/**
 * The message CodeCommit sends to a trigger's Lambda function, so handlers written for AWS
 * can read Slipway's webhooks unchanged.
 */
export function triggerMessage(input: TriggerMessageInput): JsonValue {
  const { repository, trigger } = input;
  return {
    Records: [
      {
        awsRegion: repository.region,
        codecommit: {
          references: input.updates.map((u) => ({
            commit: u.newCommitId ?? u.oldCommitId ?? '',
            ref: u.ref,
            ...(u.oldCommitId === undefined ? { created: true } : {}),
            ...(u.newCommitId === undefined ? { deleted: true } : {}),
          })),
        },
        customData: trigger.customData ?? null,
        eventId: input.eventId,
        eventName: 'ReferenceChanges',
        eventPartNumber: 1,
        eventSource: 'aws:codecommit',
        eventSourceARN: repositoryArn(repository),
        eventTime: new Date(input.time).toISOString().replace('Z', '+0000'),
        eventTotalParts: 1,
        eventTriggerConfigId: input.configurationId,
        eventTriggerName: trigger.name,
        eventVersion: '1.0',
        userIdentityARN: input.pusherArn,
      },
    ],
  };
}
