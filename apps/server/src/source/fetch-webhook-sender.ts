import type { JsonValue, WebhookSender } from '@slipway/core';

export interface FetchWebhookSenderOptions {
  readonly timeoutMs: number;
}

/** POSTs a trigger's JSON message; any 2xx is delivered, anything else is a failure to retry. */
export class FetchWebhookSender implements WebhookSender {
  readonly #timeoutMs: number;

  constructor(options: FetchWebhookSenderOptions) {
    this.#timeoutMs = options.timeoutMs;
  }

  async send(url: string, body: JsonValue): Promise<{ ok: true } | { ok: false; message: string }> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Slipway' },
        body: JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      // Read to the end (bounded by the timeout) so the pooled connection stays reusable.
      await response.arrayBuffer();
      if (response.ok) return { ok: true };
      return { ok: false, message: `${url} answered ${response.status}` };
    } catch (error) {
      // fetch reports the network cause (ECONNREFUSED, a timeout) under `cause`.
      const cause: unknown = error instanceof Error ? (error.cause ?? error) : error;
      const reason = cause instanceof Error ? cause.message : String(cause);
      return { ok: false, message: `${url} could not be reached: ${reason}` };
    }
  }
}
