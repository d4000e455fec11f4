import type {
  ActionResult,
  ArtifactLocation,
  EnvironmentVariableInput,
  ProducedArtifact,
  ProjectArtifactsInput,
  ProjectSourceInput,
  ProjectSourceVersion,
  Scope,
  StartBuildInput,
} from '@slipway/core';
import type { PipelineArtifacts } from '../pipeline-artifacts.ts';
import { failedResult } from './action-results.ts';
import { cloneRefOf, cloneUrlOf } from './clone-ref.ts';

/** The StartBuild overrides that make a build read the action's input artifacts. */
export type SourceOverrides = Pick<
  StartBuildInput,
  | 'sourceTypeOverride'
  | 'sourceLocationOverride'
  | 'sourceVersion'
  | 'secondarySourcesOverride'
  | 'secondarySourcesVersionOverride'
>;

/** The StartBuild overrides that make a build write the action's output artifacts. */
export type ArtifactOverrides = Pick<
  StartBuildInput,
  'artifactsOverride' | 'secondaryArtifactsOverride'
>;

/**
 * The primary input becomes the build's source and the others secondary sources named after
 * their artifacts (CODEBUILD_SRC_DIR_<name>), as CodeBuild does for CodePipeline. A zip artifact
 * is an S3 source, which the runner unpacks into the source directory (Slipway's builds door
 * serves S3 and CODEPIPELINE sources alike, but pairs a CODEPIPELINE source with CODEPIPELINE
 * artifacts, which it cannot store at a given key); a CodeCommit clone reference is a
 * CODECOMMIT source at the commit, so the build gets the git history.
 */
export async function sourceOverrides(
  artifacts: PipelineArtifacts,
  scope: Scope,
  inputs: readonly ProducedArtifact[],
  primaryName: string | undefined,
): Promise<SourceOverrides | ActionResult> {
  const primary =
    primaryName === undefined ? inputs[0] : inputs.find((input) => input.name === primaryName);
  if (primary === undefined) {
    return failedResult(
      primaryName === undefined
        ? 'The action has no input artifact'
        : `PrimarySource ${primaryName} is not one of the action's input artifacts`,
      'ConfigurationError',
    );
  }
  const sources: { input: ProducedArtifact; source: ProjectSourceInput; version?: string }[] = [];
  for (const input of [primary, ...inputs.filter((i) => i !== primary)]) {
    const version = await artifacts.find(scope, input.location);
    if (version === undefined) {
      return failedResult(
        `The input artifact ${input.name} does not exist at s3://${input.location.bucket}/${input.location.key}`,
      );
    }
    const ref = cloneRefOf(version);
    sources.push(
      ref === undefined
        ? {
            input,
            source: { type: 'S3', location: `${input.location.bucket}/${input.location.key}` },
          }
        : {
            input,
            source: { type: 'CODECOMMIT', location: cloneUrlOf(scope.region, ref.repositoryName) },
            version: ref.commitId,
          },
    );
  }
  const [first, ...rest] = sources;
  const secondaryVersions: ProjectSourceVersion[] = rest.flatMap(({ input, version }) =>
    version === undefined
      ? []
      : [{ sourceIdentifier: identifierOf(input.name), sourceVersion: version }],
  );
  return {
    sourceTypeOverride: first?.source.type,
    sourceLocationOverride: first?.source.location,
    ...(first?.version === undefined ? {} : { sourceVersion: first.version }),
    secondarySourcesOverride: rest.map(({ input, source }) => ({
      ...source,
      sourceIdentifier: identifierOf(input.name),
    })),
    ...(secondaryVersions.length === 0
      ? {}
      : { secondarySourcesVersionOverride: secondaryVersions }),
  };
}

/**
 * One output artifact is the build's primary artifact; several are secondary artifacts whose
 * identifiers are the artifact names (the buildspec's `secondary-artifacts` keys), as CodeBuild
 * maps them. Each is a ZIP written exactly at its pre-assigned key.
 */
export function artifactOverrides(
  outputs: readonly ProducedArtifact[],
): ArtifactOverrides | ActionResult {
  for (const output of outputs) {
    if (!isPlainKey(output.location.key)) {
      return failedResult(
        `The output artifact key ${output.location.key} cannot be written by a build`,
        'ConfigurationError',
      );
    }
  }
  const [only] = outputs;
  if (outputs.length === 1 && only !== undefined) {
    return { artifactsOverride: zipAt(only.location), secondaryArtifactsOverride: [] };
  }
  return {
    artifactsOverride: { type: 'NO_ARTIFACTS' },
    secondaryArtifactsOverride: outputs.map((output) => ({
      ...zipAt(output.location),
      artifactIdentifier: identifierOf(output.name),
    })),
  };
}

/** CodeBuild's EnvironmentVariables configuration: a JSON array of {name, value, type}. */
export function environmentVariablesOf(
  json: string | undefined,
): EnvironmentVariableInput[] | ActionResult {
  if (json === undefined || json.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return failedResult('EnvironmentVariables is not valid JSON', 'ConfigurationError');
  }
  const variables: EnvironmentVariableInput[] = [];
  for (const item of Array.isArray(parsed) ? (parsed as unknown[]) : [undefined]) {
    const v = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof v.name !== 'string' || typeof v.value !== 'string') {
      return failedResult(
        'EnvironmentVariables must be a JSON array of {name, value, type}',
        'ConfigurationError',
      );
    }
    variables.push({
      name: v.name,
      value: v.value,
      type: typeof v.type === 'string' ? v.type : 'PLAINTEXT',
    });
  }
  return variables;
}

/** A source or artifact identifier from an artifact name: letters, digits and underscores. */
export function identifierOf(artifactName: string): string {
  return artifactName.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 128);
}

function zipAt(location: ArtifactLocation): ProjectArtifactsInput {
  const slash = location.key.lastIndexOf('/');
  return {
    type: 'S3',
    location: location.bucket,
    ...(slash < 0 ? {} : { path: location.key.slice(0, slash) }),
    name: location.key.slice(slash + 1),
    packaging: 'ZIP',
    namespaceType: 'NONE',
    overrideArtifactName: false,
  };
}

/** The builds door joins path segments without empty ones, `.` or `..`: keys it writes back. */
function isPlainKey(key: string): boolean {
  return key.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}
