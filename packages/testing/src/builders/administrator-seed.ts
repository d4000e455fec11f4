import {
  AccessKeyStatus,
  administratorUserName,
  userArn,
  type AdministratorSeed,
} from '@slipway/core';
import { fakeClockStart } from '../fake-clock.ts';

export interface AdministratorSeedOverrides {
  readonly accountId?: string;
  readonly userId?: string;
  readonly accessKeyId?: string;
  readonly status?: AccessKeyStatus;
  readonly sealedSecret?: string;
  readonly createdAt?: number;
}

/** A consistent administrator seed (the user's account and ARN, the key's owner) with overrides. */
export function anAdministratorSeed(overrides: AdministratorSeedOverrides = {}): AdministratorSeed {
  const accountId = overrides.accountId ?? '123456789012';
  const userId = overrides.userId ?? 'AIDAAAAAAAAAAAAAAAAAA';
  const createdAt = overrides.createdAt ?? fakeClockStart;
  return {
    account: { id: accountId, createdAt },
    user: {
      id: userId,
      accountId,
      name: administratorUserName,
      arn: userArn(accountId, administratorUserName),
      createdAt,
    },
    key: {
      accessKeyId: overrides.accessKeyId ?? 'AKIAAAAAAAAAAAAAAAAA',
      userId,
      status: overrides.status ?? AccessKeyStatus.Active,
      sealedSecret: overrides.sealedSecret ?? 'sealed-secret',
      createdAt,
    },
  };
}
