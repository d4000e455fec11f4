// Helpers shared by the engine tests; not a test file itself.
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fromBuffer, type Entry, type ZipFile } from 'yauzl';
import { BubblewrapExecutor } from '../sandbox/bubblewrap-executor.ts';
import type { Executor } from '../sandbox/executor.ts';
import { ProcessExecutor } from '../sandbox/process-executor.ts';
import { makeWorkspacesRoot, silentLog } from '../sandbox/sandbox-test-support.ts';
import type { SandboxUser } from '../sandbox/sandbox-user.ts';
import { createWorkspace } from '../sandbox/workspace.ts';
import type {
  ArtifactDescriptor,
  ArtifactFile,
  ArtifactSink,
  StoredArtifact,
} from './artifact-sink.ts';
import type {
  BuildOutcome,
  PhaseRecord,
  PhaseType,
  ProducedArtifact,
  ProducedReport,
} from './build-model.ts';
import type { BuildReporter, LogLine } from './build-reporter.ts';
import type { BuildRun } from './build-run.ts';
import { createBuildWorkspaceDirs, planBuildWorkspace } from './build-workspace.ts';
import { runBuild, type BuildEngineDeps } from './run-build.ts';

export type TestedExecutor = Executor & { readonly user: SandboxUser };

export const executors: readonly [string, () => Promise<TestedExecutor>][] = [
  ['bubblewrap', () => BubblewrapExecutor.create({ log: silentLog })],
  ['process', () => ProcessExecutor.create({ log: silentLog })],
];

/** Records everything a build reports. */
export class RecordingReporter implements BuildReporter {
  readonly events: string[] = [];
  readonly lines: LogLine[] = [];
  readonly phases: PhaseRecord[] = [];
  readonly artifacts: ProducedArtifact[] = [];
  readonly reports: ProducedReport[] = [];
  outcome: BuildOutcome | undefined;

  phaseStarted(event: { phaseType: PhaseType }): void {
    this.events.push(`start ${event.phaseType}`);
  }
  phaseEnded(record: PhaseRecord): void {
    this.events.push(`end ${record.phaseType} ${record.phaseStatus ?? ''}`.trim());
    this.phases.push(record);
  }
  log(lines: readonly LogLine[]): void {
    this.lines.push(...lines);
  }
  artifactProduced(artifact: ProducedArtifact): void {
    this.artifacts.push(artifact);
  }
  reportProduced(report: ProducedReport): void {
    this.reports.push(report);
  }
  buildCompleted(outcome: BuildOutcome): void {
    this.outcome = outcome;
  }

  /** The log's text, agent lines without their `[Container] <time> ` prefix. */
  text(): string {
    return this.lines
      .map((l) => (l.source === 'agent' ? l.text.replace(/^\[Container\] \S+ \S+ /, '') : l.text))
      .join('\n');
  }

  /** The build's own output lines (stdout and stderr). */
  output(): string[] {
    return this.lines.filter((l) => l.source !== 'agent').map((l) => l.text);
  }

  statuses(): string[] {
    return this.phases.map((p) => `${p.phaseType}${p.phaseStatus ? ` ${p.phaseStatus}` : ''}`);
  }
}

export interface StoredZip {
  readonly descriptor: ArtifactDescriptor;
  readonly bytes: Buffer;
}

/** Keeps artifacts in memory, for assertions. */
export class MemorySink implements ArtifactSink {
  readonly zips: StoredZip[] = [];
  readonly trees: { descriptor: ArtifactDescriptor; files: Record<string, string> }[] = [];

  async putArchive(descriptor: ArtifactDescriptor, archive: Readable): Promise<StoredArtifact> {
    const chunks: Buffer[] = [];
    for await (const chunk of archive) chunks.push(chunk as Buffer);
    this.zips.push({ descriptor, bytes: Buffer.concat(chunks) });
    return { location: `memory://${descriptor.name}` };
  }

