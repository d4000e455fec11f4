import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, posix } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AppErrorKind,
  isAppError,
  MetadataDirective,
  type ActionControls,
  type ActionExecutor,
  type ActionResult,
  type ActionTask,
  type ProducedArtifact,
} from '@slipway/core';
import yauzl from 'yauzl';
import { s3Url, type PipelineArtifacts } from '../pipeline-artifacts.ts';
import { failedResult, messageOf } from './action-results.ts';

export interface S3DeployDeps {
  readonly artifacts: PipelineArtifacts;
  /** Where an artifact is downloaded to be unzipped; the system's temp folder by default. */
  readonly scratchDir?: string | undefined;
}

/** Refused archives before anything is written: more entries than this. */
const maxEntries = 100_000;

/** A refused entry name or archive: the action fails and writes nothing. */
class UnsafeArchiveError extends Error {}

interface DeployTarget {
  readonly bucket: string;
  readonly key: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Deploy/AWS/S3/1: puts the input artifact into a bucket of the account, either unzipped under
 * the ObjectKey prefix (Extract true: every file becomes an object; directories are skipped;
 * an entry that is absolute or climbs out with `..` fails the action before anything is
 * written) or as one object at ObjectKey. CacheControl is stored with every object; CannedACL
 * is accepted and ignored (Slipway has no ACLs). Re-running writes the same keys.
 */
export class S3DeployExecutor implements ActionExecutor {
  readonly #deps: S3DeployDeps;

  constructor(deps: S3DeployDeps) {
    this.#deps = deps;
  }

  async execute(task: ActionTask, controls: ActionControls): Promise<ActionResult> {
    const config = task.configuration;
    const bucket = config.BucketName ?? '';
    const extract = (config.Extract ?? '').toLowerCase();
    const objectKey = config.ObjectKey ?? '';
    const input = task.inputArtifacts[0];
    if (bucket === '') return failedResult('BucketName is required', 'ConfigurationError');
    if (extract !== 'true' && extract !== 'false') {
      return failedResult('Extract must be true or false', 'ConfigurationError');
    }
    if (extract === 'false' && objectKey === '') {
      return failedResult('ObjectKey is required when Extract is false', 'ConfigurationError');
    }
    if (input === undefined) {
      return failedResult('The action has no input artifact', 'ConfigurationError');
    }
    const headers: Record<string, string> = config.CacheControl
      ? { 'cache-control': config.CacheControl }
      : {};
    const { objects } = this.#deps.artifacts;
    const unusable = await objects.headBucket(task.scope, bucket).then(
      () => undefined,
      (error: unknown) => bucketProblem(error, bucket),
    );
    if (unusable !== undefined) return failedResult(unusable);
    try {
      if (extract === 'false') {
        await objects.copyObject({
          scope: task.scope,
          source: input.location,
          target: { bucket, key: objectKey },
          metadataDirective: MetadataDirective.Replace,
          contentType: 'application/zip',
          headers,
        });
        return { status: 'Succeeded' };
      }
      const target = { bucket, key: objectKey, headers };
      const written = await this.#extract(task, input, target, controls);
      return {
        status: 'Succeeded',
        summary: `Extracted ${written} files to s3://${bucket}/${objectKey}`,
      };
    } catch (error) {
      if (error instanceof UnsafeArchiveError) return failedResult(error.message);
      if (!isAppError(error)) throw error;
      return failedResult(
        error.kind === AppErrorKind.NotFound
          ? `The input artifact ${input.name} cannot be read at ${s3Url(input.location)}: ${error.message}`
          : `The deployment to ${bucket} failed: ${error.message}`,
      );
    }
  }

  /** Unzips the artifact into the bucket; how many objects it wrote. */
  async #extract(
    task: ActionTask,
    input: ProducedArtifact,
    target: DeployTarget,
    controls: ActionControls,
  ): Promise<number> {
    const scratch = await mkdtemp(join(this.#deps.scratchDir ?? tmpdir(), 'slipway-s3-deploy-'));
    try {
      const archive = join(scratch, 'artifact.zip');
      const { body } = await this.#deps.artifacts.get(task.scope, input.location);
      await pipeline(Readable.from(body), createWriteStream(archive), { signal: controls.signal });
      const zip = await openZip(archive);
      try {
        const files = await listFiles(zip);
        const prefix = target.key.replace(/\/+$/, '');
        for (const { entry, name } of files) {
          controls.signal.throwIfAborted();
          const key = prefix === '' ? name : `${prefix}/${name}`;
          await this.#deps.artifacts.put(
            task.scope,
            { bucket: target.bucket, key },
            (await openEntry(zip, entry)) as AsyncIterable<Uint8Array>,
            { contentType: contentTypeOf(name), headers: target.headers },
          );
        }
        return files.length;
      } finally {
        zip.close();
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
}

/**
 * Every file entry of the archive with its checked name, read before anything is written so an
 * unsafe archive writes nothing: names must be relative and stay inside (no `..` segment).
 */
async function listFiles(zip: yauzl.ZipFile): Promise<{ entry: yauzl.Entry; name: string }[]> {
  if (zip.entryCount > maxEntries) {
    throw new UnsafeArchiveError(`The artifact has more than ${maxEntries} entries`);
  }
  const files: { entry: yauzl.Entry; name: string }[] = [];
  for (;;) {
    const entry = await nextEntry(zip);
    if (entry === undefined) return files;
    if (entry.fileName.endsWith('/')) continue;
    files.push({ entry, name: safeName(entry.fileName) });
  }
}

function safeName(fileName: string): string {
  const segments = fileName.split('/');
  if (
    fileName === '' ||
    fileName.includes('\0') ||
    fileName.includes('\\') ||
    posix.isAbsolute(fileName) ||
    segments.some((s) => s === '..' || s === '.' || s === '')
  ) {
    throw new UnsafeArchiveError(
      `The artifact has an entry outside its root: ${JSON.stringify(fileName)}`,
    );
  }
  return fileName;
}

function bucketProblem(error: unknown, bucket: string): string {
  if (!isAppError(error)) throw error;
  if (error.kind === AppErrorKind.NotFound) return `The bucket ${bucket} does not exist`;
  if (error.kind === AppErrorKind.AccessDenied) {
    return `The bucket ${bucket} belongs to another account`;
  }
  return `The bucket ${bucket} cannot be used: ${messageOf(error)}`;
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(
      path,
      // Names are checked here (validateFileName off would let yauzl pass them on unchecked).
      { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: true },
      (error, zip) => {
        if (error)
          reject(new UnsafeArchiveError(`The artifact is not a readable zip: ${error.message}`));
        else resolve(zip);
      },
    );
  });
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const cleanUp = () => {
      zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
    };
    const onEntry = (entry: yauzl.Entry) => {
      cleanUp();
      resolve(entry);
    };
    const onEnd = () => {
      cleanUp();
      resolve(undefined);
    };
    const onError = (error: Error) => {
      cleanUp();
      // yauzl refuses absolute and `..` names itself, before handing the entry over.
      reject(new UnsafeArchiveError(`The artifact cannot be extracted: ${error.message}`));
    };
    zip.once('entry', onEntry).once('end', onEnd).once('error', onError);
    zip.readEntry();
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream)));
  });
}

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html',
  '.htm': 'text/html',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
};

/** As S3 deploy sets it from the file's extension; S3's default otherwise. */
function contentTypeOf(name: string): string {
  return contentTypes[extname(name).toLowerCase()] ?? 'binary/octet-stream';
}
