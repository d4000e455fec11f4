/**
 * The environment variables CodeDeploy's agent gives every hook script (reference/aws-compat.md
 * §5.4, the agent's hook_executor.rb). The agent adds them to its own environment; which of its
 * variables a script also sees is the agent's business.
 */
import type { LifecycleEventName } from '../appspec.model.ts';

/** Where the revision came from; S3 and GitHub bundles describe themselves to the scripts. */
export type RevisionLocation =
  | {
      readonly type: 'S3';
      readonly bucket: string;
      readonly key: string;
      /** Only for a versioned bucket. */
      readonly version?: string | undefined;
      readonly eTag?: string | undefined;
    }
  | { readonly type: 'GitHub'; readonly commitId: string }
  | { readonly type: 'Other' };

export interface HookEnvironmentInput {
  readonly lifecycleEvent: LifecycleEventName;
  readonly deploymentId: string;
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  readonly deploymentGroupId: string;
  readonly revision: RevisionLocation;
}

/** The variables in the order the agent sets them. */
export function hookEnvironment(input: HookEnvironmentInput): Readonly<Record<string, string>> {
  const env: Record<string, string> = {
    LIFECYCLE_EVENT: input.lifecycleEvent,
    DEPLOYMENT_ID: input.deploymentId,
    APPLICATION_NAME: input.applicationName,
    DEPLOYMENT_GROUP_NAME: input.deploymentGroupName,
    DEPLOYMENT_GROUP_ID: input.deploymentGroupId,
  };
  const { revision } = input;
  switch (revision.type) {
    case 'S3':
      env.BUNDLE_BUCKET = revision.bucket;
      env.BUNDLE_KEY = revision.key;
      if (revision.version) env.BUNDLE_VERSION = revision.version;
      if (revision.eTag) env.BUNDLE_ETAG = revision.eTag;
      break;
    case 'GitHub':
      env.BUNDLE_COMMIT = revision.commitId;
      break;
    case 'Other':
      break;
  }
  return Object.freeze(env);
}
