// S3 through `@aws-sdk/client-s3` (keep-alive, SigV4, path-style) against `slipway server`
// (SQLite, blobs on local disk): PutObject / GetObject of one 256 MiB object (single PUT and
// lib-storage multipart) and of 1,000 × 16 KiB objects, with `cp` + fsync of the same bytes on
// the same filesystem as the physical bound; then ListObjectsV2 paging through 100,000 keys.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { readCredentials } from '../test/support/test-server.ts';
import { batchErrors, describeError, runBatch, type BatchResult } from './support/batch.ts';
import { startSlipway, type ChildServer } from './support/child-server.ts';
import { otherCpuBetween, takeCpuCensus, type OtherCpu } from './support/cpu-census.ts';
import {
  describeFilesystem,
  GeneratedBody,
  sameFilesystem,
  timeCopy,
  timeCopyTree,
  timeRead,
  writeSynced,
} from './support/disk-copy.ts';
import {
  describeBackgroundLoad,
  machineBusyMs,
  measureBackgroundLoad,
  noisyBackgroundPercent,
} from './support/machine-load.ts';
import { ownCpuMs, processCpuMs } from './support/process-cpu.ts';
import { isMain, printReport, progress, type BenchReport } from './support/report.ts';
import {
  ConnectionCounter,
  createBenchS3Client,
  type BenchS3Client,
  type RequestForm,
} from './support/s3-client.ts';
import {
  formatMs,
  formatRate,
  formatRatio,
  formatTable,
  median,
  summariseLatencies,
  type LatencySummary,
} from './support/stats.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

const plan = {
  largeBytes: 256 * MiB,
  /** Each round: cp, PutObject, Upload (rotated), then the reads. */
  largeRounds: 3,
  multipart: { partSize: 8 * MiB, queueSize: 4 },
  smallCount: 1_000,
  smallBytes: 16 * KiB,
  smallRounds: 3,
  smallConcurrency: 16,
  /** Untimed small PUTs and GETs first: connections, SQLite's caches, and V8, which takes a
   * few thousand requests to optimise the request path (measured: 2.3 ms of server CPU per PUT
   * in the first thousand, 1.0 ms from the fourth). */
  warmupObjects: 3_000,
  maxSockets: 32,
  listKeys: 100_000,
  listPageSize: 1_000,
  listCreateConcurrency: 32,
  listBodyBytes: 10,
  /** Creating the keys stops starting new PUTs after this; the listing uses what exists. */
  listCreateBudgetMs: 140_000,
  /** Passes over every page; the first is a warm-up and not counted. */
  listPasses: 3,
  targetLargeRatio: 0.5,
  targetSmallPutsPerSecond: 1_000,
} as const;

const bucket = 'bench-s3';
const listBucket = 'bench-s3-list';

/** Resources one phase used. */
interface Usage {
  readonly wallMs: number;
  readonly serverCpuMs: number | undefined;
  readonly clientCpuMs: number;
  readonly machineCpuMs: number | undefined;
  /** Kernel threads and other processes on the machine over the phase. */
  readonly other: OtherCpu;
  readonly connections: number;
}

class Meter {
  readonly #serverPid: number;
  readonly #connections: ConnectionCounter;

  constructor(serverPid: number, connections: ConnectionCounter) {
    this.#serverPid = serverPid;
    this.#connections = connections;
  }

