import type { Database } from "../dialect/database.js";
import type { ColumnInfo } from "../schema/live-schema.js";

/** A table as the database has it before any of the migrations being linted. */
export interface LiveTableFacts {
  readonly exists: boolean;
  /** Undefined when the table is not there. */
  readonly rowEstimate: number | undefined;
  readonly columns: readonly ColumnInfo[] | undefined;
}

/**
 * A count stops here: enough to tell an empty table from a busy one without scanning a
 * big table whose statistics were never gathered.
 */
export const COUNT_LIMIT = 100_000;

/**
 * Reads of the live database, each table once per lint. Only `read` is used, which is
 * never reported as a statement: linting sends nothing that changes anything.
 */
export class LiveFacts {
  readonly #db: Database;
  readonly #tables = new Map<string, Promise<LiveTableFacts>>();

  constructor(db: Database) {
    this.#db = db;
  }

  table(name: string): Promise<LiveTableFacts> {
    let facts = this.#tables.get(name);
    if (!facts) {
      facts = this.#read(name);
      this.#tables.set(name, facts);
    }
    return facts;
  }

  /** PostgreSQL `server_version` or MySQL/MariaDB `version()`; undefined on SQLite. */
  async serverVersion(): Promise<string | undefined> {
    switch (this.#db.dialect) {
      case "postgres": {
        const [row] = await this.#db.read<{ server_version: string }>("show server_version");
        return row?.server_version;
      }
      case "mysql": {
        const [row] = await this.#db.read<{ version: string }>("select version() as version");
        return row?.version;
      }
      default:
        return undefined;
    }
  }

  async #read(name: string): Promise<LiveTableFacts> {
    const introspector = this.#db.introspector;
    if (!(await introspector.hasTable(name))) return { exists: false, rowEstimate: undefined, columns: undefined };
    const [rowEstimate, columns] = [await this.#rowEstimate(name), await introspector.getColumns(name)];
    return { exists: true, rowEstimate, columns };
  }

  /**
   * The database's own estimate where it keeps one (PostgreSQL `pg_class.reltuples`,
   * MySQL `information_schema.tables.table_rows`). An estimate below one is not trusted:
   * PostgreSQL says -1 for a table never analyzed (and 0 before its first vacuum), InnoDB
   * says 0 until its statistics catch up with a fresh table. Then, and on SQLite, rows
   * are counted up to COUNT_LIMIT.
   */
  async #rowEstimate(name: string): Promise<number> {
    const db = this.#db;
    let estimate: number | undefined;
    if (db.dialect === "postgres") {
      const [row] = await db.read<{ estimate: unknown }>(
        "select c.reltuples as estimate from pg_class c where c.oid = to_regclass(quote_ident($1))",
        [name],
      );
      estimate = row === undefined ? undefined : Number(row.estimate);
    } else if (db.dialect === "mysql") {
      const [row] = await db.read<{ estimate: unknown }>(
        "select table_rows as estimate from information_schema.tables where table_schema = database() and table_name = ?",
        [name],
      );
      estimate = row?.estimate === null || row === undefined ? undefined : Number(row.estimate);
    }
    if (estimate !== undefined && estimate >= 1) return Math.round(estimate);
    const table = db.grammar.quoteIdentifier(name);
    const [row] = await db.read<{ count: unknown }>(`select count(*) as count from (select 1 from ${table} limit ${COUNT_LIMIT}) counted`);
    return Number(row?.count ?? 0);
  }
}
