// The git bench's source repository: ~2,000 commits on five branches, ~5,000 files of 200 B–4 KB
// of code-like text at the tip, built with `git fast-import` from a generated stream. The same
// version string always gives the same repository (same object ids), so it is cached under the
// OS temp directory and built again only when the version changes.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';
import { git, gitClientEnv } from './git-client.ts';

/** Change it whenever the shape or the content generator changes. */
const fixtureVersion = 'v2';

const shape = {
  mainCommits: 1_920,
  initialFiles: 2_500,
  finalFiles: 5_000,
  /** Side branches: forked from main's commit `forkAt`, then `commits` of their own. */
  branches: [
    { name: 'release/1.0', forkAt: 600, commits: 20 },
    { name: 'release/2.0', forkAt: 1_200, commits: 20 },
    { name: 'feature/search', forkAt: 1_700, commits: 20 },
    { name: 'feature/theme', forkAt: 1_880, commits: 20 },
  ],
  minFileBytes: 200,
  maxFileBytes: 4_096,
  seed: 0x5117_a7e5,
} as const;

export interface GitFixture {
  /** A bare repository; treat it as read-only. */
  readonly gitDir: string;
  readonly commits: number;
  readonly branches: number;
  /** Files in main's tip tree. */
  readonly files: number;
  /** Bytes of main's tip tree (the blobs a checkout writes). */
  readonly treeBytes: number;
  /** Size of its packs on disk. */
  readonly packBytes: number;
  /** Set when this run built it: how long that took. */
  readonly builtInMs: number | undefined;
}

type FixtureInfo = Omit<GitFixture, 'gitDir' | 'builtInMs'>;

