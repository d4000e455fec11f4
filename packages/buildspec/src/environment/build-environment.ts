/**
 * The environment a build's commands see, from its layers in CodeBuild's precedence (aws-compat
 * §4.3, build-spec-ref "env/variables"): StartBuild's environmentVariablesOverride over the
 * project's environment over the buildspec's `env`, each replacing the image's value outright
 * (`PATH: $PATH:/x` is the literal text). Names beginning CODEBUILD_ are reserved: the build's
 * own values always win and a user's are dropped and reported.
 *
 * Parameter Store and Secrets Manager variables stay references here (the value is the
 * parameter name or secret reference) with their type, for the engine to resolve or refuse.
 */
import type { BuildspecEnv } from '../buildspec.model.ts';
import { reservedVariablePrefix } from '../parse-env.ts';

export const variableTypes = ['PLAINTEXT', 'PARAMETER_STORE', 'SECRETS_MANAGER'] as const;
export type VariableType = (typeof variableTypes)[number];

/** A project or StartBuild variable, shaped like CodeBuild's EnvironmentVariable. */
export interface TypedVariable {
  readonly name: string;
  readonly value: string;
  /** Default PLAINTEXT. */
  readonly type?: VariableType;
}

/** Where a value came from, lowest precedence first. */
export type VariableSource = 'image' | 'builtin' | 'buildspec' | 'project' | 'override';

export interface BuildEnvironmentInput {
  /** The image's own environment (PATH, LANG …). */
  readonly image?: Readonly<Record<string, string>>;
  /** From builtinVariables(). */
  readonly builtins: Readonly<Record<string, string>>;
  readonly buildspec?: BuildspecEnv;
  /** The project's `environment.environmentVariables`. */
  readonly project?: readonly TypedVariable[];
  /** StartBuild's `environmentVariablesOverride`. */
  readonly override?: readonly TypedVariable[];
}

export interface EnvironmentEntry {
  readonly name: string;
  /** The value, or for PARAMETER_STORE and SECRETS_MANAGER the reference to resolve. */
  readonly value: string;
  readonly type: VariableType;
  readonly source: VariableSource;
}

export interface IgnoredVariable {
  readonly name: string;
  readonly source: VariableSource;
  readonly reason: 'reserved' | 'invalid-name' | 'invalid-value';
}

export interface BuildEnvironment {
  /** In first-set order. */
  readonly entries: readonly EnvironmentEntry[];
  readonly ignored: readonly IgnoredVariable[];
}

export function computeBuildEnvironment(input: BuildEnvironmentInput): BuildEnvironment {
  const entries = new Map<string, EnvironmentEntry>();
  const ignored: IgnoredVariable[] = [];

  const put = (name: string, value: string, type: VariableType, source: VariableSource) => {
    if (!isValidName(name)) ignored.push({ name, source, reason: 'invalid-name' });
    else if (value.includes('\0')) ignored.push({ name, source, reason: 'invalid-value' });
    else entries.set(name, { name, value, type, source });
  };
  const putUser = (name: string, value: string, type: VariableType, source: VariableSource) => {
    if (name.startsWith(reservedVariablePrefix)) ignored.push({ name, source, reason: 'reserved' });
    else put(name, value, type, source);
  };

  for (const [name, value] of Object.entries(input.image ?? {}))
    put(name, value, 'PLAINTEXT', 'image');
  const builtins = Object.entries(input.builtins);
  // AWS_REGION, HOME and the like are defaults a user may replace; CODEBUILD_* are not.
  for (const [name, value] of builtins) {
    if (!name.startsWith(reservedVariablePrefix)) put(name, value, 'PLAINTEXT', 'builtin');
  }
  const env = input.buildspec;
  // Within the buildspec the order is an assumption (the docs are silent): plaintext, then
  // Parameter Store, then Secrets Manager.
  for (const v of env?.variables ?? []) putUser(v.name, v.value, 'PLAINTEXT', 'buildspec');
  for (const v of env?.parameterStore ?? []) {
    putUser(v.name, v.parameterName, 'PARAMETER_STORE', 'buildspec');
  }
  for (const v of env?.secretsManager ?? []) {
    putUser(v.name, v.reference, 'SECRETS_MANAGER', 'buildspec');
  }
  for (const v of input.project ?? []) putUser(v.name, v.value, v.type ?? 'PLAINTEXT', 'project');
  for (const v of input.override ?? []) putUser(v.name, v.value, v.type ?? 'PLAINTEXT', 'override');
  for (const [name, value] of builtins) {
    if (name.startsWith(reservedVariablePrefix)) put(name, value, 'PLAINTEXT', 'builtin');
  }
  return { entries: [...entries.values()], ignored };
}

/** A process environment holds neither `=` in a name nor NUL anywhere. */
function isValidName(name: string): boolean {
  return name !== '' && !name.includes('=') && !name.includes('\0');
}

/** The plaintext entries as a record for spawning a process. */
export function plaintextEnvironment(env: BuildEnvironment): Record<string, string> {
  return Object.fromEntries(
    env.entries.filter((e) => e.type === 'PLAINTEXT').map((e) => [e.name, e.value]),
  );
}

/** The entries whose values are still references to Parameter Store or Secrets Manager. */
export function unresolvedVariables(env: BuildEnvironment): EnvironmentEntry[] {
  return env.entries.filter((e) => e.type !== 'PLAINTEXT');
}
