import { compileGlob } from './glob-pattern.ts';

/**
 * Whether a git push starts a pipeline, from its V2 trigger (`gitConfiguration.push` filters) or,
 * without one, from the source action's `BranchName`. Sources: "Add trigger with code push or
 * pull request event types" (pipelines-filter.html), "Trigger filtering in the pipeline JSON"
 * (pipelines-filter-cli.html), "Automate starting pipelines using triggers" (pipelines-triggers
 * .html) and the glob page (see glob-pattern.ts).
 *
 * - Filters in `push` are ORed; the criteria inside one filter are ANDed (pipelines-filter-cli:
 *   "an OR operation between different push filters and an AND operation inside filters").
 * - In a criterion, excludes take priority over includes: a name passes when no exclude matches
 *   it and, if `includes` is given, an include does. A criterion with neither list passes all.
 * - AWS's valid combinations are `tags`, `branches`, and `branches + filePaths`. A tag push is
 *   judged by `tags` alone and a branch push by `branches` and `filePaths`: a filter without
 *   `tags` never matches a tag push, and one with only `tags` never matches a branch push. Where
 *   the model allows more than the docs describe, Slipway chose: `tags` beside `branches` in one
 *   filter applies each to its own kind of ref (the CLI page's example holds all three, which a
 *   strict AND would make unmatchable); a filter with `filePaths` but no `branches` accepts any
 *   branch; an empty filter `{}` matches nothing.
 * - `filePaths` is judged per changed file: the push matches when at least one changed file
 *   passes (so excluding `**\/README.md` ignores README-only pushes, not every push that touches
 *   one). A push with no changed files (an empty commit, a branch created on an existing commit)
 *   fails a `filePaths` criterion: there is no file to include. Which files changed is the
 *   caller's computation (old..new, or against the default branch for a new branch).
 * - A trigger with neither `push` nor `pullRequest` is AWS's "No filter": any push to the
 *   action's `BranchName` starts the pipeline. A trigger with only `pullRequest` filters is
 *   never started by a push.
 * - A deleted ref starts nothing (there is no commit to fetch); refs other than `refs/heads/*`
 *   and `refs/tags/*` start nothing.
 * - Patterns that fail to compile (validation should have refused them) match nothing, so a bad
 *   stored pattern can neither crash event handling nor start a pipeline.
 *
 * Whether change detection is on at all (V1 `PollForSourceChanges`, `DetectChanges`) is the
 * caller's decision; these functions only say whether this push is one the pipeline listens for.
 */
export interface GitPush {
  /** Full ref name: `refs/heads/main`, `refs/tags/v1`. */
  readonly ref: string;
  /** Undefined when the ref was created. */
  readonly oldCommitId?: string | undefined;
  /** Undefined when the ref was deleted. */
  readonly newCommitId?: string | undefined;
  /** Paths changed by the push, relative to the repository root, without a leading `/`. */
  readonly changedFilePaths: readonly string[];
}

/** `GitBranchFilterCriteria`, `GitTagFilterCriteria` and `GitFilePathFilterCriteria`. */
export interface GitFilterCriteria {
  readonly includes?: readonly string[] | undefined;
  readonly excludes?: readonly string[] | undefined;
}

export interface GitPushFilter {
  readonly tags?: GitFilterCriteria | undefined;
  readonly branches?: GitFilterCriteria | undefined;
  readonly filePaths?: GitFilterCriteria | undefined;
}

/** The part of `GitConfiguration` a push is judged by. */
export interface GitPushTriggerConfiguration {
  readonly push?: readonly GitPushFilter[] | undefined;
  readonly pullRequest?: readonly unknown[] | undefined;
}

export type PushedRef =
  | { readonly kind: 'branch'; readonly name: string }
  | { readonly kind: 'tag'; readonly name: string };

/** The branch or tag a ref names; undefined for any other ref. */
export function parsePushedRef(ref: string): PushedRef | undefined {
  if (ref.startsWith('refs/heads/'))
    return { kind: 'branch', name: ref.slice('refs/heads/'.length) };
  if (ref.startsWith('refs/tags/')) return { kind: 'tag', name: ref.slice('refs/tags/'.length) };
  return undefined;
}

/**
 * Whether the push starts a pipeline whose source action has this `BranchName`, given the
 * action's trigger (undefined when the pipeline declares none for it).
 */
export function pushStartsPipeline(options: {
  readonly push: GitPush;
  readonly branchName: string;
  readonly trigger?: GitPushTriggerConfiguration | undefined;
}): boolean {
  const { push, branchName, trigger } = options;
  const hasFilters = (trigger?.push?.length ?? 0) > 0 || (trigger?.pullRequest?.length ?? 0) > 0;
  if (!hasFilters) return pushMatchesBranchName(push, branchName);
  return findMatchingPushFilter(push, trigger?.push ?? []) !== undefined;
}

/**
 * The pipeline without filters (V1, no trigger, or a "No filter" trigger): a push that moves or
 * creates the source action's `BranchName` branch. Branch names are compared exactly, as git does.
 */
export function pushMatchesBranchName(push: GitPush, branchName: string): boolean {
  if (push.newCommitId === undefined) return false;
  const pushed = parsePushedRef(push.ref);
  return pushed?.kind === 'branch' && pushed.name === branchName;
}

/** The first push filter the push satisfies, if any. */
export function findMatchingPushFilter(
  push: GitPush,
  filters: readonly GitPushFilter[],
): GitPushFilter | undefined {
  if (push.newCommitId === undefined) return undefined;
  const pushed = parsePushedRef(push.ref);
  if (pushed === undefined) return undefined;
  return filters.find((filter) => filterMatches(filter, pushed, push.changedFilePaths));
}

function filterMatches(filter: GitPushFilter, pushed: PushedRef, files: readonly string[]) {
  if (pushed.kind === 'tag') {
    return filter.tags !== undefined && criteriaMatch(filter.tags, pushed.name);
  }
  if (filter.branches === undefined && filter.filePaths === undefined) return false;
  if (filter.branches !== undefined && !criteriaMatch(filter.branches, pushed.name)) return false;
  return filter.filePaths === undefined || anyFileMatches(filter.filePaths, files);
}

/** Excludes win over includes; absent includes include everything. */
export function criteriaMatch(criteria: GitFilterCriteria, name: string): boolean {
  return compileCriteria(criteria)(name);
}

function anyFileMatches(criteria: GitFilterCriteria, files: readonly string[]): boolean {
  const test = compileCriteria(criteria);
  return files.some((file) => test(file));
}

function compileCriteria(criteria: GitFilterCriteria): (name: string) => boolean {
  // An empty list (which validation refuses: the model wants 1..8) is read as an absent one.
  const includes = criteria.includes?.length ? compileAll(criteria.includes) : undefined;
  const excludes = compileAll(criteria.excludes ?? []);
  return (name) =>
    !excludes.some((test) => test(name)) &&
    (includes === undefined || includes.some((test) => test(name)));
}

function compileAll(patterns: readonly string[]): ((name: string) => boolean)[] {
  return patterns.map((pattern) => {
    const glob = compileGlob(pattern);
    return 'problem' in glob ? () => false : (name: string) => glob.matches(name);
  });
}
