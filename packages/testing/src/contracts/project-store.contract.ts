import { AppErrorKind, type ProjectStore } from '@slipway/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeClockStart } from '../fake-clock.ts';
import type { ContractFactory, ContractHarness } from './contract-harness.ts';
import { accountId, aProject, otherAccountId, region } from './builds-fixtures.ts';
import { expectAppError } from './expect-app-error.ts';

/** A project store under test, and a way to add the accounts projects belong to. */
export interface ProjectStoreSubject {
  readonly store: ProjectStore;
  addAccount(accountId: string): Promise<void>;
}

/** The behaviour every `ProjectStore` shares; each test opens a store of its own. */
export function projectStoreContract(
  name: string,
  factory: ContractFactory<ProjectStoreSubject>,
): void {
  describe(`ProjectStore contract: ${name}`, () => {
    let harness: ContractHarness<ProjectStoreSubject> | undefined;

    beforeEach(async () => {
      harness = await factory();
      for (const id of [accountId, otherAccountId]) await harness.subject.addAccount(id);
    });
    afterEach(async () => {
      await harness?.close();
      harness = undefined;
    });

    const store = (): ProjectStore => {
      if (harness === undefined) throw new Error('the store under test did not open');
      return harness.subject.store;
    };

    it('finds a project with every field as it was stored', async () => {
      const project = aProject({
        description: 'ünïcödé',
        secondarySources: [{ type: 'S3', location: 'b/k.zip', sourceIdentifier: 'lib' }],
        artifacts: { type: 'S3', location: 'out', namespaceType: 'BUILD_ID' },
        tags: [{ key: 'slipway:network', value: 'none' }],
        concurrentBuildLimit: 3,
      });
      await store().insert(project);
      expect(await store().find(accountId, region, 'app')).toEqual(project);
      expect(await store().find(otherAccountId, region, 'app')).toBeUndefined();
      expect(await store().find(accountId, 'eu-west-1', 'app')).toBeUndefined();
      expect(await store().find(accountId, region, 'App')).toBeUndefined();
    });

    it('refuses a taken name in the same account and region only', async () => {
      await store().insert(aProject());
      const error = await expectAppError(store().insert(aProject()), AppErrorKind.AlreadyExists);
      expect(error.resource).toBe('project');
      await store().insert({ ...aProject(), accountId: otherAccountId, arn: 'arn:other' });
    });

    it('replaces a project on update, and answers NotFound when it is gone', async () => {
      const project = aProject();
      await store().insert(project);
      const changed = { ...project, description: 'new', concurrentBuildLimit: 2, lastModified: 5 };
      expect(await store().update(changed)).toEqual(changed);
      expect(await store().find(accountId, region, 'app')).toEqual(changed);
      expect(await store().delete(accountId, region, 'app')).toBe(true);
      expect(await store().delete(accountId, region, 'app')).toBe(false);
      const error = await expectAppError(store().update(changed), AppErrorKind.NotFound);
      expect(error.resource).toBe('project');
    });

    describe('list', () => {
      // Names, creation and modification times all sort differently; two share a time.
      const projects = [
        aProject({ name: 'delta' }, fakeClockStart + 300),
        aProject({ name: 'alpha' }, fakeClockStart + 200),
        aProject({ name: 'echo' }, fakeClockStart + 100),
        aProject({ name: 'charlie' }, fakeClockStart + 200),
        { ...aProject({ name: 'bravo' }, fakeClockStart + 400), lastModified: fakeClockStart + 50 },
      ];
      const byName = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
      const byCreated = ['echo', 'alpha', 'charlie', 'delta', 'bravo'];
      const byModified = ['bravo', 'echo', 'alpha', 'charlie', 'delta'];
      const cases = [
        ['NAME', byName],
        ['CREATED_TIME', byCreated],
        ['LAST_MODIFIED_TIME', byModified],
      ] as const;

      for (const [sortBy, expected] of cases) {
        for (const sortOrder of ['ASCENDING', 'DESCENDING'] as const) {
          it(`pages by ${sortBy} ${sortOrder} with keyset cursors`, async () => {
            for (const p of projects) await store().insert(p);
            await store().insert({ ...aProject({ name: 'zulu' }), accountId: otherAccountId });
            const order = sortOrder === 'ASCENDING' ? expected : [...expected].reverse();
            const names: string[] = [];
            let after: { key: string | number; id: string } | undefined;
            for (;;) {
              const page = await store().list({
                accountId,
                region,
                sortBy,
                sortOrder,
                after,
                limit: 2,
              });
              if (page.length === 0) break;
              names.push(...page.map((p) => p.name));
              const last = page.at(-1)!;
              after = {
                key:
                  sortBy === 'NAME'
                    ? last.name
                    : sortBy === 'CREATED_TIME'
                      ? last.created
                      : last.lastModified,
                id: last.name,
              };
            }
            expect(names).toEqual(order);
          });
        }
      }
    });
  });
}
