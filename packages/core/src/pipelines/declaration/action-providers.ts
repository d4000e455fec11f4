import type { ActionCategory, ActionDeclaration, ActionOwner } from './declaration.model.ts';

/** Inclusive bounds on a count, as AWS's "Valid input and output artifacts" table writes them. */
export interface CountRange {
  readonly min: number;
  readonly max: number;
}

/** Reports a problem with one configuration key (or the action when key is undefined). */
export type ConfigurationReport = (key: string | undefined, message: string) => void;

/**
 * What Slipway knows about one action provider: enough to validate a declaration that uses it.
 * Components that implement a provider register it (the deployments component adds CodeDeploy
 * behaviour later); the validator never names a provider itself.
 */
export interface ActionProviderSpec {
  readonly category: ActionCategory;
  readonly owner: ActionOwner;
  readonly provider: string;
  readonly versions: readonly string[];
  readonly requiredKeys: readonly string[];
  readonly optionalKeys: readonly string[];
  readonly inputArtifacts: CountRange;
  readonly outputArtifacts: CountRange;
  /** Available in V2 pipelines only (Commands). */
  readonly v2Only?: boolean;
  /** Whether the action-level `commands` / `outputVariables` fields belong to this provider. */
  readonly usesCommands?: boolean;
  /** Checks of values beyond presence: enums, JSON strings, cross-field rules. */
  readonly checkConfiguration?: (
    configuration: Readonly<Record<string, string>>,
    action: ActionDeclaration,
    report: ConfigurationReport,
  ) => void;
}

/** The providers a validation knows, keyed by category, owner and provider. */
export class ActionProviderRegistry {
  readonly #specs = new Map<string, ActionProviderSpec>();

  constructor(specs: readonly ActionProviderSpec[] = []) {
    for (const spec of specs) this.register(spec);
  }

  /** Adds or replaces the provider's spec. */
  register(spec: ActionProviderSpec): this {
    this.#specs.set(keyOf(spec.category, spec.owner, spec.provider), spec);
    return this;
  }

  find(
    category: ActionCategory,
    owner: ActionOwner,
    provider: string,
  ): ActionProviderSpec | undefined {
    return this.#specs.get(keyOf(category, owner, provider));
  }

  /** Every registered spec, in registration order. */
  list(): ActionProviderSpec[] {
    return [...this.#specs.values()];
  }

  /** A copy, so a caller can extend it without changing the shared one. */
  clone(): ActionProviderRegistry {
    return new ActionProviderRegistry([...this.#specs.values()]);
  }
}

function keyOf(category: string, owner: string, provider: string): string {
  return `${category}/${owner}/${provider}`;
}
