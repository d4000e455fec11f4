import type { Tag } from '../builds/project.model.ts';
import { AppError, AppErrorKind, type FieldProblem } from '../errors/app-error.ts';
import type { Scope } from '../source/source.deps.ts';
import { checkCustomActionType } from './check-custom-action-type.ts';
import type {
  CustomActionProperty,
  CustomActionSettings,
  CustomActionType,
  CustomActionTypeKey,
} from './custom-action-types.ports.ts';
import type { CountRange } from './declaration/action-providers.ts';
import { customActionChecker } from './declaration/check-custom-actions.ts';
import type { ActionCategory, ActionTypeId } from './declaration/declaration.model.ts';
import { checkTags } from './pipeline-definitions.ts';
import { pipelinesError, PipelinesSubject } from './pipelines.errors.ts';
import type { PipelinesContext } from './pipelines.context.ts';

/** CodePipeline's quota: custom actions per account and region. */
export const maxCustomActionTypes = 50;

export interface CreateCustomActionTypeInput {
  readonly category: ActionCategory;
  readonly provider: string;
  readonly version: string;
  readonly settings?: CustomActionSettings | undefined;
  readonly configurationProperties?: readonly CustomActionProperty[] | undefined;
  readonly inputArtifactDetails: CountRange;
  readonly outputArtifactDetails: CountRange;
  readonly tags?: readonly Tag[] | undefined;
}

/**
 * CreateCustomActionType and DeleteCustomActionType, and what the rest of the component asks of
 * the registered types: the declaration check of `owner: Custom` actions, and whether
 * PollForJobs may poll a type. A deleted type keeps its key: creating it again is refused,
 * unless the definition is identical, which restores it (DeleteCustomActionType's documentation).
 */
export class CustomActionTypes {
  readonly #context: PipelinesContext;

  constructor(context: PipelinesContext) {
    this.#context = context;
  }

  get #store() {
    return this.#context.deps.customActionTypes;
  }

  async create(scope: Scope, input: CreateCustomActionTypeInput): Promise<CustomActionType> {
    const problems = checkCustomActionType(input);
    if (problems.length > 0) throw invalidActionType(problems);
    const tags = checkTags(input.tags ?? []);
    const candidate: CustomActionType = {
      ...scope,
      category: input.category,
      provider: input.provider,
      version: input.version,
      ...definitionOf({
        settings: input.settings ?? {},
        configurationProperties: input.configurationProperties ?? [],
        inputArtifacts: input.inputArtifactDetails,
        outputArtifacts: input.outputArtifactDetails,
      }),
      tags,
      created: this.#context.deps.clock.now(),
      deleted: undefined,
    };
    const existing = await this.#store.findCustomActionType(candidate);
    if (existing !== undefined) return this.#recreate(existing, candidate);
    const active = await this.#store.listCustomActionTypes(scope);
    if (active.length >= maxCustomActionTypes) {
      throw pipelinesError(
        AppErrorKind.LimitExceeded,
        PipelinesSubject.CustomActionTypes,
        `An account can have at most ${maxCustomActionTypes} custom action types in a region`,
      );
    }
    await this.#store.insertCustomActionType(candidate);
    return candidate;
  }

  async delete(key: CustomActionTypeKey): Promise<void> {
    const at = this.#context.deps.clock.now();
    if (!(await this.#store.markCustomActionTypeDeleted(key, at))) {
      throw pipelinesError(
        AppErrorKind.NotFound,
        PipelinesSubject.CustomActionType,
        `Custom action type ${nameOf(key)} does not exist`,
      );
    }
  }

  list(scope: Scope): Promise<CustomActionType[]> {
    return this.#store.listCustomActionTypes(scope);
  }

  /** The declaration check of `owner: Custom` actions against the scope's types. */
  async checker(scope: Scope): Promise<ReturnType<typeof customActionChecker>> {
    return customActionChecker(await this.list(scope));
  }

  /** ActionTypeNotFound unless `id` is a custom type of the scope that is not deleted. */
  async requireActive(scope: Scope, id: ActionTypeId): Promise<void> {
    const type =
      id.owner === 'Custom'
        ? await this.#store.findCustomActionType({ ...scope, ...id })
        : undefined;
    if (type === undefined || type.deleted !== undefined) {
      throw pipelinesError(
        AppErrorKind.NotFound,
        PipelinesSubject.ActionType,
        `Action type ${id.category}/${id.owner}/${id.provider}/${id.version} does not exist`,
      );
    }
  }

  async #recreate(
    existing: CustomActionType,
    candidate: CustomActionType,
  ): Promise<CustomActionType> {
    const identical =
      JSON.stringify(definitionOf(existing)) === JSON.stringify(definitionOf(candidate));
    if (existing.deleted !== undefined && identical) {
      // "To restore a deleted custom action, use a JSON file that is identical to the deleted
      // action, including the original string in the version field."
      if (await this.#store.restoreCustomActionType(existing)) {
        return { ...existing, deleted: undefined };
      }
    }
    throw pipelinesError(
      AppErrorKind.AlreadyExists,
      PipelinesSubject.CustomActionType,
      existing.deleted === undefined
        ? `Custom action type ${nameOf(existing)} already exists`
        : `Custom action type ${nameOf(existing)} was deleted: it can only be restored with its identical definition; create it under a version that was never used`,
    );
  }
}

type Definition = Pick<
  CustomActionType,
  'settings' | 'configurationProperties' | 'inputArtifacts' | 'outputArtifacts'
>;

/** The definition with its members in one order and absent ones left out, to store and compare. */
function definitionOf(type: Definition): Definition {
  const s = type.settings;
  return {
    settings: prune({
      thirdPartyConfigurationUrl: s.thirdPartyConfigurationUrl,
      entityUrlTemplate: s.entityUrlTemplate,
      executionUrlTemplate: s.executionUrlTemplate,
      revisionUrlTemplate: s.revisionUrlTemplate,
    }),
    configurationProperties: type.configurationProperties.map((p) =>
      prune({
        name: p.name,
        required: p.required,
        key: p.key,
        secret: p.secret,
        queryable: p.queryable,
        description: p.description,
        type: p.type,
      }),
    ),
    inputArtifacts: { min: type.inputArtifacts.min, max: type.inputArtifacts.max },
    outputArtifacts: { min: type.outputArtifacts.min, max: type.outputArtifacts.max },
  };
}

function prune<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function nameOf(key: CustomActionTypeKey): string {
  return `${key.category}/Custom/${key.provider}/${key.version}`;
}

function invalidActionType(problems: readonly FieldProblem[]): AppError {
  const message = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  return new AppError(AppErrorKind.InvalidInput, message, {
    resource: PipelinesSubject.Input,
    problems,
  });
}
