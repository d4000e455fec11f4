import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** Everything the server needs to start, validated, parsed and frozen. */
export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /**
   * How clients reach this server when that is not the listen address (a load balancer, a
   * container port): clone URLs and the written endpoint use it. No trailing slash.
   */
  readonly publicUrl: string | undefined;
  /** Absolute. */
  readonly dataDir: string;
  readonly store: {
    readonly databaseUrl: string | undefined;
    readonly sqliteBusyTimeoutMs: number;
    readonly postgresPoolSize: number;
  };
  readonly aws: {
    readonly maxBodyBytes: number;
  };
  /** Where object bytes live: the data directory, or an external S3-compatible store. */
  readonly blobs: BlobsConfig;
  readonly jobs: {
    /** How often lapsed leases are looked for. */
    readonly expiryIntervalMs: number;
  };
  /** The server's own build runner (remote runners are `slipway runner`). */
  readonly runner: {
    /** Builds it runs at once; 0: none (only remote runners build). */
    readonly concurrency: number;
    /** `process` runs builds without a sandbox: trusted builds only. */
    readonly isolation: 'bubblewrap' | 'process';
  };
  /**
   * Deployment agents the server starts on this machine as separate processes (`slipway agent`),
   * each registered as an on-premises instance with its own root directory: a fleet for a laptop.
   */
  readonly localAgents: number;
  readonly secrets: {
    /** 32 bytes from SLIPWAY_SECRETS_KEY; undefined means a key file in the data directory. */
    readonly key: Buffer | undefined;
  };
  readonly log: {
    readonly level: string;
    /** `pretty` for a person at a terminal, `json` for machines (the default when not a TTY). */
    readonly format: 'json' | 'pretty';
  };
  readonly shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export type BlobsConfig =
  | { readonly kind: 'local' }
  | {
      readonly kind: 's3';
      readonly bucket: string;
      /** Key prefix inside the bucket, ending in `/` unless empty. */
      readonly prefix: string;
      /** Undefined: AWS's own endpoint for the region. */
      readonly endpoint: string | undefined;
      readonly region: string;
      /** Undefined: the AWS SDK's default credential chain. */
      readonly credentials:
        { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
    };

export const defaultPort = 4750;
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const serverUsage = `Usage: slipway server [options]

Options (each also read from the environment variable shown):
  --port <n>           port to listen on (SLIPWAY_PORT, default ${defaultPort}; 0 picks a free one)
  --host <addr>        address to listen on (SLIPWAY_HOST, default 127.0.0.1)
  --data-dir <path>    state, credentials and blobs (SLIPWAY_DATA_DIR, default ./.slipway)
  --database-url <url> postgres://… for fleet mode (SLIPWAY_DATABASE_URL, default SQLite)
  --log-level <level>  ${logLevels.join('|')} (SLIPWAY_LOG_LEVEL, default info)
  --local-agents <n>   start n deployment agents on this machine, registered as on-premises
                       instances local-agent-1…n tagged slipway:local-agent=true
                       (SLIPWAY_LOCAL_AGENTS, default 0)

Also: SLIPWAY_SECRETS_KEY (base64, 32 bytes; share it between servers on one database),
SLIPWAY_AWS_MAX_BODY (largest AWS API request body, e.g. 16MiB),
SLIPWAY_SHUTDOWN_TIMEOUT (e.g. 10s), SLIPWAY_SQLITE_BUSY_TIMEOUT (e.g. 5s),
SLIPWAY_JOBS_EXPIRY_INTERVAL (how often lapsed job leases are found, default 1s),
SLIPWAY_LOG_FORMAT (json|pretty; pretty when stderr is a terminal),
SLIPWAY_PUBLIC_URL (how clients reach this server, for clone URLs; default the listen address),
SLIPWAY_BLOB_URL (s3://bucket/prefix: keep object bytes in an S3-compatible store; default the
data directory), SLIPWAY_BLOB_ENDPOINT, SLIPWAY_BLOB_REGION, SLIPWAY_BLOB_ACCESS_KEY_ID,
SLIPWAY_BLOB_SECRET_ACCESS_KEY,
SLIPWAY_POSTGRES_POOL_SIZE (default 10),
SLIPWAY_RUNNER_CONCURRENCY (builds the server runs itself at once, default 2; 0: remote runners
only), SLIPWAY_RUNNER_ISOLATION (bubblewrap, the default, or process: no sandbox).`;

type Env = Readonly<Record<string, string | undefined>>;

export interface ConfigSources {
  readonly env: Env;
  readonly argv: readonly string[];
  /** Relative data directories resolve against this. */
  readonly cwd: string;
  /** Picks the default log format. */
  readonly stderrIsTty?: boolean;
}

/** A setting by its flag (which wins) or its environment variable, named for error messages. */
type Read = (variable: string, flag?: string) => Setting;

/**
 * Reads flags and environment into a ServerConfig. Pure: everything comes in through `sources`,
 * so tests need no process state. Collects every problem before failing, so one run shows them
 * all.
 */
export function loadConfig(sources: ConfigSources): ServerConfig {
  const problems: string[] = [];
  const flags = parseFlags(sources.argv, problems);
  const read: Read = (variable, flag) =>
    flag !== undefined && flags[flag] !== undefined
      ? { name: `--${flag}`, value: flags[flag] }
      : {
          name: flag === undefined ? variable : `--${flag} / ${variable}`,
          value: sources.env[variable],
        };
  const config: ServerConfig = {
    ...listenSettings(read, sources.cwd, problems),
    publicUrl: parsePublicUrl(read('SLIPWAY_PUBLIC_URL'), problems),
    store: storeSettings(read, problems),
    aws: {
      maxBodyBytes: parseSize(read('SLIPWAY_AWS_MAX_BODY'), 16 * 1024 * 1024, problems),
    },
    jobs: {
      expiryIntervalMs: parseDuration(
        read('SLIPWAY_JOBS_EXPIRY_INTERVAL'),
        { fallback: 1_000, min: 10 },
        problems,
      ),
    },
    runner: runnerSettings(read, problems),
    localAgents: parseInteger(
      read('SLIPWAY_LOCAL_AGENTS', 'local-agents'),
      { fallback: 0, min: 0, max: 64 },
      problems,
    ),
    blobs: blobSettings(read, problems),
    secrets: { key: parseSecretsKey(sources.env.SLIPWAY_SECRETS_KEY, problems) },
    log: logSettings(read, sources.stderrIsTty ?? false, problems),
    shutdownTimeoutMs: parseDuration(
      read('SLIPWAY_SHUTDOWN_TIMEOUT'),
      { fallback: 10_000 },
      problems,
    ),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

function listenSettings(
  read: Read,
  cwd: string,
  problems: string[],
): Pick<ServerConfig, 'host' | 'port' | 'dataDir'> {
  const port = parseInteger(
    read('SLIPWAY_PORT', 'port'),
    { fallback: defaultPort, min: 0, max: 65_535 },
    problems,
  );
  const host = read('SLIPWAY_HOST', 'host');
  const hostValue = host.value ?? '127.0.0.1';
  if (hostValue === '' || /\s/.test(hostValue)) {
    problems.push(`${host.name}: '${hostValue}' is not an address`);
  }
  const dataDir = read('SLIPWAY_DATA_DIR', 'data-dir');
  const dataDirValue = dataDir.value ?? '.slipway';
  if (dataDirValue === '') problems.push(`${dataDir.name}: must not be empty`);
  return {
    host: hostValue,
    port,
    dataDir: isAbsolute(dataDirValue) ? dataDirValue : resolve(cwd, dataDirValue),
  };
}

function parsePublicUrl(setting: Setting, problems: string[]): string | undefined {
  if (setting.value === undefined || setting.value === '') return undefined;
  const url = URL.canParse(setting.value) ? new URL(setting.value) : undefined;
  if (url === undefined || !['http:', 'https:'].includes(url.protocol) || url.search !== '') {
    problems.push(`${setting.name}: '${setting.value}' is not an http(s) URL without a query`);
    return undefined;
  }
  return setting.value.replace(/\/+$/, '');
}

function blobSettings(read: Read, problems: string[]): BlobsConfig {
  const url = read('SLIPWAY_BLOB_URL');
  if (url.value === undefined || url.value === '') return { kind: 'local' };
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url.value);
  if (match === null) {
    problems.push(`${url.name}: '${url.value}' is not s3://<bucket>[/<prefix>]`);
    return { kind: 'local' };
  }
  const prefix = match[2] ?? '';
  const endpoint = read('SLIPWAY_BLOB_ENDPOINT').value || undefined;
  if (endpoint !== undefined && !/^https?:\/\//.test(endpoint)) {
    problems.push(`SLIPWAY_BLOB_ENDPOINT: '${endpoint}' is not an http(s) URL`);
  }
  const accessKeyId = read('SLIPWAY_BLOB_ACCESS_KEY_ID').value || undefined;
  const secretAccessKey = read('SLIPWAY_BLOB_SECRET_ACCESS_KEY').value || undefined;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    problems.push('SLIPWAY_BLOB_ACCESS_KEY_ID and SLIPWAY_BLOB_SECRET_ACCESS_KEY go together');
  }
  return {
    kind: 's3',
    bucket: match[1] ?? '',
    prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
    endpoint,
    region: read('SLIPWAY_BLOB_REGION').value || 'us-east-1',
    credentials:
      accessKeyId !== undefined && secretAccessKey !== undefined
        ? { accessKeyId, secretAccessKey }
        : undefined,
  };
}

function storeSettings(read: Read, problems: string[]): ServerConfig['store'] {
  const url = read('SLIPWAY_DATABASE_URL', 'database-url');
  const databaseUrl = url.value || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(`${url.name}: must start with postgres:// or postgresql://`);
  }
  return {
    databaseUrl,
    sqliteBusyTimeoutMs: parseDuration(
      read('SLIPWAY_SQLITE_BUSY_TIMEOUT'),
      { fallback: 5_000 },
      problems,
    ),
    postgresPoolSize: parseInteger(
      read('SLIPWAY_POSTGRES_POOL_SIZE'),
      { fallback: 10, min: 1, max: 1_000 },
      problems,
    ),
  };
}

