/**
 * A parsed buildspec: plain data the build engine plans from. Field names are the
 * camelCase of the buildspec keys; values keep CodeBuild's meaning (strings as written, yes/no as
 * booleans). Maps whose keys the user chooses (variables, report groups, secondary artifacts)
 * are ordered lists, so a key such as `1` or `__proto__` is kept as written and in place.
 */

export const buildspecVersions = ['0.1', '0.2'] as const;
/** 0.1 runs each command in its own shell; 0.2 runs a phase's commands in one shell session. */
export type BuildspecVersion = (typeof buildspecVersions)[number];

/** The command phases in the order they run. */
export const phaseNames = ['install', 'pre_build', 'build', 'post_build'] as const;
export type PhaseName = (typeof phaseNames)[number];

export const shells = ['bash', '/bin/sh', 'powershell.exe', 'cmd.exe'] as const;
export type Shell = (typeof shells)[number];

export interface Buildspec {
  readonly version: BuildspecVersion;
  /** Linux user for every phase without its own `run-as`; undefined means root. */
  readonly runAs: string | undefined;
  readonly env: BuildspecEnv;
  readonly proxy: BuildspecProxy | undefined;
  /** The `batch` section as plain data; batch builds are planned elsewhere. */
  readonly batch: PlainValue | undefined;
  readonly phases: Readonly<Partial<Record<PhaseName, PhaseSpec>>>;
  readonly reports: readonly ReportGroupSpec[];
  readonly artifacts: ArtifactsSpec | undefined;
  readonly cache: CacheSpec | undefined;
}

export type PlainValue = string | null | readonly PlainValue[] | PlainMap;
export interface PlainMap {
  readonly [key: string]: PlainValue;
}

export interface NameValue {
  readonly name: string;
  readonly value: string;
}

export interface BuildspecEnv {
  readonly shell: Shell | undefined;
  /** `env.variables`: plaintext values, scalars kept as written (`8080`, `yes`). */
  readonly variables: readonly NameValue[];
  /** `env.parameter-store`: variable name → SSM parameter name. */
  readonly parameterStore: readonly ParameterStoreVariable[];
  /** `env.secrets-manager`: variable name → secret reference. */
  readonly secretsManager: readonly SecretsManagerVariable[];
  readonly exportedVariables: readonly string[];
  readonly gitCredentialHelper: boolean;
}

export interface ParameterStoreVariable {
  readonly name: string;
  readonly parameterName: string;
}

export interface SecretsManagerVariable {
  readonly name: string;
  /** The reference as written: `secret-id:json-key:version-stage:version-id`. */
  readonly reference: string;
  readonly secretId: string;
  readonly jsonKey: string | undefined;
  readonly versionStage: string | undefined;
  readonly versionId: string | undefined;
}

export interface BuildspecProxy {
  readonly uploadArtifacts: boolean;
  readonly logs: boolean;
}

export interface PhaseSpec {
  readonly runAs: string | undefined;
  /** Undefined: CodeBuild's default transitions apply (see aws-compat §4.2). */
  readonly onFailure: OnFailure | undefined;
  /** `install` only: runtime name → version as written (`18`, `3.x`, `"$MY_VAR"`). */
  readonly runtimeVersions: readonly NameValue[];
  readonly commands: readonly string[];
  readonly finally: readonly string[];
}

/**
 * `on-failure`: ABORT stops the build, CONTINUE goes on to the next phase, RETRY runs the phase
 * again up to `count` times while the failure output matches `pattern` (`RETRY` alone means 3
 * times and `.*`). CodeBuild supports RETRY only on EC2 compute.
 */
export type OnFailure =
  | { readonly action: 'ABORT' }
  | { readonly action: 'CONTINUE' }
  | { readonly action: 'RETRY'; readonly count: number; readonly pattern: string };

export const testReportFormats = [
  'JUNITXML',
  'CUCUMBERJSON',
  'NUNITXML',
  'NUNIT3XML',
  'TESTNGXML',
  'VISUALSTUDIOTRX',
] as const;
export type TestReportFormat = (typeof testReportFormats)[number];

export const coverageReportFormats = [
  'CLOVERXML',
  'COBERTURAXML',
  'JACOCOXML',
  'SIMPLECOV',
] as const;
export type CoverageReportFormat = (typeof coverageReportFormats)[number];

export type ReportFileFormat = TestReportFormat | CoverageReportFormat;

/** The fields that choose files from the workspace, shared by artifacts and reports. */
export interface FileSelection {
  readonly files: readonly string[];
  readonly baseDirectory: string | undefined;
  readonly discardPaths: boolean;
  readonly excludePaths: readonly string[];
}

export interface ReportGroupSpec extends FileSelection {
  /** A report group name (created as `<project>-<name>`) or a report group ARN. */
  readonly name: string;
  /** Upper case; JUNITXML when unset. */
  readonly fileFormat: ReportFileFormat;
}

export interface ArtifactSpec extends FileSelection {
  /** Shell-expanded at build time; used when the project sets overrideArtifactName. */
  readonly name: string | undefined;
  readonly enableSymlinks: boolean;
  readonly s3Prefix: string | undefined;
}

export interface SecondaryArtifactSpec extends ArtifactSpec {
  /** Must match a project `secondaryArtifacts[].artifactIdentifier`. */
  readonly identifier: string;
}

export interface ArtifactsSpec extends ArtifactSpec {
  readonly secondaryArtifacts: readonly SecondaryArtifactSpec[];
}

export const cacheActions = ['restore', 'save'] as const;
export type CacheAction = (typeof cacheActions)[number];

export interface CacheSpec {
  readonly paths: readonly string[];
  /** Shell-expanded at build time, e.g. `npm-$(codebuild-hash-files package-lock.json)`. */
  readonly key: string | undefined;
  readonly fallbackKeys: readonly string[];
  /** Undefined: both restore and save. */
  readonly action: CacheAction | undefined;
}
