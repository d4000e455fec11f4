import {
  AppError,
  AppErrorKind,
  BuildsSubject,
  type ListProjectsQuery,
  type Project,
  type ProjectStore,
} from '@slipway/core';
import type { Database } from './database.ts';
import { listNamedDocuments } from './kysely-builds-support.ts';

/** Build projects on either dialect; the build counter column is KyselyBuildStore's. */
export class KyselyProjectStore implements ProjectStore {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  async insert(project: Project): Promise<void> {
    const row = await this.#db
      .insertInto('projects')
      .values({
        arn: project.arn,
        account_id: project.accountId,
        region: project.region,
        name: project.name,
        created_at: project.created,
        last_modified_at: project.lastModified,
        concurrent_build_limit: project.concurrentBuildLimit ?? null,
        build_counter: 0,
        document: JSON.stringify(project),
      })
      .onConflict((oc) => oc.columns(['account_id', 'region', 'name']).doNothing())
      .returning('arn')
      .executeTakeFirst();
    if (row === undefined) {
      throw new AppError(AppErrorKind.AlreadyExists, `Project already exists: ${project.name}`, {
        resource: BuildsSubject.Project,
      });
    }
  }

  async find(accountId: string, region: string, name: string): Promise<Project | undefined> {
    const row = await this.#db
      .selectFrom('projects')
      .select('document')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('name', '=', name)
      .executeTakeFirst();
    return row === undefined ? undefined : (JSON.parse(row.document) as Project);
  }

  async list(query: ListProjectsQuery): Promise<Project[]> {
    const documents = await listNamedDocuments(this.#db, 'projects', query);
    return documents.map((document) => JSON.parse(document) as Project);
  }

  async update(project: Project): Promise<Project> {
    const row = await this.#db
      .updateTable('projects')
      .set({
        last_modified_at: project.lastModified,
        concurrent_build_limit: project.concurrentBuildLimit ?? null,
        document: JSON.stringify(project),
      })
      .where('account_id', '=', project.accountId)
      .where('region', '=', project.region)
      .where('name', '=', project.name)
      .returning('document')
      .executeTakeFirst();
    if (row === undefined) {
      throw new AppError(AppErrorKind.NotFound, `Project cannot be found: ${project.name}`, {
        resource: BuildsSubject.Project,
      });
    }
    return JSON.parse(row.document) as Project;
  }

  async delete(accountId: string, region: string, name: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('projects')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  get #db() {
    return this.#database.db;
  }
}
