import {
  AppErrorKind,
  compareCustomActionTypes,
  PipelinesSubject,
  pipelinesError,
  type CustomActionType,
  type CustomActionTypeKey,
  type CustomActionTypeStore,
  type Scope,
} from '@slipway/core';

/** The CustomActionTypeStore in a Map; values are copied in and out, as a database would. */
export class InMemoryCustomActionTypeStore implements CustomActionTypeStore {
  readonly #types = new Map<string, CustomActionType>();

  insertCustomActionType(type: CustomActionType): Promise<void> {
    const key = keyOf(type);
    if (this.#types.has(key)) {
      return Promise.reject(
        pipelinesError(
          AppErrorKind.AlreadyExists,
          PipelinesSubject.CustomActionType,
          `Custom action type ${key} already exists`,
        ),
      );
    }
    this.#types.set(key, copy(type));
    return Promise.resolve();
  }

  findCustomActionType(key: CustomActionTypeKey): Promise<CustomActionType | undefined> {
    const found = this.#types.get(keyOf(key));
    return Promise.resolve(found && copy(found));
  }

  listCustomActionTypes(scope: Scope): Promise<CustomActionType[]> {
    return Promise.resolve(
      [...this.#types.values()]
        .filter(
          (t) =>
            t.accountId === scope.accountId && t.region === scope.region && t.deleted === undefined,
        )
        .sort(compareCustomActionTypes)
        .map(copy),
    );
  }

  markCustomActionTypeDeleted(key: CustomActionTypeKey, at: number): Promise<boolean> {
    return Promise.resolve(this.#setDeleted(key, (t) => t.deleted === undefined, at));
  }

  restoreCustomActionType(key: CustomActionTypeKey): Promise<boolean> {
    return Promise.resolve(this.#setDeleted(key, (t) => t.deleted !== undefined, undefined));
  }

  #setDeleted(
    key: CustomActionTypeKey,
    when: (type: CustomActionType) => boolean,
    deleted: number | undefined,
  ): boolean {
    const id = keyOf(key);
    const type = this.#types.get(id);
    if (type === undefined || !when(type)) return false;
    this.#types.set(id, { ...type, deleted });
    return true;
  }
}

function keyOf(key: CustomActionTypeKey): string {
  return [key.accountId, key.region, key.category, key.provider, key.version].join('/');
}

/** What the SQL stores give back: a JSON round trip (undefined members dropped). */
function copy(type: CustomActionType): CustomActionType {
  const { deleted, ...document } = type;
  return { ...(JSON.parse(JSON.stringify(document)) as CustomActionType), deleted };
}