function logSettings(read: Read, stderrIsTty: boolean, problems: string[]): ServerConfig['log'] {
  const level = read('SLIPWAY_LOG_LEVEL', 'log-level');
  const levelValue = level.value ?? 'info';
  if (!logLevels.includes(levelValue)) {
    problems.push(`${level.name}: '${levelValue}' is not one of ${logLevels.join(', ')}`);
  }
  return {
    level: levelValue,
    format: parseLogFormat(read('SLIPWAY_LOG_FORMAT'), stderrIsTty, problems),
  };
}

function runnerSettings(read: Read, problems: string[]): ServerConfig['runner'] {
  const isolation = read('SLIPWAY_RUNNER_ISOLATION');
  const value = isolation.value ?? 'bubblewrap';
  if (value !== 'bubblewrap' && value !== 'process') {
    problems.push(`${isolation.name}: '${value}' is not bubblewrap or process`);
  }
  return {
    concurrency: parseInteger(
      read('SLIPWAY_RUNNER_CONCURRENCY'),
      { fallback: 2, min: 0, max: 64 },
      problems,
    ),
    isolation: value === 'process' ? 'process' : 'bubblewrap',
  };
}

/** The one place the server reads the process environment. */
export function loadProcessConfig(argv: readonly string[]): ServerConfig {
  return loadConfig({
    env: process.env,
    argv,
    cwd: process.cwd(),
    stderrIsTty: process.stderr.isTTY,
  });
}