  async putTree(
    descriptor: ArtifactDescriptor,
    files: AsyncIterable<ArtifactFile>,
  ): Promise<StoredArtifact> {
    const out: Record<string, string> = {};
    for await (const file of files) {
      const chunks: Buffer[] = [];
      for await (const chunk of file.open()) chunks.push(chunk as Buffer);
      out[file.path] = Buffer.concat(chunks).toString('utf8');
    }
    this.trees.push({ descriptor, files: out });
    return { location: `memory://${descriptor.name}` };
  }
}

export interface TestBuild {
  readonly reporter: RecordingReporter;
  readonly sink: MemorySink;
  readonly outcome: BuildOutcome;
  readonly run: BuildRun;
}

export interface TestBuildOptions {
  /** buildspec.yml's text. */
  readonly buildspec: string;
  /** More source files: path → content (a `{ link }` makes a symbolic link). */
  readonly files?: Readonly<Record<string, string | { readonly link: string }>>;
  readonly run?: Partial<BuildRun>;
  readonly deps?: Partial<BuildEngineDeps>;
}

/** A workspaces root per test file; builds get their own workspace below it. */
export class EngineHarness {
  #root: string | undefined;
  executor: TestedExecutor | undefined;

  async setUp(create: () => Promise<TestedExecutor>): Promise<void> {
    this.#root = await makeWorkspacesRoot();
    this.executor = await create();
  }

  async tearDown(): Promise<void> {
    if (this.#root !== undefined) await rm(this.#root, { recursive: true, force: true });
  }

  async build(options: TestBuildOptions): Promise<TestBuild> {
    const run = await this.prepare(options);
    const reporter = new RecordingReporter();
    const sink = new MemorySink();
    const outcome = await runBuild(run, { reporter, artifactSink: sink, ...options.deps });
    return { reporter, sink, outcome, run };
  }

  async prepare(options: TestBuildOptions): Promise<BuildRun> {
    const executor = this.executor;
    if (executor === undefined || this.#root === undefined) throw new Error('setUp first');
    const root = await createWorkspace(this.#root, executor.user);
    const workspace = planBuildWorkspace(root);
    await createBuildWorkspaceDirs(workspace, executor.user);
    const uuid = randomUUID();
    return {
      buildId: `demo:${uuid}`,
      buildArn: `arn:aws:codebuild:us-east-1:123456789012:build/demo:${uuid}`,
      buildNumber: 7,
      projectName: 'demo',
      region: 'us-east-1',
      accountId: '123456789012',
      initiator: 'tester',
      startTime: Date.now(),
      image: 'slipway/test',
      buildspec: { kind: 'file' },
      environment: {},
      network: false,
      deadline: Date.now() + 60_000,
      workspace,
      executor,
      sandboxUser: executor.user,
      artifactSettings: (identifier) => ({
        identifier,
        packaging: 'ZIP',
        name: identifier ?? 'primary',
      }),
      prepareSource: async () => {
        await writeSource(workspace.srcDir, {
          'buildspec.yml': options.buildspec,
          ...options.files,
        });
        return { resolvedSourceVersion: 'a'.repeat(40) };
      },
      ...options.run,
    };
  }
}

export async function writeSource(
  dir: string,
  files: Readonly<Record<string, string | { readonly link: string }>>,
): Promise<void> {
  const { symlink } = await import('node:fs/promises');
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    if (typeof content === 'string') {
      await writeFile(target, content);
      if (path.endsWith('.sh')) await chmod(target, 0o755);
    } else await symlink(content.link, target);
  }
}

export interface ZipContent {
  readonly content: string;
  /** Unix permission and type bits. */
  readonly mode: number;
}

/** A zip's entries by name, read with yauzl (an independent reader). */
export async function readZip(bytes: Buffer): Promise<Record<string, ZipContent>> {
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    fromBuffer(bytes, { lazyEntries: true }, (error, file) =>
      error ? reject(error) : resolve(file),
    ),
  );
  const out: Record<string, ZipContent> = {};
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          out[entry.fileName] = {
            content: Buffer.concat(chunks).toString('utf8'),
            mode: (entry.externalFileAttributes >>> 16) & 0xffff,
          };
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return out;
}

/** Names and contents only. */
export async function zipFiles(bytes: Buffer): Promise<Record<string, string>> {
  const entries = await readZip(bytes);
  return Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, v.content]));
}
