/**
 * `env.exported-variables`: which names leave the build as its exportedEnvironmentVariables
 * (and a CodePipeline action's output variables), read from the environment as it stands at the
 * end of post_build. CodeBuild refuses to export names beginning AWS_ and the project's Parameter
 * Store and Secrets Manager variables; CodePipeline accepts only names of `[A-Za-z0-9@_-]+`
 * (botocore OutputVariablesKey) and bounds the total size of an action's output variables.
 */
import type { NameValue } from '../buildspec.model.ts';

/** The total size CodePipeline allows an action's output variables, in characters. */
export const defaultMaxExportedLength = 122_880;

export interface ExportedVariablesInput {
  /** The buildspec's `env.exported-variables`. */
  readonly names: readonly string[];
  /** The build's environment when post_build ended. */
  readonly values: Readonly<Record<string, string>>;
  /** Names of the project's PARAMETER_STORE and SECRETS_MANAGER variables. */
  readonly projectSecretNames?: readonly string[];
  /** Names plus values, summed; default defaultMaxExportedLength. */
  readonly maxTotalLength?: number;
}

export interface RefusedExport {
  readonly name: string;
  readonly reason: 'aws-prefix' | 'project-secret' | 'invalid-name' | 'too-large';
}

export interface ExportedVariables {
  /** In the order listed; a variable that is not set is exported empty. */
  readonly exported: readonly NameValue[];
  readonly refused: readonly RefusedExport[];
}

const outputVariableName = /^[A-Za-z0-9@_-]+$/;

export function collectExportedVariables(input: ExportedVariablesInput): ExportedVariables {
  const secrets = new Set(input.projectSecretNames ?? []);
  const limit = input.maxTotalLength ?? defaultMaxExportedLength;
  const exported: NameValue[] = [];
  const refused: RefusedExport[] = [];
  const seen = new Set<string>();
  let total = 0;
  for (const name of input.names) {
    if (seen.has(name)) continue;
    seen.add(name);
    if (!outputVariableName.test(name)) refused.push({ name, reason: 'invalid-name' });
    else if (name.startsWith('AWS_')) refused.push({ name, reason: 'aws-prefix' });
    else if (secrets.has(name)) refused.push({ name, reason: 'project-secret' });
    else {
      const value = Object.hasOwn(input.values, name) ? (input.values[name] ?? '') : '';
      if (total + name.length + value.length > limit) {
        refused.push({ name, reason: 'too-large' });
        continue;
      }
      total += name.length + value.length;
      exported.push({ name, value });
    }
  }
  return { exported, refused };
}