  async measure<T>(run: () => Promise<T>): Promise<{ value: T; usage: Usage }> {
    const wall = performance.now();
    const server = processCpuMs(this.#serverPid);
    const client = ownCpuMs();
    const machine = machineBusyMs();
    const census = takeCpuCensus();
    const connections = this.#connections.count;
    const value = await run();
    return {
      value,
      usage: {
        wallMs: performance.now() - wall,
        serverCpuMs: difference(server, processCpuMs(this.#serverPid)),
        clientCpuMs: ownCpuMs() - client,
        machineCpuMs: difference(machine, machineBusyMs()),
        other: otherCpuBetween(census, takeCpuCensus(), [this.#serverPid, process.pid]),
        connections: this.#connections.count - connections,
      },
    };
  }
}

function difference(before: number | undefined, after: number | undefined): number | undefined {
  return before === undefined || after === undefined ? undefined : after - before;
}

function addUsage(a: Usage | undefined, b: Usage): Usage {
  if (a === undefined) return b;
  const sum = (x: number | undefined, y: number | undefined) =>
    x === undefined || y === undefined ? undefined : x + y;
  return {
    wallMs: a.wallMs + b.wallMs,
    serverCpuMs: sum(a.serverCpuMs, b.serverCpuMs),
    clientCpuMs: a.clientCpuMs + b.clientCpuMs,
    machineCpuMs: sum(a.machineCpuMs, b.machineCpuMs),
    other: {
      kernelThreadsMs: a.other.kernelThreadsMs + b.other.kernelThreadsMs,
      processesMs: a.other.processesMs + b.other.processesMs,
      busiest:
        (a.other.busiest?.ms ?? 0) >= (b.other.busiest?.ms ?? 0)
          ? a.other.busiest
          : b.other.busiest,
    },
    connections: a.connections + b.connections,
  };
}

const LargeOp = {
  Copy: 'cp',
  Put: 'put',
  Upload: 'upload',
  GetPut: 'getPut',
  GetUpload: 'getUpload',
  Read: 'cat',
} as const;
type LargeOp = (typeof LargeOp)[keyof typeof LargeOp];

interface LargeResults {
  readonly samples: Map<LargeOp, number[]>;
  readonly usage: Map<LargeOp, Usage>;
}

interface SmallRound {
  readonly copyMs: number | undefined;
  readonly fsyncMs: number | undefined;
  readonly put: BatchResult;
  readonly get: BatchResult;
  readonly putUsage: Usage;
  readonly getUsage: Usage;
}

interface ListPass {
  readonly pagesMs: readonly number[];
  readonly keys: number;
  readonly usage: Usage;
}

interface ListResults {
  readonly create: BatchResult;
  readonly createUsage: Usage;
  readonly passes: readonly ListPass[];
}

interface HashSpeeds {
  readonly sha256: number;
  readonly md5: number;
  readonly crc32: number;
}

export async function runS3Bench(): Promise<BenchReport> {
  const background = await measureBackgroundLoad();
  const failures: string[] = [];
  const work = await mkdtemp(join(tmpdir(), 'slipway-bench-s3-'));
  const dataDir = join(work, 'data');
  const diskDir = join(work, 'disk');
  await mkdir(dataDir);
  await mkdir(diskDir);
  const connections = new ConnectionCounter();
  let server: ChildServer | undefined;
  let s3: BenchS3Client | undefined;
  try {
    progress('s3: starting slipway server (SQLite, blobs on local disk)');
    server = await startSlipway({ dataDir });
    const credentials = await readCredentials(join(dataDir, 'credentials'));
    s3 = createBenchS3Client({ endpoint: server.url, ...credentials, maxSockets: plan.maxSockets });
    const { client } = s3;
    const meter = new Meter(server.pid, connections);
    const filesystem = await describeFilesystem(dataDir);
    if (!(await sameFilesystem(dataDir, diskDir))) {
      failures.push(`the cp target ${diskDir} is not on the data directory's filesystem`);
    }
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    await client.send(new CreateBucketCommand({ Bucket: listBucket }));

    progress(`s3: warm-up, ${plan.warmupObjects} small PUTs and GETs`);
    const warmupBody = Buffer.alloc(plan.smallBytes, 7);
    const warmPut = await runBatch({
      count: plan.warmupObjects,
      concurrency: plan.smallConcurrency,
      call: (i) => putSmall(client, `warmup/${i}`, warmupBody),
    });
    const warmGet = await runBatch({
      count: plan.warmupObjects,
      concurrency: plan.smallConcurrency,
      call: (i) => getSmall(client, `warmup/${i}`, warmupBody),
    });
    failures.push(...batchErrors('warm-up PUT', warmPut), ...batchErrors('warm-up GET', warmGet));

    const large = await measureLarge({ client, meter, work, diskDir, failures });
    const hashes = measureHashSpeeds();
    const small = await measureSmall({ client, meter, work, diskDir, failures });
    const list = await measureList({ client, meter, failures });
    s3.close();
    await server.stop();
    const backgroundAfter = await measureBackgroundLoad();
    return {
      name: 's3',
      ...format({
        large,
        small,
        list,
        hashes,
        forms: s3.forms,
        filesystem,
        background,
        backgroundAfter,
      }),
      failures,
    };
  } finally {
    s3?.close();
    connections.close();
    await server?.stop();
    await rm(work, { recursive: true, force: true });
  }
}

interface LargeOptions {
  readonly client: S3Client;
  readonly meter: Meter;
  readonly work: string;
  readonly diskDir: string;
  readonly failures: string[];
}

async function measureLarge(options: LargeOptions): Promise<LargeResults> {
  const { client, meter, work, diskDir, failures } = options;
  const body = new GeneratedBody(plan.largeBytes);
  const sourcePath = join(work, 'large.bin');
  progress(`s3: writing the ${plan.largeBytes / MiB} MiB source file for cp`);
  const source = await body.writeTo(sourcePath);
  const samples: LargeResults['samples'] = new Map();
  const usage: LargeResults['usage'] = new Map();
  const timed = async (op: LargeOp, what: string, run: () => Promise<void>) => {
    try {
      const { usage: used } = await meter.measure(run);
      samples.set(op, [...(samples.get(op) ?? []), used.wallMs]);
      usage.set(op, addUsage(usage.get(op), used));
    } catch (error) {
      failures.push(`${what}: ${describeError(error)}`);
    }
  };
  const copyPath = join(diskDir, 'large.bin');
  const writers: { op: LargeOp; what: string; run: () => Promise<void> }[] = [
    {
      op: LargeOp.Copy,
      what: 'cp + sync',
      run: async () => {
        await timeCopy(sourcePath, copyPath);
      },
    },
    {
      op: LargeOp.Put,
      what: 'PutObject (256 MiB)',
      run: async () => {
        const output = await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: 'large/put',
            Body: body.stream(),
            ContentLength: body.totalBytes,
          }),
        );
        const etag = output.ETag?.replaceAll('"', '');
        if (etag !== source.md5)
          throw new Error(`ETag ${etag} is not the body's MD5 ${source.md5}`);
      },
    },
    {
      op: LargeOp.Upload,
      what: 'Upload (256 MiB, multipart)',
      run: async () => {
        await new Upload({
          client,
          params: {
            Bucket: bucket,
            Key: 'large/upload',
            Body: body.stream(),
            ContentLength: body.totalBytes,
          },
          ...plan.multipart,
          leavePartsOnError: false,
        }).done();
      },
    },
  ];
  const readBack = async (op: LargeOp, key: string) =>
    timed(op, `GetObject ${key}`, async () => {
      const got = await getStreamed(client, key);
      if (got.size !== body.totalBytes || got.sha256 !== source.sha256) {
        throw new Error(
          `${key} read back ${got.size} bytes with SHA-256 ${got.sha256}, ` +
            `not ${body.totalBytes} bytes with ${source.sha256}`,
        );
      }
    });
  for (let round = 0; round < plan.largeRounds; round += 1) {
    progress(`s3: 256 MiB object, round ${round + 1} of ${plan.largeRounds}`);
    for (let i = 0; i < writers.length; i += 1) {
      const writer = writers[(i + round) % writers.length];
      if (writer !== undefined) await timed(writer.op, writer.what, writer.run);
    }
    await readBack(LargeOp.GetPut, 'large/put');
    await readBack(LargeOp.GetUpload, 'large/upload');
    await timed(LargeOp.Read, 'cat > /dev/null', async () => {
      await timeRead(copyPath);
    });
    await rm(copyPath, { force: true });
  }
  await rm(sourcePath, { force: true });
  return { samples, usage };
}

/** GetObject streamed into a SHA-256, chunk by chunk, as a download to a sink would be. */
async function getStreamed(
  client: S3Client,
  key: string,
): Promise<{ size: number; sha256: string }> {
  const output = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!(output.Body instanceof Readable)) throw new Error(`${key}: the body is not a stream`);
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of output.Body as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.byteLength;
  }
  return { size, sha256: hash.digest('hex') };
}

