import type { DeploymentTag } from './deployment-tags.ts';

/**
 * A CodeDeploy application: botocore codedeploy 2014-10-06 `ApplicationInfo`, with its field
 * names; times are epoch milliseconds. Slipway applications are always on the Server compute
 * platform and never linked to GitHub. Tags are kept with the application (ListTagsForResource).
 */
export interface DeploymentApplication {
  readonly applicationId: string;
  readonly applicationName: string;
  readonly createTime: number;
  readonly linkedToGitHub: false;
  readonly computePlatform: 'Server';
  readonly tags: readonly DeploymentTag[];
}

/** botocore `ApplicationName`: 1 to 100 characters. */
export const maxApplicationNameLength = 100;

/**
 * Characters allowed in application and deployment group names: letters, digits and
 * `. _ + = , @ -` (user guide "CodeDeploy quotas", Applications and Deployment groups tables).
 */
export const deploymentResourceNamePattern = /^[A-Za-z0-9._+=,@-]+$/;
