import type { Tag } from '../builds/project.model.ts';
import type { Scope } from '../source/source.deps.ts';
import type { CountRange } from './declaration/action-providers.ts';
import type { ActionCategory } from './declaration/declaration.model.ts';

/** A custom action type's identity in its account and region (its owner is always `Custom`). */
export interface CustomActionTypeKey extends Scope {
  readonly category: ActionCategory;
  readonly provider: string;
  readonly version: string;
}

export const customPropertyTypes = ['String', 'Number', 'Boolean'] as const;
export type CustomPropertyType = (typeof customPropertyTypes)[number];

/** CreateCustomActionType `configurationProperties[]`. */
export interface CustomActionProperty {
  readonly name: string;
  readonly required: boolean;
  readonly key: boolean;
  readonly secret: boolean;
  readonly queryable?: boolean | undefined;
  readonly description?: string | undefined;
  readonly type?: CustomPropertyType | undefined;
}

/** CreateCustomActionType `settings`: links the console shows for the action. */
export interface CustomActionSettings {
  readonly thirdPartyConfigurationUrl?: string | undefined;
  readonly entityUrlTemplate?: string | undefined;
  readonly executionUrlTemplate?: string | undefined;
  readonly revisionUrlTemplate?: string | undefined;
}

/** A registered custom action type; `deleted` is when DeleteCustomActionType marked it. */
export interface CustomActionType extends CustomActionTypeKey {
  readonly settings: CustomActionSettings;
  readonly configurationProperties: readonly CustomActionProperty[];
  readonly inputArtifacts: CountRange;
  readonly outputArtifacts: CountRange;
  readonly tags: readonly Tag[];
  readonly created: number;
  readonly deleted: number | undefined;
}

/**
 * Custom action types per account and region. Deletion only marks a type (AWS keeps it: a
 * deleted version cannot be created again with another definition), so a key is taken forever.
 */
export interface CustomActionTypeStore {
  /** AlreadyExists (`custom-action-type`) when the key is taken, deleted or not. */
  insertCustomActionType(type: CustomActionType): Promise<void>;
  /** The type under `key`, deleted or not. */
  findCustomActionType(key: CustomActionTypeKey): Promise<CustomActionType | undefined>;
  /** The scope's types that are not deleted, by category, provider, then version. */
  listCustomActionTypes(scope: Scope): Promise<CustomActionType[]>;
  /** Marks the type deleted at `at`; false when it does not exist or is already deleted. */
  markCustomActionTypeDeleted(key: CustomActionTypeKey, at: number): Promise<boolean>;
  /** Clears the deletion mark; false when the type does not exist or is not deleted. */
  restoreCustomActionType(key: CustomActionTypeKey): Promise<boolean>;
}

/** The order `listCustomActionTypes` answers in (byte order, as both stores sort). */
export function compareCustomActionTypes(a: CustomActionTypeKey, b: CustomActionTypeKey): number {
  const ka = [a.category, a.provider, a.version];
  const kb = [b.category, b.provider, b.version];
  for (let i = 0; i < ka.length; i++) {
    const x = ka[i] ?? '';
    const y = kb[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
