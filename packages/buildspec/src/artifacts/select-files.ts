/**
 * Which workspace files an `artifacts` section, a secondary artifact or a `reports` group
 * selects, and the path each gets in the archive. The caller lists the workspace (relative
 * paths, `/`-separated, files only) and packages the answer; nothing here touches the disk.
 *
 * Semantics, after the CodeBuild buildspec reference:
 * - `files` are relative to `base-directory` when given, else to the source directory. `*`
 *   stays within one directory, `**` crosses any number of them, and names starting with a dot
 *   match like any other (CodeBuild's `**` includes `.git`).
 * - A pattern without wildcards, or one ending in `/`, that names a directory selects everything
 *   under it. A wildcard that matches a directory selects nothing by itself: `dist/*` is the
 *   files directly in `dist`, and `dist/**` everything below it.
 * - `base-directory` may be a glob (`'my-build*'`); each directory it matches is a root whose
 *   own name is left out of the archive paths.
 * - `exclude-paths` are relative to the base directory; excluding a directory excludes its
 *   contents.
 * - `discard-paths: yes` keeps only each file's name. Two files that would be stored under the
 *   same archive path are an error here: CodeBuild does not document what it does (one would
 *   silently replace the other), and a build that loses a file should not pass quietly.
 *
 * Matching uses minimatch rather than a hand-written matcher: glob edge cases (escapes,
 * character classes, `**` at either end, dotfiles) are easy to get subtly wrong, and minimatch is
 * the matcher npm itself relies on. Brace expansion, extglobs, `!` negation and `#` comments are
 * turned off: CodeBuild's Go matcher has none of them, and brace expansion can multiply one
 * pattern into millions.
 */
import { Minimatch } from 'minimatch';
import type { FileSelection } from '../buildspec.model.ts';
import { ancestorsOf, basenameOf, isWorkspacePath, normalizePattern } from './workspace-paths.ts';

export interface ArchiveEntry {
  /** Workspace-relative path of the file. */
  readonly path: string;
  /** Where it goes in the archive or under the artifact's prefix. */
  readonly archivePath: string;
}

export type SelectFilesResult =
  | { readonly ok: true; readonly entries: readonly ArchiveEntry[] }
  | { readonly ok: false; readonly errors: readonly string[] };

/** The selection fields; artifact, secondary artifact and report specs all fit. */
export type FileSelectionInput = Pick<FileSelection, 'files'> &
  Partial<Pick<FileSelection, 'baseDirectory' | 'discardPaths' | 'excludePaths'>>;

/** CodeBuild fails UPLOAD_ARTIFACTS with this when an artifact selects no file. */
export const noMatchingArtifactPathsMessage = 'CLIENT_ERROR: no matching artifact paths found';

const globOptions = {
  dot: true,
  nobrace: true,
  noext: true,
  nocomment: true,
  nonegate: true,
} as const;

interface Pattern {
  readonly matcher: Minimatch;
  /** Matching a directory selects its contents. */
  readonly selectsDirectories: boolean;
}

export function selectFiles(
  workspaceFiles: readonly string[],
  selection: FileSelectionInput,
): SelectFilesResult {
  const errors: string[] = [];
  const compile = (raw: string, field: string): Pattern | undefined => {
    const normalized = normalizePattern(raw);
    if (typeof normalized !== 'string') {
      errors.push(`${field}: ${normalized.error}`);
      return undefined;
    }
    const matcher = new Minimatch(normalized.replace(/\/$/, ''), globOptions);
    return { matcher, selectsDirectories: normalized.endsWith('/') || !matcher.hasMagic() };
  };
  const files = selection.files.flatMap((p) => compile(p, 'files') ?? []);
  // Excluding a directory excludes what is in it, wildcard or not.
  const excludes = (selection.excludePaths ?? [])
    .flatMap((p) => compile(p, 'exclude-paths') ?? [])
    .map((p) => ({ ...p, selectsDirectories: true }));
  const base =
    selection.baseDirectory === undefined
      ? undefined
      : compile(selection.baseDirectory, 'base-directory');
  for (const path of workspaceFiles) {
    if (!isWorkspacePath(path)) errors.push(`'${path}' is not a relative workspace path`);
  }
  if (errors.length > 0) return { ok: false, errors };

  // Each file is tried under each root among its ancestors: files × depth, not roots × files.
  const roots = base === undefined ? undefined : matchingDirectories(workspaceFiles, base.matcher);
  const byArchivePath = new Map<string, string>();
  const entries: ArchiveEntry[] = [];
  for (const path of workspaceFiles) {
    const prefixes = roots === undefined ? [''] : ancestorsOf(path).filter((d) => roots.has(d));
    for (const root of prefixes) {
      const relative = root === '' ? path : path.slice(root.length + 1);
      if (!files.some((p) => selects(p, relative))) continue;
      if (excludes.some((p) => selects(p, relative))) continue;
      const archivePath = selection.discardPaths === true ? basenameOf(relative) : relative;
      const earlier = byArchivePath.get(archivePath);
      if (earlier === path) continue;
      if (earlier !== undefined) {
        errors.push(`'${earlier}' and '${path}' would both be stored as '${archivePath}'`);
        continue;
      }
      byArchivePath.set(archivePath, path);
      entries.push({ path, archivePath });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  entries.sort((a, b) =>
    a.archivePath < b.archivePath ? -1 : a.archivePath > b.archivePath ? 1 : 0,
  );
  return { ok: true, entries };
}

function selects(pattern: Pattern, relative: string): boolean {
  if (pattern.matcher.match(relative)) return true;
  return pattern.selectsDirectories && ancestorsOf(relative).some((d) => pattern.matcher.match(d));
}

/** The directories (ancestors of listed files) a base-directory pattern matches. */
function matchingDirectories(workspaceFiles: readonly string[], matcher: Minimatch): Set<string> {
  const directories = new Set<string>();
  for (const path of workspaceFiles) for (const d of ancestorsOf(path)) directories.add(d);
  return new Set([...directories].filter((d) => matcher.match(d)));
}
