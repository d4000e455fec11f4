import { AppErrorKind } from '../errors/app-error.ts';
import type { Tag } from '../builds/project.model.ts';
import type { Scope } from '../source/source.deps.ts';
import type { ActionTypeId } from './declaration/declaration.model.ts';
import {
  DeclarationSubject,
  invalidDeclaration,
  type DeclarationProblem,
} from './declaration/declaration-problems.ts';
import { evaluatedRuleProviders } from './engine/stage-conditions.ts';
import { validatePipelineDeclaration } from './declaration/validate-pipeline-declaration.ts';
import type { DeclarationContext, ValidatedPipeline } from './declaration/validated-pipeline.ts';
import type { CustomActionType } from './custom-action-types.ports.ts';
import type { CustomActionTypes } from './custom-action-types.ts';
import { pipelineArn, type Pipeline, type PipelineKey } from './pipeline.model.ts';
import type {
  ActionTypeInfo,
  CreatePipelineInput,
  ListPipelinesInput,
  ListPipelinesOutput,
  UpdatePipelineInput,
} from './pipeline-requests.ts';
import {
  invalidPipelineInput,
  pipelineNotFound,
  pipelinesError,
  PipelinesSubject,
} from './pipelines.errors.ts';
import type { PipelinesContext } from './pipelines.context.ts';
import { decodeToken, encodeToken } from './page-tokens.ts';

const maxTags = 50;

/** Create, read, update and delete of pipeline declarations; tags; the action type catalogue. */
export class PipelineDefinitions {
  readonly #context: PipelinesContext;
  readonly #customTypes: CustomActionTypes;

  constructor(context: PipelinesContext, customTypes: CustomActionTypes) {
    this.#context = context;
    this.#customTypes = customTypes;
  }