async function putSmall(client: S3Client, key: string, data: Buffer): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data }));
}

async function getSmall(client: S3Client, key: string, expected: Buffer): Promise<void> {
  const output = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = await output.Body?.transformToByteArray();
  if (bytes === undefined || !expected.equals(bytes)) {
    throw new Error(`${key}: read back ${bytes?.byteLength ?? 0} bytes that differ from its body`);
  }
}

/** MB/s of the digests a PUT or GET pays for, in this process (the server's CPU is the same). */
function measureHashSpeeds(): HashSpeeds {
  progress('s3: SHA-256, MD5 and CRC32 speed in this process');
  const chunks = [...new GeneratedBody(16 * MiB).chunks()];
  const repeat = 8;
  const speed = (update: (chunk: Buffer) => void) => {
    const started = performance.now();
    for (let i = 0; i < repeat; i += 1) for (const chunk of chunks) update(chunk);
    return (repeat * 16 * MiB) / 1e6 / ((performance.now() - started) / 1000);
  };
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  let crc = 0;
  const speeds = {
    sha256: speed((chunk) => sha256.update(chunk)),
    md5: speed((chunk) => md5.update(chunk)),
    crc32: speed((chunk) => {
      crc = crc32(chunk, crc);
    }),
  };
  sha256.digest();
  md5.digest();
  return speeds;
}

