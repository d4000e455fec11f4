import type { TypedVariable, VariableType } from '@slipway/buildspec';

/**
 * A build project: CodeBuild's `Project`, with its field names and enums (botocore codebuild
 * 2016-10-06), scoped by account and region. Times are epoch milliseconds. Optional fields are
 * undefined when unset, never null.
 */
export interface Project {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  /** `arn:aws:codebuild:<region>:<account>:project/<name>`. */
  readonly arn: string;
  readonly description: string | undefined;
  readonly source: ProjectSource;
  readonly secondarySources: readonly ProjectSource[];
  readonly sourceVersion: string | undefined;
  readonly secondarySourceVersions: readonly ProjectSourceVersion[];
  readonly artifacts: ProjectArtifacts;
  readonly secondaryArtifacts: readonly ProjectArtifacts[];
  readonly cache: ProjectCache;
  readonly environment: ProjectEnvironment;
  readonly serviceRole: string;
  readonly timeoutInMinutes: number;
  readonly queuedTimeoutInMinutes: number;
  readonly encryptionKey: string | undefined;
  /** Includes Slipway's own `slipway:network` tag when set (see `sandboxNetworkTag`). */
  readonly tags: readonly Tag[];
  readonly badgeEnabled: boolean;
  readonly logsConfig: LogsConfig;
  /** Undefined: no project limit. */
  readonly concurrentBuildLimit: number | undefined;
  readonly created: number;
  readonly lastModified: number;
}

/** Source types Slipway builds from; CodeBuild's others are refused as unsupported. */
export const supportedSourceTypes = ['CODECOMMIT', 'S3', 'NO_SOURCE', 'CODEPIPELINE'] as const;
export const sourceTypes = [
  ...supportedSourceTypes,
  'GITHUB',
  'GITLAB',
  'GITLAB_SELF_MANAGED',
  'BITBUCKET',
  'GITHUB_ENTERPRISE',
] as const;
export type SourceType = (typeof sourceTypes)[number];

export interface ProjectSource {
  readonly type: SourceType;
  /** CODECOMMIT: the repository's clone URL; S3: `bucket/key` of a zip; unset otherwise. */
  readonly location?: string | undefined;
  /** 0 (or unset) is a full clone. */
  readonly gitCloneDepth?: number | undefined;
  readonly gitSubmodulesConfig?: { readonly fetchSubmodules: boolean } | undefined;
  /** Inline YAML, a path relative to CODEBUILD_SRC_DIR, or `arn:aws:s3:::bucket/key`. */
  readonly buildspec?: string | undefined;
  readonly reportBuildStatus?: boolean | undefined;
  readonly insecureSsl?: boolean | undefined;
  /** Required for secondary sources: names CODEBUILD_SRC_DIR_<identifier>. */
  readonly sourceIdentifier?: string | undefined;
}

export interface ProjectSourceVersion {
  readonly sourceIdentifier: string;
  readonly sourceVersion: string;
}

export const artifactsTypes = ['NO_ARTIFACTS', 'S3', 'CODEPIPELINE'] as const;
export type ArtifactsType = (typeof artifactsTypes)[number];
export const artifactNamespaces = ['NONE', 'BUILD_ID'] as const;
export type ArtifactNamespace = (typeof artifactNamespaces)[number];
export const artifactPackagings = ['NONE', 'ZIP'] as const;
export type ArtifactPackaging = (typeof artifactPackagings)[number];

export interface ProjectArtifacts {
  readonly type: ArtifactsType;
  /** S3: the output bucket. */
  readonly location?: string | undefined;
  readonly path?: string | undefined;
  readonly namespaceType?: ArtifactNamespace | undefined;
  readonly name?: string | undefined;
  readonly packaging?: ArtifactPackaging | undefined;
  readonly overrideArtifactName?: boolean | undefined;
  readonly encryptionDisabled?: boolean | undefined;
  /** Required for secondary artifacts: the buildspec's `secondary-artifacts` key. */
  readonly artifactIdentifier?: string | undefined;
}

/** LOCAL only: an S3 cache is refused as unsupported. */
export const cacheTypes = ['NO_CACHE', 'LOCAL'] as const;
export type CacheType = (typeof cacheTypes)[number];
export const cacheModes = [
  'LOCAL_DOCKER_LAYER_CACHE',
  'LOCAL_SOURCE_CACHE',
  'LOCAL_CUSTOM_CACHE',
] as const;
export type CacheMode = (typeof cacheModes)[number];

export interface ProjectCache {
  readonly type: CacheType;
  readonly modes?: readonly CacheMode[] | undefined;
}

