import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { AppSpec } from '@slipway/appspec';
import type { DeploymentSpecification } from '@slipway/protocol';
import { extractZipSource, ZipSourceError } from '../../runner/source/zip-source.ts';
import { unknownFailure } from './command-failure.ts';
import type { DeploymentRoot } from './deployment-root.ts';
import { extractTarBundle, TarBundleError } from './extract-tar.ts';
import { loadAppSpec } from './load-appspec.ts';

export interface DownloadBundleInput {
  readonly spec: DeploymentSpecification;
  readonly root: DeploymentRoot;
  readonly signal?: AbortSignal | undefined;
  readonly fetch?: typeof fetch;
}

/**
 * DownloadBundle: fetches the revision from the spec's presigned BundleUrl, unpacks it into
 * `deployment-archive/` and checks its appspec, so a bad revision fails here rather than
 * halfway through Install. Old deployment directories beyond the newest 5 are removed.
 */
export async function downloadBundle(input: DownloadBundleInput): Promise<AppSpec> {
  const { spec, root } = input;
  const bundleType = spec.Revision?.S3Revision?.BundleType;
  if (bundleType !== 'zip' && bundleType !== 'tar' && bundleType !== 'tgz') {
    throw unknownFailure(`Unsupported bundle type '${String(bundleType)}': use zip, tar or tgz`);
  }
  const file = root.bundleFile(spec.DeploymentGroupId, spec.DeploymentId, bundleType);
  const archive = root.archiveDir(spec.DeploymentGroupId, spec.DeploymentId);
  await mkdir(dirname(file), { recursive: true });
  await fetchBundle(spec.BundleUrl, file, input);
  // A retried DownloadBundle starts from a clean directory.
  await rm(archive, { recursive: true, force: true });
  try {
    if (bundleType === 'zip') await extractZipSource(file, archive);
    else await extractTarBundle(file, archive);
  } catch (error) {
    if (error instanceof ZipSourceError || error instanceof TarBundleError) {
      throw unknownFailure(error.message);
    }
    throw error;
  }
  const appSpec = await loadAppSpec(archive, spec.AppSpecFilename || 'appspec.yml');
  const lastSuccessful = await root.findLastSuccessfulArchive(spec.DeploymentGroupId);
  await root.pruneDeployments(spec.DeploymentGroupId, [
    root.deploymentDir(spec.DeploymentGroupId, spec.DeploymentId),
    ...(lastSuccessful === undefined ? [] : [lastSuccessful]),
  ]);
  return appSpec;
}

async function fetchBundle(url: string, file: string, input: DownloadBundleInput): Promise<void> {
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
    throw unknownFailure('The deployment specification has no BundleUrl to download from');
  }
  let response: Response;
  try {
    response = await (input.fetch ?? fetch)(url, { signal: input.signal ?? null });
  } catch (error) {
    throw unknownFailure(`The bundle could not be downloaded: ${(error as Error).message}`);
  }
  if (!response.ok || response.body === null) {
    const text = await response.text().catch(() => '');
    throw unknownFailure(
      `The bundle could not be downloaded: HTTP ${response.status} ${text.slice(0, 300)}`.trim(),
    );
  }
  const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  await pipeline(body, createWriteStream(file));
}
