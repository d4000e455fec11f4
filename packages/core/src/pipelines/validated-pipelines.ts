import type { ValidatedPipeline } from './declaration/validated-pipeline.ts';
import { validatePipelineDeclaration } from './declaration/validate-pipeline-declaration.ts';
import type { ActionProviderRegistry } from './declaration/action-providers.ts';
import type { Pipeline } from './pipeline.model.ts';

const maxEntries = 500;

/**
 * Stored declarations in the engine's form, validated once per pipeline version (a version never
 * changes, so entries never go stale). Transitions run inside store transactions and must be
 * quick: this keeps re-validation off that path.
 */
export class ValidatedPipelines {
  readonly #providers: ActionProviderRegistry;
  readonly #cache = new Map<string, ValidatedPipeline>();

  constructor(providers: ActionProviderRegistry) {
    this.#providers = providers;
  }

  of(pipeline: Pipeline): ValidatedPipeline {
    const key = `${pipeline.arn}#${pipeline.version}#${pipeline.created}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    const validation = validatePipelineDeclaration(pipeline.declaration, {
      providers: this.#providers,
    });
    if (!validation.ok) {
      // Stored declarations were valid when stored; a provider removed since would land here.
      const first = validation.problems[0];
      throw new Error(
        `stored pipeline ${pipeline.name} v${pipeline.version} is invalid: ${first?.path} ${first?.message}`,
      );
    }
    if (this.#cache.size >= maxEntries) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    this.#cache.set(key, validation.pipeline);
    return validation.pipeline;
  }
}
