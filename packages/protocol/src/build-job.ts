/**
 * What a `build` job carries (the claim's `spec`) and the build-specific calls of the job
 * protocol. The server resolves everything at claim time (project settings merged with the
 * StartBuild overrides, a deadline, short-lived credentials for the source), so a runner needs
 * nothing but this and the protocol to run a build.
 */

/** An environment variable as CodeBuild types it. */
export interface JobVariable {
  readonly name: string;
  readonly value: string;
  readonly type: 'PLAINTEXT' | 'PARAMETER_STORE' | 'SECRETS_MANAGER';
}

/** Where DOWNLOAD_SOURCE gets a source from. */
export type JobSource =
  | { readonly kind: 'none' }
  /** CODECOMMIT: the server's git door, with HTTP basic credentials valid for the lease. */
  | {
      readonly kind: 'git';
      readonly url: string;
      readonly username: string;
      readonly password: string;
      /** Branch, tag, ref or commit id; the default branch when absent. */
      readonly version?: string;
      /** gitCloneDepth; 0 is the whole history. */
      readonly depth: number;
    }
  /** S3 or CODEPIPELINE: a zip archive behind a presigned GET URL. */
  | { readonly kind: 'zip'; readonly url: string; readonly version?: string };

export interface JobSecondarySource {
  readonly sourceIdentifier: string;
  readonly source: JobSource;
}

/** A project's artifacts entry, as the engine and the upload call need it. */
export interface JobArtifact {
  /** artifactIdentifier of a secondary artifact; absent for the primary one. */
  readonly identifier?: string;
  readonly packaging: 'NONE' | 'ZIP';
  readonly name: string;
  readonly overrideArtifactName?: boolean;
}

export interface BuildJobSpec {
  readonly buildId: string;
  readonly buildArn: string;
  readonly buildNumber: number;
  readonly projectName: string;
  readonly projectArn: string;
  readonly region: string;
  readonly accountId: string;
  readonly initiator: string;
  /** Epoch ms: CODEBUILD_START_TIME. */
  readonly startTime: number;
  /** Epoch ms after which the build is TIMED_OUT (timeoutInMinutes from its start). */
  readonly deadline: number;
  readonly image: string;
  /** buildspecOverride or the project's `source.buildspec`: inline YAML, or a path in the source. */
  readonly buildspec:
    | { readonly kind: 'inline'; readonly text: string }
    | { readonly kind: 'file'; readonly path: string };
  /** The project's variables, then StartBuild's environmentVariablesOverride. */
  readonly environment: {
    readonly project: readonly JobVariable[];
    readonly override: readonly JobVariable[];
  };
  readonly network: boolean;
  readonly source: JobSource;
  readonly secondarySources: readonly JobSecondarySource[];
  /** CODEBUILD_SOURCE_VERSION as asked for. */
  readonly sourceVersion?: string;
  /** CODEBUILD_SOURCE_REPO_URL. */
  readonly sourceRepoUrl?: string;
  /** Absent for NO_ARTIFACTS. */
  readonly artifact?: JobArtifact;
  readonly secondaryArtifacts: readonly JobArtifact[];
  /** The project's cache is LOCAL: the runner keeps `cache.paths` between its builds. */
  readonly localCache: boolean;
  /** CODEBUILD_LOG_PATH: the log stream. */
  readonly logStream: string;
  readonly publicBuildUrl?: string;
}

/** `POST /jobs/<id>/phases`: a phase began or ended, in order (sequence per job). */
export interface PhaseUpdateRequest {
  readonly leaseId: string;
  readonly sequence: number;
  readonly phaseType: string;
  /** Absent while the phase runs. */
  readonly phaseStatus?:
    'SUCCEEDED' | 'FAILED' | 'FAULT' | 'TIMED_OUT' | 'STOPPED' | 'CLIENT_ERROR';
  readonly startTime: number;
  readonly endTime?: number | undefined;
  readonly contexts?: readonly { readonly statusCode: string; readonly message: string }[];
}

/**
 * `PUT /jobs/<id>/artifacts?leaseId&name&packaging[&identifier][&path]`: the body is the ZIP
 * archive (packaging ZIP), or one file of the tree (packaging NONE, `path` relative to it; no
 * `path` and an empty body only asks where an empty tree is). The server decides where it goes
 * (the project's bucket, path and namespace) and answers the artifact's location.
 */
export interface ArtifactUploadResponse {
  /** `arn:aws:s3:::bucket/key`, as BatchGetBuilds reports it. */
  readonly location: string;
}

export interface JobTestCase {
  readonly testRawDataPath: string;
  readonly prefix: string;
  readonly name: string;
  readonly status: string;
  readonly durationInNanoSeconds: number;
  readonly message?: string | undefined;
  readonly testSuiteName?: string | undefined;
}

export interface JobReport {
  /** As written in the buildspec: a name or a report group ARN. */
  readonly reportGroup: string;
  /** `<project>-<name>`, or the ARN. */
  readonly reportGroupName: string;
  readonly fileFormat: string;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'INCOMPLETE';
  readonly statusMessage?: string | undefined;
  readonly summary: {
    readonly total: number;
    readonly statusCounts: Readonly<Record<string, number>>;
    readonly durationInNanoSeconds: number;
  };
  readonly truncated: boolean;
  /** At most 500, FAILED and ERROR first. */
  readonly testCases: readonly JobTestCase[];
}

/** `POST /jobs/<id>/complete`: the outcome, once; repeated with the same lease it is a no-op. */
export interface BuildCompleteRequest {
  readonly leaseId: string;
  readonly buildStatus: 'SUCCEEDED' | 'FAILED' | 'FAULT' | 'TIMED_OUT' | 'STOPPED';
  readonly endTime: number;
  readonly resolvedSourceVersion?: string | undefined;
  readonly exportedEnvironmentVariables: readonly {
    readonly name: string;
    readonly value: string;
  }[];
  readonly artifacts: readonly {
    readonly identifier?: string | undefined;
    readonly location: string;
    readonly md5sum?: string | undefined;
    readonly sha256sum?: string | undefined;
  }[];
  readonly reports: readonly JobReport[];
}
