// Git over smart HTTP: `git clone` and a full `git push` of a 2,000-commit, 5,000-file
// repository through Slipway (in-process, SQLite), through `git http-backend` as CGI behind a bare
// node:http server, and over file://, in the same run; then the latency from `git push` to a
// subscriber reading the push's event, on SQLite and PostgreSQL.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminUrl, createDatabase, withAdmin } from '../test/support/postgres.ts';
import { startTestServer, type TestServer } from '../test/support/test-server.ts';
import {
  branchesOf,
  describeGitFailure,
  git,
  gitClientEnv,
  remoteBranchesOf,
  runGit,
  type GitRun,
} from './support/git-client.ts';
import { loadGitFixture, type GitFixture } from './support/git-fixture.ts';
import {
  startGitHttpBackend,
  type GitHttpBackendServer,
} from './support/git-http-backend-server.ts';
import {
  describeBackgroundLoad,
  machineBusyMs,
  measureBackgroundLoad,
} from './support/machine-load.ts';
import { isMain, printReport, progress, type BenchReport } from './support/report.ts';
import {
  createGitCredential,
  createSlipwayRepository,
  PushEventWatcher,
  ReceivePackArrivals,
  slipwayCloneUrl,
  type GitCredential,
} from './support/slipway-git.ts';
import {
  formatMs,
  formatRatio,
  formatTable,
  median,
  summariseLatencies,
  type LatencySummary,
} from './support/stats.ts';

const plan = {
  /** Per target, interleaved round by round; one untimed warm-up clone each first. */
  bareClones: 5,
  checkoutClones: 3,
  /** Per target, each into a fresh empty repository. */
  pushes: 4,
  /** Pushes to an http-backend repository with git's defaults (no fsck on receive). */
  defaultConfigPushes: 3,
  eventPushes: 100,
  eventWarmupPushes: 5,
  eventTimeoutMs: 5_000,
  targetRatio: 1.2,
  targetEventP99Ms: 50,
} as const;

/**
 * What Slipway sets in every repository it creates (apps/server/src/source/git/git-cli.ts); the
 * peer's and file:// repositories get the same, so receive-side work is the same everywhere.
 */
const slipwayRepositoryConfig = [
  ['receive.denyNonFastForwards', 'false'],
  ['receive.fsckObjects', 'true'],
  ['core.logAllRefUpdates', 'true'],
] as const;

const TargetKind = { Slipway: 'slipway', HttpBackend: 'http-backend', File: 'file' } as const;
type TargetKind = (typeof TargetKind)[keyof typeof TargetKind];

interface Target {
  readonly kind: TargetKind;
  readonly label: string;
  /** A new empty repository; the URL git should use for it. */
  createRepository(name: string, options?: { gitDefaults?: boolean }): Promise<string>;
}

/** Wall time (spawn → exit) and machine CPU of one git operation. */
interface Sample {
  readonly ms: number;
  /** Busy CPU of the whole machine over the operation (client git, server git, Node), ms. */
  readonly cpuMs: number | undefined;
}

type Operation = 'bareClone' | 'checkoutClone' | 'push' | 'defaultConfigPush';

interface Transfers {
  readonly samples: Map<`${TargetKind}:${Operation}`, Sample[]>;
  /** HTTP requests one traced run made, per target and operation. */
  readonly trips: Map<`${TargetKind}:${Operation}`, RoundTrips>;
  /** Where each target's HEAD pointed after the first `push --all` into an empty repository. */
  readonly heads: Map<TargetKind, string>;
}

interface RoundTrips {
  readonly requests: number;
  readonly unauthorized: number;
  readonly connections: number;
}

interface EventRun {
  readonly label: string;
  /** `git push` spawn → its exit. */
  readonly push: LatencySummary;
  /** Spawn → the subscriber read the event; undefined for targets without events. */
  readonly toEvent: LatencySummary | undefined;
  /** The process's exit → the subscriber read the event (negative: read before the exit). */
  readonly exitToEvent: LatencySummary | undefined;
  /** The push request reached the server → the subscriber read the event: Slipway's own part. */
  readonly arrivalToEvent: LatencySummary | undefined;
}

