import { deploymentResourceNamePattern, maxApplicationNameLength } from './application.model.ts';
import { findPredefinedDeploymentConfig } from './deployment-config.model.ts';
import { maxDeploymentGroupNameLength } from './deployment-group.model.ts';
import {
  addResourceTagProblems,
  maxDeploymentResourceTags,
  maxDeploymentTagKeyLength,
  type DeploymentTag,
} from './deployment-tags.ts';
import type { DeploymentsDeps } from './deployments.deps.ts';
import {
  applicationNotFound,
  deploymentConfigNotFound,
  deploymentGroupNotFound,
  DeploymentsProblems,
  DeploymentsSubject,
  invalidDeploymentsInput,
} from './deployments.errors.ts';
import type { DeploymentScope } from './deployments.ports.ts';

/** TagResource's input as the door parsed it (botocore member names, capitalised). */
export interface TagResourceInput {
  readonly ResourceArn?: unknown;
  readonly Tags?: unknown;
}

export interface UntagResourceInput {
  readonly ResourceArn?: unknown;
  readonly TagKeys?: unknown;
}

/** `NextToken` is accepted and ignored: every tag is answered at once (50 at most). */
export interface ListTagsForResourceInput {
  readonly ResourceArn?: unknown;
  readonly NextToken?: unknown;
}

/** botocore `Arn`: 1 to 1011 characters. */
const maxArnLength = 1011;

/** What a CodeDeploy ARN names, with the account and region it names it in. */
export type DeploymentResourceArn = {
  readonly accountId: string;
  readonly region: string;
} & (
  | { readonly type: 'application'; readonly applicationName: string }
  | {
      readonly type: 'deploymentgroup';
      readonly applicationName: string;
      readonly deploymentGroupName: string;
    }
  | { readonly type: 'deploymentconfig'; readonly deploymentConfigName: string }
);

/** A taggable resource found in the caller's scope: its tags and how to replace them. */
interface Tagged {
  readonly tags: readonly DeploymentTag[];
  /** False when the resource went away meanwhile. */
  save(tags: readonly DeploymentTag[]): Promise<boolean>;
  readonly notFound: () => Error;
}

const invalidArn = (arn: string, why: string) =>
  invalidDeploymentsInput(DeploymentsSubject.Arn, `'${arn}' is not a valid ARN: ${why}`, [
    { path: 'ResourceArn', message: why },
  ]);

const arnNotSupported = (arn: string, why: string) =>
  invalidDeploymentsInput(DeploymentsSubject.ArnNotSupported, `'${arn}' is not supported: ${why}`, [
    { path: 'ResourceArn', message: why },
  ]);

const isName = (name: string | undefined, max: number): name is string =>
  name !== undefined &&
  name.length > 0 &&
  name.length <= max &&
  deploymentResourceNamePattern.test(name);

/**
 * Parses `arn:<partition>:codedeploy:<region>:<account>:<type>:<name>`: missing →
 * ResourceArnRequiredException; not an ARN, or a CodeDeploy ARN whose name is not one →
 * InvalidArnException; another service's ARN or a CodeDeploy resource type that takes no tags →
 * ArnNotSupportedException. Types: `application:<app>`, `deploymentgroup:<app>/<group>`,
 * `deploymentconfig:<name>`.
 */
