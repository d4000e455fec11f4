import type { AwsOperation } from '../../service-definition.ts';
import { readStartBuild } from './build-input.ts';
import { initiatorOf, invalidInputCode, scopeOf, type CodeBuildDeps } from './codebuild-context.ts';
import { buildShape } from './codebuild-shapes.ts';
import { ShapeReader } from './shape-reader.ts';

/**
 * StartBuild, StopBuild, RetryBuild, BatchGetBuilds, ListBuilds, ListBuildsForProject,
 * BatchDeleteBuilds. StopBuild answers at once: a queued build is STOPPED already, a running
 * one is still IN_PROGRESS until its runner stops it (see BuildsService.stopBuild).
 */
export function buildOperations({ builds }: CodeBuildDeps): Record<string, AwsOperation> {
  /** The request's one required member, read before anything else is looked at. */
  const required = (raw: unknown, name: string) => {
    const input = ShapeReader.of(raw, invalidInputCode);
    const value = input.requiredString(name);
    return { input, value };
  };

  return {
    StartBuild: async (raw, context) => {
      const build = await builds.startBuild(
        scopeOf(context),
        readStartBuild(raw, initiatorOf(context)),
      );
      return { build: buildShape(build) };
    },

    StopBuild: async (raw, context) => {
      const { input, value: id } = required(raw, 'id');
      input.problems.throwIfAny();
      return { build: buildShape(await builds.stopBuild(scopeOf(context), id)) };
    },

    RetryBuild: async (raw, context) => {
      const { input, value: id } = required(raw, 'id');
      const idempotencyToken = input.string('idempotencyToken');
      input.problems.throwIfAny();
      const build = await builds.retryBuild(scopeOf(context), {
        id,
        idempotencyToken,
        initiator: initiatorOf(context),
      });
      return { build: buildShape(build) };
    },

    BatchGetBuilds: async (raw, context) => {
      const input = ShapeReader.of(raw, invalidInputCode);
      const ids = input.requiredStringList('ids');
      input.problems.throwIfAny();
      const found = await builds.batchGetBuilds(scopeOf(context), ids);
      return { builds: found.builds.map(buildShape), buildsNotFound: found.buildsNotFound };
    },

    ListBuilds: async (raw, context) => {
      const input = ShapeReader.of(raw, invalidInputCode);
      const listed = await builds.listBuilds(scopeOf(context), {
        sortOrder: input.string('sortOrder'),
        nextToken: input.string('nextToken'),
      });
      return { ids: listed.ids, nextToken: listed.nextToken };
    },

    ListBuildsForProject: async (raw, context) => {
      const { input, value: projectName } = required(raw, 'projectName');
      const sortOrder = input.string('sortOrder');
      const nextToken = input.string('nextToken');
      input.problems.throwIfAny();
      const listed = await builds.listBuildsForProject(scopeOf(context), projectName, {
        sortOrder,
        nextToken,
      });
      return { ids: listed.ids, nextToken: listed.nextToken };
    },

    /** Only finished builds are deleted; the others come back as BUILD_IN_PROGRESS. */
    BatchDeleteBuilds: async (raw, context) => {
      const input = ShapeReader.of(raw, invalidInputCode);
      const ids = input.requiredStringList('ids');
      input.problems.throwIfAny();
      const result = await builds.batchDeleteBuilds(scopeOf(context), ids);
      return {
        buildsDeleted: result.buildsDeleted,
        buildsNotDeleted: result.buildsNotDeleted.map((b) => ({
          id: b.id,
          statusCode: b.statusCode,
        })),
      };
    },
  };
}
