import type { GitFilterCriteria, PipelineDeclaration } from './declaration.model.ts';
import type { DeclarationProblems } from './declaration-problems.ts';
import type { ValidatedTrigger } from './validated-pipeline.ts';

/**
 * Source providers a trigger may watch. AWS allows only CodeStarSourceConnection sources;
 * Slipway extension: a trigger may also name a CodeCommit source action, since Slipway hosts
 * the repositories itself and sees every push (the providerType stays CodeStarSourceConnection,
 * the only value the model allows).
 */
export const triggerSourceProviders: readonly string[] = ['CodeStarSourceConnection', 'CodeCommit'];

/** Triggers (InvalidStructureException): each names a distinct git source action. */
export function checkTriggers(
  p: DeclarationProblems,
  pipeline: PipelineDeclaration,
): ValidatedTrigger[] {
  const sources = new Map(
    (pipeline.stages[0]?.actions ?? [])
      .filter((a) => a.actionTypeId.category === 'Source')
      .map((a) => [a.name, a.actionTypeId.provider]),
  );
  const watched = new Set<string>();
  const valid: ValidatedTrigger[] = [];
  pipeline.triggers?.forEach((trigger, i) => {
    const git = trigger.gitConfiguration;
    const at = `triggers[${i}].gitConfiguration`;
    checkFilters(p, at, git);
    const provider = sources.get(git.sourceActionName);
    if (provider === undefined) {
      p.structure(`${at}.sourceActionName`, `no source action is named '${git.sourceActionName}'`);
      return;
    }
    if (!triggerSourceProviders.includes(provider)) {
      p.structure(
        `${at}.sourceActionName`,
        `triggers apply only to CodeStarSourceConnection or CodeCommit sources, not ${provider}`,
      );
      return;
    }
    if (watched.has(git.sourceActionName)) {
      p.structure(
        `${at}.sourceActionName`,
        `another trigger already watches '${git.sourceActionName}'`,
      );
      return;
    }
    watched.add(git.sourceActionName);
    valid.push({
      declaration: trigger,
      sourceActionName: git.sourceActionName,
      sourceProvider: provider,
    });
  });
  return valid;
}

/** Shape beyond the model: a filter must say something, and a criteria object too (our choice). */
function checkFilters(
  p: DeclarationProblems,
  at: string,
  git: NonNullable<PipelineDeclaration['triggers']>[number]['gitConfiguration'],
): void {
  if (!git.push && !git.pullRequest) p.shape(at, 'needs push or pullRequest filters');
  git.push?.forEach((filter, i) => {
    if (!filter.tags && !filter.branches && !filter.filePaths) {
      p.shape(`${at}.push[${i}]`, 'needs tags, branches or filePaths');
    }
    checkCriteria(p, `${at}.push[${i}]`, filter);
  });
  git.pullRequest?.forEach((filter, i) => {
    if (!filter.events && !filter.branches && !filter.filePaths) {
      p.shape(`${at}.pullRequest[${i}]`, 'needs events, branches or filePaths');
    }
    checkCriteria(p, `${at}.pullRequest[${i}]`, filter);
  });
}

function checkCriteria(
  p: DeclarationProblems,
  at: string,
  filter: Partial<Record<'tags' | 'branches' | 'filePaths', GitFilterCriteria>>,
): void {
  for (const field of ['tags', 'branches', 'filePaths'] as const) {
    const criteria = filter[field];
    if (criteria && !criteria.includes && !criteria.excludes) {
      p.shape(`${at}.${field}`, 'needs includes or excludes');
    }
  }
}