export function parseDeploymentResourceArn(arn: unknown): DeploymentResourceArn {
  if (arn === undefined || arn === null || arn === '') {
    throw invalidDeploymentsInput(
      DeploymentsSubject.ResourceArnRequired,
      'ResourceArn is required',
      [{ path: 'ResourceArn', message: 'is required' }],
    );
  }
  if (typeof arn !== 'string' || arn.length > maxArnLength) {
    throw invalidDeploymentsInput(
      DeploymentsSubject.Arn,
      `ResourceArn must be 1 to ${maxArnLength} characters`,
      [{ path: 'ResourceArn', message: `must be 1 to ${maxArnLength} characters` }],
    );
  }
  const [prefix, partition, service, region, accountId, ...rest] = arn.split(':');
  const resource = rest.join(':');
  if (prefix !== 'arn' || rest.length === 0 || partition === '' || partition === undefined) {
    throw invalidArn(arn, 'must be arn:<partition>:<service>:<region>:<account>:<resource>');
  }
  if (service !== 'codedeploy') throw arnNotSupported(arn, 'not a CodeDeploy resource');
  if (region === undefined || region === '' || accountId === undefined || accountId === '') {
    throw invalidArn(arn, 'a CodeDeploy ARN names its region and account');
  }
  const colon = resource.indexOf(':');
  const type = colon < 0 ? resource : resource.slice(0, colon);
  const name = colon < 0 ? '' : resource.slice(colon + 1);
  const where = { accountId, region };
  switch (type) {
    case 'application':
      if (!isName(name, maxApplicationNameLength)) {
        throw invalidArn(arn, 'application:<name> must name an application');
      }
      return { ...where, type, applicationName: name };
    case 'deploymentgroup': {
      const [applicationName, deploymentGroupName, ...more] = name.split('/');
      if (
        more.length > 0 ||
        !isName(applicationName, maxApplicationNameLength) ||
        !isName(deploymentGroupName, maxDeploymentGroupNameLength)
      ) {
        throw invalidArn(arn, 'deploymentgroup:<application>/<group> must name a group');
      }
      return { ...where, type, applicationName, deploymentGroupName };
    }
    case 'deploymentconfig':
      if (name === '') throw invalidArn(arn, 'deploymentconfig:<name> must name a configuration');
      return { ...where, type, deploymentConfigName: name };
    default:
      throw arnNotSupported(arn, 'only applications and deployment groups take tags');
  }
}

/** TagResource's Tags: missing or empty → TagRequiredException; bad → InvalidTagsToAddException. */
function checkTagsToAdd(tags: unknown): readonly DeploymentTag[] {
  if (tags === undefined || tags === null || (Array.isArray(tags) && tags.length === 0)) {
    throw invalidDeploymentsInput(DeploymentsSubject.TagRequired, 'Tags must name a tag', [
      { path: 'Tags', message: 'must name at least one tag' },
    ]);
  }
  const problems = new DeploymentsProblems([DeploymentsSubject.TagsToAdd]);
  const checked = addResourceTagProblems(problems, tags, 'Tags');
  problems.throwIfAny();
  return checked;
}

/**
 * UntagResource's TagKeys: missing or empty → TagRequiredException; a key that is not 1–128
 * characters → InvalidTagsToAddException (the only tag exception botocore lists for it).
 */
function checkTagKeys(keys: unknown): readonly string[] {
  if (keys === undefined || keys === null || (Array.isArray(keys) && keys.length === 0)) {
    throw invalidDeploymentsInput(DeploymentsSubject.TagRequired, 'TagKeys must name a key', [
      { path: 'TagKeys', message: 'must name at least one key' },
    ]);
  }
  const problems = new DeploymentsProblems([DeploymentsSubject.TagsToAdd]);
  if (!Array.isArray(keys)) {
    problems.add(DeploymentsSubject.TagsToAdd, 'TagKeys', 'must be a list of keys');
    problems.throwIfAny();
  }
  const list = keys as unknown[];
  list.forEach((key, i) => {
    if (typeof key !== 'string' || key.length === 0 || key.length > maxDeploymentTagKeyLength) {
      problems.add(
        DeploymentsSubject.TagsToAdd,
        `TagKeys[${i}]`,
        `must be 1 to ${maxDeploymentTagKeyLength} characters`,
      );
    }
  });
  problems.throwIfAny();
  return list as string[];
}

/** Adds or overwrites by key, keeping the order tags were first given in. */
export function mergeDeploymentTags(
  current: readonly DeploymentTag[],
  added: readonly DeploymentTag[],
): DeploymentTag[] {
  const merged = current.map((tag) => added.find((a) => a.Key === tag.Key) ?? tag);
  for (const tag of added) {
    if (!merged.some((m) => m.Key === tag.Key)) merged.push(tag);
  }
  return merged;
}

/**
 * TagResource, UntagResource and ListTagsForResource on applications and deployment groups of
 * the caller's account and region. An ARN of another account or region names nothing here: it is
 * answered as a resource that does not exist. Deployment configurations take no tags
 * (CreateDeploymentConfig has no `tags`; botocore's TagResource names applications and
 * deployment groups): an existing one is ArnNotSupportedException, a missing one
 * DeploymentConfigDoesNotExistException. ListTagsForResource lists no …DoesNotExistException in
 * botocore, so a missing resource is ArnNotSupportedException there.
 */
