import { findVariableReferences, replaceVariableReferences } from './variable-references.ts';
import type { VariableReference } from './variable-references.ts';

/**
 * Resolves the variable references of an action's configuration before the action runs
 * ("Variable resolution", reference-variables.html): every reference must resolve, or the action
 * fails without starting, with the message AWS shows (quoted from the console in
 * aws-samples/ecs-blue-green-deployment-with-codedeploy#4). Limits from AWS's quotas page: the
 * resolved configuration of one action is at most 100 KB; an action's output variables together
 * at most 122880 bytes (OutputVariablesSizeExceededException for the producer).
 *
 * Resolution is plain text substitution in one pass: a resolved value containing `#{a.b}` is
 * not resolved again, so a commit message cannot inject references.
 */
export const RESERVED_NAMESPACES = {
  CodePipeline: 'codepipeline',
  Variables: 'variables',
} as const;

export const MAX_RESOLVED_CONFIGURATION_BYTES = 100 * 1024;
export const MAX_OUTPUT_VARIABLES_BYTES = 122_880;

/**
 * Configuration keys whose value is a JSON document with references inside its strings. AWS
 * substitutes raw text there, so a value with `"` or a newline (a commit message) yields invalid
 * JSON — a known AWS bug (aws/aws-cdk#8458, #31213). Slipway escapes resolved values for JSON in
 * these keys instead; for values without `"`, `\` or control characters the result is the same.
 */
export const CODEBUILD_JSON_STRING_KEYS: ReadonlySet<string> = new Set(['EnvironmentVariables']);

/** What an action's configuration can reference at run time. */
export interface VariableScope {
  /** `#{codepipeline.PipelineExecutionId}`. */
  readonly pipelineExecutionId: string;
  /** `#{variables.<name>}`: V2 pipeline-level values (overrides merged over defaults). */
  readonly pipelineVariables: ReadonlyMap<string, string>;
  /**
   * Output variables by action namespace, holding only actions that ran before this one (an
   * earlier stage, or a lower runOrder in the same stage). Reserved namespaces take precedence;
   * declaration validation keeps actions from using them.
   */
  readonly namespaces: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

export interface UnresolvedReference {
  /** The configuration key whose value holds the reference. */
  readonly key: string;
  readonly reference: VariableReference;
  readonly reason: 'unknown-namespace' | 'unknown-variable';
}

export const ResolutionFailureCode = {
  UnresolvedVariables: 'UnresolvedVariables',
  ConfigurationTooLarge: 'ConfigurationTooLarge',
} as const;
export type ResolutionFailureCode =
  (typeof ResolutionFailureCode)[keyof typeof ResolutionFailureCode];

export interface ResolutionFailure {
  readonly code: ResolutionFailureCode;
  /** For the action's `errorDetails.message` and the execution's status summary. */
  readonly message: string;
  /** Every reference that failed, for logs and the console; empty for a size failure. */
  readonly unresolved: readonly UnresolvedReference[];
}

export type ConfigurationResolution =
  | { readonly ok: true; readonly configuration: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly failure: ResolutionFailure };

/** The value of `#{namespace.name}` in the scope, or undefined. Case-sensitive. */
export function findVariableValue(
  scope: VariableScope,
  namespace: string,
  name: string,
): string | undefined {
  if (namespace === RESERVED_NAMESPACES.CodePipeline) {
    return name === 'PipelineExecutionId' ? scope.pipelineExecutionId : undefined;
  }
  if (namespace === RESERVED_NAMESPACES.Variables) return scope.pipelineVariables.get(name);
  return scope.namespaces.get(namespace)?.get(name);
}

/** Resolves every value of an action's configuration, or says precisely what failed. */
export function resolveActionConfiguration(options: {
  readonly actionName: string;
  readonly configuration: Readonly<Record<string, string>>;
  readonly scope: VariableScope;
  /** Keys whose value is JSON with references inside strings; see CODEBUILD_JSON_STRING_KEYS. */
  readonly jsonStringKeys?: ReadonlySet<string> | undefined;
}): ConfigurationResolution {
  const { actionName, configuration, scope } = options;
  const unresolved = Object.entries(configuration).flatMap(([key, value]) =>
    findUnresolved(scope, key, value),
  );
  if (unresolved.length > 0) {
    const message = `An action in this pipeline failed because one or more variables could not be resolved: Action name=${actionName}`;
    return { ok: false, failure: { code: 'UnresolvedVariables', message, unresolved } };
  }
  const resolved: Record<string, string> = {};
  let bytes = 0;
  for (const [key, value] of Object.entries(configuration)) {
    const escape = options.jsonStringKeys?.has(key) === true ? escapeJsonString : identity;
    const text = replaceVariableReferences(value, (namespace, name) =>
      escape(findVariableValue(scope, namespace, name) ?? ''),
    );
    resolved[key] = text;
    bytes += utf8Length(key) + utf8Length(text);
  }
  if (bytes > MAX_RESOLVED_CONFIGURATION_BYTES) {
    // AWS's wording for this case is not documented; this message is Slipway's.
    const message = `The resolved action configuration is ${bytes} bytes, more than the limit of ${MAX_RESOLVED_CONFIGURATION_BYTES}: Action name=${actionName}`;
    return { ok: false, failure: { code: 'ConfigurationTooLarge', message, unresolved: [] } };
  }
  return { ok: true, configuration: resolved };
}

function findUnresolved(scope: VariableScope, key: string, value: string): UnresolvedReference[] {
  return findVariableReferences(value).references.flatMap((reference) => {
    if (findVariableValue(scope, reference.namespace, reference.name) !== undefined) return [];
    const known =
      reference.namespace === RESERVED_NAMESPACES.CodePipeline ||
      reference.namespace === RESERVED_NAMESPACES.Variables ||
      scope.namespaces.has(reference.namespace);
    return [{ key, reference, reason: known ? 'unknown-variable' : 'unknown-namespace' }];
  });
}

/** Whether a producer's output variables exceed AWS's combined limit (names and values). */
export function outputVariablesTooLarge(variables: ReadonlyMap<string, string>): boolean {
  let bytes = 0;
  for (const [name, value] of variables) bytes += utf8Length(name) + utf8Length(value);
  return bytes > MAX_OUTPUT_VARIABLES_BYTES;
}

function identity(value: string): string {
  return value;
}

/** The inside of a JSON string literal holding `value`. */
function escapeJsonString(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
