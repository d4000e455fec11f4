/**
 * One artifact of UPLOAD_ARTIFACTS: the buildspec's `artifacts` (or a `secondary-artifacts`
 * entry) selects files from CODEBUILD_SRC_DIR (selectFiles), and the project's settings say
 * how to package them: a ZIP archive or the files themselves (packaging NONE). The log lines
 * follow CodeBuild's ("Expanding base directory path: .", "Found 3 file(s)"), and a selection
 * that matches nothing fails with CodeBuild's "CLIENT_ERROR: no matching artifact paths found".
 *
 * Symbolic links: one to a file inside the workspace is packaged as that file (or, with
 * `enable-symlinks: yes` in a ZIP, as the link itself); one that leaves the workspace or leads
 * nowhere is refused, naming it, so a build cannot smuggle host files into its artifact. A link
 * to a directory is kept as a link with `enable-symlinks`, and otherwise skipped with a note
 * (Slipway does not copy linked directories: a link can make the tree endless).
 */
import { lstat, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  noMatchingArtifactPathsMessage,
  selectFiles,
  type ArchiveEntry,
  type ArtifactSpec,
} from '@slipway/buildspec';
import type { ArtifactFile, ArtifactSettings, ArtifactSink } from './artifact-sink.ts';
import type { ProducedArtifact } from './build-model.ts';
import { openInside, type ListedEntry } from './workspace-files.ts';
import { zipEntries, type ZipEntry } from './zip-archive.ts';

export interface PackageArtifactInput {
  readonly spec: ArtifactSpec;
  readonly settings: ArtifactSettings;
  /** Checked by the caller: a relative path without `..`. */
  readonly name: string;
  readonly listing: readonly ListedEntry[];
  readonly srcDir: string;
  readonly rootReal: string;
  readonly sink: ArtifactSink;
  readonly signal: AbortSignal;
  readonly log: (...messages: string[]) => Promise<void>;
}

export type PackageArtifactResult =
  | { readonly ok: true; readonly artifact: ProducedArtifact }
  | { readonly ok: false; readonly message: string };

interface Selected {
  readonly entry: ArchiveEntry;
  readonly listed: ListedEntry;
}

export async function packageArtifact(input: PackageArtifactInput): Promise<PackageArtifactResult> {
  const { spec } = input;
  const base = spec.baseDirectory ?? '.';
  await input.log(
    `Expanding base directory path: ${base}`,
    'Assembling file list',
    `Expanding ${base}`,
    `Expanding file paths for base directory ${base}`,
    'Assembling file list',
    ...spec.files.map((f) => `Expanding ${f}`),
  );
  const byPath = new Map(input.listing.map((e) => [e.path, e]));
  const selection = selectFiles([...byPath.keys()], spec);
  if (!selection.ok) return { ok: false, message: selection.errors.join('; ') };
  if (selection.entries.length === 0) {
    await input.log(...spec.files.map((f) => `Skipping invalid file path ${f}`));
    return { ok: false, message: noMatchingArtifactPathsMessage.replace(/^CLIENT_ERROR: /, '') };
  }
  await input.log(`Found ${selection.entries.length} file(s)`);
  const selected: Selected[] = [];
  const refused: string[] = [];
  for (const entry of selection.entries) {
    const listed = byPath.get(entry.path);
    if (listed === undefined) continue;
    if (listed.kind === 'link' && (listed.target === 'outside' || listed.target === 'missing')) {
      const where = listed.target === 'outside' ? 'outside the build workspace' : 'to nothing';
      refused.push(`'${entry.path}' is a symbolic link to '${listed.linkText}', ${where}`);
      continue;
    }
    const keepLink = spec.enableSymlinks && input.settings.packaging === 'ZIP';
    if (listed.kind === 'link' && listed.target === 'directory' && !keepLink) {
      await input.log(`Skipping symbolic link to a directory ${entry.path} (see enable-symlinks)`);
      continue;
    }
    selected.push({ entry, listed });
  }
  if (refused.length > 0)
    return { ok: false, message: `refusing to package: ${refused.join('; ')}` };
  const stored =
    input.settings.packaging === 'ZIP'
      ? await storeZip(input, selected)
      : await storeTree(input, selected);
  return { ok: true, artifact: stored };
}

async function storeZip(
  input: PackageArtifactInput,
  selected: readonly Selected[],
): Promise<ProducedArtifact> {
  const entries: ZipEntry[] = [];
  for (const { entry, listed } of selected) {
    const absolute = join(input.srcDir, entry.path);
    if (listed.kind === 'link' && input.spec.enableSymlinks) {
      const info = await lstat(absolute);
      entries.push({
        archivePath: entry.archivePath,
        mtime: info.mtime,
        mode: 0o777,
        linkText: listed.linkText,
      });
      continue;
    }
    const info = await stat(absolute);
    entries.push({
      archivePath: entry.archivePath,
      mtime: info.mtime,
      mode: info.mode & 0o777,
      open: async () =>
        (await openInside(absolute, input.rootReal, `'${entry.path}'`)).createReadStream(),
    });
  }
  const zip = zipEntries(entries, input.signal);
  const stored = await input.sink.putArchive(descriptor(input), zip.stream);
  if (!zip.stream.readableEnded) {
    zip.stream.destroy();
    throw new Error('the artifact sink did not read the whole archive');
  }
  const { sha256, md5 } = zip.digests();
  return produced(input, stored.location, entries.length, sha256, md5);
}

async function storeTree(
  input: PackageArtifactInput,
  selected: readonly Selected[],
): Promise<ProducedArtifact> {
  async function* files(): AsyncGenerator<ArtifactFile> {
    for (const { entry } of selected) {
      input.signal.throwIfAborted();
      const absolute = join(input.srcDir, entry.path);
      const handle = await openInside(absolute, input.rootReal, `'${entry.path}'`);
      let opened = false;
      try {
        const info = await handle.stat();
        yield {
          path: entry.archivePath,
          size: info.size,
          mode: info.mode & 0o777,
          mtime: info.mtime,
          open: (): Readable => {
            opened = true;
            return handle.createReadStream();
          },
        };
      } finally {
        if (!opened) await handle.close();
      }
    }
  }
  const stored = await input.sink.putTree(descriptor(input), files());
  return produced(input, stored.location, selected.length, undefined, undefined);
}

function descriptor(input: PackageArtifactInput) {
  return {
    identifier: input.settings.identifier,
    packaging: input.settings.packaging,
    name: input.name,
    settings: input.settings,
  };
}

function produced(
  input: PackageArtifactInput,
  location: string,
  fileCount: number,
  sha256sum: string | undefined,
  md5sum: string | undefined,
): ProducedArtifact {
  return {
    identifier: input.settings.identifier,
    packaging: input.settings.packaging,
    name: input.name,
    location,
    fileCount,
    sha256sum,
    md5sum,
  };
}
