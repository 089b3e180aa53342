import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type Database from "better-sqlite3";
import { resolveConnection } from "../../config/resolve-connection.js";
import { ConfigError, ConnectionError } from "../../errors.js";
import type { ConnectionConfig, Driver, DriverResult } from "../dialect.js";
import { importDriver, SQLITE_DRIVER } from "../driver-import.js";

/**
 * Open one better-sqlite3 connection with foreign keys enforced (SQLite leaves them
 * off by default) and a busy timeout, so a second writer waits instead of failing.
 *
 * @example
 * const driver = await connectSqlite({ driver: "sqlite", database: ":memory:" });
 * await driver.run("select 1 as one", []);
 */
export async function connectSqlite(config: ConnectionConfig): Promise<Driver> {
  const file = sqliteFile(resolveConnection(config));
  // Outside the try: a missing driver is its own error (install it), not a failed connection.
  const { default: BetterSqlite3 } = await importDriver(SQLITE_DRIVER, () => import("better-sqlite3"));
  let db: Database.Database | undefined;
  try {
    // Like Laravel's default SQLite set-up: the folder is made so `mortar migrate` just works,
    // but only once a command really opens the database (a failed command leaves nothing behind).
    if (file !== ":memory:" && !file.startsWith("file:") && !existsSync(dirname(file))) mkdirSync(dirname(file), { recursive: true });
    db = new BetterSqlite3(file, { timeout: 5000 });
    db.pragma("foreign_keys = ON");
    // Opening is lazy: reading the schema is what reveals a file that is not a database.
    db.prepare("select count(*) from sqlite_master").get();
  } catch (error) {
    db?.close();
    throw new ConnectionError(`cannot connect to sqlite at "${file}"`, error);
  }
  return new SqliteDriver(db);
}

/** How many prepared statements are kept for reuse (tracking rows, savepoints, introspection). */
const STATEMENT_CACHE_SIZE = 64;

class SqliteDriver implements Driver {
  readonly #db: Database.Database;
  /** SQLite re-prepares a statement by itself when the schema changes under it. */
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  async run(sql: string, parameters: readonly unknown[]): Promise<DriverResult> {
    let statement: Database.Statement;
    try {
      statement = this.#prepare(sql);
    } catch (error) {
      // prepare() takes exactly one statement; exec() runs a script but cannot bind values.
      if (parameters.length === 0 && isNotOneStatement(error)) {
        this.#db.exec(sql);
        return { rows: [], affectedRows: 0 };
      }
      throw error;
    }
    const values = parameters.map(bindable);
    if (statement.reader) return { rows: statement.all(...values) as Record<string, unknown>[], affectedRows: 0 };
    const result = statement.run(...values);
    return { rows: [], affectedRows: result.changes, insertId: result.lastInsertRowid };
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  #prepare(sql: string): Database.Statement {
    const cached = this.#statements.get(sql);
    if (cached) return cached;
    const statement = this.#db.prepare(sql);
    // DDL runs once; what repeats is bookkeeping and reads.
    if (!/^\s*(create|drop|alter)\b/i.test(sql)) {
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.delete(this.#statements.keys().next().value!);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

/** `database`, then `filename` (a `sqlite:` URL has been folded into `database`). */
function sqliteFile(config: ConnectionConfig): string {
  const file = config.database ?? config.filename;
  if (!file) throw new ConfigError('sqlite needs a database file: set "database" (or "filename"), e.g. "databases/database.sqlite"');
  return file;
}

function isNotOneStatement(error: unknown): boolean {
  return error instanceof RangeError && /contains (more than one statement|no statements)/.test(error.message);
}

/** better-sqlite3 binds numbers, bigints, strings, buffers and null only. */
function bindable(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
}
