/** Accounts, users and access keys: the IAM model, reduced to what authentication needs. */

export interface Account {
  /** 12 decimal digits, as in AWS. */
  readonly id: string;
  readonly createdAt: number;
}

export interface User {
  /** AWS-style unique id (`AIDA…`), what STS reports as `UserId`. */
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly arn: string;
  readonly createdAt: number;
}

export const AccessKeyStatus = { Active: 'Active', Inactive: 'Inactive' } as const;
export type AccessKeyStatus = (typeof AccessKeyStatus)[keyof typeof AccessKeyStatus];

/** An access key as stored: the secret only ever in sealed (encrypted) form. */
export interface StoredAccessKey {
  readonly accessKeyId: string;
  readonly userId: string;
  readonly status: AccessKeyStatus;
  readonly sealedSecret: string;
  readonly createdAt: number;
}

/** Who made a request, once its signature is verified. */
export interface Principal {
  readonly accountId: string;
  readonly userId: string;
  readonly userName: string;
  readonly arn: string;
  readonly accessKeyId: string;
}

/** An access key with its owner, as authentication needs it. */
export interface AccessKeyRecord {
  readonly key: StoredAccessKey;
  readonly principal: Principal;
}

/** The administrator created on first start, with its secret in the clear (for the credentials file). */
export interface AdministratorCredentials {
  readonly principal: Principal;
  readonly secretAccessKey: string;
  /** True when this call created the account; false when it already existed. */
  readonly created: boolean;
}

export const administratorUserName = 'admin';

/** `arn:aws:iam::<account>:user<path><name>`; the path is `/` or `/…/`. */
export function userArn(accountId: string, userName: string, path = '/'): string {
  return `arn:aws:iam::${accountId}:user${path}${userName}`;
}

/** A user as IAM shows it: with the path its ARN is made of (`/` unless created with one). */
export interface IamUser extends User {
  readonly path: string;
}

/** An access key as clients see it: never the secret. */
export interface AccessKeySummary {
  readonly accessKeyId: string;
  readonly userName: string;
  readonly status: AccessKeyStatus;
  readonly createdAt: number;
}

/** An access key with its secret in the clear: only creation ever returns one. */
export interface IssuedAccessKey {
  readonly key: AccessKeySummary;
  readonly secretAccessKey: string;
}

/** An inline policy of a user: stored and returned, not enforced. */
export interface UserPolicy {
  readonly userId: string;
  readonly policyName: string;
  /** The JSON document as the client sent it. */
  readonly document: string;
  readonly updatedAt: number;
}

/** IAM's quotas: access keys per user, and characters (without white space) of inline user policies. */
export const maxAccessKeysPerUser = 2;
export const maxUserPolicySize = 2048;

/** Errors name these resources, so the AWS door can pick IAM's error codes. */
export const IdentitySubject = {
  User: 'user',
  AccessKey: 'access-key',
  UserPolicy: 'user-policy',
  PolicyDocument: 'policy-document',
} as const;

export function isAccessKeyStatus(value: string): value is AccessKeyStatus {
  return Object.values<string>(AccessKeyStatus).includes(value);
}