export async function runGitBench(): Promise<BenchReport> {
  const background = await measureBackgroundLoad();
  const failures: string[] = [];
  const notes: string[] = [];
  progress('git: loading the source repository (built once, then cached)');
  const fixture = await loadGitFixture();
  const work = await mkdtemp(join(tmpdir(), 'slipway-bench-git-'));
  const env = gitClientEnv(join(work, 'home'));
  await mkdir(join(work, 'home'));
  let server: TestServer | undefined;
  let peer: GitHttpBackendServer | undefined;
  try {
    server = await startTestServer({ env: { SLIPWAY_LOG_LEVEL: 'silent' } });
    const credential = await createGitCredential(server);
    const peerServer = await startGitHttpBackend({ projectRoot: join(work, 'http-backend') });
    peer = peerServer;
    await mkdir(join(work, 'http-backend'));
    await mkdir(join(work, 'file'));
    const httpBackend = bareRepositoryTarget({
      kind: TargetKind.HttpBackend,
      label: 'git http-backend',
      root: join(work, 'http-backend'),
      url: (name) => `${peerServer.url}/${name}.git`,
      env,
    });
    const file = bareRepositoryTarget({
      kind: TargetKind.File,
      label: 'file://',
      root: join(work, 'file'),
      url: (name) => `file://${join(work, 'file', name)}.git`,
      env,
    });
    const targets = [slipwayTarget(server, credential), httpBackend, file];
    const transfers = await measureTransfers({ fixture, targets, work, env, failures });

    const events: EventRun[] = [];
    events.push(
      await measureSlipwayEvents('Slipway (SQLite)', server, credential, work, env, failures),
    );
    events.push(
      await measurePushLoop({
        label: 'git http-backend',
        url: await httpBackend.createRepository('events'),
        work,
        env,
        failures,
      }),
    );
    events.push(
      await measurePushLoop({
        label: 'file://',
        url: await file.createRepository('events'),
        work,
        env,
        failures,
      }),
    );
    const postgres = await measurePostgresEvents(work, env, failures).catch((error: Error) => {
      failures.push(`PostgreSQL event latency: ${error.stack ?? error.message}`);
      return undefined;
    });
    if (typeof postgres === 'string') notes.push(`PostgreSQL event latency skipped: ${postgres}.`);
    else if (postgres !== undefined) events.splice(1, 0, postgres);
    for (const error of peer.errors) failures.push(`http-backend peer: ${error}`);
    const gitVersion = (await git(['--version'], { env })).trim();
    return {
      name: 'git',
      ...format({ fixture, gitVersion, transfers, events, notes, background }),
      failures,
    };
  } finally {
    await peer?.close();
    await server?.close();
    await rm(work, { recursive: true, force: true });
  }
}

function slipwayTarget(server: TestServer, credential: GitCredential): Target {
  return {
    kind: TargetKind.Slipway,
    label: 'Slipway',
    createRepository: async (name) => {
      await createSlipwayRepository(server, name);
      return slipwayCloneUrl(server.url, credential, name);
    },
  };
}

function bareRepositoryTarget(options: {
  kind: TargetKind;
  label: string;
  root: string;
  url: (name: string) => string;
  env: NodeJS.ProcessEnv;
}): Target {
  return {
    kind: options.kind,
    label: options.label,
    createRepository: async (name, { gitDefaults = false } = {}) => {
      const dir = join(options.root, `${name}.git`);
      const run = (args: string[]) => git(args, { env: options.env });
      await run(['init', '--bare', '--quiet', '--template=', '--initial-branch=main', dir]);
      const config = [
        // http-backend refuses pushes from a client it has no REMOTE_USER for, unless told.
        ['http.receivepack', 'true'],
        ...(gitDefaults ? [] : slipwayRepositoryConfig),
      ];
      for (const [key, value] of config) await run(['--git-dir', dir, 'config', key, value]);
      return options.url(name);
    },
  };
}

interface TransferOptions {
  readonly fixture: GitFixture;
  readonly targets: readonly Target[];
  readonly work: string;
  readonly env: NodeJS.ProcessEnv;
  readonly failures: string[];
}

/**
 * Round by round, every target in turn (rotated each round), so drift in the machine's speed
 * lands on all of them alike: full pushes into empty repositories, then clones of the first.
 */
