import type { IncomingHttpHeaders } from 'node:http';
import type { RequestTarget } from '../http/request-target.ts';

/** The two programs smart HTTP runs. */
export const GitService = {
  UploadPack: 'git-upload-pack',
  ReceivePack: 'git-receive-pack',
} as const;
export type GitService = (typeof GitService)[keyof typeof GitService];

/** What a git smart-HTTP request asks for, once its path and method are understood. */
export interface GitRoute {
  /** `advertise`: GET info/refs. `rpc`: the POST that does the fetch or push. */
  readonly kind: 'advertise' | 'rpc';
  readonly service: GitService;
  /** From the `/regions/<region>` prefix; undefined means the server's default region. */
  readonly region: string | undefined;
  readonly name: string;
  /** The repository's URL path, decoded, as git's credential helpers see it: `/v1/repos/demo`. */
  readonly repositoryPath: string;
}

export type GitRouteResult =
  | { readonly ok: true; readonly route: GitRoute }
  | {
      readonly ok: false;
      readonly status: number;
      readonly message: string;
      readonly headers?: Record<string, string>;
    };

/** Paths the git door claims; the classifier and the router share it. */
export const gitPathPattern = /^(?:\/regions\/[a-z0-9-]+)?\/v1\/repos\//;

const routePattern = /^(?:\/regions\/([a-z0-9-]{1,32}))?\/v1\/repos\/([^/]+)(\/.*)?$/;
/** CodeCommit's repository name rule. */
const namePattern = /^[\w.-]{1,100}$/;
const services: readonly string[] = Object.values(GitService);

/**
 * Smart HTTP only (gitprotocol-http): `GET info/refs?service=…` and `POST git-upload-pack` or
 * `git-receive-pack`. The dumb protocol's paths (`info/refs` without a service, `HEAD`,
 * `objects/…`) are not found: serving files out of the repository would bypass the programs.
 */
export function parseGitRoute(
  method: string,
  target: RequestTarget,
  headers: IncomingHttpHeaders,
): GitRouteResult {
  const match = routePattern.exec(target.rawPath);
  const rawName = match?.[2];
  let name: string | undefined;
  try {
    name = rawName === undefined ? undefined : decodeURIComponent(rawName);
  } catch {
    name = undefined;
  }
  if (match === null || name === undefined || !namePattern.test(name)) {
    return { ok: false, status: 404, message: 'Not found' };
  }
  const region = match[1];
  const base = { region, name, repositoryPath: repositoryPath(region, name) };
  const rest = match[3];
  if (rest === '/info/refs') {
    if (method !== 'GET') return notAllowed('GET');
    const service = target.query.find(([key]) => key === 'service')?.[1];
    if (service === undefined) {
      return { ok: false, status: 404, message: 'The dumb HTTP protocol is not supported' };
    }
    if (!isService(service)) return { ok: false, status: 403, message: 'Unsupported service' };
    return { ok: true, route: { ...base, kind: 'advertise', service } };
  }
  const service = rest?.slice(1);
  if (service === undefined || !isService(service)) {
    return { ok: false, status: 404, message: 'Not found' };
  }
  if (method !== 'POST') return notAllowed('POST');
  const contentType = headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (contentType !== `application/x-${service}-request`) {
    return { ok: false, status: 415, message: 'Unsupported Content-Type' };
  }
  return { ok: true, route: { ...base, kind: 'rpc', service } };
}

export function repositoryPath(region: string | undefined, name: string): string {
  return region === undefined ? `/v1/repos/${name}` : `/regions/${region}/v1/repos/${name}`;
}

function isService(value: string): value is GitService {
  return services.includes(value);
}

function notAllowed(allow: string): GitRouteResult {
  return { ok: false, status: 405, message: 'Method not allowed', headers: { allow } };
}

/** User name and password from `Authorization: Basic …`, or undefined. */
export function parseBasicAuth(
  header: string | undefined,
): { username: string; password: string } | undefined {
  const match = /^basic +([A-Za-z0-9+/]+=*) *$/i.exec(header ?? '');
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The Host header without its port: `example.com:8080` → `example.com`, `[::1]:80` → `[::1]`. */
export function hostnameOf(host: string | undefined): string | undefined {
  if (host === undefined || host === '') return undefined;
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? undefined : host.slice(0, end + 1);
  }
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/**
 * The `Git-Protocol` header, passed to git as GIT_PROTOCOL (how HTTP clients ask for protocol
 * v2), when it looks like git's `key=value:key` list; anything else is dropped, not refused.
 */
export function gitProtocolOf(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string' || header.length > 256) return undefined;
  return /^[a-z0-9=:.,-]+$/i.test(header) ? header : undefined;
}

/** Whether GIT_PROTOCOL asks for v2, as git's `determine_protocol_version_server` reads it. */
export function wantsProtocolV2(gitProtocol: string | undefined): boolean {
  return (gitProtocol ?? '').split(':').includes('version=2');
}
