// What the git bench needs from a running Slipway: repositories, a static git credential, clone
// URLs carrying it, and a subscriber that notes when each pushed commit's event is read.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { SourceEventType, type EventLog, type ReferenceUpdatedData } from '@slipway/core';
import { signedFetch } from '../../test/support/sign.ts';

export interface SlipwayGitAccess {
  readonly url: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** CodeCommit CreateRepository, signed as the SDK signs it. */
export async function createSlipwayRepository(
  server: SlipwayGitAccess,
  repositoryName: string,
): Promise<void> {
  const response = await signedFetch({
    ...server,
    service: 'codecommit',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'CodeCommit_20150413.CreateRepository',
    },
    body: JSON.stringify({ repositoryName }),
  });
  if (!response.ok) {
    throw new Error(
      `CreateRepository ${repositoryName}: ${response.status} ${await response.text()}`,
    );
  }
}

export interface GitCredential {
  readonly username: string;
  readonly password: string;
}

/** IAM CreateServiceSpecificCredential for the administrator: a static HTTPS git credential. */
export async function createGitCredential(server: SlipwayGitAccess): Promise<GitCredential> {
  const response = await signedFetch({
    ...server,
    service: 'iam',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams({
      Action: 'CreateServiceSpecificCredential',
      Version: '2010-05-08',
      UserName: 'admin',
      ServiceName: 'codecommit.amazonaws.com',
    }).toString(),
  });
  const text = await response.text();
  const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1];
  const username = field('ServiceUserName');
  const password = field('ServicePassword');
  if (!response.ok || username === undefined || password === undefined) {
    throw new Error(`CreateServiceSpecificCredential: ${response.status} ${text}`);
  }
  return { username: unescapeXml(username), password: unescapeXml(password) };
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** `http://<user>:<password>@host:port/v1/repos/<name>`: git sends it as HTTP Basic. */
export function slipwayCloneUrl(
  serverUrl: string,
  credential: GitCredential,
  repositoryName: string,
): string {
  const url = new URL(serverUrl);
  const user = `${encodeURIComponent(credential.username)}:${encodeURIComponent(credential.password)}`;
  return `${url.protocol}//${user}@${url.host}/v1/repos/${encodeURIComponent(repositoryName)}`;
}

/**
 * A subscriber as an in-process consumer would write one: `watch` for the wake-up, then `read`
 * from its cursor. Notes performance.now() when a read returns a commit's reference-updated
 * event, whether or not anyone is waiting for it yet.
 */
export class PushEventWatcher {
  readonly #events: EventLog;
  readonly #unwatch: () => void;
  readonly #seenAt = new Map<string, number>();
  readonly #waiters = new Map<string, (at: number) => void>();
  #cursor = 0;
  #reading = false;
  #again = false;
  #error: Error | undefined;

  constructor(events: EventLog) {
    this.#events = events;
    this.#unwatch = events.watch(() => void this.#drain());
  }

  /** Reads what is already there, so the cursor starts at the end of the log. */
  async start(): Promise<void> {
    await this.#drain();
  }

  /** When the event for `commitId` was read; undefined if it was not within `timeoutMs`. */
  waitFor(commitId: string, timeoutMs: number): Promise<number | undefined> {
    if (this.#error !== undefined) return Promise.reject(this.#error);
    const seen = this.#seenAt.get(commitId);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((done) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(commitId);
        done(undefined);
      }, timeoutMs);
      this.#waiters.set(commitId, (at) => {
        clearTimeout(timer);
        done(at);
      });
    });
  }

  close(): void {
    this.#unwatch();
  }

  /** One reader at a time; a signal during a read makes it read again. */
  async #drain(): Promise<void> {
    if (this.#reading) {
      this.#again = true;
      return;
    }
    this.#reading = true;
    try {
      do {
        this.#again = false;
        for (;;) {
          const batch = await this.#events.read({
            after: this.#cursor,
            types: [SourceEventType.ReferenceUpdated],
          });
          const at = performance.now();
          for (const event of batch) {
            this.#cursor = event.seq;
            const commitId = (event.data as ReferenceUpdatedData).newCommitId;
            if (commitId === null) continue;
            this.#seenAt.set(commitId, at);
            this.#waiters.get(commitId)?.(at);
            this.#waiters.delete(commitId);
          }
          if (batch.length === 0) break;
        }
      } while (this.#again);
    } catch (error) {
      this.#error = error instanceof Error ? error : new Error(String(error));
    } finally {
      this.#reading = false;
    }
  }
}

/**
 * When each push reached a server in this process: Node's `http.server.request.start`
 * diagnostics channel fires as a request's headers arrive, before any Slipway code runs.
 */
export class ReceivePackArrivals {
  #last = Number.NaN;
  readonly #listener = (message: unknown) => {
    const { request } = message as { request: IncomingMessage };
    if (request.method === 'POST' && request.url?.endsWith('/git-receive-pack') === true) {
      this.#last = performance.now();
    }
  };

  constructor() {
    subscribe('http.server.request.start', this.#listener);
  }

  /** The latest push request's arrival after `since`, or NaN. */
  lastSince(since: number): number {
    return this.#last >= since ? this.#last : Number.NaN;
  }

  close(): void {
    unsubscribe('http.server.request.start', this.#listener);
  }
}
