import type { ArtifactSpec } from '@slipway/buildspec';
import type { ShellState } from '../sandbox/executor.ts';
import type { ArtifactSettings } from './artifact-sink.ts';
import type { EngineContext } from './engine-context.ts';

const maxNameLength = 1024;

/**
 * The artifact's name: the project's, or with overrideArtifactName the buildspec's `name`,
 * which CodeBuild expands with the shell at build time (`myname-$(date +%Y-%m-%d)`,
 * `$CODEBUILD_BUILD_NUMBER`). The expansion runs in the sandbox like any command, with the
 * environment the build ended with. The result must be a relative path without `..`.
 */
export async function expandArtifactName(
  ctx: EngineContext,
  spec: ArtifactSpec,
  settings: ArtifactSettings,
  shell: ShellState,
): Promise<string | { error: string }> {
  const fromBuildspec = settings.overrideArtifactName === true && spec.name !== undefined;
  const raw = fromBuildspec ? (spec.name ?? '') : settings.name;
  let name = raw;
  if (fromBuildspec && /[$`]/.test(raw)) {
    const chunks: Buffer[] = [];
    const variables = Object.fromEntries(
      Object.entries(shell.variables).filter(([key]) => !Object.hasOwn(shell.env, key)),
    );
    const result = await ctx.run.executor.run(
      {
        commands: [`printf '%s' "${raw}"`],
        workspace: ctx.run.workspace.root,
        cwd: ctx.run.workspace.srcDir,
        env: shell.env,
        variables,
        network: ctx.run.network,
        deadline: ctx.run.deadline,
      },
      {
        signal: ctx.run.signal,
        onOutput: (stream, chunk) => {
          if (stream === 'stdout' && chunks.length < 64) chunks.push(chunk);
        },
      },
    );
    if (!result.succeeded)
      return { error: `artifact name '${raw}' could not be expanded by the shell` };
    name = Buffer.concat(chunks).toString('utf8');
  }
  const problem = nameProblem(name);
  return problem === undefined ? name : { error: `artifact name '${name}' ${problem}` };
}

function nameProblem(name: string): string | undefined {
  if (name === '') return 'is empty';
  if (name.length > maxNameLength) return `is longer than ${maxNameLength} characters`;
  if (name.includes('\0') || name.includes('\n')) return 'holds a control character';
  if (name.startsWith('/')) return 'is an absolute path';
  const segments = name.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..'))
    return 'is not a clean relative path';
  return undefined;
}