async function measureSmall(options: LargeOptions): Promise<SmallRound[]> {
  const { client, meter, work, diskDir, failures } = options;
  const [template = Buffer.alloc(plan.smallBytes)] = new GeneratedBody(plan.smallBytes).chunks();
  const bodies = Array.from({ length: plan.smallCount }, (_, i) => {
    const data = Buffer.from(template);
    data.writeUInt32BE(i, 4);
    return data;
  });
  const names = bodies.map((_, i) => `object-${i}`);
  const sourceDir = join(work, 'small');
  await mkdir(sourceDir);
  await Promise.all(names.map((name, i) => writeFile(join(sourceDir, name), bodies[i] ?? '')));
  const rounds: SmallRound[] = [];
  const bodyOf = (i: number) => bodies[i] ?? Buffer.alloc(0);
  for (let round = 0; round < plan.smallRounds; round += 1) {
    progress(
      `s3: ${plan.smallCount} × ${plan.smallBytes / KiB} KiB, round ${round + 1} of ${plan.smallRounds}`,
    );
    const copyDir = join(diskDir, `small-cp-${round}`);
    const copyMs = await timeCopyTree(sourceDir, copyDir, names).catch((error: Error) => {
      failures.push(`cp -r + sync, round ${round + 1}: ${error.message}`);
      return undefined;
    });
    const fsyncDir = join(diskDir, `small-fsync-${round}`);
    await mkdir(fsyncDir);
    const fsync = await runBatch({
      count: plan.smallCount,
      concurrency: plan.smallConcurrency,
      call: (i) => writeSynced(join(fsyncDir, names[i] ?? String(i)), bodyOf(i)),
    });
    failures.push(...batchErrors(`write + fsync, round ${round + 1}`, fsync));
    await rm(copyDir, { recursive: true, force: true });
    await rm(fsyncDir, { recursive: true, force: true });

    const prefix = `small/${round}/`;
    const put = await meter.measure(() =>
      runBatch({
        count: plan.smallCount,
        concurrency: plan.smallConcurrency,
        call: (i) => putSmall(client, `${prefix}${i}`, bodyOf(i)),
      }),
    );
    const get = await meter.measure(() =>
      runBatch({
        count: plan.smallCount,
        concurrency: plan.smallConcurrency,
        call: (i) => getSmall(client, `${prefix}${i}`, bodyOf(i)),
      }),
    );
    failures.push(
      ...batchErrors(`small PutObject, round ${round + 1}`, put.value),
      ...batchErrors(`small GetObject, round ${round + 1}`, get.value),
    );
    rounds.push({
      copyMs,
      fsyncMs: fsync.errors.size === 0 ? fsync.elapsedMs : undefined,
      put: put.value,
      get: get.value,
      putUsage: put.usage,
      getUsage: get.usage,
    });
  }
  return rounds;
}

interface ListOptions {
  readonly client: S3Client;
  readonly meter: Meter;
  readonly failures: string[];
}

function listKey(i: number): string {
  return `artifacts/pipeline-${String(i % 100).padStart(3, '0')}/run-${String(i).padStart(6, '0')}.zip`;
}

async function measureList(options: ListOptions): Promise<ListResults> {
  const { client, meter, failures } = options;
  progress(
    `s3: creating ${thousands(plan.listKeys)} keys, ${plan.listCreateConcurrency} at a time ` +
      `(stops starting new ones after ${plan.listCreateBudgetMs / 1000} s)`,
  );
  const tiny = Buffer.from('0123456789'.slice(0, plan.listBodyBytes));
  const create = await meter.measure(() =>
    runBatch({
      count: plan.listKeys,
      concurrency: plan.listCreateConcurrency,
      budgetMs: plan.listCreateBudgetMs,
      call: (i) =>
        client
          .send(new PutObjectCommand({ Bucket: listBucket, Key: listKey(i), Body: tiny }))
          .then(() => undefined),
    }),
  );
  failures.push(...batchErrors('creating keys for the listing', create.value));
  const expected = create.value.succeeded;
  const passes: ListPass[] = [];
  for (let pass = 0; pass < plan.listPasses; pass += 1) {
    progress(
      `s3: ListObjectsV2 pages of ${plan.listPageSize} over ${thousands(expected)} keys, ` +
        `pass ${pass + 1} of ${plan.listPasses}${pass === 0 ? ' (warm-up)' : ''}`,
    );
    try {
      const { value, usage } = await meter.measure(() => listAll(client));
      const problem = checkListing(value.keys, value.pagesMs.length, expected);
      if (problem !== undefined) failures.push(`ListObjectsV2 pass ${pass + 1}: ${problem}`);
      passes.push({ pagesMs: value.pagesMs, keys: value.keys.length, usage });
    } catch (error) {
      failures.push(`ListObjectsV2 pass ${pass + 1}: ${describeError(error)}`);
    }
  }
  return { create: create.value, createUsage: create.usage, passes };
}

