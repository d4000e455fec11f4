/**
 * The host-command protocol between the server and deployment agents: CodeDeploy's own agent API
 * (`CodeDeployCommandService_v20141006`, reference/aws-compat.md §5.9), AWS JSON 1.1 over
 * `POST /` on the server's one port, SigV4-signed with signing name `codedeploy-commands` and the
 * instance's access key. The caller must be the IAM user registered with the instance
 * (HostIdentifier = that user's ARN). See decision 15.
 *
 * Slipway's differences from AWS's service, all additive:
 * - PollHostCommand long-polls: it answers at once when a command is ready, else after up to
 *   `maxPollWaitMs` with no HostCommand. (AWS answers at once; its agent sleeps between polls.)
 * - A HostCommandIdentifier names the command's lease; every later call naming it extends the
 *   lease, and a call after the lease was lost answers `CommandStatus: Failed`.
 * - The deployment specification is `Format: TEXT/JSON` (not PKCS7) and carries
 *   `BundleUrl`, a presigned GET for the revision, so agents never hold S3 credentials.
 * - PostHostCommandUpdate doubles as heartbeat and log stream: `Diagnostics.Payload` may be
 *   `{"log": "<output since the last update>"}`; the answer `Failed` means StopDeployment
 *   reached the command, or its lease is gone: stop the script.
 */
export const hostCommandSigningName = 'codedeploy-commands';
export const hostCommandTargetPrefix = 'CodeDeployCommandService_v20141006';
/** Longest a PollHostCommand is held open. */
export const maxPollWaitMs = 20_000;
/** A command's lease; agents send PostHostCommandUpdate at least every `heartbeatMs`. */
export const hostCommandLeaseMs = 15_000;
export const hostCommandHeartbeatMs = 3_000;

export interface PollHostCommandRequest {
  readonly HostIdentifier: string;
}

export interface HostCommandInstance {
  readonly HostCommandIdentifier: string;
  readonly HostIdentifier: string;
  readonly DeploymentExecutionId: string;
  /** A lifecycle event: ApplicationStop, DownloadBundle, BeforeInstall, Install, … */
  readonly CommandName: string;
  readonly Nonce: number;
}

export interface PollHostCommandResponse {
  readonly HostCommand?: HostCommandInstance;
}

export interface GetDeploymentSpecificationRequest {
  readonly DeploymentExecutionId: string;
  readonly HostIdentifier: string;
}

export interface GetDeploymentSpecificationResponse {
  readonly DeploymentSystem: 'CodeDeploy';
  readonly DeploymentSpecification: {
    readonly GenericEnvelope: { readonly Format: 'TEXT/JSON'; readonly Payload: string };
  };
}

/** The JSON inside GenericEnvelope.Payload (§5.9), plus Slipway's `BundleUrl`. */
export interface DeploymentSpecification {
  readonly DeploymentId: string;
  readonly DeploymentGroupId: string;
  readonly DeploymentGroupName: string;
  readonly ApplicationName: string;
  readonly DeploymentCreator: string;
  readonly DeploymentType: 'IN_PLACE';
  readonly AppSpecFilename: string;
  /** The events in the order the server runs them. */
  readonly AllPossibleLifecycleEvents: readonly string[];
  readonly AgentActionOverrides: {
    readonly AgentOverrides: { readonly FileExistsBehavior: 'DISALLOW' | 'OVERWRITE' | 'RETAIN' };
  };
  /** ApplicationStop (and the other last-revision events) may fail without failing the host. */
  readonly IgnoreApplicationStopFailures: boolean;
  readonly Revision: {
    readonly RevisionType: 'S3';
    readonly S3Revision: {
      readonly Bucket: string;
      readonly Key: string;
      readonly BundleType: 'zip' | 'tar' | 'tgz';
      readonly Version?: string;
      readonly ETag?: string;
    };
  };
  /** Presigned GET for the bundle, valid for the command's lifetime (at least 15 minutes). */
  readonly BundleUrl: string;
}

export const CommandStatus = {
  Pending: 'Pending',
  InProgress: 'InProgress',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
} as const;
export type CommandStatus = (typeof CommandStatus)[keyof typeof CommandStatus];

export interface CommandDiagnostics {
  readonly Format: 'JSON';
  readonly Payload: string;
}

export interface PutHostCommandAcknowledgementRequest {
  readonly HostCommandIdentifier: string;
  readonly Diagnostics?: CommandDiagnostics;
}

/** InProgress: go on. Succeeded/Failed: the command is over (cancelled or lost): skip it. */
export interface PutHostCommandAcknowledgementResponse {
  readonly CommandStatus: CommandStatus;
}

export interface PostHostCommandUpdateRequest {
  readonly HostCommandIdentifier: string;
  readonly EstimatedCompletionTime?: number;
  /** Payload `{"log": "…"}`: output since the previous update. */
  readonly Diagnostics?: CommandDiagnostics;
}

export interface PostHostCommandUpdateResponse {
  readonly CommandStatus: CommandStatus;
}

/**
 * The agent's script error codes (§5.7): 0 success, 1 missing, 2 not executable, 3 timed out,
 * 4 failed, 5 unknown, 6 outputs left open, 7 failed after restart.
 */
export const ScriptErrorCode = {
  Success: 0,
  ScriptMissing: 1,
  ScriptNotExecutable: 2,
  ScriptTimedOut: 3,
  ScriptFailed: 4,
  UnknownError: 5,
  OutputsLeftOpen: 6,
  FailedAfterRestart: 7,
} as const;
export type ScriptErrorCode = (typeof ScriptErrorCode)[keyof typeof ScriptErrorCode];

/** The JSON in PutHostCommandComplete's `Diagnostics.Payload`, as the stock agent sends it. */
export interface CommandCompleteDiagnostics {
  readonly error_code: ScriptErrorCode;
  readonly script_name: string;
  readonly message: string;
  /** The end of the hook's output; the server keeps the last 4 KiB. */
  readonly log: string;
}

export interface PutHostCommandCompleteRequest {
  readonly HostCommandIdentifier: string;
  readonly CommandStatus: typeof CommandStatus.Succeeded | typeof CommandStatus.Failed;
  readonly Diagnostics?: CommandDiagnostics;
}
