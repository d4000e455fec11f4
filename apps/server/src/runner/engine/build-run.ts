import type { TypedVariable, VariableType } from '@slipway/buildspec';
import type { Executor } from '../sandbox/executor.ts';
import type { SandboxUser } from '../sandbox/sandbox-user.ts';
import type { ArtifactSettings } from './artifact-sink.ts';
import type { BuildWorkspace } from './build-workspace.ts';

/**
 * Everything one build needs, transport-free: the server runner builds it from a claimed job,
 * `slipway build` from its command line. Nothing here is read from the environment.
 */
export interface BuildRun {
  /** `<project>:<uuid>`. */
  readonly buildId: string;
  /** `arn:aws:codebuild:<region>:<account>:build/<project>:<uuid>`. */
  readonly buildArn: string;
  readonly buildNumber: number;
  readonly projectName: string;
  readonly projectArn?: string;
  readonly region: string;
  readonly accountId: string;
  /** CODEBUILD_INITIATOR: `codepipeline/<name>`, a user name … */
  readonly initiator: string;
  /** Epoch milliseconds: CODEBUILD_START_TIME. */
  readonly startTime: number;
  /** CODEBUILD_BUILD_IMAGE. */
  readonly image: string;
  /** Where the buildspec is: a path in the primary source (default `buildspec.yml`) or text. */
  readonly buildspec: BuildspecSource;
  readonly environment: EnvironmentLayers;
  /** Variables whose values are masked in the log as well as the resolved secrets. */
  readonly maskedVariables?: readonly string[];
  /** Resolves Parameter Store and Secrets Manager references; without it they fail the build. */
  readonly secrets?: SecretResolver;
  /** Whether the build may reach the network. */
  readonly network: boolean;
  /** Epoch milliseconds after which the running phase is killed and the build TIMED_OUT. */
  readonly deadline: number;
  readonly workspace: BuildWorkspace;
  /** Fills the source directories in DOWNLOAD_SOURCE. */
  readonly prepareSource: PrepareSource;
  /** CODEBUILD_SOURCE_VERSION, as asked for. */
  readonly sourceVersion?: string;
  readonly sourceRepoUrl?: string;
  /**
   * The project's settings for the primary artifact (identifier undefined) or the secondary one
   * with that artifactIdentifier; undefined when the project has none (NO_ARTIFACTS, or no such
   * secondary artifact). The buildspec decides the files, the project how they are packaged.
   */
  readonly artifactSettings?: (identifier: string | undefined) => ArtifactSettings | undefined;
  /**
   * A per-project directory (owned by the engine's user, never bound into the sandbox) for the
   * buildspec's `cache.paths`, restored before INSTALL and saved after a successful build.
   * Undefined: the project has no cache.
   */
  readonly cacheDir?: string;
  readonly executor: Executor;
  /** The account the executor runs builds as; the engine hands it the trees it fills. */
  readonly sandboxUser: SandboxUser;
  /** Aborting stops the build: the running phase is killed and the build is STOPPED. */
  readonly signal?: AbortSignal;
  /** CODEBUILD_LOG_PATH (the log stream name). */
  readonly logPath?: string;
  readonly publicBuildUrl?: string;
}

export type BuildspecSource =
  | { readonly kind: 'file'; readonly path?: string }
  | { readonly kind: 'inline'; readonly text: string };

/** computeBuildEnvironment's layers, lowest precedence first. */
export interface EnvironmentLayers {
  /** The image's environment; default a plain PATH. */
  readonly image?: Readonly<Record<string, string>>;
  readonly project?: readonly TypedVariable[];
  /** StartBuild's environmentVariablesOverride. */
  readonly override?: readonly TypedVariable[];
}

export interface SecretReference {
  /** The variable's name. */
  readonly name: string;
  readonly type: Exclude<VariableType, 'PLAINTEXT'>;
  /** The parameter name, or the `secret-id:json-key:version-stage:version-id` reference. */
  readonly reference: string;
}

/** Resolves one secret; undefined when it has no value for it (the build then fails). */
export interface SecretResolver {
  resolve(reference: SecretReference): Promise<string | undefined>;
}

export interface PrepareSourceInput {
  readonly workspace: BuildWorkspace;
  /** Aborted when the build is stopped or times out. */
  readonly signal: AbortSignal;
  /** Adds an agent line to the build log. */
  readonly log: (message: string) => void;
}

export interface PreparedSource {
  /** CODEBUILD_RESOLVED_SOURCE_VERSION: the commit built, when there is one. */
  readonly resolvedSourceVersion?: string;
}

/**
 * DOWNLOAD_SOURCE's work: put the primary source in `workspace.srcDir` (and secondary sources in
 * theirs). `slipway build` copies the current directory; the server runner downloads from the
 * repository or the artifact store. A rejection fails the build in DOWNLOAD_SOURCE with
 * CLIENT_ERROR and the error's message.
 */
export type PrepareSource = (input: PrepareSourceInput) => Promise<PreparedSource>;
