import { execFileSync } from 'node:child_process';
import type { ActionControls, ActionTask, ExternalExecution, JsonValue } from '@slipway/core';
import yauzl from 'yauzl';
import { ZipFile } from 'yazl';

export const testScope = { accountId: '123456789012', region: 'us-east-1' } as const;

/** A task for an action; override what a test is about. */
export function anActionTask(overrides: Partial<ActionTask> = {}): ActionTask {
  return {
    scope: testScope,
    pipelineName: 'demo',
    pipelineArn: `arn:aws:codepipeline:us-east-1:${testScope.accountId}:demo`,
    pipelineVersion: 1,
    executionId: 'execution-1',
    stageName: 'Build',
    actionName: 'Build',
    actionExecutionId: 'action-execution-1',
    actionTypeId: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' },
    configuration: {},
    commands: [],
    environmentVariables: [],
    outputVariableNames: [],
    inputArtifacts: [],
    outputArtifacts: [],
    artifactBucket: 'codepipeline-us-east-1-artifacts',
    deadline: Date.now() + 3_600_000,
    checkpoint: undefined,
    initiator: 'codepipeline/demo',
    ...overrides,
  };
}

export interface RecordingControls extends ActionControls {
  readonly saves: { checkpoint: JsonValue; external: ExternalExecution | undefined }[];
  /** Resolves with the first save. */
  readonly saved: Promise<JsonValue>;
  readonly abort: (reason?: unknown) => void;
}

/**
 * Controls that record every save; `abort` aborts the signal with the given reason. With
 * `failSave`, saving throws after recording (a crash right after the executor started work).
 */
export function recordingControls(options: { failSave?: boolean } = {}): RecordingControls {
  const controller = new AbortController();
  const saves: RecordingControls['saves'] = [];
  let resolveSaved: (checkpoint: JsonValue) => void = () => undefined;
  const saved = new Promise<JsonValue>((resolve) => (resolveSaved = resolve));
  return {
    signal: controller.signal,
    saves,
    saved,
    abort: (reason) => controller.abort(reason),
    save: (checkpoint, external) => {
      saves.push({ checkpoint, external });
      resolveSaved(checkpoint);
      return options.failSave ? Promise.reject(new Error('crashed')) : Promise.resolve();
    },
  };
}

/** A zip of these files (name → content), built with yazl. */
export function zipOf(files: Readonly<Record<string, string>>): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, content] of Object.entries(files)) {
    if (name.endsWith('/')) zip.addEmptyDirectory(name, { mtime: new Date(0) });
    else zip.addBuffer(Buffer.from(content), name, { mtime: new Date(0) });
  }
  zip.end();
  return collect(zip.outputStream);
}

/** The files of a zip (name → content); directories are left out. */
export async function unzip(bytes: Uint8Array): Promise<Record<string, string>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true }, (error, file) =>
      error ? reject(error) : resolve(file),
    ),
  );
  const files: Record<string, string> = {};
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/')) {
        zip.readEntry();
        return;
      }
      zip.openReadStream(entry, (error, stream) => {
        if (error) {
          reject(error);
          return;
        }
        collect(stream).then((content) => {
          files[entry.fileName] = content.toString('utf8');
          zip.readEntry();
        }, reject);
      });
    });
    zip.readEntry();
  });
  return files;
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The real git, as a user runs it, with a fixed identity and dates. */
export function gitIn(cwd: string, args: string[], home: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: 'pipe',
    env: {
      PATH: process.env.PATH,
      HOME: home,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Jane Doe',
      GIT_AUTHOR_EMAIL: 'jane@example.com',
      GIT_AUTHOR_DATE: '1484167798 -0800',
      GIT_COMMITTER_NAME: 'Jane Doe',
      GIT_COMMITTER_EMAIL: 'jane@example.com',
      GIT_COMMITTER_DATE: '1484167800 -0800',
    },
  }).trim();
}
