import type { User } from './identity.model.ts';

/**
 * Static per-user credentials for one service (IAM's ServiceSpecificCredential): the
 * username/password git clients use over HTTPS instead of SigV4.
 */

export const ServiceCredentialStatus = { Active: 'Active', Inactive: 'Inactive' } as const;
export type ServiceCredentialStatus =
  (typeof ServiceCredentialStatus)[keyof typeof ServiceCredentialStatus];

/** The one service Slipway issues credentials for. */
export const codecommitServiceName = 'codecommit.amazonaws.com';

/** As in AWS: at most this many credentials per user and service. */
export const maxServiceCredentialsPerService = 2;

/** Errors name these resources, so the AWS door can pick IAM's error codes. */
export const ServiceCredentialSubject = {
  User: 'user',
  Credential: 'service-credential',
  ServiceName: 'service-name',
} as const;

/** A credential as stored: the password only ever in sealed (encrypted) form. */
export interface ServiceCredential {
  /** `ACCA` and 17 base32 characters, as in AWS. */
  readonly id: string;
  readonly userId: string;
  readonly serviceName: string;
  /** What the client sends as its username: `<user name>-at-<account id>`. */
  readonly serviceUserName: string;
  readonly sealedPassword: string;
  readonly status: ServiceCredentialStatus;
  readonly createdAt: number;
}

/** A credential with its owner, as authentication needs it. */
export interface ServiceCredentialRecord {
  readonly credential: ServiceCredential;
  readonly user: User;
}

/** A credential as shown to clients: its owner's name, never the password. */
export interface ServiceCredentialSummary {
  readonly id: string;
  readonly userName: string;
  readonly serviceName: string;
  readonly serviceUserName: string;
  readonly status: ServiceCredentialStatus;
  readonly createdAt: number;
}

export function serviceUserName(userName: string, accountId: string): string {
  return `${userName}-at-${accountId}`;
}

export function isServiceCredentialStatus(value: string): value is ServiceCredentialStatus {
  return Object.values<string>(ServiceCredentialStatus).includes(value);
}