async function listAll(client: S3Client): Promise<{ keys: string[]; pagesMs: number[] }> {
  const keys: string[] = [];
  const pagesMs: number[] = [];
  let token: string | undefined;
  for (;;) {
    const started = performance.now();
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: listBucket,
        MaxKeys: plan.listPageSize,
        ...(token === undefined ? {} : { ContinuationToken: token }),
      }),
    );
    pagesMs.push(performance.now() - started);
    for (const object of page.Contents ?? []) keys.push(object.Key ?? '');
    if (page.IsTruncated !== true) return { keys, pagesMs };
    token = page.NextContinuationToken;
    if (token === undefined) throw new Error('a truncated page without NextContinuationToken');
  }
}

/** What is wrong with one full listing, if anything. */
function checkListing(
  keys: readonly string[],
  pages: number,
  expected: number,
): string | undefined {
  if (keys.length !== expected) return `listed ${keys.length} keys, created ${expected}`;
  const fullPages = Math.ceil(expected / plan.listPageSize);
  if (pages !== fullPages) return `took ${pages} pages, not ${fullPages}`;
  for (let i = 1; i < keys.length; i += 1) {
    if ((keys[i - 1] ?? '') >= (keys[i] ?? '')) {
      return `keys out of order or repeated at ${i}: ${keys[i - 1]}, ${keys[i]}`;
    }
  }
  return undefined;
}

interface Results {
  readonly large: LargeResults;
  readonly small: readonly SmallRound[];
  readonly list: ListResults;
  readonly hashes: HashSpeeds;
  readonly forms: readonly RequestForm[];
  readonly filesystem: string;
  readonly background: number | undefined;
  readonly backgroundAfter: number | undefined;
}