async function measureTransfers(options: TransferOptions): Promise<Transfers> {
  const { fixture, targets, work, env, failures } = options;
  const samples: Transfers['samples'] = new Map();
  const trips: Transfers['trips'] = new Map();
  const heads: Transfers['heads'] = new Map();
  const expected = await branchesOf(fixture.gitDir, env);
  const record = (target: Target, operation: Operation, sample: Sample | undefined) => {
    if (sample === undefined) return;
    const key = `${target.kind}:${operation}` as const;
    samples.set(key, [...(samples.get(key) ?? []), sample]);
  };
  const rotated = (round: number) =>
    targets.map((_, i) => targets[(i + round) % targets.length] as Target);

  const cloneSources = new Map<TargetKind, string>();
  const push = async (target: Target, name: string, gitDefaults = false, traced = false) => {
    const url = await target.createRepository(name, { gitDefaults });
    const run = await timed(
      ['--git-dir', fixture.gitDir, 'push', '--quiet', '--all', url],
      { env: traceEnv(env, traced, work) },
      `${target.label}: push --all into ${name}`,
      failures,
    );
    if (run !== undefined) {
      const pushed = await remoteBranchesOf(url, env).catch((error: Error) => error.message);
      if (pushed !== expected) {
        failures.push(`${target.label}: after push --all into ${name}, branches differ: ${pushed}`);
        return undefined;
      }
      if (!cloneSources.has(target.kind)) {
        cloneSources.set(target.kind, url);
        const symref = await git(['ls-remote', '--symref', url, 'HEAD'], { env }).catch(
          (error: Error) => `ref: (${error.message})\tHEAD`,
        );
        heads.set(target.kind, /^ref: (.+)\tHEAD$/m.exec(symref)?.[1] ?? '(detached)');
      }
    }
    return run;
  };
  for (let round = 0; round < plan.pushes; round += 1) {
    progress(`git: push --all into an empty repository, round ${round + 1} of ${plan.pushes}`);
    for (const target of rotated(round)) {
      record(target, 'push', await push(target, `push-${round}`));
    }
  }
  const peer = targets.find((t) => t.kind === TargetKind.HttpBackend);
  if (peer !== undefined) {
    progress(`git: ${plan.defaultConfigPushes} pushes to http-backend with git's defaults`);
    for (let round = 0; round < plan.defaultConfigPushes; round += 1) {
      record(peer, 'defaultConfigPush', await push(peer, `defaults-${round}`, true));
    }
  }

  let cloneCount = 0;
  const clone = async (target: Target, bare: boolean, traced = false) => {
    const source = cloneSources.get(target.kind);
    if (source === undefined) return undefined;
    cloneCount += 1;
    const dest = join(work, `clone-${cloneCount}`);
    const run = await timed(
      [
        '-c',
        'protocol.version=2',
        'clone',
        '--quiet',
        // Slipway makes the first branch a push creates its default (as CodeCommit does), so
        // its HEAD is not main after `push --all`; name the branch so every checkout is alike.
        ...(bare ? ['--bare'] : ['--branch', 'main']),
        source,
        dest,
      ],
      { env: traceEnv(env, traced, work) },
      `${target.label}: clone${bare ? ' --bare' : ''}`,
      failures,
    );
    try {
      if (run !== undefined) {
        await verifyClone(dest, bare, expected, env).catch((error: Error) =>
          failures.push(`${target.label}: ${error.message}`),
        );
      }
    } finally {
      await rm(dest, { recursive: true, force: true });
    }
    return run;
  };
  progress('git: one warm-up clone --bare per target');
  for (const target of targets) await clone(target, true);
  for (let round = 0; round < plan.bareClones; round += 1) {
    progress(`git: clone --bare, round ${round + 1} of ${plan.bareClones}`);
    for (const target of rotated(round)) record(target, 'bareClone', await clone(target, true));
  }
  for (let round = 0; round < plan.checkoutClones; round += 1) {
    progress(`git: clone with checkout, round ${round + 1} of ${plan.checkoutClones}`);
    for (const target of rotated(round)) {
      record(target, 'checkoutClone', await clone(target, false));
    }
  }

  progress('git: one traced clone and push per HTTP target (round trips, not timed)');
  for (const target of targets) {
    if (target.kind === TargetKind.File) continue;
    await clone(target, true, true);
    trips.set(`${target.kind}:bareClone`, await readTrace(work));
    await push(target, 'traced', false, true);
    trips.set(`${target.kind}:push`, await readTrace(work));
  }
  return { samples, trips, heads };
}

