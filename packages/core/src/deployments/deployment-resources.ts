import { AppErrorKind } from '../errors/app-error.ts';
import type { DeploymentApplication } from './application.model.ts';
import {
  checkApplicationName,
  newDeploymentApplication,
  parseApplicationRename,
  renameDeploymentApplication,
  type CreateApplicationInput,
  type UpdateApplicationInput,
} from './applications.ts';
import {
  findPredefinedDeploymentConfig,
  type DeploymentConfig,
} from './deployment-config.model.ts';
import {
  checkDeletableDeploymentConfig,
  checkDeploymentConfigName,
  newDeploymentConfig,
  type DeploymentConfigInput,
} from './deployment-configs.ts';
import {
  applyDeploymentGroupUpdate,
  checkDeploymentGroupKey,
  newDeploymentGroup,
  parseDeploymentGroupUpdate,
  type CreateDeploymentGroupInput,
  type UpdateDeploymentGroupInput,
} from './deployment-groups.ts';
import { decodeListToken, encodeListToken, pageOf } from './deployment-paging.ts';
import type {
  BatchResult,
  DeploymentGroupInfo,
  GetRevisionInput,
  ListRevisionsInput,
  Page,
  RegisterRevisionInput,
  RevisionInfo,
} from './deployment-requests.ts';
import type { RevisionLocation } from './deployment.model.ts';
import type { DeploymentsDeps } from './deployments.deps.ts';
import {
  applicationNotFound,
  deploymentConfigInUse,
  deploymentConfigNotFound,
  deploymentGroupNotFound,
  deploymentsError,
  DeploymentsProblems,
  DeploymentsSubject,
  invalidDeploymentsInput,
} from './deployments.errors.ts';
import type { DeploymentScope } from './deployments.ports.ts';
import { parseRevisionLocation } from './revision-location.ts';

/** botocore `BatchGet*` limits: "The maximum number of names or IDs allowed for this request (100)". */
export const maxBatchSize = 100;
/** botocore `Description`: CodeDeploy documents no length; Slipway keeps 1,000 characters. */
const maxDescriptionLength = 1000;
const pageSize = 100;

/** Applications, deployment groups, custom configurations and revisions: CRUD with AWS's rules. */
export class DeploymentResources {
  readonly #deps: DeploymentsDeps;

  constructor(deps: DeploymentsDeps) {
    this.#deps = deps;
  }

  async createApplication(scope: DeploymentScope, input: CreateApplicationInput): Promise<string> {
    const application = newDeploymentApplication(input, {
      id: this.#deps.random.uuid(),
      now: this.#deps.clock.now(),
    });
    await this.#deps.store.insertApplication(scope, application);
    return application.applicationId;
  }

  async getApplication(scope: DeploymentScope, name: unknown): Promise<DeploymentApplication> {
    checkApplicationName(name);
    return this.requireApplication(scope, name);
  }

  async requireApplication(scope: DeploymentScope, name: string): Promise<DeploymentApplication> {
    const application = await this.#deps.store.findApplication(scope, name);
    if (application === undefined) throw applicationNotFound(name);
    return application;
  }

  async batchGetApplications(
    scope: DeploymentScope,
    names: unknown,
  ): Promise<DeploymentApplication[]> {
    const list = checkNameList(
      names,
      'applicationNames',
      DeploymentsSubject.ApplicationNameRequired,
    );
    list.forEach((name, i) => checkApplicationName(name, `applicationNames[${i}]`));
    const found: DeploymentApplication[] = [];
    for (const name of new Set(list as string[])) {
      found.push(await this.requireApplication(scope, name));
    }
    return found;
  }

  async listApplications(scope: DeploymentScope, nextToken: unknown): Promise<Page<string>> {
    const after = decodeListToken(nextToken, 'applications');
    const items = await this.#deps.store.listApplications(scope, { after, limit: pageSize + 1 });
    return pageOf(
      items.map((a) => a.applicationName),
      pageSize,
      (last) => encodeListToken('applications', last),
    );
  }

