import { connect, type ConnectionConfig, type Database } from "../index.js";

const IDLE_CLOSE_MS = 200;

/**
 * One connection to the configured database of a server, used for CREATE/DROP DATABASE
 * and the template lock. Operations are queued so that a background pool refill and a
 * caller never interleave statements on it. It is closed a moment after it falls idle:
 * kept between back-to-back operations (a connection costs a few milliseconds), never
 * long enough to hold a finished test process open.
 */
export class ServerAdmin {
  readonly #config: ConnectionConfig;
  #db: Promise<Database> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #pending = 0;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(config: ConnectionConfig) {
    this.#config = config;
  }

  /** Run `fn` with the admin connection, after every operation queued before it. */
  use<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    this.#pending += 1;
    clearTimeout(this.#idleTimer);
    const run = this.#queue.then(async () => {
      this.#db ??= connect(this.#config);
      let db: Database;
      try {
        db = await this.#db;
      } catch (error) {
        this.#db = undefined;
        throw error;
      }
      return fn(db);
    });
    this.#queue = run.then(
      () => this.#settled(),
      () => this.#settled(),
    );
    return run;
  }

  #settled(): void {
    this.#pending -= 1;
    if (this.#pending > 0) return;
    this.#idleTimer = setTimeout(() => void this.close(), IDLE_CLOSE_MS);
    this.#idleTimer.unref();
  }

  async close(): Promise<void> {
    clearTimeout(this.#idleTimer);
    const db = this.#db;
    this.#db = undefined;
    if (db) await (await db.catch(() => undefined))?.close();
  }
}