export class ResourceTags {
  readonly #deps: DeploymentsDeps;

  constructor(deps: DeploymentsDeps) {
    this.#deps = deps;
  }

  async tag(scope: DeploymentScope, input: TagResourceInput): Promise<void> {
    const arn = parseDeploymentResourceArn(input.ResourceArn);
    const added = checkTagsToAdd(input.Tags);
    const target = await this.#require(scope, arn, input.ResourceArn as string);
    const merged = mergeDeploymentTags(target.tags, added);
    if (merged.length > maxDeploymentResourceTags) {
      throw invalidDeploymentsInput(
        DeploymentsSubject.TagsToAdd,
        `The resource would hold ${merged.length} tags; the limit is ${maxDeploymentResourceTags}`,
        [{ path: 'Tags', message: `at most ${maxDeploymentResourceTags} tags per resource` }],
      );
    }
    if (!(await target.save(merged))) throw target.notFound();
  }

  /** Keys the resource does not have are ignored. */
  async untag(scope: DeploymentScope, input: UntagResourceInput): Promise<void> {
    const arn = parseDeploymentResourceArn(input.ResourceArn);
    const keys = new Set(checkTagKeys(input.TagKeys));
    const target = await this.#require(scope, arn, input.ResourceArn as string);
    const kept = target.tags.filter((tag) => !keys.has(tag.Key));
    if (kept.length === target.tags.length) return;
    if (!(await target.save(kept))) throw target.notFound();
  }

  async list(scope: DeploymentScope, input: ListTagsForResourceInput): Promise<DeploymentTag[]> {
    const arn = parseDeploymentResourceArn(input.ResourceArn);
    const text = input.ResourceArn as string;
    if (arn.type === 'deploymentconfig') {
      throw arnNotSupported(text, 'deployment configurations take no tags');
    }
    const target = await this.#find(scope, arn);
    if (target === undefined) throw arnNotSupported(text, 'no such resource');
    return [...target.tags];
  }

  async #require(
    scope: DeploymentScope,
    arn: DeploymentResourceArn,
    text: string,
  ): Promise<Tagged> {
    if (arn.type === 'deploymentconfig') {
      const name = arn.deploymentConfigName;
      const exists =
        inScope(scope, arn) &&
        (findPredefinedDeploymentConfig(name) !== undefined ||
          (await this.#deps.store.findDeploymentConfig(scope, name)) !== undefined);
      if (!exists) throw deploymentConfigNotFound(name);
      throw arnNotSupported(text, 'deployment configurations take no tags');
    }
    const target = await this.#find(scope, arn);
    if (target !== undefined) return target;
    const { applicationName } = arn;
    if (
      arn.type === 'deploymentgroup' &&
      inScope(scope, arn) &&
      (await this.#deps.store.findApplication(scope, applicationName)) !== undefined
    ) {
      throw deploymentGroupNotFound(applicationName, arn.deploymentGroupName);
    }
    throw applicationNotFound(applicationName);
  }

  async #find(
    scope: DeploymentScope,
    arn: Exclude<DeploymentResourceArn, { type: 'deploymentconfig' }>,
  ): Promise<Tagged | undefined> {
    if (!inScope(scope, arn)) return undefined;
    const { store } = this.#deps;
    const { applicationName } = arn;
    const application = await store.findApplication(scope, applicationName);
    if (application === undefined) return undefined;
    if (arn.type === 'application') {
      return {
        tags: application.tags,
        save: (tags) => store.updateApplicationTags(scope, applicationName, tags),
        notFound: () => applicationNotFound(applicationName),
      };
    }
    const { deploymentGroupName } = arn;
    const stored = await store.findDeploymentGroup(scope, applicationName, deploymentGroupName);
    if (stored === undefined) return undefined;
    return {
      tags: stored.group.tags,
      save: (tags) =>
        store.updateDeploymentGroup(scope, deploymentGroupName, { ...stored.group, tags }),
      notFound: () => deploymentGroupNotFound(applicationName, deploymentGroupName),
    };
  }
}

function inScope(scope: DeploymentScope, arn: DeploymentResourceArn): boolean {
  return arn.accountId === scope.accountId && arn.region === scope.region;
}
