import pg from 'pg';
import type { Logger } from 'pino';
import { Channel, LocalNotifier, type Notifier } from '../notifier.ts';

const channels = Object.values(Channel);
const reconnectDelayMs = 1000;

/**
 * LISTEN/NOTIFY across servers, on one dedicated connection that reconnects after a drop and
 * then wakes every waiter on every channel, so they re-read whatever they may have missed.
 */
export class PgNotifier implements Notifier {
  readonly #local = new LocalNotifier();
  readonly #url: string;
  readonly #logger: Logger;
  #client: pg.Client | undefined;
  /** NOTIFYs go one at a time: a pg client must not run overlapping queries. */
  #publishing: Promise<void> = Promise.resolve();
  #closed = false;
  #retry: NodeJS.Timeout | undefined;

  private constructor(url: string, logger: Logger) {
    this.#url = url;
    this.#logger = logger;
  }

  static async start(url: string, logger: Logger): Promise<PgNotifier> {
    const notifier = new PgNotifier(url, logger);
    await notifier.#connect();
    return notifier;
  }

  subscribe(channel: Channel, listener: (payload: string) => void): () => void {
    return this.#local.subscribe(channel, listener);
  }

  /** NOTIFY on the listening connection; PostgreSQL delivers it back to this server too. */
  publish(channel: Channel, payload: string): Promise<void> {
    const sent = this.#publishing.then(async () => {
      const client = this.#client;
      if (client === undefined) return this.#local.publish(channel, payload);
      try {
        await client.query('select pg_notify($1, $2)', [channel, payload]);
      } catch {
        // The connection is going away; reconnection wakes every waiter anyway.
        await this.#local.publish(channel, payload);
      }
    });
    this.#publishing = sent;
    return sent;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
    await this.#local.close();
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url });
    client.on('notification', (message) => {
      if ((channels as string[]).includes(message.channel)) {
        void this.#local.publish(message.channel as Channel, message.payload ?? '');
      }
    });
    client.on('error', (error) => {
      this.#logger.warn({ err: error }, 'notification connection lost; reconnecting');
      this.#onLost(client);
    });
    client.on('end', () => this.#onLost(client));
    try {
      await client.connect();
      for (const channel of channels) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => {});
      return;
    }
    this.#client = client;
  }

  #onLost(client: pg.Client): void {
    if (this.#closed || this.#client !== client) return;
    this.#client = undefined;
    client.end().catch(() => {});
    this.#retryLater();
  }

  #retryLater(): void {
    this.#retry = setTimeout(() => {
      if (this.#closed) return;
      this.#connect().then(
        () => {
          for (const channel of channels) void this.#local.publish(channel, '');
        },
        (error: unknown) => {
          this.#logger.warn({ err: error }, 'notification reconnect failed');
          this.#retryLater();
        },
      );
    }, reconnectDelayMs);
  }
}