function format(results: Results): Pick<BenchReport, 'text' | 'headline'> {
  const { large, small, list, hashes } = results;
  const megabytes = plan.largeBytes / 1e6;
  const largeMs = (op: LargeOp) => large.samples.get(op) ?? [];
  const largeRate = (op: LargeOp) => megabytes / (median(largeMs(op)) / 1000);
  const bestRate = (op: LargeOp) => megabytes / (Math.min(...largeMs(op)) / 1000);
  const diskRate = largeRate(LargeOp.Copy);
  const largeRow = (label: string, op: LargeOp, vsDisk = true) => {
    const ms = largeMs(op);
    const ratio = largeRate(op) / diskRate;
    return [
      label,
      ms.length === 0 ? '—' : mbps(largeRate(op)),
      ms.length === 0 ? '—' : mbps(bestRate(op)),
      ms.length === 0 ? '—' : seconds(median(ms)),
      String(ms.length),
      vsDisk ? formatRatio(ratio) : '',
      vsDisk && op !== LargeOp.Copy
        ? `${formatRatio(ratio / plan.targetLargeRatio)} ${verdict(ratio >= plan.targetLargeRatio)}`
        : '',
    ];
  };
  const cpuRow = (label: string, usage: Usage | undefined, count: number, unit: string) => {
    if (usage === undefined) return [label, '—'];
    const percent = (ms: number | undefined) =>
      ms === undefined ? '—' : `${Math.round((100 * ms) / usage.wallMs)}%`;
    const { kernelThreadsMs, processesMs, busiest } = usage.other;
    const rest =
      usage.machineCpuMs === undefined || usage.serverCpuMs === undefined
        ? undefined
        : Math.max(
            0,
            usage.machineCpuMs -
              usage.serverCpuMs -
              usage.clientCpuMs -
              kernelThreadsMs -
              processesMs,
          );
    const per = (ms: number | undefined) =>
      ms === undefined || count === 0 ? '—' : perUnit(ms / count, unit);
    return [
      label,
      percent(usage.serverCpuMs),
      percent(usage.clientCpuMs),
      percent(kernelThreadsMs),
      percent(rest),
      percent(processesMs),
      busiest === undefined || busiest.ms < 0.05 * usage.wallMs
        ? ''
        : `${busiest.name} ${percent(busiest.ms)}`,
      per(usage.serverCpuMs),
      per(usage.clientCpuMs),
      String(usage.connections),
    ];
  };

  const rate = (result: BatchResult) => (result.succeeded * 1000) / result.elapsedMs;
  const medianOf = (pick: (round: SmallRound) => number | undefined) =>
    median(small.flatMap((round) => pick(round) ?? []));
  const putRate = medianOf((r) => rate(r.put));
  const getRate = medianOf((r) => rate(r.get));
  const copyRate = medianOf((r) =>
    r.copyMs === undefined ? undefined : (plan.smallCount * 1000) / r.copyMs,
  );
  const fsyncRate = medianOf((r) =>
    r.fsyncMs === undefined ? undefined : (plan.smallCount * 1000) / r.fsyncMs,
  );
  const smallMegabytes = (objectsPerSecond: number) =>
    mbps((objectsPerSecond * plan.smallBytes) / 1e6);
  const latencies = (pick: (round: SmallRound) => BatchResult) =>
    summariseLatencies(small.flatMap((round) => pick(round).latenciesMs));
  const putLatency = latencies((r) => r.put);
  const getLatency = latencies((r) => r.get);
  const smallRow = (
    label: string,
    objectsPerSecond: number,
    latency: LatencySummary | undefined,
    target?: number,
  ) => [
    label,
    formatRate(objectsPerSecond, 'obj/s'),
    smallMegabytes(objectsPerSecond),
    latency === undefined ? '' : formatMs(latency.p50),
    latency === undefined ? '' : formatMs(latency.p99),
    latency === undefined ? '' : formatMs(latency.max),
    target === undefined
      ? ''
      : `${formatRatio(objectsPerSecond / target)} ${verdict(objectsPerSecond >= target)}`,
  ];
  const sumUsage = (pick: (round: SmallRound) => Usage) =>
    small.reduce<Usage | undefined>((sum, round) => addUsage(sum, pick(round)), undefined);
  const smallObjects = (pick: (round: SmallRound) => BatchResult) =>
    small.reduce((sum, round) => sum + pick(round).succeeded, 0);

  const timedPasses = list.passes.slice(1);
  const pageLatency = summariseLatencies(timedPasses.flatMap((pass) => pass.pagesMs));
  const listedKeys = list.passes[0]?.keys ?? list.create.succeeded;
  const createRate = rate(list.create);
  const listUsage = timedPasses.reduce<Usage | undefined>(
    (sum, pass) => addUsage(sum, pass.usage),
    undefined,
  );
  const pagesTimed = timedPasses.reduce((sum, pass) => sum + pass.pagesMs.length, 0);
  const passRow = (pass: ListPass, i: number) => {
    const summary = summariseLatencies(pass.pagesMs);
    return [
      `pass ${i + 1}${i === 0 ? ' (warm-up)' : ''}`,
      String(pass.pagesMs.length),
      ...[summary.p50, summary.p90, summary.p99, summary.max].map(formatMs),
      seconds(pass.usage.wallMs),
    ];
  };
  const keysNote =
    listedKeys === plan.listKeys
      ? `${thousands(listedKeys)} keys`
      : `${thousands(listedKeys)} keys (NOT the planned ${thousands(plan.listKeys)}: creating them ` +
        `${list.create.cutShort ? `ran past the ${plan.listCreateBudgetMs / 1000} s budget` : 'failed in part'})`;

  const putRatio = largeRate(LargeOp.Put) / diskRate;
  const uploadRatio = largeRate(LargeOp.Upload) / diskRate;
  const getRatio = largeRate(LargeOp.GetPut) / diskRate;
  const largePutMeets = putRatio >= plan.targetLargeRatio;
  const smallMeets = putRate >= plan.targetSmallPutsPerSecond;

  const text = [
    '== s3: PutObject / GetObject / ListObjectsV2 through @aws-sdk/client-s3, vs cp on the same disk ==',
    `Slipway: \`slipway server\` as a child process (SQLite, blobs on local disk, fsync per object),`,
    `data dir on ${results.filesystem}; cp's copies on the same filesystem. Client: @aws-sdk/client-s3,`,
    `path-style SigV4, keep-alive agent with maxSockets ${plan.maxSockets}, retries off. No other S3 server`,
    'is installed here (no MinIO; docker-registry is not an S3 server), so the peer is the disk itself:',
    '`cp` of the same bytes then `sync` of the copy (fsync), as Slipway fsyncs every object.',
    'GNU cp copies inside the kernel (copy_file_range): no socket, no copy through user space, no',
    'MD5. A server receiving the bytes copies them twice (socket → process → page cache) and',
    'hashes them, so the ratio measures those costs as well as Slipway’s.',
    'MB = 10^6 bytes. Reads hit the page cache on both sides (no cache drop without root).',
    describeBackgroundLoad(results.background),
    describeLoadAfter(results.backgroundAfter),
    '',
    `One ${plan.largeBytes / MiB} MiB object (${plan.largeRounds} rounds, writers rotated each round; ` +
      `target ≥ ${plan.targetLargeRatio}× cp):`,
    formatTable([
      [
        '',
        'MB/s median',
        'best',
        'time median',
        'runs',
        'vs cp',
        `vs target (${plan.targetLargeRatio}× cp)`,
      ],
      largeRow('disk: cp + sync (fsync)', LargeOp.Copy),
      largeRow('PutObject, one request, streamed body', LargeOp.Put),
      largeRow(
        `Upload (lib-storage), ${plan.multipart.partSize / MiB} MiB parts × ${plan.multipart.queueSize}`,
        LargeOp.Upload,
      ),
      largeRow('GetObject → SHA-256 (PutObject’s)', LargeOp.GetPut),
      largeRow('GetObject → SHA-256 (Upload’s)', LargeOp.GetUpload),
      largeRow('disk: cat > /dev/null (page cache)', LargeOp.Read, false),
    ]),
    'Every GET was hashed and matched the source’s SHA-256 (else it is listed as a failure); the',
    'single PUT’s ETag matched its MD5.',
    '',
    `${plan.smallCount} × ${plan.smallBytes / KiB} KiB objects, ${plan.smallConcurrency} at a time ` +
      `(${plan.smallRounds} rounds; median round; latency over all rounds):`,
    formatTable([
      [
        '',
        'rate',
        'MB/s',
        'p50',
        'p99',
        'max',
        `vs ${thousands(plan.targetSmallPutsPerSecond)}/s target`,
      ],
      smallRow('PutObject', putRate, putLatency, plan.targetSmallPutsPerSecond),
      smallRow('GetObject', getRate, getLatency),
      smallRow('disk: cp -r + sync each file (in turn)', copyRate, undefined),
      smallRow(
        `disk: write + fsync, ${plan.smallConcurrency} at a time (node:fs)`,
        fsyncRate,
        undefined,
      ),
    ]),
    '',
    `ListObjectsV2 over ${keysNote}, ${plan.listPageSize} keys a page, time per call:`,
    `creating them took ${seconds(list.create.elapsedMs)} (${formatRate(createRate, 'obj/s')}, ` +
      `${plan.listCreateConcurrency} concurrent PUTs of ${plan.listBodyBytes} bytes; ` +
      `p50 ${formatMs(summariseLatencies(list.create.latenciesMs).p50)}, ` +
      `p99 ${formatMs(summariseLatencies(list.create.latenciesMs).p99)}).`,
    formatTable([
      ['', 'pages', 'p50', 'p90', 'p99', 'max', 'whole pass'],
      ...list.passes.map(passRow),
      [
        'passes 2+',
        String(pageLatency.count),
        ...[pageLatency.p50, pageLatency.p90, pageLatency.p99, pageLatency.max].map(formatMs),
      ],
    ]),
    depthNote(timedPasses),
    '',
    'Where the CPU went (% of one core over the phase, all runs; the machine has 2 cores). server:',
    'the slipway process; client: this one (SDK, hashing); kernel thr.: writeback, journal, workers;',
    'irq, exited: the rest of the machine’s busy time (interrupts, loopback TCP, processes that',
    'exited meanwhile: cp, sync, other short-lived work); other procs: every other process still',
    'running (other work sharing the machine; busiest named).',
    formatTable([
      [
        '',
        'server',
        'client',
        'kernel thr.',
        'irq, exited',
        'other procs',
        'busiest other',
        'server/unit',
        'client/unit',
        'new conns',
      ],
      cpuRow(
        'cp + sync 256 MiB',
        large.usage.get(LargeOp.Copy),
        largeMs(LargeOp.Copy).length * megabytes,
        'MB',
      ),
      cpuRow(
        'PutObject 256 MiB',
        large.usage.get(LargeOp.Put),
        largeMs(LargeOp.Put).length * megabytes,
        'MB',
      ),
      cpuRow(
        'Upload 256 MiB',
        large.usage.get(LargeOp.Upload),
        largeMs(LargeOp.Upload).length * megabytes,
        'MB',
      ),
      cpuRow(
        'GetObject 256 MiB',
        large.usage.get(LargeOp.GetPut),
        largeMs(LargeOp.GetPut).length * megabytes,
        'MB',
      ),
      cpuRow(
        'PutObject 16 KiB',
        sumUsage((r) => r.putUsage),
        smallObjects((r) => r.put),
        'obj',
      ),
      cpuRow(
        'GetObject 16 KiB',
        sumUsage((r) => r.getUsage),
        smallObjects((r) => r.get),
        'obj',
      ),
      cpuRow('PutObject 10 B (listing keys)', list.createUsage, list.create.succeeded, 'obj'),
      cpuRow('ListObjectsV2 page', listUsage, pagesTimed, 'page'),
    ]),
    `Digest speed on one core here: SHA-256 ${mbps(hashes.sha256)}, MD5 ${mbps(hashes.md5)}, ` +
      `CRC32 (zlib) ${mbps(hashes.crc32)} MB/s.`,
    'Slipway computes MD5 (the ETag) and the declared checksum of every upload, plus SHA-256 when',
    'the payload is signed; the SDK computes CRC32 on upload and verifies it on download.',
    '',
    'What the SDK sent (the first request of each kind, as signed; finalizeRequest middleware):',
    formatTable([
      [
        '',
        'content-encoding',
        'x-amz-content-sha256',
        'checksum',
        'content-length',
        'decoded length',
      ],
      ...results.forms
        .filter((form) => /^(PutObject|UploadPart|GetObject)/.test(form.kind))
        .map((form) => [
          form.kind,
          form.contentEncoding ?? '—',
          shortSha(form.contentSha256),
          form.checksum,
          form.contentLength ?? '—',
          form.decodedContentLength ?? '—',
        ]),
    ]),
  ].join('\n');

  const headline = [
    `s3         256 MiB: PutObject ${mbps(largeRate(LargeOp.Put))} MB/s = ${formatRatio(putRatio)} cp+fsync ` +
      `(${mbps(diskRate)} MB/s; ${largePutMeets ? 'meets' : 'MISSES'} ≥ ${plan.targetLargeRatio}×), ` +
      `Upload ${mbps(largeRate(LargeOp.Upload))} MB/s (${formatRatio(uploadRatio)}), ` +
      `GetObject ${mbps(largeRate(LargeOp.GetPut))} MB/s (${formatRatio(getRatio)})`,
    `s3         ${plan.smallCount} × ${plan.smallBytes / KiB} KiB, ${plan.smallConcurrency} concurrent: ` +
      `PutObject ${formatRate(putRate, 'obj/s')} (${smallMeets ? 'meets' : 'MISSES'} ≥ ` +
      `${thousands(plan.targetSmallPutsPerSecond)}/s; p99 ${formatMs(putLatency.p99)}), ` +
      `GetObject ${formatRate(getRate, 'obj/s')}; disk write+fsync ${formatRate(fsyncRate, 'files/s')}`,
    `s3         ListObjectsV2 over ${thousands(listedKeys)} keys, per ${plan.listPageSize}-key page: ` +
      `p50 ${formatMs(pageLatency.p50)}, p90 ${formatMs(pageLatency.p90)}, p99 ${formatMs(pageLatency.p99)}; ` +
      `creating them ${formatRate(createRate, 'obj/s')}`,
  ];
  return { text, headline };
}

