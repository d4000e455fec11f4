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

export function userArn(accountId: string, userName: string): string {
  return `arn:aws:iam::${accountId}:user/${userName}`;
}
