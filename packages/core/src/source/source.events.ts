/**
 * Events the source component writes to the event log. Pipelines trigger on them; repository
 * triggers are delivered from them. Shapes are part of Slipway's internal contract.
 */
export const SourceEventType = {
  /** A branch or tag was created, moved or deleted, by `git push` or by the API. */
  ReferenceUpdated: 'source.reference-updated',
} as const;

export const ReferenceChange = {
  Created: 'created',
  Updated: 'updated',
  Deleted: 'deleted',
} as const;
export type ReferenceChange = (typeof ReferenceChange)[keyof typeof ReferenceChange];

/** One accepted ref update, as a push or an API call reports it before it is recorded. */
export interface RefUpdate {
  /** Full ref name: `refs/heads/main`. */
  readonly ref: string;
  /** Undefined when the ref was created. */
  readonly oldCommitId: string | undefined;
  /** Undefined when the ref was deleted. */
  readonly newCommitId: string | undefined;
  /** The new commit does not descend from the old one (a force push). */
  readonly forced: boolean;
}

export const PushChannel = { Git: 'git', Api: 'api' } as const;
export type PushChannel = (typeof PushChannel)[keyof typeof PushChannel];

/** `data` of a `source.reference-updated` event; JSON, so every field is present or null. */
export interface ReferenceUpdatedData {
  readonly [key: string]: string | boolean | null;
  readonly accountId: string;
  readonly region: string;
  readonly repositoryId: string;
  readonly repositoryName: string;
  readonly ref: string;
  /** `heads` or `tags`, and the name without its prefix. */
  readonly refType: string;
  readonly refName: string;
  readonly change: ReferenceChange;
  readonly oldCommitId: string | null;
  readonly newCommitId: string | null;
  readonly forced: boolean;
  /** ARN of who pushed. */
  readonly pusher: string;
  readonly channel: PushChannel;
  /** Shared by every update of one push, so consumers can group them. */
  readonly pushId: string;
}