/** Whether a page deep in the listing costs more than one at its start (passes 2+). */
function depthNote(passes: readonly ListPass[]): string {
  const pages = Math.min(...passes.map((pass) => pass.pagesMs.length));
  if (!Number.isFinite(pages) || pages < 10) return '';
  const tenth = Math.floor(pages / 10);
  const first = median(passes.flatMap((pass) => pass.pagesMs.slice(0, tenth)));
  const last = median(passes.flatMap((pass) => pass.pagesMs.slice(pages - 1 - tenth, pages - 1)));
  return (
    `By depth: p50 ${formatMs(first)} over the first ${tenth} pages, ${formatMs(last)} over the ` +
    `last ${tenth} (bar the final, short one): ${formatRatio(last / first)}.`
  );
}

function describeLoadAfter(percent: number | undefined): string {
  if (percent === undefined) return '';
  return (
    `Background CPU just after (server stopped): ${Math.round(percent)}% of one core` +
    (percent > noisyBackgroundPercent ? ' — OTHER WORK WAS RUNNING during the run too.' : '.')
  );
}

function verdict(meets: boolean): string {
  return meets ? 'meets' : 'MISSES';
}

function shortSha(value: string | undefined): string {
  if (value === undefined) return '—';
  return /^[0-9a-f]{64}$/.test(value) ? `${value.slice(0, 12)}… (hash)` : value;
}

function perUnit(ms: number, unit: string): string {
  return ms >= 1 ? `${ms.toFixed(1)} ms/${unit}` : `${Math.round(ms * 1000)} µs/${unit}`;
}

function mbps(megabytesPerSecond: number): string {
  return Number.isFinite(megabytesPerSecond) ? megabytesPerSecond.toFixed(0) : '—';
}

function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

function seconds(ms: number): string {
  return Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '—';
}

if (isMain(import.meta.filename)) printReport(await runS3Bench());
