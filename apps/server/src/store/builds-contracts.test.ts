import type { NewReport } from '@slipway/core';
import {
  buildStoreContract,
  FakeClock,
  InMemoryBuildStore,
  InMemoryJobQueue,
  InMemoryLogStore,
  InMemoryProjectStore,
  InMemoryReportStore,
  logStoreContract,
  projectStoreContract,
  reportStoreContract,
  SeededRandom,
  type BuildStoreSubject,
  type ContractFactory,
  type LogStoreSubject,
  type ProjectStoreSubject,
  type ReportStoreSubject,
} from '@slipway/testing';
import type { Database } from './database.ts';
import { insertReports, KyselyBuildStore } from './kysely-build-store.ts';
import { KyselyJobQueue } from './kysely-job-queue.ts';
import { KyselyLogStore } from './kysely-log-store.ts';
import { KyselyProjectStore } from './kysely-project-store.ts';
import { KyselyReportStore } from './kysely-report-store.ts';
import { storeDatabases, type OpenStore } from './test-databases.ts';

/** Accounts go straight into the identity table: projects and groups refer to them. */
async function insertAccount(database: Database, accountId: string, now: number): Promise<void> {
  await database.db
    .insertInto('accounts')
    .values({ id: accountId, created_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Opens a fresh database of one kind and builds the subject over it. */
function kysely<Subject>(
  open: OpenStore,
  create: (database: Database, clock: FakeClock) => Omit<Subject, 'addAccount'>,
): ContractFactory<Subject> {
  return async () => {
    const opened = await open();
    const clock = new FakeClock();
    const { database } = opened;
    const subject = {
      ...create(database, clock),
      addAccount: (accountId: string) => insertAccount(database, accountId, clock.now()),
    } as Subject;
    return { subject, clock, close: () => opened.close() };
  };
}

const noAccounts = () => Promise.resolve();
const close = () => Promise.resolve();

function inMemory<Subject>(
  create: (clock: FakeClock) => Omit<Subject, 'addAccount'>,
): ContractFactory<Subject> {
  return () => {
    const clock = new FakeClock();
    return Promise.resolve({
      subject: { ...create(clock), addAccount: noAccounts } as Subject,
      clock,
      close,
    });
  };
}

projectStoreContract(
  'in-memory',
  inMemory<ProjectStoreSubject>(() => ({ store: new InMemoryProjectStore() })),
);
buildStoreContract(
  'in-memory',
  inMemory<BuildStoreSubject>((clock) => {
    const projects = new InMemoryProjectStore();
    const reports = new InMemoryReportStore();
    const jobs = new InMemoryJobQueue({ clock, random: new SeededRandom() });
    const builds = new InMemoryBuildStore({ projects, reports, jobs, random: new SeededRandom(3) });
    return { builds, projects, reports, jobs };
  }),
);
reportStoreContract(
  'in-memory',
  inMemory<ReportStoreSubject>(() => {
    const reports = new InMemoryReportStore();
    return {
      reports,
      record: (list: readonly NewReport[]) => {
        reports.record(list);
        return Promise.resolve();
      },
    };
  }),
);
logStoreContract(
  'in-memory',
  inMemory<LogStoreSubject>(() => ({ logs: new InMemoryLogStore() })),
);

for (const [name, open] of storeDatabases) {
  projectStoreContract(
    name,
    kysely<ProjectStoreSubject>(open, (database) => ({ store: new KyselyProjectStore(database) })),
  );
  buildStoreContract(
    name,
    kysely<BuildStoreSubject>(open, (database, clock) => ({
      builds: new KyselyBuildStore({ database, clock, random: new SeededRandom(3) }),
      projects: new KyselyProjectStore(database),
      reports: new KyselyReportStore(database),
      jobs: new KyselyJobQueue({ database, clock, random: new SeededRandom() }),
    })),
  );
  reportStoreContract(
    name,
    kysely<ReportStoreSubject>(open, (database) => ({
      reports: new KyselyReportStore(database),
      record: (list: readonly NewReport[]) =>
        database.db.transaction().execute((trx) => insertReports(trx, list)),
    })),
  );
  logStoreContract(
    name,
    kysely<LogStoreSubject>(open, (database) => ({ logs: new KyselyLogStore(database) })),
  );
}
