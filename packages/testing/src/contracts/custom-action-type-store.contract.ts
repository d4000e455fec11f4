import {
  AppErrorKind,
  PipelinesSubject,
  type CustomActionType,
  type CustomActionTypeStore,
} from '@slipway/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountId, otherAccountId, region } from './builds-fixtures.ts';
import type { ContractFactory, ContractHarness } from './contract-harness.ts';
import { expectAppError } from './expect-app-error.ts';

/** A custom action type store under test; types refer to their account. */
export interface CustomActionTypeStoreSubject {
  readonly store: CustomActionTypeStore;
  addAccount(accountId: string): Promise<void>;
}

/** A custom action type as the AWS job-worker docs register one, with overrides. */
export function aCustomActionType(overrides: Partial<CustomActionType> = {}): CustomActionType {
  return {
    accountId,
    region,
    category: 'Build',
    provider: 'MyJenkinsProviderName',
    version: '1',
    settings: {
      entityUrlTemplate: 'https://jenkins.example.com/job/{Config:ProjectName}/',
      executionUrlTemplate:
        'https://jenkins.example.com/job/{Config:ProjectName}/{ExternalExecutionId}/',
    },
    configurationProperties: [
      {
        name: 'ProjectName',
        required: true,
        key: true,
        secret: false,
        queryable: true,
        description: 'The name of the build project',
        type: 'String',
      },
    ],
    inputArtifacts: { min: 1, max: 1 },
    outputArtifacts: { min: 0, max: 1 },
    tags: [{ key: 'team', value: 'ci' }],
    created: 1_700_000_000_000,
    deleted: undefined,
    ...overrides,
  };
}

/** The behaviour every `CustomActionTypeStore` shares; each test opens a store of its own. */
export function customActionTypeStoreContract(
  name: string,
  factory: ContractFactory<CustomActionTypeStoreSubject>,
): void {
  describe(`CustomActionTypeStore contract: ${name}`, () => {
    let harness: ContractHarness<CustomActionTypeStoreSubject> | undefined;

    beforeEach(async () => {
      harness = await factory();
      for (const id of [accountId, otherAccountId]) await harness.subject.addAccount(id);
    });
    afterEach(async () => {
      await harness?.close();
      harness = undefined;
    });

    const store = (): CustomActionTypeStore => {
      if (harness === undefined) throw new Error('the store under test did not open');
      return harness.subject.store;
    };
    const scope = { accountId, region };

    it('finds an inserted type as it was inserted', async () => {
      const type = aCustomActionType();
      await store().insertCustomActionType(type);
      expect(await store().findCustomActionType(type)).toEqual(type);
    });

    it('keeps absent optional members absent', async () => {
      const type = aCustomActionType({
        settings: {},
        configurationProperties: [{ name: 'Url', required: false, key: false, secret: true }],
        tags: [],
      });
      await store().insertCustomActionType(type);
      expect(await store().findCustomActionType(type)).toEqual(type);
    });

    it('refuses a key that is taken with AlreadyExists', async () => {
      await store().insertCustomActionType(aCustomActionType());
      await expectAppError(
        store().insertCustomActionType(aCustomActionType({ inputArtifacts: { min: 0, max: 0 } })),
        AppErrorKind.AlreadyExists,
        PipelinesSubject.CustomActionType,
      );
    });

    it('finds nothing under another version, account or region', async () => {
      await store().insertCustomActionType(aCustomActionType());
      const key = aCustomActionType();
      expect(await store().findCustomActionType({ ...key, version: '2' })).toBeUndefined();
      expect(
        await store().findCustomActionType({ ...key, accountId: otherAccountId }),
      ).toBeUndefined();
      expect(await store().findCustomActionType({ ...key, region: 'eu-west-1' })).toBeUndefined();
    });

    it('lists the scope types by category, provider and version', async () => {
      const types = [
        aCustomActionType({ category: 'Test', provider: 'A', version: '1' }),
        aCustomActionType({ category: 'Build', provider: 'B', version: '2' }),
        aCustomActionType({ category: 'Build', provider: 'B', version: '10' }),
        aCustomActionType({ category: 'Build', provider: 'A', version: '1' }),
        aCustomActionType({ accountId: otherAccountId }),
        aCustomActionType({ region: 'eu-west-1' }),
      ];
      for (const type of types) await store().insertCustomActionType(type);
      const listed = await store().listCustomActionTypes(scope);
      expect(listed.map((t) => `${t.category}/${t.provider}/${t.version}`)).toEqual([
        'Build/A/1',
        'Build/B/10',
        'Build/B/2',
        'Test/A/1',
      ]);
    });

    it('marks a type deleted: still found, listed no more, its key still taken', async () => {
      const type = aCustomActionType();
      await store().insertCustomActionType(type);
      expect(await store().markCustomActionTypeDeleted(type, 1_700_000_001_000)).toBe(true);
      expect(await store().findCustomActionType(type)).toEqual({
        ...type,
        deleted: 1_700_000_001_000,
      });
      expect(await store().listCustomActionTypes(scope)).toEqual([]);
      await expectAppError(store().insertCustomActionType(type), AppErrorKind.AlreadyExists);
    });

    it('marks a type deleted once; a missing type not at all', async () => {
      const type = aCustomActionType();
      await store().insertCustomActionType(type);
      expect(await store().markCustomActionTypeDeleted(type, 1)).toBe(true);
      expect(await store().markCustomActionTypeDeleted(type, 2)).toBe(false);
      expect(await store().findCustomActionType(type)).toMatchObject({ deleted: 1 });
      expect(await store().markCustomActionTypeDeleted({ ...type, version: '9' }, 1)).toBe(false);
    });

    it('restores a deleted type, and only a deleted one', async () => {
      const type = aCustomActionType();
      await store().insertCustomActionType(type);
      expect(await store().restoreCustomActionType(type)).toBe(false);
      await store().markCustomActionTypeDeleted(type, 1);
      expect(await store().restoreCustomActionType(type)).toBe(true);
      expect(await store().findCustomActionType(type)).toEqual(type);
      expect(await store().listCustomActionTypes(scope)).toEqual([type]);
      expect(await store().restoreCustomActionType({ ...type, version: '9' })).toBe(false);
    });
  });
}