  async updateApplication(scope: DeploymentScope, input: UpdateApplicationInput): Promise<void> {
    const { applicationName, newApplicationName } = parseApplicationRename(input);
    const application = await this.requireApplication(scope, applicationName);
    if (applicationName === newApplicationName) return;
    renameDeploymentApplication(application, newApplicationName);
    const renamed = await this.#deps.store.renameApplication(
      scope,
      applicationName,
      newApplicationName,
    );
    if (!renamed) throw applicationNotFound(applicationName);
  }

  /** Deleting a missing application succeeds, as in CodeDeploy (botocore lists no NotFound). */
  async deleteApplication(scope: DeploymentScope, name: unknown): Promise<void> {
    checkApplicationName(name);
    await this.#deps.store.deleteApplication(scope, name);
  }

  async registerRevision(scope: DeploymentScope, input: RegisterRevisionInput): Promise<void> {
    checkApplicationName(input.applicationName);
    const revision = parseRevisionLocation(input.revision);
    const description = checkDescription(input.description);
    await this.requireApplication(scope, input.applicationName);
    const existing = await this.#deps.store.findRevision(scope, input.applicationName, revision);
    await this.#deps.store.upsertRevision(scope, {
      ...(existing ?? {
        applicationName: input.applicationName,
        deploymentGroups: [],
        registerTime: this.#deps.clock.now(),
      }),
      revision,
      ...(description === undefined ? {} : { description }),
    });
  }

  async getRevision(scope: DeploymentScope, input: GetRevisionInput): Promise<RevisionInfo> {
    checkApplicationName(input.applicationName);
    const revision = parseRevisionLocation(input.revision);
    await this.requireApplication(scope, input.applicationName);
    const found = await this.#deps.store.findRevision(scope, input.applicationName, revision);
    if (found === undefined) {
      throw deploymentsError(
        AppErrorKind.NotFound,
        DeploymentsSubject.RevisionMissing,
        `No revision s3://${revision.s3Location.bucket}/${revision.s3Location.key} is registered with application ${input.applicationName}`,
      );
    }
    return {
      applicationName: input.applicationName,
      revision: found.revision,
      revisionInfo: found,
    };
  }

  async listRevisions(
    scope: DeploymentScope,
    input: ListRevisionsInput,
  ): Promise<Page<RevisionLocation>> {
    checkApplicationName(input.applicationName);
    const query = parseRevisionQuery(input);
    await this.requireApplication(scope, input.applicationName);
    const all = await this.#deps.store.listRevisions(scope, input.applicationName);
    const chosen = all.filter((r) => {
      const s3 = r.revision.s3Location;
      if (query.bucket !== undefined && s3.bucket !== query.bucket) return false;
      if (query.keyPrefix !== undefined && !s3.key.startsWith(query.keyPrefix)) return false;
      const deployed = r.firstUsedTime !== undefined;
      if (query.deployed === 'include' && !deployed) return false;
      if (query.deployed === 'exclude' && deployed) return false;
      return true;
    });
    const sortKey = (r: (typeof chosen)[number]) =>
      query.sortBy === 'firstUsedTime'
        ? (r.firstUsedTime ?? 0)
        : query.sortBy === 'lastUsedTime'
          ? (r.lastUsedTime ?? 0)
          : r.registerTime;
    chosen.sort((a, b) => (sortKey(a) - sortKey(b)) * (query.descending ? -1 : 1));
    const start = Number(decodeListToken(input.nextToken, 'revisions') ?? '0');
    const slice = chosen.slice(start, start + pageSize);
    const more = start + pageSize < chosen.length;
    return {
      items: slice.map((r) => r.revision),
      ...(more ? { nextToken: encodeListToken('revisions', String(start + pageSize)) } : {}),
    };
  }

  async createDeploymentGroup(
    scope: DeploymentScope,
    input: CreateDeploymentGroupInput,
  ): Promise<string> {
    const group = newDeploymentGroup(input, { id: this.#deps.random.uuid() });
    await this.requireApplication(scope, group.applicationName);
    await this.requireConfig(scope, group.deploymentConfigName);
    await this.#deps.store.insertDeploymentGroup(scope, group);
    return group.deploymentGroupId;
  }

  async getDeploymentGroup(
    scope: DeploymentScope,
    applicationName: unknown,
    name: unknown,
  ): Promise<DeploymentGroupInfo> {
    const key = checkDeploymentGroupKey(applicationName, name);
    await this.requireApplication(scope, key.applicationName);
    const stored = await this.#deps.store.findDeploymentGroup(
      scope,
      key.applicationName,
      key.deploymentGroupName,
    );
    if (stored === undefined) {
      throw deploymentGroupNotFound(key.applicationName, key.deploymentGroupName);
    }
    return stored;
  }

  async batchGetDeploymentGroups(
    scope: DeploymentScope,
    applicationName: unknown,
    names: unknown,
  ): Promise<BatchResult<DeploymentGroupInfo>> {
    checkApplicationName(applicationName);
    const list = checkNameList(
      names,
      'deploymentGroupNames',
      DeploymentsSubject.DeploymentGroupNameRequired,
    );
    list.forEach((n) => checkDeploymentGroupKey(applicationName, n));
    await this.requireApplication(scope, applicationName);
    const found: DeploymentGroupInfo[] = [];
    const missing: string[] = [];
    for (const name of new Set(list as string[])) {
      const stored = await this.#deps.store.findDeploymentGroup(scope, applicationName, name);
      if (stored === undefined) missing.push(name);
      else found.push(stored);
    }
    return {
      found,
      ...(missing.length > 0
        ? { errorMessage: `Deployment groups not found: ${missing.join(', ')}` }
        : {}),
    };
  }

  async listDeploymentGroups(
    scope: DeploymentScope,
    applicationName: unknown,
    nextToken: unknown,
  ): Promise<Page<string>> {
    checkApplicationName(applicationName);
    await this.requireApplication(scope, applicationName);
    const after = decodeListToken(nextToken, 'groups');
    const groups = await this.#deps.store.listDeploymentGroups(scope, applicationName, {
      after,
      limit: pageSize + 1,
    });
    return pageOf(
      groups.map((g) => g.deploymentGroupName),
      pageSize,
      (last) => encodeListToken('groups', last),
    );
  }

  async updateDeploymentGroup(
    scope: DeploymentScope,
    input: UpdateDeploymentGroupInput,
  ): Promise<void> {
    const update = parseDeploymentGroupUpdate(input);
    await this.requireApplication(scope, update.applicationName);
    const stored = await this.#deps.store.findDeploymentGroup(
      scope,
      update.applicationName,
      update.currentDeploymentGroupName,
    );
    if (stored === undefined) {
      throw deploymentGroupNotFound(update.applicationName, update.currentDeploymentGroupName);
    }
    const updated = applyDeploymentGroupUpdate(stored.group, update.changes);
    if (update.changes.deploymentConfigName !== undefined) {
      await this.requireConfig(scope, updated.deploymentConfigName);
    }
    const saved = await this.#deps.store.updateDeploymentGroup(
      scope,
      update.currentDeploymentGroupName,
      updated,
    );
    if (!saved) {
      throw deploymentGroupNotFound(update.applicationName, update.currentDeploymentGroupName);
    }
  }

  /** Deleting a missing group succeeds (botocore lists no DoesNotExist for it). */
  async deleteDeploymentGroup(
    scope: DeploymentScope,
    applicationName: unknown,
    name: unknown,
  ): Promise<void> {
    const key = checkDeploymentGroupKey(applicationName, name);
    await this.#deps.store.deleteDeploymentGroup(
      scope,
      key.applicationName,
      key.deploymentGroupName,
    );
  }

  async createDeploymentConfig(
    scope: DeploymentScope,
    input: DeploymentConfigInput,
  ): Promise<string> {
    const config = newDeploymentConfig(input, {
      id: this.#deps.random.uuid(),
      now: this.#deps.clock.now(),
    });
    await this.#deps.store.insertDeploymentConfig(scope, config);
    return config.id;
  }

  async getDeploymentConfig(scope: DeploymentScope, name: unknown): Promise<DeploymentConfig> {
    checkDeploymentConfigName(name as string | undefined);
    return this.requireConfig(scope, name as string);
  }

  async requireConfig(scope: DeploymentScope, name: string): Promise<DeploymentConfig> {
    const config =
      findPredefinedDeploymentConfig(name) ??
      (await this.#deps.store.findDeploymentConfig(scope, name));
    if (config === undefined) throw deploymentConfigNotFound(name);
    return config;
  }

  /** Predefined configurations first, then the account's own by name. */
  async listDeploymentConfigs(scope: DeploymentScope, nextToken: unknown): Promise<Page<string>> {
    const after = decodeListToken(nextToken, 'configs');
    const custom = await this.#deps.store.listDeploymentConfigs(scope, {
      after: after?.startsWith('CodeDeployDefault.') === true ? undefined : after,
      limit: pageSize + 1,
    });
    const predefined =
      after === undefined
        ? [
            'CodeDeployDefault.AllAtOnce',
            'CodeDeployDefault.HalfAtATime',
            'CodeDeployDefault.OneAtATime',
          ]
        : [];
    return pageOf(
      [...predefined, ...custom.map((c) => c.name)],
      pageSize + predefined.length,
      (last) => encodeListToken('configs', last),
    );
  }

  async deleteDeploymentConfig(scope: DeploymentScope, name: unknown): Promise<void> {
    checkDeletableDeploymentConfig(name as string | undefined);
    const configName = name as string;
    if (await this.#deps.store.isDeploymentConfigInUse(scope, configName)) {
      throw deploymentConfigInUse(configName);
    }
    await this.#deps.store.deleteDeploymentConfig(scope, configName);
  }
}

