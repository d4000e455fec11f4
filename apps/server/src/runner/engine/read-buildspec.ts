import { isAbsolute, join, normalize } from 'node:path';
import {
  defaultBuildspecLimits,
  formatBuildspecError,
  parseBuildspec,
  phaseNames,
  yamlFileErrorCode,
  type Buildspec,
  type BuildspecWarning,
} from '@slipway/buildspec';
import { isAppError } from '@slipway/core';
import type { PhaseContext } from './build-model.ts';
import type { BuildspecSource } from './build-run.ts';
import { openInside, readBounded } from './workspace-files.ts';

export type ReadBuildspecResult =
  | {
      readonly ok: true;
      readonly buildspec: Buildspec;
      readonly warnings: readonly BuildspecWarning[];
      /** The file read, for "YAML location is …"; undefined for inline text. */
      readonly location: string | undefined;
    }
  | { readonly ok: false; readonly context: PhaseContext; readonly location: string | undefined };

const yamlError = (message: string, location?: string): ReadBuildspecResult => ({
  ok: false,
  context: { statusCode: yamlFileErrorCode, message },
  location,
});

/**
 * Reads and parses the buildspec: a file in the primary source (CodeBuild's default
 * `buildspec.yml`, or a path relative to CODEBUILD_SRC_DIR) or inline text. Every way it can be
 * unusable is a YAML_FILE_ERROR, as CodeBuild reports it in DOWNLOAD_SOURCE, naming the line
 * and the field (`line 7: phases.build.commands[2]: expected a string`).
 */
export async function readBuildspec(options: {
  readonly source: BuildspecSource;
  readonly srcDir: string;
  readonly rootReal: string;
}): Promise<ReadBuildspecResult> {
  const { source } = options;
  let text: string;
  let location: string | undefined;
  if (source.kind === 'inline') {
    text = source.text;
  } else {
    const path = source.path ?? 'buildspec.yml';
    if (path.startsWith('arn:')) {
      return yamlError(`${path}: a buildspec in S3 must be fetched before the build starts`);
    }
    const normalized = normalize(path);
    if (isAbsolute(path) || normalized === '..' || normalized.startsWith('../')) {
      return yamlError(`${path}: the buildspec path must be relative to CODEBUILD_SRC_DIR`);
    }
    location = join(options.srcDir, normalized);
    const read = await readFileText(location, options.rootReal);
    if (typeof read !== 'string') return yamlError(read.error, location);
    text = read;
  }
  const parsed = parseBuildspec(text);
  if (!parsed.ok) {
    const message = parsed.errors
      .map((e) => formatBuildspecError(e).slice(yamlFileErrorCode.length + 2))
      .join('; ');
    return yamlError(message, location);
  }
  const unsupported = unsupportedFeatures(parsed.buildspec);
  if (unsupported.length > 0) return yamlError(unsupported.join('; '), location);
  return { ok: true, buildspec: parsed.buildspec, warnings: parsed.warnings, location };
}

async function readFileText(path: string, rootReal: string): Promise<string | { error: string }> {
  let handle;
  try {
    handle = await openInside(path, rootReal, 'the buildspec');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Go's wording, as CodeBuild reports a missing buildspec.
    if (code === 'ENOENT') return { error: `stat ${path}: no such file or directory` };
    if (isAppError(error)) return { error: `${path}: ${error.message}` };
    return { error: `${path}: ${(error as Error).message}` };
  }
  try {
    const bytes = await readBounded(handle, defaultBuildspecLimits.maxBytes);
    return bytes.toString('utf8');
  } finally {
    await handle.close();
  }
}

/** What Slipway cannot do yet, said plainly instead of being half done. */
function unsupportedFeatures(buildspec: Buildspec): string[] {
  const problems: string[] = [];
  for (const name of phaseNames) {
    if (buildspec.phases[name]?.onFailure?.action === 'RETRY') {
      problems.push(
        `phases.${name}.on-failure: RETRY is not supported yet by Slipway; use ABORT or CONTINUE`,
      );
    }
  }
  return problems;
}