  /** Validates a declaration; `owner: Custom` actions against the scope's custom action types. */
  async validate(scope: Scope, input: unknown): Promise<ValidatedPipeline> {
    return this.validateWith(input, await this.#customTypes.checker(scope));
  }

  validateWith(
    input: unknown,
    checkCustomAction: DeclarationContext['checkCustomAction'],
  ): ValidatedPipeline {
    const validation = validatePipelineDeclaration(input, {
      providers: this.#context.deps.providers,
      checkCustomAction,
    });
    if (!validation.ok) throw invalidDeclaration(validation.problems);
    const unsupported = unevaluatedRules(validation.pipeline);
    if (unsupported.length > 0) throw invalidDeclaration(unsupported);
    return validation.pipeline;
  }

  async create(
    scope: Scope,
    input: CreatePipelineInput,
  ): Promise<{ pipeline: Pipeline; tags: Tag[] }> {
    const validated = await this.validate(scope, input.pipeline);
    const tags = checkTags(input.tags ?? []);
    const now = this.#context.deps.clock.now();
    const key = { ...scope, name: validated.name };
    const pipeline: Pipeline = {
      ...key,
      arn: pipelineArn(key),
      version: 1,
      declaration: { ...validated.declaration, version: 1 },
      created: now,
      updated: now,
    };
    await this.#context.deps.store.insertPipeline({ pipeline, tags });
    return { pipeline, tags };
  }

  async update(scope: Scope, input: UpdatePipelineInput): Promise<Pipeline> {
    const validated = await this.validate(scope, input.pipeline);
    const key = { ...scope, name: validated.name };
    const current = await this.get(key);
    const version = current.version + 1;
    const next: Pipeline = {
      ...current,
      version,
      declaration: { ...validated.declaration, version },
      updated: this.#context.deps.clock.now(),
    };
    const stored = await this.#context.deps.store.updatePipeline(next);
    if (stored === undefined) {
      throw pipelinesError(
        AppErrorKind.Conflict,
        PipelinesSubject.PipelineBusy,
        `Pipeline '${key.name}' was changed or deleted by another request; read it again`,
      );
    }
    return stored;
  }

  async get(key: PipelineKey, version?: number): Promise<Pipeline> {
    const pipeline = await this.#context.deps.store.findPipeline(key, version);
    if (pipeline !== undefined) return pipeline;
    if (version !== undefined && (await this.#context.deps.store.findPipeline(key)) !== undefined) {
      throw pipelinesError(
        AppErrorKind.NotFound,
        PipelinesSubject.PipelineVersion,
        `Pipeline '${key.name}' has no version ${version}`,
      );
    }
    throw pipelineNotFound(key.name);
  }

  async list(scope: Scope, input: ListPipelinesInput): Promise<ListPipelinesOutput> {
    const limit = input.maxResults ?? 100;
    const after = input.nextToken === undefined ? undefined : decodeToken(input.nextToken, 'name');
    const rows = await this.#context.deps.store.listPipelines({
      ...scope,
      after: after === undefined ? undefined : String(after),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      pipelines: page,
      nextToken:
        rows.length > limit && last !== undefined ? encodeToken('name', last.name) : undefined,
    };
  }

  // Tags

  async listTags(scope: Scope, arn: string): Promise<Tag[]> {
    await this.#taggable(scope, arn);
    return this.#context.deps.store.findTags(arn);
  }

  async tag(scope: Scope, arn: string, tags: readonly Tag[]): Promise<void> {
    await this.#taggable(scope, arn);
    const current = await this.#context.deps.store.findTags(arn);
    const merged = new Map(current.map((t) => [t.key, t.value]));
    for (const tag of checkTags(tags)) merged.set(tag.key, tag.value);
    if (merged.size > maxTags) {
      throw pipelinesError(
        AppErrorKind.LimitExceeded,
        PipelinesSubject.Tags,
        `A pipeline can have at most ${maxTags} tags`,
      );
    }
    if (!(await this.#context.deps.store.tag(arn, tags))) throw taggedResourceMissing(arn);
  }

  async untag(scope: Scope, arn: string, keys: readonly string[]): Promise<void> {
    await this.#taggable(scope, arn);
    if (!(await this.#context.deps.store.untag(arn, keys))) throw taggedResourceMissing(arn);
  }

  async #taggable(scope: Scope, arn: string): Promise<PipelineKey> {
    const match = /^arn:aws:codepipeline:([^:]+):(\d{12}):([A-Za-z0-9.@\-_]+)$/.exec(arn);
    if (match === null) {
      throw pipelinesError(AppErrorKind.InvalidInput, PipelinesSubject.Arn, `Invalid ARN: ${arn}`);
    }
    const key = { accountId: match[2] ?? '', region: match[1] ?? '', name: match[3] ?? '' };
    if (key.accountId !== scope.accountId || key.region !== scope.region) {
      throw taggedResourceMissing(arn);
    }
    if ((await this.#context.deps.store.findPipeline(key)) === undefined) {
      throw taggedResourceMissing(arn);
    }
    return key;
  }

  // Action types

  /** The built-in types, then the scope's custom types (not deleted), filtered by owner. */
  async listActionTypes(scope: Scope, owner: string | undefined): Promise<ActionTypeInfo[]> {
    const custom =
      owner === undefined || owner === 'Custom' ? await this.#customTypes.list(scope) : [];
    return [...this.#builtinActionTypes(owner), ...custom.map(customActionTypeInfo)];
  }

  #builtinActionTypes(owner: string | undefined): ActionTypeInfo[] {
    return this.#context.deps.providers
      .list()
      .filter((spec) => owner === undefined || spec.owner === owner)
      .flatMap((spec) =>
        spec.versions.map((version) => ({
          id: { category: spec.category, owner: spec.owner, provider: spec.provider, version },
          requiredKeys: spec.requiredKeys,
          optionalKeys: spec.optionalKeys,
          inputArtifacts: spec.inputArtifacts,
          outputArtifacts: spec.outputArtifacts,
        })),
      );
  }

  getActionType(id: ActionTypeId): ActionTypeInfo {
    const found = this.#builtinActionTypes(undefined).find(
      (t) =>
        t.id.category === id.category &&
        t.id.owner === id.owner &&
        t.id.provider === id.provider &&
        t.id.version === id.version,
    );
    if (found === undefined) {
      throw pipelinesError(
        AppErrorKind.NotFound,
        PipelinesSubject.ActionType,
        `Action type ${id.category}/${id.owner}/${id.provider}/${id.version} does not exist`,
      );
    }
    return found;
  }
}

/**
 * Stage condition rules Slipway cannot evaluate: refused, so a condition never passes silently.
 */
function unevaluatedRules(pipeline: ValidatedPipeline): DeclarationProblem[] {
  const problems: DeclarationProblem[] = [];
  pipeline.stages.forEach((stage, i) => {
    const kinds = [
      ['beforeEntry', stage.declaration.beforeEntry?.conditions],
      ['onSuccess', stage.declaration.onSuccess?.conditions],
      ['onFailure', stage.declaration.onFailure?.conditions],
    ] as const;
    for (const [kind, conditions] of kinds) {
      conditions?.forEach((condition, j) =>
        condition.rules?.forEach((rule, k) => {
          const provider = rule.ruleTypeId.provider;
          if (evaluatedRuleProviders.includes(provider)) return;
          problems.push({
            subject: DeclarationSubject.Stage,
            path: `stages[${i}].${kind}.conditions[${j}].rules[${k}].ruleTypeId.provider`,
            message: `Slipway does not evaluate ${provider} rules yet (it evaluates ${evaluatedRuleProviders.join(', ')})`,
          });
        }),
      );
    }
  });
  return problems;
}

function customActionTypeInfo(type: CustomActionType): ActionTypeInfo {
  const properties = type.configurationProperties;
  return {
    id: {
      category: type.category,
      owner: 'Custom',
      provider: type.provider,
      version: type.version,
    },
    requiredKeys: properties.filter((p) => p.required).map((p) => p.name),
    optionalKeys: properties.filter((p) => !p.required).map((p) => p.name),
    inputArtifacts: type.inputArtifacts,
    outputArtifacts: type.outputArtifacts,
    custom: { settings: type.settings, configurationProperties: properties },
  };
}

/** At most 50 tags, keys 1 to 128 characters not starting `aws:`, values at most 256. */
export function checkTags(tags: readonly Tag[]): Tag[] {
  if (tags.length > maxTags) {
    throw pipelinesError(
      AppErrorKind.LimitExceeded,
      PipelinesSubject.Tags,
      `A pipeline can have at most ${maxTags} tags`,
    );
  }
  for (const tag of tags) {
    if (tag.key.length < 1 || tag.key.length > 128 || tag.value.length > 256) {
      throw pipelinesError(
        AppErrorKind.InvalidInput,
        PipelinesSubject.Tags,
        `Tag keys are 1 to 128 characters and values at most 256: '${tag.key.slice(0, 40)}'`,
      );
    }
    if (tag.key.startsWith('aws:')) {
      throw pipelinesError(
        AppErrorKind.InvalidInput,
        PipelinesSubject.Tags,
        `Tag keys may not start with 'aws:'`,
      );
    }
  }
  return [...tags];
}

function taggedResourceMissing(arn: string): Error {
  return pipelinesError(
    AppErrorKind.NotFound,
    PipelinesSubject.TaggedResource,
    `The resource ${arn} does not exist`,
  );
}

export { invalidPipelineInput };
