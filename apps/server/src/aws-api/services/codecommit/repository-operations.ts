import {
  RepositorySortBy,
  SortOrder,
  type RepositoryCursor,
  type RepositorySortBy as SortBy,
  type SortOrder as Order,
} from '@slipway/core';
import { AwsError } from '../../aws-error.ts';
import type { AwsOperation } from '../../service-definition.ts';
import {
  actorOf,
  decodeToken,
  encodeToken,
  JsonInput,
  namedRepository,
  scopeOf,
  type CodeCommitDeps,
} from './codecommit-context.ts';
import { repositoryMetadata } from './codecommit-shapes.ts';
import { readTriggers } from './trigger-input.ts';
import { required } from '../../json-input.ts';

const listPageSize = 1000;
const maxBatchNames = 25;

const isCursor = (v: unknown): v is RepositoryCursor =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as RepositoryCursor).id === 'string' &&
  ['string', 'number'].includes(typeof (v as RepositoryCursor).key);

/** Repositories, their tags and triggers. */
export function repositoryOperations(deps: CodeCommitDeps): Record<string, AwsOperation> {
  const { source, urls } = deps;
  return {
    CreateRepository: async (raw, context) => {
      const input = new JsonInput(raw);
      const repository = await source.createRepository(scopeOf(context), {
        name: input.requiredString('repositoryName', 'RepositoryNameRequiredException'),
        description: input.string('repositoryDescription'),
        tags: input.stringMap('tags'),
        kmsKeyId: input.string('kmsKeyId'),
      });
      return { repositoryMetadata: repositoryMetadata(repository, urls) };
    },

    GetRepository: async (raw, context) => {
      const repository = await namedRepository(deps, new JsonInput(raw), context);
      return { repositoryMetadata: repositoryMetadata(repository, urls) };
    },

    BatchGetRepositories: async (raw, context) => {
      const names = new JsonInput(raw).stringList('repositoryNames');
      if (names === undefined)
        throw required('RepositoryNamesRequiredException', 'repositoryNames');
      if (names.length > maxBatchNames) {
        throw new AwsError(
          'MaximumRepositoryNamesExceededException',
          400,
          `At most ${maxBatchNames} repository names`,
        );
      }
      const found = await Promise.all(names.map((n) => source.findRepository(scopeOf(context), n)));
      return {
        repositories: found.flatMap((r) => (r === undefined ? [] : [repositoryMetadata(r, urls)])),
        repositoriesNotFound: names.filter((_, i) => found[i] === undefined),
        errors: [],
      };
    },

    ListRepositories: async (raw, context) => {
      const input = new JsonInput(raw);
      const sortBy = oneOf<SortBy>(
        input.string('sortBy'),
        RepositorySortBy,
        'InvalidSortByException',
      );
      const order = oneOf<Order>(input.string('order'), SortOrder, 'InvalidOrderException');
      const after = decodeToken(input.string('nextToken'), isCursor);
      const scope = scopeOf(context);
      const repositories = await source.listRepositories({
        ...scope,
        sortBy: sortBy ?? 'repositoryName',
        order: order ?? 'ascending',
        after,
        limit: listPageSize + 1,
      });
      const page = repositories.slice(0, listPageSize);
      const last = page.at(-1);
      return {
        repositories: page.map((r) => ({ repositoryName: r.name, repositoryId: r.id })),
        nextToken:
          repositories.length > listPageSize && last !== undefined
            ? encodeToken({
                id: last.id,
                key: sortBy === 'lastModifiedDate' ? last.lastModifiedAt : last.name,
              })
            : undefined,
      };
    },

    UpdateRepositoryName: async (raw, context) => {
      const input = new JsonInput(raw);
      await source.renameRepository(
        scopeOf(context),
        input.requiredString('oldName', 'RepositoryNameRequiredException'),
        input.requiredString('newName', 'RepositoryNameRequiredException'),
      );
      return {};
    },

    UpdateRepositoryDescription: async (raw, context) => {
      const input = new JsonInput(raw);
      const name = input.requiredString('repositoryName', 'RepositoryNameRequiredException');
      await source.updateDescription(scopeOf(context), name, input.string('repositoryDescription'));
      return {};
    },

    DeleteRepository: async (raw, context) => {
      const input = new JsonInput(raw);
      const name = input.requiredString('repositoryName', 'RepositoryNameRequiredException');
      return { repositoryId: await source.deleteRepository(scopeOf(context), name) };
    },

    TagResource: async (raw, context) => {
      const input = new JsonInput(raw);
      const arn = input.requiredString('resourceArn', 'ResourceArnRequiredException');
      const tags = input.stringMap('tags');
      if (tags === undefined) throw required('TagsMapRequiredException', 'tags');
      await source.tagRepository(await source.getRepositoryByArn(scopeOf(context), arn), tags);
      return {};
    },

    UntagResource: async (raw, context) => {
      const input = new JsonInput(raw);
      const arn = input.requiredString('resourceArn', 'ResourceArnRequiredException');
      const keys = input.stringList('tagKeys');
      if (keys === undefined) throw required('TagKeysListRequiredException', 'tagKeys');
      await source.untagRepository(await source.getRepositoryByArn(scopeOf(context), arn), keys);
      return {};
    },

    ListTagsForResource: async (raw, context) => {
      const input = new JsonInput(raw);
      const arn = input.requiredString('resourceArn', 'ResourceArnRequiredException');
      const repository = await source.getRepositoryByArn(scopeOf(context), arn);
      return { tags: repository.tags };
    },

    PutRepositoryTriggers: async (raw, context) => {
      const input = new JsonInput(raw);
      const repository = await namedRepository(deps, input, context);
      const triggers = readTriggers(input, repository.region);
      return { configurationId: await source.putTriggers(repository, triggers) };
    },

    GetRepositoryTriggers: async (raw, context) => {
      const repository = await namedRepository(deps, new JsonInput(raw), context);
      const { configurationId, triggers } = repository.triggers;
      return { configurationId, triggers };
    },

    TestRepositoryTriggers: async (raw, context) => {
      const input = new JsonInput(raw);
      const repository = await namedRepository(deps, input, context);
      const triggers = readTriggers(input, repository.region);
      return source.testTriggers(repository, triggers, actorOf(context));
    },
  };
}

function oneOf<T extends string>(
  value: string | undefined,
  allowed: Record<string, T>,
  code: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!Object.values(allowed).includes(value as T)) {
    throw new AwsError(code, 400, `${value} is not one of ${Object.values(allowed).join(', ')}`);
  }
  return value as T;
}