/** The Linux environment types; Windows and macOS ones are refused as unsupported. */
export const supportedEnvironmentTypes = [
  'LINUX_CONTAINER',
  'ARM_CONTAINER',
  'LINUX_GPU_CONTAINER',
  'LINUX_LAMBDA_CONTAINER',
  'ARM_LAMBDA_CONTAINER',
  'LINUX_EC2',
  'ARM_EC2',
] as const;
export const environmentTypes = [
  ...supportedEnvironmentTypes,
  'WINDOWS_CONTAINER',
  'WINDOWS_SERVER_2019_CONTAINER',
  'WINDOWS_SERVER_2022_CONTAINER',
  'WINDOWS_EC2',
  'MAC_ARM',
] as const;
export type EnvironmentType = (typeof environmentTypes)[number];

export const computeTypes = [
  'BUILD_GENERAL1_SMALL',
  'BUILD_GENERAL1_MEDIUM',
  'BUILD_GENERAL1_LARGE',
  'BUILD_GENERAL1_XLARGE',
  'BUILD_GENERAL1_2XLARGE',
  'BUILD_LAMBDA_1GB',
  'BUILD_LAMBDA_2GB',
  'BUILD_LAMBDA_4GB',
  'BUILD_LAMBDA_8GB',
  'BUILD_LAMBDA_10GB',
  'ATTRIBUTE_BASED_COMPUTE',
  'CUSTOM_INSTANCE_TYPE',
] as const;
export type ComputeType = (typeof computeTypes)[number];

export const imagePullCredentialsTypes = ['CODEBUILD', 'SERVICE_ROLE'] as const;
export type ImagePullCredentialsType = (typeof imagePullCredentialsTypes)[number];

/** CodeBuild's EnvironmentVariable is the buildspec package's TypedVariable, type always set. */
export interface EnvironmentVariable extends TypedVariable {
  readonly type: VariableType;
}

export interface ProjectEnvironment {
  readonly type: EnvironmentType;
  readonly image: string;
  readonly computeType: ComputeType;
  readonly environmentVariables: readonly EnvironmentVariable[];
  readonly privilegedMode: boolean;
  readonly certificate?: string | undefined;
  readonly imagePullCredentialsType: ImagePullCredentialsType;
}

export const logsConfigStatuses = ['ENABLED', 'DISABLED'] as const;
export type LogsConfigStatus = (typeof logsConfigStatuses)[number];

export interface LogsConfig {
  readonly cloudWatchLogs: {
    readonly status: LogsConfigStatus;
    /** Default `/aws/codebuild/<project>`. */
    readonly groupName?: string | undefined;
    /** A prefix: the build's stream is `<streamName>/<uuid>`. */
    readonly streamName?: string | undefined;
  };
  /** DISABLED only: S3 logs are refused as unsupported. */
  readonly s3Logs: { readonly status: LogsConfigStatus };
}

export interface Tag {
  readonly key: string;
  readonly value: string;
}

/**
 * Slipway's sandbox network setting, carried as a project tag so the AWS shapes need nothing
 * new: `slipway:network` = `host` (the default: the build shares the runner's network) or
 * `none` (the sandbox gets only a loopback interface). Any other value is refused.
 */
export const sandboxNetworkTag = 'slipway:network';
export const sandboxNetworks = ['host', 'none'] as const;
export type SandboxNetwork = (typeof sandboxNetworks)[number];
export const defaultSandboxNetwork: SandboxNetwork = 'host';

export function sandboxNetworkOf(tags: readonly Tag[]): SandboxNetwork {
  const value = tags.find((t) => t.key === sandboxNetworkTag)?.value;
  return value === 'none' ? 'none' : defaultSandboxNetwork;
}

export function projectArn(scope: { accountId: string; region: string }, name: string): string {
  return `arn:aws:codebuild:${scope.region}:${scope.accountId}:project/${name}`;
}

/** The project a `name` or project ARN names in the caller's account, or undefined if neither. */
export function projectNameOf(
  scope: { accountId: string; region: string },
  nameOrArn: string,
): string | undefined {
  const prefix = `arn:aws:codebuild:${scope.region}:${scope.accountId}:project/`;
  if (nameOrArn.startsWith('arn:')) {
    return nameOrArn.startsWith(prefix) ? nameOrArn.slice(prefix.length) : undefined;
  }
  return nameOrArn;
}

export const defaultTimeoutInMinutes = 60;
export const minTimeoutInMinutes = 5;
export const maxTimeoutInMinutes = 2160;
/** CodeBuild's default queue timeout is eight hours, also its maximum. */
export const defaultQueuedTimeoutInMinutes = 480;
export const minQueuedTimeoutInMinutes = 5;
export const maxQueuedTimeoutInMinutes = 480;

export const defaultLogsConfig: LogsConfig = {
  cloudWatchLogs: { status: 'ENABLED' },
  s3Logs: { status: 'DISABLED' },
};
