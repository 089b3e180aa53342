import { connect, type ConnectionConfig, type Database, type DialectName } from "../index.js";
import type { TemplateSpec, TestDatabaseBackend } from "./backend.js";
import { copyName } from "./copy-names.js";
import { CopyPool } from "./copy-pool.js";
import { MysqlBackend } from "./mysql-backend.js";
import { PostgresBackend } from "./postgres-backend.js";
import { SqliteBackend } from "./sqlite-backend.js";

/** A fresh, fully migrated database of its own. */
export interface TestDatabase {
  /** An open connection to it (closed by `drop()`). */
  readonly db: Database;
  /** Settings that open it again (another connection, a child process, an ORM). */
  readonly config: ConnectionConfig;
  /** The template it was copied from (`mortar_tpl_<project>_<migrations hash>`). */
  readonly template: string;
  /**
   * Close `db` and remove the database: at once on SQLite; on PostgreSQL renamed away at
   * once and dropped in the background; on MySQL dropped in the background (the name
   * stays listed until then). `closeTestDatabases()` and process exit wait for those drops.
   */
  drop(): Promise<void>;
}

/**
 * Copies kept ready per dialect (MORTAR_TEST_POOL_SIZE overrides). Measured with two
 * hundred migrations (bench/test-databases.ts, one run on a shared 2-core machine):
 * a SQLite copy is a file copy of ~6 ms, so none are kept; a PostgreSQL copy takes ~100 ms
 * and a MySQL one ~700 ms, against ~12 ms and ~6 ms to take a ready one — which a test
 * gets whenever tests last at least as long as a copy takes, as the pool refills meanwhile.
 */
const POOL_SIZE: Record<DialectName, number> = { sqlite: 0, postgres: 2, mysql: 2 };

const BACKENDS: Record<DialectName, new (spec: TemplateSpec) => TestDatabaseBackend> = {
  sqlite: SqliteBackend,
  postgres: PostgresBackend,
  mysql: MysqlBackend,
};

/** One template in this process: prepared once, then copied through its pool. */
export class TemplateManager {
  readonly #spec: TemplateSpec;
  readonly #backend: TestDatabaseBackend;
  readonly #pool: CopyPool;
  readonly #prepared: Promise<void>;
  /** Copies handed out and not dropped yet: dropped at process exit. */
  readonly #live = new Map<string, Database>();

  constructor(spec: TemplateSpec) {
    this.#spec = spec;
    this.#backend = new BACKENDS[spec.base.driver](spec);
    this.#pool = new CopyPool(this.#backend, poolSize(spec.base.driver), () => copyName(spec.projectKey));
    this.#prepared = this.#backend.prepareTemplate();
    // A failed preparation is reported to every caller of take(), never as an unhandled rejection.
    this.#prepared.catch(() => undefined);
  }

  /** Settles when the template is ready; rejects with what stopped its preparation. */
  get prepared(): Promise<void> {
    return this.#prepared;
  }

  get template(): string {
    return this.#spec.template;
  }

  /** @internal the pool (for the bench: wait until it is full). */
  get pool(): CopyPool {
    return this.#pool;
  }

  async take(): Promise<TestDatabase> {
    await this.#prepared;
    const name = await this.#pool.take();
    const config = this.#backend.configFor(name);
    let db: Database;
    try {
      db = await connect(config);
    } catch (error) {
      await this.#backend.dropCopy(name).catch(() => undefined);
      throw error;
    }
    this.#live.set(name, db);
    let dropped: Promise<void> | undefined;
    return {
      db,
      config,
      template: this.#spec.template,
      drop: () =>
        (dropped ??= (async () => {
          this.#live.delete(name);
          await db.close();
          await this.#backend.dropCopy(name);
        })()),
    };
  }

  /** Drop the ready copies and every copy not dropped yet, and close the admin connection. */
  async close(): Promise<void> {
    await this.#prepared.catch(() => undefined);
    await this.#pool.close();
    const live = [...this.#live];
    this.#live.clear();
    await Promise.all(
      live.map(async ([name, db]) => {
        await db.close().catch(() => undefined);
        await this.#backend.dropCopy(name).catch(() => undefined);
      }),
    );
    await this.#backend.close();
  }

  /** What can be removed without waiting, at the very end of the process (SQLite files). */
  closeSync(): void {
    const dropSync = this.#backend.dropCopySync?.bind(this.#backend);
    if (!dropSync) return;
    for (const name of [...this.#pool.drainNames(), ...this.#live.keys()]) {
      try {
        dropSync(name);
      } catch {
        // best effort: the next run removes leftovers by name
      }
    }
  }
}

function poolSize(driver: DialectName): number {
  const configured = process.env.MORTAR_TEST_POOL_SIZE;
  if (configured !== undefined && /^\d+$/.test(configured)) return Number(configured);
  return POOL_SIZE[driver];
}
