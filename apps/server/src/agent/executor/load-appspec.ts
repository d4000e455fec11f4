import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatAppSpecProblem, parseAppSpec, type AppSpec } from '@slipway/appspec';
import { unknownFailure } from './command-failure.ts';

/**
 * Reads and parses the appspec at the root of an extracted bundle: `fileName` (the spec's
 * AppSpecFilename, default appspec.yml), or appspec.yaml as the stock agent also accepts.
 * Missing or invalid, it fails the command with every problem listed.
 */
export async function loadAppSpec(archiveDir: string, fileName = 'appspec.yml'): Promise<AppSpec> {
  const candidates = [fileName];
  if (fileName === 'appspec.yml') candidates.push('appspec.yaml');
  for (const candidate of candidates) {
    let text: string;
    try {
      text = await readFile(join(archiveDir, candidate), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw unknownFailure(`The ${candidate} could not be read: ${(error as Error).message}`);
    }
    const parsed = parseAppSpec(text);
    if (parsed.ok) return parsed.appSpec;
    const problems = parsed.errors.map(formatAppSpecProblem).join('; ');
    throw unknownFailure(`The ${candidate} is invalid: ${problems}`);
  }
  throw unknownFailure(
    `The ${fileName} file was not found at the root of the bundle ` +
      `(the revision must contain ${candidates.join(' or ')} at its root)`,
  );
}