/** Runs one timed git operation; undefined (and a failure) if it did not succeed. */
async function timed(
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string },
  what: string,
  failures: string[],
): Promise<Sample | undefined> {
  const cpuBefore = machineBusyMs();
  const run = await runGit(args, options);
  const cpuAfter = machineBusyMs();
  if (run.code !== 0) {
    failures.push(`${what} failed: ${describeGitFailure(run)}`);
    return undefined;
  }
  return {
    ms: run.ms,
    cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
  };
}

/** Throws unless a bare clone has the source's branches, or a clone checked out main. */
async function verifyClone(
  dest: string,
  bare: boolean,
  expected: string,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  if (bare) {
    if ((await branchesOf(dest, env)) !== expected) throw new Error("a clone's branches differ");
    return;
  }
  const head = (await git(['--git-dir', join(dest, '.git'), 'rev-parse', 'HEAD'], { env })).trim();
  if (!expected.includes(`${head} refs/heads/main`)) {
    throw new Error(`a clone checked out ${head}, not main`);
  }
}

/** GIT_TRACE_CURL without the data, into a file the next readTrace consumes. */
function traceEnv(env: NodeJS.ProcessEnv, traced: boolean, work: string): NodeJS.ProcessEnv {
  if (!traced) return env;
  return { ...env, GIT_TRACE_CURL: join(work, 'curl.trace'), GIT_TRACE_CURL_NO_DATA: '1' };
}

async function readTrace(work: string): Promise<RoundTrips> {
  const path = join(work, 'curl.trace');
  const text = await readFile(path, 'utf8').catch(() => '');
  await rm(path, { force: true });
  const count = (pattern: RegExp) => text.match(pattern)?.length ?? 0;
  return {
    requests: count(/=> Send header: (?:GET|POST) /g),
    unauthorized: count(/<= Recv header: HTTP\/1\.1 401/g),
    connections: count(/== Info: Connected to /g),
  };
}

async function measureSlipwayEvents(
  label: string,
  server: TestServer,
  credential: GitCredential,
  work: string,
  env: NodeJS.ProcessEnv,
  failures: string[],
): Promise<EventRun> {
  await createSlipwayRepository(server, 'events');
  const watcher = new PushEventWatcher(server.events);
  try {
    await watcher.start();
    return await measurePushLoop({
      label,
      url: slipwayCloneUrl(server.url, credential, 'events'),
      work,
      env,
      failures,
      watcher,
    });
  } finally {
    watcher.close();
  }
}

