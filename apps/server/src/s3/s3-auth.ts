import type { Clock, IdentityService, Principal, SigningIdentity } from '@slipway/core';
import { sigV4Algorithm } from '../aws-api/sigv4/parse-auth.ts';
import { SigningKeyCache } from '../aws-api/sigv4/verify-signature.ts';
import { verifySigV2 } from './s3-auth-v2.ts';
import { verifySigV4 } from './s3-auth-v4.ts';
import { S3Errors } from './s3-errors.ts';

export { chunkSignature } from './s3-auth-v4.ts';

export interface S3AuthRequest {
  readonly method: string;
  /** As sent, still percent-encoded. */
  readonly rawPath: string;
  /** As sent, still percent-encoded (SigV2 needs to know `?uploads` from `?uploads=`). */
  readonly rawQuery: string;
  /** Decoded, in wire order. */
  readonly query: readonly [string, string][];
  /** Lower-case names, as Node gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Node's flat [name, value, …]. */
  readonly rawHeaders: readonly string[];
  /** The bucket named by the Host header (virtual-hosted style), if any. */
  readonly hostBucket?: string | undefined;
}

/** What SigV4 chunk and trailer signatures of an aws-chunked body are chained from. */
export interface ChunkSigningContext {
  readonly seedSignature: string;
  readonly signingKey: Buffer;
  /** `YYYYMMDDTHHMMSSZ` of the request. */
  readonly timestamp: string;
  /** `<date>/<region>/s3/aws4_request` */
  readonly scope: string;
}

/** What the signature says about the body; the door checks the body against it as it streams. */
export type S3Payload =
  | { readonly kind: 'hash'; readonly sha256: string }
  | { readonly kind: 'unsigned' }
  | {
      readonly kind: 'streaming';
      /** `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`: every chunk carries a signature. */
      readonly signed: boolean;
      readonly trailer: boolean;
      /** `x-amz-decoded-content-length` */
      readonly decodedLength: number;
      /** Signed streaming only. */
      readonly chunkSigning?: ChunkSigningContext;
    };

export interface S3Authentication {
  readonly principal: Principal;
  readonly signatureVersion: 2 | 4;
  readonly location: 'header' | 'query';
  /** The region of the SigV4 credential scope; undefined for SigV2. */
  readonly region: string | undefined;
  readonly payload: S3Payload;
}

export interface S3AuthDeps {
  readonly identity: Pick<IdentityService, 'findSigningIdentity'>;
  readonly clock: Clock;
  readonly signingKeys?: SigningKeyCache;
}

/**
 * Authenticates an S3 request from its line and headers alone, never its body: SigV4 in the
 * Authorization header or a presigned query, and SigV2 (header or boto3's presigned query).
 * Throws S3Error; the caller then checks the body against the returned payload declaration.
 */
export class S3Authenticator {
  readonly #deps: S3AuthDeps;
  readonly #signingKeys: SigningKeyCache;

  constructor(deps: S3AuthDeps) {
    this.#deps = deps;
    this.#signingKeys = deps.signingKeys ?? new SigningKeyCache();
  }

  async authenticate(request: S3AuthRequest): Promise<S3Authentication> {
    const authorization = header(request, 'authorization')?.trim() ?? '';
    const names = new Set(request.query.map(([name]) => name));
    const v4Query = names.has('X-Amz-Algorithm') || names.has('X-Amz-Credential');
    const v2Query = names.has('AWSAccessKeyId');
    if ([authorization !== '', v4Query, v2Query].filter(Boolean).length > 1) {
      throw S3Errors.invalidArgument(
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature ' +
          'query string parameter or the Authorization header should be specified',
        'Authorization',
        authorization,
      );
    }
    if (authorization === '' && !v4Query && !v2Query) throw S3Errors.accessDenied();
    if (
      header(request, 'x-amz-security-token') !== undefined ||
      request.query.some(([name]) => name.toLowerCase() === 'x-amz-security-token')
    ) {
      // Slipway issues no session credentials yet, so no token can be valid.
      throw S3Errors.invalidToken();
    }
    if (v2Query || authorization.startsWith('AWS ')) {
      const principal = await verifySigV2(request, {
        now: this.#deps.clock.now(),
        findIdentity: (id) => this.#identity(id),
      });
      return {
        principal,
        signatureVersion: 2,
        location: v2Query ? 'query' : 'header',
        region: undefined,
        payload: { kind: 'unsigned' },
      };
    }
    if (authorization !== '' && !authorization.startsWith(`${sigV4Algorithm} `)) {
      if (authorization.startsWith('AWS4-ECDSA-P256-SHA256')) {
        throw S3Errors.notImplemented('Slipway does not support SigV4a (AWS4-ECDSA-P256-SHA256).');
      }
      throw S3Errors.invalidArgument(
        'Unsupported Authorization Type',
        'Authorization',
        authorization,
      );
    }
    return verifySigV4(request, authorization !== '', {
      now: this.#deps.clock.now(),
      signingKeys: this.#signingKeys,
      findIdentity: (id) => this.#identity(id),
    });
  }

  async #identity(accessKeyId: string): Promise<SigningIdentity> {
    const identity = await this.#deps.identity.findSigningIdentity(accessKeyId);
    if (identity === undefined) throw S3Errors.invalidAccessKeyId(accessKeyId);
    return identity;
  }
}

/**
 * The SHA-256 the body must have (lower-case hex), when the signature covers one. The door
 * hashes the body as it streams and, on a difference, answers `S3Errors.contentSha256Mismatch`.
 */
export function declaredPayloadSha256(payload: S3Payload): string | undefined {
  return payload.kind === 'hash' ? payload.sha256 : undefined;
}

function header(request: S3AuthRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
