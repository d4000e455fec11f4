import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { User } from '@slipway/core';
import {
  FakeClock,
  InMemoryServiceCredentialStore,
  serviceCredentialStoreContract,
  type ContractFactory,
  type ServiceCredentialStoreSubject,
} from '@slipway/testing';
import { pino } from 'pino';
import { freshPostgresUrl } from '../../../../test/support/fresh-postgres.ts';
import { openDatabase, type Database } from './database.ts';
import { KyselyServiceCredentialStore } from './kysely-service-credential-store.ts';

/** A fresh, migrated database of one kind: SQLite in a temp dir, or a new PostgreSQL database. */
type OpenStore = () => Promise<{ database: Database; close(): Promise<void> }>;

const logger = pino({ level: 'silent' });

const openSqlite: OpenStore = async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'slipway-store-'));
  const database = await openDatabase(
    { databaseUrl: undefined, dataDir, sqliteBusyTimeoutMs: 5_000, postgresPoolSize: 4 },
    logger,
  );
  return {
    database,
    close: async () => {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};

const openPostgres: OpenStore = async () => {
  const database = await openDatabase(
    {
      databaseUrl: await freshPostgresUrl(),
      dataDir: '',
      sqliteBusyTimeoutMs: 0,
      postgresPoolSize: 4,
    },
    logger,
  );
  return { database, close: () => database.close() };
};

/** Users go straight into the identity tables, as the identity store would keep them. */
async function insertUser(database: Database, user: User): Promise<void> {
  await database.db
    .insertInto('accounts')
    .values({ id: user.accountId, created_at: user.createdAt })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  await database.db
    .insertInto('users')
    .values({
      id: user.id,
      account_id: user.accountId,
      name: user.name,
      arn: user.arn,
      created_at: user.createdAt,
    })
    .execute();
}

function kysely(open: OpenStore): ContractFactory<ServiceCredentialStoreSubject> {
  return async () => {
    const opened = await open();
    return {
      subject: {
        store: new KyselyServiceCredentialStore(opened.database.db),
        addUser: (user) => insertUser(opened.database, user),
      },
      clock: new FakeClock(),
      close: () => opened.close(),
    };
  };
}

serviceCredentialStoreContract('in-memory', () => {
  const store = new InMemoryServiceCredentialStore();
  return Promise.resolve({
    subject: {
      store,
      addUser: (user: User) => {
        store.addUser(user);
        return Promise.resolve();
      },
    },
    clock: new FakeClock(),
    close: () => Promise.resolve(),
  });
});

for (const [name, open] of [
  ['sqlite', openSqlite],
  ['postgres', openPostgres],
] as const) {
  serviceCredentialStoreContract(name, kysely(open));
}