/** The same loop on a second server in PostgreSQL mode; why not, when it cannot run. */
async function measurePostgresEvents(
  work: string,
  env: NodeJS.ProcessEnv,
  failures: string[],
): Promise<EventRun | string> {
  try {
    await withAdmin((client) => client.query('SELECT 1'));
  } catch (error) {
    return `${new URL(adminUrl).host}: ${(error as Error).message}`;
  }
  const name = `slipway_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const databaseUrl = await createDatabase(name);
  try {
    const server = await startTestServer({ databaseUrl, env: { SLIPWAY_LOG_LEVEL: 'silent' } });
    try {
      const credential = await createGitCredential(server);
      return await measureSlipwayEvents(
        'Slipway (PostgreSQL)',
        server,
        credential,
        work,
        env,
        failures,
      );
    } finally {
      await server.close();
    }
  } finally {
    await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
}

interface PushLoopOptions {
  readonly label: string;
  readonly url: string;
  readonly work: string;
  readonly env: NodeJS.ProcessEnv;
  readonly failures: string[];
  /** Given for Slipway: each push's event is awaited and timed. */
  readonly watcher?: PushEventWatcher;
}

/** `git push` of one small new commit on main, again and again, from a working clone. */
async function measurePushLoop(options: PushLoopOptions): Promise<EventRun> {
  const { label, url, env, failures, watcher } = options;
  progress(`git: ${plan.eventPushes} pushes of one small commit to ${label}`);
  const dir = await mkdtemp(join(options.work, 'events-'));
  const run = (args: string[]) => git(args, { cwd: dir, env });
  await run(['init', '--quiet', '--initial-branch=main']);
  const pushes: number[] = [];
  const toEvent: number[] = [];
  const exitToEvent: number[] = [];
  const arrivalToEvent: number[] = [];
  const arrivals = watcher === undefined ? undefined : new ReceivePackArrivals();
  let failed = 0;
  let missing = 0;
  for (let i = -1; i < plan.eventWarmupPushes + plan.eventPushes; i += 1) {
    await writeFile(join(dir, 'counter.txt'), `push ${i}\n`);
    await run(['add', 'counter.txt']);
    await run(['commit', '--quiet', '-m', `Push ${i}`]);
    const commitId = (await run(['rev-parse', 'HEAD'])).trim();
    const push: GitRun = await runGit(['push', '--quiet', url, 'HEAD:refs/heads/main'], {
      cwd: dir,
      env,
    });
    if (push.code !== 0) {
      failed += 1;
      if (failed <= 3) failures.push(`${label}: git push ${i} failed: ${describeGitFailure(push)}`);
      continue;
    }
    const seenAt = await watcher?.waitFor(commitId, plan.eventTimeoutMs);
    if (watcher !== undefined && seenAt === undefined) missing += 1;
    // -1 creates the branch; then warm-up pushes; neither is counted.
    if (i < plan.eventWarmupPushes) continue;
    pushes.push(push.ms);
    if (seenAt !== undefined) {
      toEvent.push(seenAt - push.startedAt);
      exitToEvent.push(seenAt - push.exitedAt);
      const arrivedAt = arrivals?.lastSince(push.startedAt) ?? Number.NaN;
      if (!Number.isNaN(arrivedAt)) arrivalToEvent.push(seenAt - arrivedAt);
    }
  }
  arrivals?.close();
  if (failed > 3) failures.push(`${label}: ${failed} git pushes failed in all`);
  if (missing > 0) {
    failures.push(`${label}: ${missing} pushes' events not read within ${plan.eventTimeoutMs} ms`);
  }
  return {
    label,
    push: summariseLatencies(pushes),
    toEvent: watcher === undefined ? undefined : summariseLatencies(toEvent),
    exitToEvent: watcher === undefined ? undefined : summariseLatencies(exitToEvent),
    arrivalToEvent:
      watcher === undefined || arrivalToEvent.length === 0
        ? undefined
        : summariseLatencies(arrivalToEvent),
  };
}

interface Results {
  readonly fixture: GitFixture;
  readonly gitVersion: string;
  readonly transfers: Transfers;
  readonly events: readonly EventRun[];
  readonly notes: readonly string[];
  readonly background: number | undefined;
}

