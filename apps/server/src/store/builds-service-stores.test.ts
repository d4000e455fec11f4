import { BuildsService, type Scope } from '@slipway/core';
import { aProjectInput, FakeClock, SeededRandom } from '@slipway/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KyselyBuildStore } from './kysely-build-store.ts';
import { KyselyJobQueue } from './kysely-job-queue.ts';
import { KyselyLogStore } from './kysely-log-store.ts';
import { KyselyProjectStore } from './kysely-project-store.ts';
import { KyselyReportStore } from './kysely-report-store.ts';
import { storeDatabases } from './test-databases.ts';

const scope: Scope = { accountId: '123456789012', region: 'us-east-1' };

/**
 * BuildsService over the SQL stores: the use cases whose atomicity lives in a store's
 * transaction (slots, jobs, reports) and the log watch's wake-ups through the store's notifier
 * (LISTEN/NOTIFY on PostgreSQL), end to end. The service's rules are the unit tests' business.
 */
for (const [name, open] of storeDatabases) {
  describe(`BuildsService on ${name}`, () => {
    let opened: Awaited<ReturnType<typeof open>>;
    let service: BuildsService;
    let clock: FakeClock;

    beforeEach(async () => {
      opened = await open();
      const { database } = opened;
      clock = new FakeClock();
      await database.db
        .insertInto('accounts')
        .values({ id: scope.accountId, created_at: 0 })
        .execute();
      service = new BuildsService({
        projects: new KyselyProjectStore(database),
        builds: new KyselyBuildStore({ database, clock, random: new SeededRandom(5) }),
        reports: new KyselyReportStore(database),
        logs: new KyselyLogStore(database),
        jobs: new KyselyJobQueue({ database, clock, random: new SeededRandom(6) }),
        clock,
        random: new SeededRandom(7),
      });
    });
    afterEach(() => opened.close());

    it('runs a build from start to report, with the next build waiting for the slot', async () => {
      await service.createProject(scope, aProjectInput({ concurrentBuildLimit: 1 }));
      const first = await service.startBuild(scope, { projectName: 'app', initiator: 'alice' });
      const second = await service.startBuild(scope, { projectName: 'app', initiator: 'alice' });
      expect(second.run.dispatch).toBe('held');
      const claimed = await service.claimBuild({ workerId: 'r1', leaseMs: 30_000 });
      expect(claimed?.build.id).toBe(first.id);
      expect(await service.claimBuild({ workerId: 'r2', leaseMs: 30_000 })).toBeUndefined();
      const lease = { buildId: first.id, leaseId: claimed?.lease.leaseId ?? '' };

      const batches: string[][] = [];
      const watching = (async () => {
        for await (const batch of service.watchLogs(scope, first.id, { after: 0 })) {
          batches.push(batch.map((e) => e.message));
        }
      })();

      await service.recordPhase({ ...lease, phaseType: 'PROVISIONING', phaseStatus: 'SUCCEEDED' });
      await service.appendLogs({
        ...lease,
        sequence: 1,
        events: [{ timestamp: 1, message: 'hello' }],
      });
      await service.appendLogs({
        ...lease,
        sequence: 1,
        events: [{ timestamp: 1, message: 'hello' }],
      });
      await service.recordPhase({ ...lease, phaseType: 'BUILD', phaseStatus: 'SUCCEEDED' });
      const done = await service.completeBuild({
        ...lease,
        outcome: {
          buildStatus: 'SUCCEEDED',
          reports: [
            {
              reportGroup: 'unit',
              testCases: [
                {
                  testRawDataPath: 'r.xml',
                  prefix: 'p',
                  name: 'n',
                  status: 'SUCCEEDED',
                  durationInNanoSeconds: 1,
                  message: undefined,
                  testSuiteName: undefined,
                },
              ],
            },
          ],
        },
      });
      await watching;
      expect(batches.flat()).toEqual(['hello']);
      expect(done).toMatchObject({ buildStatus: 'SUCCEEDED', currentPhase: 'COMPLETED' });
      const [report] = (await service.batchGetReports(scope, done.reportArns)).reports;
      expect(report).toMatchObject({ name: 'app-unit', status: 'SUCCEEDED' });
      expect((await service.getBuild(scope, second.id)).run.dispatch).toBe('queued');
      expect((await service.claimBuild({ workerId: 'r2', leaseMs: 30_000 }))?.build.id).toBe(
        second.id,
      );
    });

    it('ends a build whose runner vanished, and times out a queued one', async () => {
      await service.createProject(scope, aProjectInput({ queuedTimeoutInMinutes: 5 }));
      const lost = await service.startBuild(scope, { projectName: 'app', initiator: 'a' });
      await service.claimBuild({ workerId: 'r1', leaseMs: 10_000 });
      clock.advance(1);
      const waiting = await service.startBuild(scope, { projectName: 'app', initiator: 'a' });
      await service.stopBuild(scope, waiting.id);
      const late = await service.startBuild(scope, { projectName: 'app', initiator: 'a' });
      clock.advance(5 * 60_000);
      // The claimed build's lease lapsed long ago: the job is lost; the pass fails the build.
      const jobs = new KyselyJobQueue({
        database: opened.database,
        clock,
        random: new SeededRandom(8),
      });
      await jobs.expireLeases();
      const changed = await service.expireBuilds();
      const statuses = Object.fromEntries(changed.map((b) => [b.id, b.buildStatus]));
      expect(statuses).toEqual({ [late.id]: 'TIMED_OUT', [lost.id]: 'FAILED' });
      expect(await service.expireBuilds()).toEqual([]);
    });
  });
}
