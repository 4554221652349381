import pg from 'pg';
import type { LinkUpdateEventTarget } from './link-updates.js';

/** The channel every instance of one database publishes link changes on and listens to. */
export const LINK_UPDATES_CHANNEL = 'customer_graph_link_updates';
/** Postgres refuses NOTIFY payloads of 8,000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7_999;

export interface PostgresEventTargetOptions {
  /** The database's URL: the same database as the instances' pools. */
  url: string;
  /** A NOTIFY that failed, or the listening connection lost (it reconnects). Default: ignored. */
  onError?: (error: unknown) => void;
  /** Wait before reconnecting a lost listening connection; default 1 s. */
  reconnectDelayMs?: number;
}

/**
 * An EventTarget for graphql-yoga's pubsub whose events travel through Postgres LISTEN/NOTIFY, so
 * a change published by any instance on the database reaches the subscribers of every instance —
 * this one included, only ever through the notification (never also locally, which would deliver
 * it twice). Notifications arrive in commit order. The connection (one per process, outside the
 * pool: a LISTEN needs a connection of its own) is opened on the first publish or listener and
 * reopened if it is lost; changes made while it is down are not delivered to this instance's
 * subscribers (the stored links stay right: a client re-reads them).
 * @example const linkUpdates = createLinkUpdates(createPostgresEventTarget({ url: config.DATABASE_URL }));
 */
export function createPostgresEventTarget(options: PostgresEventTargetOptions): LinkUpdateEventTarget & { close(): Promise<void> } {
  return new PostgresEventTarget(options) as unknown as LinkUpdateEventTarget & { close(): Promise<void> };
}

/** Local listeners are this EventTarget's own; what it dispatches goes out as a NOTIFY and comes back through LISTEN. */
class PostgresEventTarget extends EventTarget {
  readonly #options: PostgresEventTargetOptions;
  readonly #onError: (error: unknown) => void;
  #connection: Promise<pg.Client> | null = null;
  #listeners = 0;
  #closed = false;
  /** Events to NOTIFY on the next turn of the event loop. */
  #pending: { item: string; bytes: number }[] = [];

  constructor(options: PostgresEventTargetOptions) {
    super();
    this.#options = options;
    this.#onError = options.onError ?? (() => undefined);
  }

  override addEventListener(type: string, callback: EventListenerOrEventListenerObject | null, options?: AddEventListenerOptions | boolean): void {
    if (!callback) return;
    this.#listeners++;
    super.addEventListener(type, callback, options);
    void this.#connect().catch(() => undefined);
  }

  override removeEventListener(type: string, callback: EventListenerOrEventListenerObject | null, options?: EventListenerOptions | boolean): void {
    if (!callback) return;
    this.#listeners = Math.max(0, this.#listeners - 1);
    super.removeEventListener(type, callback, options);
  }

  override dispatchEvent(event: Event): boolean {
    const item = JSON.stringify({ topic: event.type, detail: (event as CustomEvent).detail });
    const bytes = Buffer.byteLength(item) + 2;
    if (bytes > MAX_PAYLOAD_BYTES) {
      this.#onError(new Error(`a ${event.type} event of ${bytes} bytes is too large to NOTIFY; not delivered`));
      return false;
    }
    // events published in one turn of the event loop (a batch's outcomes, an import's links) share
    // NOTIFYs: a payload is a JSON array of events, as many as fit
    this.#pending.push({ item, bytes });
    if (this.#pending.length === 1) setImmediate(() => this.#flush());
    return true;
  }

  #flush(): void {
    const payloads: string[] = [];
    let items: string[] = [];
    let size = 2;
    for (const { item, bytes } of this.#pending.splice(0)) {
      if (items.length > 0 && size + bytes - 1 > MAX_PAYLOAD_BYTES) {
        payloads.push(`[${items.join(',')}]`);
        items = [];
        size = 2;
      }
      items.push(item);
      size += bytes - 1;
    }
    if (items.length > 0) payloads.push(`[${items.join(',')}]`);
    // pg_notify with parameters: the payload is never spliced into SQL. Statements queue on the one
    // connection, so the NOTIFYs go out in the order the events were published.
    this.#connect()
      .then((client) => Promise.all(payloads.map((payload) => client.query('select pg_notify($1, $2)', [LINK_UPDATES_CHANNEL, payload]))))
      .catch(this.#onError);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const open = this.#connection;
    this.#connection = null;
    const client = open ? await open.catch(() => null) : null;
    await client?.end().catch(() => undefined);
  }

  #connect(): Promise<pg.Client> {
    if (this.#connection) return this.#connection;
    if (this.#closed) return Promise.reject(new Error('the link updates connection is closed'));
    const client = new pg.Client({ connectionString: this.#options.url });
    const opened = (async () => {
      await client.connect();
      await client.query(`LISTEN ${LINK_UPDATES_CHANNEL}`);
      return client;
    })();
    const lost = (error?: unknown) => {
      if (error) this.#onError(error);
      if (this.#connection !== opened) return;
      this.#connection = null;
      client.end().catch(() => undefined);
      // subscribers are still there: listen again after a pause
      if (!this.#closed && this.#listeners > 0) {
        setTimeout(() => void this.#connect().catch(this.#onError), this.#options.reconnectDelayMs ?? 1_000).unref();
      }
    };
    client.on('notification', (message) => {
      if (message.channel !== LINK_UPDATES_CHANNEL || !message.payload) return;
      try {
        for (const { topic, detail } of JSON.parse(message.payload) as { topic: string; detail: unknown }[]) {
          super.dispatchEvent(new CustomEvent(topic, { detail }));
        }
      } catch (error) {
        this.#onError(error);
      }
    });
    client.on('error', lost);
    client.on('end', () => lost());
    this.#connection = opened;
    opened.catch(lost);
    return opened;
  }
}