function format(results: Results): Pick<BenchReport, 'text' | 'headline'> {
  const { fixture, transfers, events } = results;
  const { Slipway, HttpBackend, File } = TargetKind;
  const samples = (kind: TargetKind, operation: Operation) =>
    transfers.samples.get(`${kind}:${operation}`) ?? [];
  const medianMs = (kind: TargetKind, operation: Operation) =>
    median(samples(kind, operation).map((s) => s.ms));
  const timeCell = (kind: TargetKind, operation: Operation) => {
    const ms = samples(kind, operation).map((s) => s.ms);
    return ms.length === 0 ? '—' : `${seconds(median(ms))} / ${seconds(Math.min(...ms))}`;
  };
  const cpuCell = (kind: TargetKind, operation: Operation) => {
    const cpu = samples(kind, operation).flatMap((s) => (s.cpuMs === undefined ? [] : [s.cpuMs]));
    return cpu.length === 0 ? '—' : seconds(median(cpu));
  };
  const ratioOf = (operation: Operation, peer: TargetKind) =>
    medianMs(Slipway, operation) / medianMs(peer, operation);
  const transferRow = (label: string, operation: Operation) => [
    label,
    timeCell(Slipway, operation),
    timeCell(HttpBackend, operation),
    timeCell(File, operation),
    formatRatio(ratioOf(operation, HttpBackend)),
    formatRatio(ratioOf(operation, File)),
  ];
  const cpuRow = (label: string, operation: Operation) => [
    label,
    ...[Slipway, HttpBackend, File].map((kind) => cpuCell(kind, operation)),
  ];
  const tripCell = (kind: TargetKind, operation: Operation) => {
    const trips = transfers.trips.get(`${kind}:${operation}`);
    if (trips === undefined) return '—';
    const refused = trips.unauthorized > 0 ? ` (${trips.unauthorized} × 401)` : '';
    return `${trips.requests} requests${refused}, ${trips.connections} connection(s)`;
  };
  const checkout = (kind: TargetKind) =>
    seconds(medianMs(kind, 'checkoutClone') - medianMs(kind, 'bareClone'));
  const verdict = (ratio: number) =>
    ratio <= plan.targetRatio ? `meets ≤ ${plan.targetRatio}×` : `MISSES ≤ ${plan.targetRatio}×`;
  const cloneRatio = ratioOf('bareClone', HttpBackend);
  const pushRatio = ratioOf('push', HttpBackend);
  const head = (kind: TargetKind) => transfers.heads.get(kind) ?? '—';

  const eventRow = (run: EventRun) => [
    run.label,
    ...(run.toEvent === undefined
      ? ['—', '—', '—', '—']
      : [run.toEvent.p50, run.toEvent.p90, run.toEvent.p99, run.toEvent.max].map(formatMs)),
    ...(run.exitToEvent === undefined
      ? ['—', '—']
      : [run.exitToEvent.p50, run.exitToEvent.max].map(formatMs)),
    ...(run.arrivalToEvent === undefined
      ? ['—', '—']
      : [run.arrivalToEvent.p50, run.arrivalToEvent.p99].map(formatMs)),
    formatMs(run.push.p50),
    formatMs(run.push.p99),
  ];
  const withEvents = events.filter((run) => run.toEvent !== undefined);
  const peerPush = events.find((run) => run.label === 'git http-backend');
  const filePush = events.find((run) => run.label === 'file://');
  const slipwayPush = withEvents[0];
  const eventsMeet = withEvents.every((run) => (run.toEvent?.p99 ?? NaN) <= plan.targetEventP99Ms);
  const allBeforeExit = withEvents.every((run) => (run.exitToEvent?.max ?? NaN) <= 0);

  const text = [
    '== git: clone and push through Slipway, `git http-backend` (CGI) and file:// ==',
    `Source: ${thousands(fixture.commits)} commits on ${fixture.branches} branches; ` +
      `${thousands(fixture.files)} files (${megabytes(fixture.treeBytes)}) at main's tip; ` +
      `${megabytes(fixture.packBytes)} packed; ` +
      (fixture.builtInMs === undefined
        ? 'cached from an earlier run.'
        : `made by git fast-import in ${seconds(fixture.builtInMs)}.`),
    'Slipway runs in this process (SQLite), with a static git credential (IAM service-specific)',
    'in the URL: it pays for HTTP Basic auth, and for the 401 git takes before sending it.',
    'Peer: `git http-backend` as CGI, one process per request, behind a bare node:http server in',
    'this process, no auth. Every repository has Slipway’s settings (receive.fsckObjects=true,',
    `core.logAllRefUpdates=true). ${results.gitVersion}, no system or global config, protocol v2.`,
    describeBackgroundLoad(results.background),
    '',
    'Wall time of the git process, median / min:',
    formatTable([
      ['', 'Slipway', 'http-backend', 'file://', 'Slipway/http-backend', 'Slipway/file://'],
      transferRow(`clone --bare (${plan.bareClones}×)`, 'bareClone'),
      transferRow(`clone --branch main (${plan.checkoutClones}×)`, 'checkoutClone'),
      transferRow(`push --all into an empty repo (${plan.pushes}×)`, 'push'),
      [
        `  same, git's defaults (no fsck) (${plan.defaultConfigPushes}×)`,
        '',
        timeCell(HttpBackend, 'defaultConfigPush'),
      ],
    ]),
    `The bare clone is the main figure: checking out main's ${thousands(fixture.files)} files adds ` +
      `${checkout(Slipway)} / ${checkout(HttpBackend)} / ${checkout(File)}`,
    '(Slipway / http-backend / file://; medians of with checkout − bare). Writing the files makes',
    'clones with a checkout vary with disk writeback: compare their minimums too.',
    '',
    'CPU of the whole machine per operation (client git, server git, this process; median):',
    formatTable([
      ['', 'Slipway', 'http-backend', 'file://'],
      cpuRow('clone --bare', 'bareClone'),
      cpuRow('clone --branch main', 'checkoutClone'),
      cpuRow('push --all', 'push'),
    ]),
    '',
    'HTTP requests git made (one traced run each, GIT_TRACE_CURL):',
    formatTable([
      ['', 'Slipway', 'http-backend'],
      ['clone --bare', tripCell(Slipway, 'bareClone'), tripCell(HttpBackend, 'bareClone')],
      ['push --all', tripCell(Slipway, 'push'), tripCell(HttpBackend, 'push')],
    ]),
    '',
    `HEAD after \`push --all\` into an empty repository: Slipway ${head(Slipway)},`,
    `http-backend ${head(HttpBackend)}, file:// ${head(File)}. Slipway makes the first branch a`,
    'push creates the default, as CodeCommit does; the checkout clones name main for that reason.',
    '',
    `Push → event: ${plan.eventPushes} pushes of one small commit (after ${plan.eventWarmupPushes} ` +
      'warm-up), from just before spawning',
    '`git push` to a subscriber (watch + read on server.events) reading its',
    'source.reference-updated event; exit→event < 0: read before git exited; arrival→event: from',
    "the receive-pack request reaching the server (Node's http.server.request.start channel) to",
    'the read, which is what Slipway adds. "git push" is the process alone, for every target.',
    formatTable([
      [
        '',
        'event p50',
        'p90',
        'p99',
        'max',
        'exit→event p50',
        'max',
        'arrival→event p50',
        'p99',
        'git push p50',
        'p99',
      ],
      ...events.map(eventRow),
    ]),
    ...(slipwayPush === undefined || peerPush === undefined
      ? []
      : [
          `A small push costs ${formatMs(slipwayPush.push.p50 - peerPush.push.p50)} more (p50) ` +
            `through Slipway than through http-backend (${formatRatio(slipwayPush.push.p50 / peerPush.push.p50)});`,
          'part of it is the 401 round trip git makes before it sends credentials. The ≤ 50 ms',
          `p99 target includes git push's own run time: ${formatMs(peerPush.push.p99)} p99 to ` +
            `http-backend, ${formatMs(filePush?.push.p50 ?? NaN)} p50 even to file://;`,
          allBeforeExit
            ? 'every event was read before its git push exited.'
            : 'not every event was read before its git push exited (see exit→event max).',
        ]),
    ...(results.notes.length === 0 ? [] : ['', ...results.notes]),
  ].join('\n');

  const eventFigures = withEvents
    .map(
      (run) =>
        `${run.label.replace(/^Slipway \((.*)\)$/, '$1')} ` +
        `${formatMs(run.toEvent?.p50 ?? NaN)} / ${formatMs(run.toEvent?.p99 ?? NaN)}`,
    )
    .join(', ');
  const headline = [
    `git        clone --bare: Slipway ${seconds(medianMs(Slipway, 'bareClone'))}, http-backend ` +
      `${seconds(medianMs(HttpBackend, 'bareClone'))} (${formatRatio(cloneRatio)}, ${verdict(cloneRatio)}); ` +
      `push --all: ${seconds(medianMs(Slipway, 'push'))} vs ` +
      `${seconds(medianMs(HttpBackend, 'push'))} (${formatRatio(pushRatio)}, ${verdict(pushRatio)})`,
    `git        push → event p50 / p99: ${eventFigures} — ` +
      (eventsMeet
        ? `meets p99 ≤ ${plan.targetEventP99Ms} ms`
        : `MISSES p99 ≤ ${plan.targetEventP99Ms} ms`) +
      (peerPush === undefined
        ? ''
        : `; git push alone to http-backend ${formatMs(peerPush.push.p50)} / ${formatMs(peerPush.push.p99)}`) +
      (allBeforeExit ? '; every event read before git exited' : ''),
    `git        push reaching the server → event p50 / p99: ${withEvents
      .map(
        (run) =>
          `${run.label.replace(/^Slipway \((.*)\)$/, '$1')} ` +
          `${formatMs(run.arrivalToEvent?.p50 ?? NaN)} / ${formatMs(run.arrivalToEvent?.p99 ?? NaN)}`,
      )
      .join(', ')}`,
  ];
  return { text, headline };
}

function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

function seconds(ms: number): string {
  return Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '—';
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

if (isMain(import.meta.filename)) printReport(await runGitBench());
