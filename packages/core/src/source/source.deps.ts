import type { Clock } from '../platform/clock.ts';
import type { Random } from '../platform/random.ts';
import type { GitRepositories } from './git.ports.ts';
import type { RepositoryStore } from './repository.ports.ts';
import type { WebhookSender } from './trigger.model.ts';

export interface SourceDeps {
  readonly repositories: RepositoryStore;
  readonly git: GitRepositories;
  readonly webhooks: WebhookSender;
  readonly clock: Clock;
  readonly random: Random;
}

/** Resources live in an account and a region, as in AWS. */
export interface Scope {
  readonly accountId: string;
  readonly region: string;
}

/** Who is acting: recorded as the pusher and the default commit author. */
export interface Actor {
  readonly arn: string;
  readonly userName: string;
}
