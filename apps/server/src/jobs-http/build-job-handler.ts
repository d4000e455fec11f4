import type {
  ArtifactUploadResponse,
  BuildCompleteRequest,
  BuildJobSpec,
  ClaimResponse,
  HeartbeatResponse,
  LogAppendRequest,
  PhaseUpdateRequest,
} from '@slipway/protocol';

export interface ArtifactUpload {
  readonly leaseId: string;
  readonly name: string;
  readonly packaging: 'ZIP' | 'NONE';
  readonly identifier?: string | undefined;
  /** A file of a NONE-packaged tree; absent for a ZIP (or to ask where an empty tree is). */
  readonly path?: string | undefined;
}

/**
 * What the jobs door needs from the builds component, one method per protocol call. Errors are
 * AppErrors: Conflict → 409 LeaseLost, NotFound → 404, InvalidInput → 400.
 */
export interface BuildJobHandler {
  /** A claimable build leased to the worker, or undefined once `signal` ends the wait. */
  claim(
    workerId: string,
    waitMs: number,
    signal: AbortSignal,
  ): Promise<ClaimResponse<BuildJobSpec> | undefined>;
  heartbeat(jobId: string, leaseId: string): Promise<HeartbeatResponse>;
  appendLogs(jobId: string, request: LogAppendRequest): Promise<void>;
  updatePhase(jobId: string, request: PhaseUpdateRequest): Promise<void>;
  storeArtifact(
    jobId: string,
    upload: ArtifactUpload,
    body: AsyncIterable<Uint8Array>,
  ): Promise<ArtifactUploadResponse>;
  complete(jobId: string, request: BuildCompleteRequest): Promise<void>;
}
