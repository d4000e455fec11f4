import { addTagFilterListProblems } from './deployment-group-fields.ts';
import { decodeListToken, encodeListToken } from './deployment-paging.ts';
import type { ListOnPremisesInput, Page } from './deployment-requests.ts';
import { maxBatchSize } from './deployment-resources.ts';
import type { DeploymentsDeps } from './deployments.deps.ts';
import {
  DeploymentsProblems,
  DeploymentsSubject,
  invalidDeploymentsInput,
  onPremisesInstanceNotRegistered,
} from './deployments.errors.ts';
import type { DeploymentScope } from './deployments.ports.ts';
import { matchesOnPremisesTagFilter } from './instance-selection.ts';
import {
  onPremisesRegistrationStatus,
  type OnPremisesInstance,
} from './on-premises-instance.model.ts';
import {
  addOnPremisesInstanceTags,
  checkOnPremisesInstanceName,
  deregisterOnPremisesInstance,
  newOnPremisesInstance,
  parseAddOnPremisesTags,
  parseRemoveOnPremisesTags,
  removeOnPremisesInstanceTags,
  type OnPremisesTagsInput,
  type RegisterOnPremisesInstanceInput,
} from './on-premises-instances.ts';

const pageSize = 100;

/** On-premises instances: registration, tags, and the lists deployment groups choose from. */
export class OnPremisesRegistry {
  readonly #deps: DeploymentsDeps;

  constructor(deps: DeploymentsDeps) {
    this.#deps = deps;
  }

  async register(scope: DeploymentScope, input: RegisterOnPremisesInstanceInput): Promise<void> {
    const name = typeof input.instanceName === 'string' ? input.instanceName : '';
    const instance = newOnPremisesInstance(input, {
      instanceArn: `arn:aws:codedeploy:${scope.region}:${scope.accountId}:instance/${name}`,
      now: this.#deps.clock.now(),
    });
    await this.#deps.store.insertOnPremisesInstance(scope, instance);
  }

  async deregister(scope: DeploymentScope, name: unknown): Promise<void> {
    const instance = await this.get(scope, name);
    await this.#deps.store.updateOnPremisesInstance(
      scope,
      deregisterOnPremisesInstance(instance, this.#deps.clock.now()),
    );
  }

  async get(scope: DeploymentScope, name: unknown): Promise<OnPremisesInstance> {
    checkOnPremisesInstanceName(name);
    const instance = await this.#deps.store.findOnPremisesInstance(scope, name);
    if (instance === undefined) throw onPremisesInstanceNotRegistered(name);
    return instance;
  }

  /** Names not registered are left out, as CodeDeploy does. */
  async batchGet(scope: DeploymentScope, names: unknown): Promise<OnPremisesInstance[]> {
    if (!Array.isArray(names) || names.length === 0) {
      throw invalidDeploymentsInput(
        DeploymentsSubject.InstanceNameRequired,
        'instanceNames must name at least one instance',
      );
    }
    if (names.length > maxBatchSize) {
      throw invalidDeploymentsInput(
        DeploymentsSubject.BatchLimit,
        `instanceNames names ${names.length}; the limit is ${maxBatchSize}`,
      );
    }
    names.forEach((n: unknown, i) => checkOnPremisesInstanceName(n, `instanceNames[${i}]`));
    const found: OnPremisesInstance[] = [];
    for (const name of new Set(names as string[])) {
      const instance = await this.#deps.store.findOnPremisesInstance(scope, name);
      if (instance !== undefined) found.push(instance);
    }
    return found;
  }

  async list(scope: DeploymentScope, input: ListOnPremisesInput): Promise<Page<string>> {
    const problems = new DeploymentsProblems([
      DeploymentsSubject.RegistrationStatus,
      DeploymentsSubject.Tag,
    ]);
    const status = input.registrationStatus;
    if (status !== undefined && status !== 'Registered' && status !== 'Deregistered') {
      problems.add(
        DeploymentsSubject.RegistrationStatus,
        'registrationStatus',
        'must be Registered or Deregistered',
      );
    }
    const filters =
      input.tagFilters === undefined
        ? []
        : addTagFilterListProblems(problems, input.tagFilters, 'tagFilters');
    // A bad filter is InvalidTagFilterException here, not the groups' InvalidTagException.
    const checked = new DeploymentsProblems([
      DeploymentsSubject.RegistrationStatus,
      DeploymentsSubject.TagFilter,
    ]);
    for (const p of problems.list) {
      const subject =
        p.subject === DeploymentsSubject.Tag ? DeploymentsSubject.TagFilter : p.subject;
      checked.add(subject, p.path, p.message);
    }
    checked.throwIfAny();
    const after = decodeListToken(input.nextToken, 'instances');
    const all = await this.#deps.store.listOnPremisesInstances(scope);
    const names = all
      .filter((i) => status === undefined || onPremisesRegistrationStatus(i) === status)
      .filter(
        (i) =>
          filters === undefined ||
          filters.length === 0 ||
          filters.some((f) => matchesOnPremisesTagFilter(i.tags, f)),
      )
      .map((i) => i.instanceName)
      .filter((n) => after === undefined || n > after);
    if (names.length <= pageSize) return { items: names };
    const page = names.slice(0, pageSize);
    return { items: page, nextToken: encodeListToken('instances', page[pageSize - 1] as string) };
  }

  async addTags(scope: DeploymentScope, input: OnPremisesTagsInput): Promise<void> {
    const { instanceNames, tags } = parseAddOnPremisesTags(input);
    const instances = await this.#all(scope, instanceNames);
    const updated = instances.map((i) => addOnPremisesInstanceTags(i, tags));
    for (const instance of updated)
      await this.#deps.store.updateOnPremisesInstance(scope, instance);
  }

  async removeTags(scope: DeploymentScope, input: OnPremisesTagsInput): Promise<void> {
    const { instanceNames, tags } = parseRemoveOnPremisesTags(input);
    const instances = await this.#all(scope, instanceNames);
    for (const instance of instances) {
      await this.#deps.store.updateOnPremisesInstance(
        scope,
        removeOnPremisesInstanceTags(instance, tags),
      );
    }
  }

  /** Every named instance, or InstanceNotRegisteredException for the first that is not. */
  async #all(scope: DeploymentScope, names: readonly string[]): Promise<OnPremisesInstance[]> {
    const instances: OnPremisesInstance[] = [];
    for (const name of names) {
      const instance = await this.#deps.store.findOnPremisesInstance(scope, name);
      if (instance === undefined || instance.deregisterTime !== undefined) {
        throw onPremisesInstanceNotRegistered(name);
      }
      instances.push(instance);
    }
    return instances;
  }
}
