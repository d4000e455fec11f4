import type { FieldProblem } from '../errors/app-error.ts';

/** A hosted git repository: the CodeCommit model. */
export interface Repository {
  /** A UUID, also the name of its directory on disk; never derived from user input. */
  readonly id: string;
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly description: string | undefined;
  /** Undefined until the first branch exists. */
  readonly defaultBranch: string | undefined;
  readonly kmsKeyId: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly triggers: TriggerConfiguration;
  readonly createdAt: number;
  readonly lastModifiedAt: number;
}

export const TriggerEvent = {
  All: 'all',
  UpdateReference: 'updateReference',
  CreateReference: 'createReference',
  DeleteReference: 'deleteReference',
} as const;
export type TriggerEvent = (typeof TriggerEvent)[keyof typeof TriggerEvent];

export interface RepositoryTrigger {
  readonly name: string;
  /** An SNS/Lambda ARN (stored, not delivered) or an http(s) webhook URL (delivered). */
  readonly destinationArn: string;
  readonly customData: string | undefined;
  /** Empty: every branch. */
  readonly branches: readonly string[];
  readonly events: readonly TriggerEvent[];
}

export interface TriggerConfiguration {
  /** Changes on every PutRepositoryTriggers; undefined before the first. */
  readonly configurationId: string | undefined;
  readonly triggers: readonly RepositoryTrigger[];
}

export function repositoryArn(repository: Pick<Repository, 'accountId' | 'region' | 'name'>) {
  return `arn:aws:codecommit:${repository.region}:${repository.accountId}:${repository.name}`;
}

const repositoryNamePattern = /^[\w.-]+$/;

/** CodeCommit's rules: `[\w.-]+`, at most 100 characters, no `.git` suffix. */
export function repositoryNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > 100) return 'must be at most 100 characters';
  if (!repositoryNamePattern.test(name)) {
    return 'may contain only letters, digits, underscores, periods and hyphens';
  }
  if (name.toLowerCase().endsWith('.git')) return 'must not end in .git';
  if (name === '.' || name === '..') return 'must not be . or ..';
  return undefined;
}

/**
 * Git's ref name rules (`git check-ref-format`), for a branch or tag name without its
 * `refs/heads/` prefix. Checked here so a bad name never reaches git, let alone a shell.
 */
export function refNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > 256) return 'must be at most 256 characters';
  if (name === '@') return 'must not be @';
  if (name.startsWith('-')) return 'must not start with -';
  if (name.startsWith('/') || name.endsWith('/')) return 'must not start or end with /';
  if (name.endsWith('.')) return 'must not end with .';
  if (name.includes('..')) return 'must not contain ..';
  if (name.includes('//')) return 'must not contain //';
  if (name.includes('@{')) return 'must not contain @{';
  // Control characters, space and the characters git reserves for revision syntax.
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) {
    return 'must not contain spaces, control characters or any of ~ ^ : ? * [ \\';
  }
  for (const component of name.split('/')) {
    if (component.startsWith('.')) return 'no path component may start with .';
    if (component.endsWith('.lock')) return 'no path component may end with .lock';
  }
  if (name === 'HEAD') return 'must not be HEAD';
  return undefined;
}

/** Limits CodeCommit applies to file paths in the API. */
const maxPathLength = 4096;

/**
 * Normalizes a file or folder path from the API to git's form: no leading slash, no `.`
 * components, no doubled slashes. Rejects `..`, NUL and paths inside `.git`. `/` and `''`
 * name the root (returned as `''`).
 */
export function normalizeRepositoryPath(
  path: string,
): { path: string } | { problem: FieldProblem['message'] } {
  if (path.length > maxPathLength)
    return { problem: `must be at most ${maxPathLength} characters` };
  if (path.includes('\0')) return { problem: 'must not contain NUL' };
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return { problem: 'must not contain ..' };
    if (part.toLowerCase() === '.git') return { problem: 'must not name .git' };
    parts.push(part);
  }
  return { path: parts.join('/') };
}