const flagNames = ['port', 'host', 'data-dir', 'database-url', 'log-level', 'local-agents'];

/** `--name value` or `--name=value` for the known flags; everything else is a problem. */
function parseFlags(argv: readonly string[], problems: string[]): Record<string, string> {
  const { tokens } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(flagNames.map((name) => [name, { type: 'string' as const }])),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const flags: Record<string, string> = {};
  for (const token of tokens) {
    if (token.kind === 'positional') problems.push(`unexpected argument '${token.value}'`);
    if (token.kind !== 'option') continue;
    if (!flagNames.includes(token.name)) problems.push(`unknown option '${token.rawName}'`);
    else if (token.value === undefined) problems.push(`option '${token.rawName}' needs a value`);
    else flags[token.name] = token.value;
  }
  return flags;
}

interface Setting {
  readonly name: string;
  readonly value: string | undefined;
}

function parseInteger(
  setting: Setting,
  { fallback, min, max }: { fallback: number; min: number; max: number },
  problems: string[],
): number {
  if (setting.value === undefined || setting.value === '') return fallback;
  const value = /^\d+$/.test(setting.value) ? Number(setting.value) : Number.NaN;
  if (!(value >= min && value <= max)) {
    problems.push(`${setting.name}: '${setting.value}' is not an integer from ${min} to ${max}`);
    return fallback;
  }
  return value;
}

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `250ms`, `10s`, `2m`, `1h`; a bare number is milliseconds. */
export function parseDuration(
  setting: Setting,
  { fallback, min = 0 }: { fallback: number; min?: number },
  problems: string[],
): number {
  if (setting.value === undefined || setting.value === '') return fallback;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(setting.value.trim());
  if (match === null) {
    problems.push(`${setting.name}: '${setting.value}' is not a duration like 500ms, 10s or 2m`);
    return fallback;
  }
  const ms = Math.round(Number(match[1]) * (durationUnits[match[2] ?? 'ms'] ?? 1));
  if (ms < min) {
    problems.push(`${setting.name}: '${setting.value}' is shorter than ${min}ms`);
    return fallback;
  }
  return ms;
}

const sizeUnits: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** `512KiB`, `16MiB`, `1GB`; a bare number is bytes. */
export function parseSize(setting: Setting, fallback: number, problems: string[]): number {
  if (setting.value === undefined || setting.value === '') return fallback;
  const match = /^(\d+)\s*([a-zA-Z]*)$/.exec(setting.value.trim());
  const unit = sizeUnits[(match?.[2] ?? '').toLowerCase()];
  if (match === null || unit === undefined || Number(match[1]) === 0) {
    problems.push(`${setting.name}: '${setting.value}' is not a size like 16MiB or 1048576`);
    return fallback;
  }
  return Number(match[1]) * unit;
}

function parseLogFormat(
  setting: Setting,
  stderrIsTty: boolean,
  problems: string[],
): 'json' | 'pretty' {
  const { value } = setting;
  if (value === undefined || value === '') return stderrIsTty ? 'pretty' : 'json';
  if (value === 'json' || value === 'pretty') return value;
  problems.push(`${setting.name}: '${value}' is not json or pretty`);
  return 'json';
}

function parseSecretsKey(value: string | undefined, problems: string[]): Buffer | undefined {
  if (value === undefined || value === '') return undefined;
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) {
    problems.push(
      'SLIPWAY_SECRETS_KEY: must be 32 bytes, base64-encoded (openssl rand -base64 32)',
    );
    return undefined;
  }
  return key;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Buffer.isBuffer(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
