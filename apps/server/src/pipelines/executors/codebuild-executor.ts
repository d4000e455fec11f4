import {
  isAppError,
  type ActionControls,
  type ActionExecutor,
  type ActionResult,
  type ActionTask,
} from '@slipway/core';
import { failedResult, isActionResult, messageOf } from './action-results.ts';
import {
  idempotencyTokenOf,
  runBuildAction,
  type BuildActionDeps,
  type BuildPlan,
} from './build-action.ts';
import { artifactOverrides, environmentVariablesOf, sourceOverrides } from './build-inputs.ts';

/**
 * Build/AWS/CodeBuild/1 and Test/AWS/CodeBuild/1: one build of the named project, reading the
 * input artifacts as its sources and writing its artifacts at the output artifacts' keys, with
 * the action's EnvironmentVariables as overrides. Batch builds are refused.
 */
export class CodeBuildExecutor implements ActionExecutor {
  readonly #deps: BuildActionDeps;

  constructor(deps: BuildActionDeps) {
    this.#deps = deps;
  }

  execute(task: ActionTask, controls: ActionControls): Promise<ActionResult> {
    return runBuildAction(this.#deps, task, controls, () => this.#plan(task));
  }

  async #plan(task: ActionTask): Promise<BuildPlan> {
    const config = task.configuration;
    const projectName = config.ProjectName ?? '';
    if (projectName === '') {
      return { failed: failedResult('ProjectName is required', 'ConfigurationError') };
    }
    if ((config.BatchEnabled ?? '').toLowerCase() === 'true') {
      return {
        failed: failedResult('Batch builds are not supported by Slipway', 'ConfigurationError'),
      };
    }
    const variables = environmentVariablesOf(config.EnvironmentVariables);
    if (!Array.isArray(variables)) return { failed: variables };
    const project = await this.#deps.builds.findProject(task.scope, projectName).catch((error) => {
      if (!isAppError(error)) throw error;
      return failedResult(`Project cannot be found: ${projectName} (${messageOf(error)})`);
    });
    if (project === undefined) {
      return {
        failed: failedResult(`Project cannot be found: ${projectName}`, 'ConfigurationError'),
      };
    }
    if (isActionResult(project)) return { failed: project };
    const sources = await sourceOverrides(
      this.#deps.artifacts,
      task.scope,
      task.inputArtifacts,
      config.PrimarySource,
    );
    if (isActionResult(sources)) return { failed: sources };
    const artifacts = artifactOverrides(task.outputArtifacts);
    if (isActionResult(artifacts)) return { failed: artifacts };
    return {
      request: {
        projectName: project.name,
        initiator: task.initiator,
        idempotencyToken: idempotencyTokenOf(task),
        ...sources,
        ...artifacts,
        ...(variables.length === 0 ? {} : { environmentVariablesOverride: variables }),
      },
    };
  }
}
