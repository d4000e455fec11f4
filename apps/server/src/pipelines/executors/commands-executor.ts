import {
  AppErrorKind,
  isAppError,
  type ActionControls,
  type ActionExecutor,
  type ActionResult,
  type ActionTask,
  type ProjectInput,
  type Scope,
} from '@slipway/core';
import { failedResult, isActionResult } from './action-results.ts';
import {
  idempotencyTokenOf,
  runBuildAction,
  type BuildActionDeps,
  type BuildPlan,
} from './build-action.ts';
import { artifactOverrides, sourceOverrides } from './build-inputs.ts';

/**
 * The build project Commands actions run on, one per account and region, created on first use.
 * AWS runs Commands on CodeBuild compute the user never sees; Slipway needs a project to start
 * a build, so it keeps one with a name that says what it is for. It is an ordinary project
 * (ListProjects shows it, and its builds are there to read), which is more useful than hiding
 * it; deleting it is harmless, as the next Commands action creates it again. Every setting that
 * matters (source, buildspec, artifacts, variables) comes from the action as StartBuild
 * overrides, so editing the project changes only its defaults (image, timeouts).
 */
export const commandsProjectName = 'slipway-pipeline-commands';

/**
 * Compute/AWS/Commands/1: the action's commands as the build phase of a synthesized buildspec,
 * run on the build engine with the input artifacts as sources (the first is primary), every
 * file of the source directory as the output artifact, and the declared output variables
 * exported. Starting, resuming and waiting are the CodeBuild action's.
 */
export class CommandsExecutor implements ActionExecutor {
  readonly #deps: BuildActionDeps;

  constructor(deps: BuildActionDeps) {
    this.#deps = deps;
  }

  execute(task: ActionTask, controls: ActionControls): Promise<ActionResult> {
    return runBuildAction(this.#deps, task, controls, () => this.#plan(task));
  }

  async #plan(task: ActionTask): Promise<BuildPlan> {
    if (task.commands.length === 0) {
      return { failed: failedResult('The action has no commands', 'ConfigurationError') };
    }
    if (task.outputArtifacts.length > 1) {
      return {
        failed: failedResult(
          'A Commands action has at most one output artifact',
          'ConfigurationError',
        ),
      };
    }
    const sources = await sourceOverrides(
      this.#deps.artifacts,
      task.scope,
      task.inputArtifacts,
      undefined,
    );
    if (isActionResult(sources)) return { failed: sources };
    const artifacts = artifactOverrides(task.outputArtifacts);
    if (isActionResult(artifacts)) return { failed: artifacts };
    await this.#ensureProject(task.scope);
    const variables = task.environmentVariables.map((v) => ({
      name: v.name,
      value: v.value,
      type: v.type ?? 'PLAINTEXT',
    }));
    return {
      request: {
        projectName: commandsProjectName,
        initiator: task.initiator,
        idempotencyToken: idempotencyTokenOf(task),
        buildspecOverride: commandsBuildspec(task),
        ...sources,
        ...artifacts,
        ...(variables.length === 0 ? {} : { environmentVariablesOverride: variables }),
      },
    };
  }

  async #ensureProject(scope: Scope): Promise<void> {
    const { builds } = this.#deps;
    if ((await builds.findProject(scope, commandsProjectName)) !== undefined) return;
    try {
      await builds.createProject(scope, commandsProjectInput(scope));
    } catch (error) {
      // Another action created it meanwhile.
      if (!isAppError(error) || error.kind !== AppErrorKind.AlreadyExists) throw error;
    }
  }
}

/** The managed project: no source or artifacts of its own; each build brings them. */
export function commandsProjectInput(scope: Scope): ProjectInput {
  return {
    name: commandsProjectName,
    description: 'Runs the commands of CodePipeline Commands actions (managed by Slipway)',
    source: {
      type: 'NO_SOURCE',
      buildspec: 'version: 0.2\nphases:\n  build:\n    commands:\n      - "true"\n',
    },
    artifacts: { type: 'NO_ARTIFACTS' },
    environment: {
      type: 'LINUX_CONTAINER',
      // The image AWS documents for Commands actions.
      image: 'aws/codebuild/amazonlinux-x86_64-standard:5.0',
      computeType: 'BUILD_GENERAL1_SMALL',
    },
    serviceRole: `arn:aws:iam::${scope.accountId}:role/${commandsProjectName}`,
  };
}

/**
 * Buildspec 0.2 running the commands in the build phase. Every string is written as a JSON
 * string, which YAML reads as the same double-quoted scalar, so no command can change the
 * document's structure.
 */
export function commandsBuildspec(
  task: Pick<ActionTask, 'commands' | 'outputVariableNames' | 'outputArtifacts'>,
): string {
  const list = (indent: string, items: readonly string[]) =>
    items.map((item) => `${indent}- ${JSON.stringify(item)}\n`).join('');
  let text = 'version: 0.2\n';
  if (task.outputVariableNames.length > 0) {
    text += `env:\n  exported-variables:\n${list('    ', task.outputVariableNames)}`;
  }
  text += `phases:\n  build:\n    commands:\n${list('      ', task.commands)}`;
  if (task.outputArtifacts.length > 0) text += `artifacts:\n  files:\n${list('    ', ['**/*'])}`;
  return text;
}
