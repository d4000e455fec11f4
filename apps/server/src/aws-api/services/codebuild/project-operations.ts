import type { AwsOperation } from '../../service-definition.ts';
import { invalidInputCode, scopeOf, type CodeBuildDeps } from './codebuild-context.ts';
import { projectShape } from './codebuild-shapes.ts';
import { readCreateProject, readUpdateProject } from './project-input.ts';
import { ShapeReader } from './shape-reader.ts';

/** CreateProject, UpdateProject, DeleteProject, BatchGetProjects, ListProjects. */
export function projectOperations({ builds }: CodeBuildDeps): Record<string, AwsOperation> {
  return {
    CreateProject: async (raw, context) => {
      const project = await builds.createProject(scopeOf(context), readCreateProject(raw));
      return { project: projectShape(project) };
    },

    UpdateProject: async (raw, context) => {
      const project = await builds.updateProject(scopeOf(context), readUpdateProject(raw));
      return { project: projectShape(project) };
    },

    /** Not an error when there is no such project, as in CodeBuild. */
    DeleteProject: async (raw, context) => {
      const input = ShapeReader.of(raw, invalidInputCode);
      const name = input.requiredString('name');
      input.problems.throwIfAny();
      await builds.deleteProject(scopeOf(context), name);
      return {};
    },

    BatchGetProjects: async (raw, context) => {
      const input = ShapeReader.of(raw, invalidInputCode);
      const names = input.requiredStringList('names');
      input.problems.throwIfAny();
      const found = await builds.batchGetProjects(scopeOf(context), names);
      return {
        projects: found.projects.map(projectShape),
        projectsNotFound: found.projectsNotFound,
      };
    },

    ListProjects: async (raw, context) => {
      const input = ShapeReader.of(raw, invalidInputCode);
      const listed = await builds.listProjects(scopeOf(context), {
        sortBy: input.string('sortBy'),
        sortOrder: input.string('sortOrder'),
        nextToken: input.string('nextToken'),
      });
      return { projects: listed.projects, nextToken: listed.nextToken };
    },
  };
}
