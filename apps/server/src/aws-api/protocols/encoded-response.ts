/** A response ready for the HTTP layer: protocols produce these, the door sends them. */
export interface EncodedResponse {
  readonly status: number;
  readonly contentType: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The parts of a request the protocols decode. */
export interface DecodableRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly query: readonly [string, string][];
  readonly body: Buffer;
}
