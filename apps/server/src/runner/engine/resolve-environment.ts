import {
  builtinVariables,
  computeBuildEnvironment,
  plaintextEnvironment,
  unresolvedVariables,
  type Buildspec,
} from '@slipway/buildspec';
import type { PhaseContext } from './build-model.ts';
import type { BuildRun } from './build-run.ts';

/** A Debian-like image's PATH and a UTF-8 locale, when the caller gives no image environment. */
export const defaultImageEnvironment: Readonly<Record<string, string>> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'C.UTF-8',
};

export type ResolvedEnvironment =
  | {
      readonly ok: true;
      /** The first phase's environment, exactly. */
      readonly env: Readonly<Record<string, string>>;
      /** Values to mask in the log: resolved secrets and variables the caller marked secret. */
      readonly masked: readonly string[];
      /** Names of the project's (and override's) secret variables, which cannot be exported. */
      readonly projectSecretNames: readonly string[];
      /** Lines for the log: variables dropped and why. */
      readonly notes: readonly string[];
    }
  | { readonly ok: false; readonly context: PhaseContext; readonly notes: readonly string[] };

/**
 * The environment the build's commands start with: CodeBuild's built-in variables, then the
 * image, buildspec, project and StartBuild layers in CodeBuild's precedence (computeBuildEnvironment),
 * with Parameter Store and Secrets Manager references resolved through the caller's resolver.
 * A reference nobody can resolve fails the build: running on without the value would only fail
 * later and less clearly.
 */
export async function resolveEnvironment(
  run: BuildRun,
  buildspec: Buildspec,
  resolvedSourceVersion: string | undefined,
): Promise<ResolvedEnvironment> {
  const builtins = builtinVariables({
    region: run.region,
    buildId: run.buildId,
    buildArn: run.buildArn,
    buildNumber: run.buildNumber,
    projectArn: run.projectArn,
    image: run.image,
    initiator: run.initiator,
    srcDir: run.workspace.srcDir,
    startTime: run.startTime,
    sourceVersion: run.sourceVersion,
    resolvedSourceVersion,
    sourceRepoUrl: run.sourceRepoUrl,
    secondarySources: run.workspace.secondarySources.map((s) => ({
      identifier: s.identifier,
      srcDir: s.dir,
      sourceVersion: s.sourceVersion,
    })),
    logPath: run.logPath,
    publicBuildUrl: run.publicBuildUrl,
    home: run.workspace.homeDir,
  });
  const computed = computeBuildEnvironment({
    image: run.environment.image ?? defaultImageEnvironment,
    builtins,
    buildspec: buildspec.env,
    project: run.environment.project,
    override: run.environment.override,
  });
  const notes = computed.ignored.map(
    (v) =>
      `Ignoring ${v.source} variable ${JSON.stringify(v.name)}: ` +
      (v.reason === 'reserved'
        ? 'names beginning CODEBUILD_ are reserved'
        : v.reason === 'invalid-name'
          ? 'not a valid variable name'
          : 'the value holds a NUL byte'),
  );
  const env = plaintextEnvironment(computed);
  const masked: string[] = [];
  const missing: string[] = [];
  for (const entry of unresolvedVariables(computed)) {
    const type = entry.type === 'PARAMETER_STORE' ? 'PARAMETER_STORE' : 'SECRETS_MANAGER';
    const value = await run.secrets?.resolve({ name: entry.name, type, reference: entry.value });
    if (value === undefined || value.includes('\0')) {
      const service = type === 'PARAMETER_STORE' ? 'Parameter Store' : 'Secrets Manager';
      missing.push(`${entry.name} (${service} ${entry.value})`);
      continue;
    }
    env[entry.name] = value;
    masked.push(value);
  }
  if (missing.length > 0) {
    const message =
      `${missing.join(', ')}: Parameter Store and Secrets Manager variables are not supported ` +
      'yet by Slipway unless their values are supplied to the build';
    return { ok: false, context: { statusCode: 'CLIENT_ERROR', message }, notes };
  }
  for (const name of run.maskedVariables ?? []) {
    const value = Object.hasOwn(env, name) ? env[name] : undefined;
    if (value !== undefined) masked.push(value);
  }
  const projectSecretNames = [
    ...(run.environment.project ?? []),
    ...(run.environment.override ?? []),
  ]
    .filter((v) => v.type !== undefined && v.type !== 'PLAINTEXT')
    .map((v) => v.name);
  return { ok: true, env, masked, projectSecretNames, notes };
}