/** The cached fixture, built first if it is missing. */
export async function loadGitFixture(): Promise<GitFixture> {
  const dir = join(tmpdir(), `slipway-bench-git-fixture-${fixtureVersion}`);
  const gitDir = join(dir, 'source.git');
  const infoPath = join(dir, 'fixture.json');
  const cached = await readFile(infoPath, 'utf8').catch(() => undefined);
  if (cached !== undefined) {
    return { ...(JSON.parse(cached) as FixtureInfo), gitDir, builtInMs: undefined };
  }
  const start = performance.now();
  // Built aside and renamed into place, so an interrupted build is never taken for the fixture.
  const temp = `${dir}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(temp, { recursive: true });
    const info = await build(join(temp, 'source.git'), temp);
    await writeFile(join(temp, 'fixture.json'), JSON.stringify(info));
    await rm(dir, { recursive: true, force: true });
    await rename(temp, dir);
    return { ...info, gitDir, builtInMs: performance.now() - start };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

async function build(gitDir: string, home: string): Promise<FixtureInfo> {
  const env = gitClientEnv(home);
  await git(['init', '--bare', '--quiet', '--template=', '--initial-branch=main', gitDir], { env });
  await fastImport(gitDir, env, (out) => writeHistory(out));
  // fast-import's pack deltas each blob only against its path's previous version; a repack
  // gives the pack a server would hold.
  await git(['--git-dir', gitDir, 'repack', '-a', '-d', '-q'], { env });
  await git(['--git-dir', gitDir, 'pack-refs', '--all'], { env });
  const count = async (args: string[]) =>
    (await git(['--git-dir', gitDir, ...args], { env })).trim();
  const tree = await count(['ls-tree', '-r', '--long', 'main']);
  const sizes = /^size-pack: (\d+)$/m.exec(await count(['count-objects', '-v']));
  return {
    commits: Number(await count(['rev-list', '--all', '--count'])),
    branches: (await count(['for-each-ref', 'refs/heads'])).split('\n').length,
    files: tree.split('\n').length,
    treeBytes: tree
      .split('\n')
      .reduce((sum, line) => sum + Number(/^\S+ \S+ \S+\s+(\d+)\t/.exec(line)?.[1] ?? 0), 0),
    packBytes: Number(sizes?.[1] ?? NaN) * 1024,
  };
}

/** Runs `git fast-import` fed by `write`, with backpressure; throws unless it succeeds. */
async function fastImport(
  gitDir: string,
  env: NodeJS.ProcessEnv,
  write: (out: StreamWriter) => Promise<void>,
): Promise<void> {
  const child = spawn('git', ['--git-dir', gitDir, 'fast-import', '--quiet', '--done'], {
    env,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const closed = new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('close', (code) => done(code));
  });
  const out = new StreamWriter(child.stdin);
  try {
    await write(out);
    await out.end();
  } catch (error) {
    child.kill();
    await closed.catch(() => undefined);
    throw new Error(`fast-import stream failed: ${(error as Error).message}; ${stderr}`, {
      cause: error,
    });
  }
  const code = await closed;
  if (code !== 0) throw new Error(`git fast-import exited ${code}: ${stderr}`);
}

class StreamWriter {
  readonly #stream: Writable;
  #buffered: string[] = [];
  #bufferedLength = 0;

  constructor(stream: Writable) {
    this.#stream = stream;
  }

  /** Collects small strings and writes them in ~64 KB pieces, waiting when the pipe is full. */
  async write(text: string): Promise<void> {
    this.#buffered.push(text);
    this.#bufferedLength += text.length;
    if (this.#bufferedLength >= 64 * 1024) await this.#flush();
  }

  async end(): Promise<void> {
    await this.#flush();
    await new Promise<void>((done, fail) => {
      this.#stream.once('error', fail);
      this.#stream.end(() => done());
    });
  }

  async #flush(): Promise<void> {
    const chunk = this.#buffered.join('');
    this.#buffered = [];
    this.#bufferedLength = 0;
    if (this.#stream.write(chunk)) return;
    await new Promise<void>((done, fail) => {
      const onError = (error: Error) => fail(error);
      this.#stream.once('error', onError);
      this.#stream.once('drain', () => {
        this.#stream.off('error', onError);
        done();
      });
    });
  }
}

/** The whole history as a fast-import stream; deterministic for a given seed. */
async function writeHistory(out: StreamWriter): Promise<void> {
  const random = new Prng(shape.seed);
  const files: { path: string; lines: string[] }[] = [];
  let mark = 0;
  let time = 1_600_000_000;
  const mainMarks: number[] = [];

  const commit = async (
    ref: string,
    message: string,
    changed: readonly number[],
    from?: number,
  ) => {
    mark += 1;
    time += 600 + random.below(6_000);
    const header = [
      `commit ${ref}`,
      `mark :${mark}`,
      `author Bench Author <author@example.com> ${time} +0000`,
      `committer Bench Author <author@example.com> ${time} +0000`,
      data(message),
      ...(from === undefined ? [] : [`from :${from}`]),
    ];
    await out.write(`${header.join('\n')}\n`);
    for (const index of changed) {
      const file = files[index];
      if (file === undefined) continue;
      await out.write(`M 100644 inline ${file.path}\n${data(file.lines.join('\n') + '\n')}\n`);
    }
    await out.write('\n');
    return mark;
  };

  const addFile = () => {
    const index = files.length;
    files.push({ path: pathFor(index, random), lines: newContent(random) });
    return index;
  };

  // The first commit: the initial import of a project.
  for (let i = 0; i < shape.initialFiles; i += 1) addFile();
  mainMarks.push(
    await commit(
      'refs/heads/main',
      'Initial import',
      files.map((_, i) => i),
    ),
  );
  const forks = new Map<number, (typeof shape.branches)[number][]>();
  for (const branch of shape.branches) {
    forks.set(branch.forkAt, [...(forks.get(branch.forkAt) ?? []), branch]);
  }
  const branchTips = new Map<string, number>();
  for (let n = 1; n < shape.mainCommits; n += 1) {
    // Files grow linearly from the initial import to the final count; edits favour a hot set.
    const wanted = Math.round(
      shape.initialFiles + ((shape.finalFiles - shape.initialFiles) * n) / (shape.mainCommits - 1),
    );
    const changed: number[] = [];
    while (files.length < wanted) changed.push(addFile());
    const edits = 1 + random.below(4);
    for (let e = 0; e < edits; e += 1) {
      const index = Math.floor(files.length * random.next() ** 2);
      const file = files[index];
      if (file === undefined || changed.includes(index)) continue;
      mutate(file.lines, random);
      changed.push(index);
    }
    mainMarks.push(await commit('refs/heads/main', commitMessage(n, random), changed));
    for (const branch of forks.get(n) ?? []) branchTips.set(branch.name, mark);
  }
  for (const branch of shape.branches) {
    const forkMark = branchTips.get(branch.name) ?? mainMarks[0] ?? 1;
    const filesAtFork = Math.min(files.length, shape.initialFiles + branch.forkAt);
    for (let n = 0; n < branch.commits; n += 1) {
      // Edits of files main had at the fork; what main did to them since does not matter here.
      const index = Math.floor(filesAtFork * random.next() ** 2);
      const file = files[index];
      if (file === undefined) continue;
      const lines = [...file.lines];
      mutate(lines, random);
      const original = file.lines;
      file.lines = lines;
      await commit(
        `refs/heads/${branch.name}`,
        `${branch.name}: ${commitMessage(n, random)}`,
        [index],
        n === 0 ? forkMark : undefined,
      );
      file.lines = original;
    }
  }
  await out.write('done\n');
}

function data(text: string): string {
  // ASCII only, so characters are bytes.
  return `data ${text.length}\n${text}`;
}

const words = [
  'account',
  'action',
  'artifact',
  'branch',
  'build',
  'cache',
  'commit',
  'config',
  'deploy',
  'digest',
  'event',
  'handler',
  'identity',
  'index',
  'job',
  'key',
  'lease',
  'log',
  'merge',
  'pipeline',
  'policy',
  'queue',
  'record',
  'region',
  'repository',
  'request',
  'result',
  'route',
  'signer',
  'source',
  'stage',
  'store',
  'tag',
  'token',
  'trigger',
  'user',
  'value',
  'webhook',
  'worker',
  'zone',
] as const;
const packages = ['core', 'server', 'cli', 'web', 'agent', 'sdk', 'testing', 'docs'] as const;
const areas = [
  'api',
  'auth',
  'build',
  'config',
  'events',
  'git',
  'http',
  'jobs',
  'model',
  'store',
  'ui',
  'util',
] as const;

function pathFor(index: number, random: Prng): string {
  const pkg = random.pick(packages);
  const area = random.pick(areas);
  const ext = random.pick(['ts', 'ts', 'ts', 'md', 'json', 'test.ts'] as const);
  return `packages/${pkg}/src/${area}/${random.pick(words)}-${random.pick(words)}-${index}.${ext}`;
}

function newContent(random: Prng): string[] {
  const { minFileBytes: min, maxFileBytes: max } = shape;
  // Log-uniform sizes: many small files, a few near the maximum, as in real trees.
  const target = Math.round(min * (max / min) ** random.next());
  const lines: string[] = [];
  let size = 0;
  while (size < target) {
    const line = codeLine(random);
    lines.push(line);
    size += line.length + 1;
  }
  return lines;
}

/** One to three line edits (replace, insert, delete), keeping the file within the size range. */
function mutate(lines: string[], random: Prng): void {
  const edits = 1 + random.below(3);
  for (let e = 0; e < edits; e += 1) {
    const at = random.below(lines.length + 1);
    const kind = random.below(3);
    if (kind === 0 && at < lines.length) lines[at] = codeLine(random);
    else if (kind === 1 || lines.length < 4) lines.splice(at, 0, codeLine(random));
    else lines.splice(Math.min(at, lines.length - 1), 1);
  }
  const size = () => lines.reduce((sum, line) => sum + line.length + 1, 0);
  while (size() > shape.maxFileBytes) lines.splice(random.below(lines.length), 1);
  while (size() < shape.minFileBytes) lines.push(codeLine(random));
}

function codeLine(random: Prng): string {
  const a = random.pick(words);
  const b = random.pick(words);
  const c = random.pick(words);
  const indent = '  '.repeat(random.below(4));
  switch (random.below(8)) {
    case 0:
      return `export function ${a}${capital(b)}(${c}: ${capital(a)}): ${capital(b)} {`;
    case 1:
      return `${indent}const ${a} = ${b}.${c}(${random.below(1000)}, '${b}-${c}');`;
    case 2:
      return `${indent}if (${a}.${b} === undefined) return ${c};`;
    case 3:
      return `${indent}// The ${a} of the ${b} decides which ${c} runs next.`;
    case 4:
      return `${indent}await this.#${a}.${b}({ ${c}, ${a}Id: ${random.below(100_000)} });`;
    case 5:
      return `${indent}}`;
    case 6:
      return '';
    default:
      return `${indent}return ${a}${capital(b)}(${c}, ${random.below(64)});`;
  }
}

function commitMessage(n: number, random: Prng): string {
  const verb = random.pick(['Fix', 'Add', 'Refactor', 'Speed up', 'Document', 'Test'] as const);
  return `${verb} ${random.pick(words)} ${random.pick(words)} (#${n})\n\nChange ${n} of the bench history.\n`;
}

function capital(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** mulberry32: small, fast, and the same sequence everywhere. */
class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }
}