function checkNameList(names: unknown, path: string, required: DeploymentsSubject): unknown[] {
  if (!Array.isArray(names) || names.length === 0) {
    throw invalidDeploymentsInput(required, `${path} must name at least one`, [
      { path, message: 'must name at least one' },
    ]);
  }
  if (names.length > maxBatchSize) {
    throw invalidDeploymentsInput(
      DeploymentsSubject.BatchLimit,
      `${path} names ${names.length}; the limit is ${maxBatchSize}`,
      [{ path, message: `must name at most ${maxBatchSize}` }],
    );
  }
  return names;
}

/** DescriptionTooLongException. */
export function checkDescription(description: unknown): string | undefined {
  if (description === undefined || description === null) return undefined;
  if (typeof description !== 'string' || description.length > maxDescriptionLength) {
    throw invalidDeploymentsInput(
      DeploymentsSubject.Description,
      `The description is longer than ${maxDescriptionLength} characters`,
      [{ path: 'description', message: `must be at most ${maxDescriptionLength} characters` }],
    );
  }
  return description;
}

function parseRevisionQuery(input: ListRevisionsInput) {
  const problems = new DeploymentsProblems([
    DeploymentsSubject.SortBy,
    DeploymentsSubject.SortOrder,
    DeploymentsSubject.BucketNameFilterRequired,
    DeploymentsSubject.BucketNameFilter,
    DeploymentsSubject.KeyPrefixFilter,
    DeploymentsSubject.DeployedStateFilter,
  ]);
  const { sortBy, sortOrder, s3Bucket, s3KeyPrefix, deployed } = input;
  if (
    sortBy !== undefined &&
    !['registerTime', 'firstUsedTime', 'lastUsedTime'].includes(sortBy as string)
  ) {
    problems.add(
      DeploymentsSubject.SortBy,
      'sortBy',
      'must be registerTime, firstUsedTime or lastUsedTime',
    );
  }
  if (sortOrder !== undefined && sortOrder !== 'ascending' && sortOrder !== 'descending') {
    problems.add(DeploymentsSubject.SortOrder, 'sortOrder', 'must be ascending or descending');
  }
  if (s3Bucket !== undefined && (typeof s3Bucket !== 'string' || s3Bucket === '')) {
    problems.add(DeploymentsSubject.BucketNameFilter, 's3Bucket', 'must be a bucket name');
  }
  if (s3KeyPrefix !== undefined && s3Bucket === undefined) {
    problems.add(
      DeploymentsSubject.BucketNameFilterRequired,
      's3Bucket',
      'is required with s3KeyPrefix',
    );
  }
  if (s3KeyPrefix !== undefined && typeof s3KeyPrefix !== 'string') {
    problems.add(DeploymentsSubject.KeyPrefixFilter, 's3KeyPrefix', 'must be a string');
  }
  if (deployed !== undefined && !['include', 'exclude', 'ignore'].includes(deployed as string)) {
    problems.add(
      DeploymentsSubject.DeployedStateFilter,
      'deployed',
      'must be include, exclude or ignore',
    );
  }
  problems.throwIfAny();
  return {
    sortBy: (sortBy as string | undefined) ?? 'registerTime',
    descending: sortOrder === 'descending',
    bucket: s3Bucket as string | undefined,
    keyPrefix: s3KeyPrefix as string | undefined,
    deployed: (deployed as string | undefined) ?? 'ignore',
  };
}
