import type { JsonValue } from '../platform/json.ts';

/** Something that happened, recorded durably; `seq` orders all events of an installation. */
export interface EventRecord {
  readonly seq: number;
  /** Dotted name, e.g. `source.push`. */
  readonly type: string;
  /** What the event is about, e.g. a repository ARN. */
  readonly subject: string;
  readonly data: JsonValue;
  readonly createdAt: number;
}

export interface NewEvent {
  readonly type: string;
  readonly subject: string;
  readonly data: JsonValue;
}
