import type { DialectName, Grammar } from "../grammar/grammar.js";

export type { DialectName };

/** How to reach a database. `username`/`user` and `database`/`filename` are aliases. */
export interface ConnectionConfig {
  readonly driver: DialectName;
  readonly host?: string;
  readonly port?: number;
  /** Database name; for SQLite the file path (`:memory:` allowed). */
  readonly database?: string;
  readonly username?: string;
  readonly user?: string;
  readonly password?: string;
  /** SQLite file path (alias of `database`). */
  readonly filename?: string;
  /** A connection URL (`postgres://…`, `mysql://…`); its parts fill what is not set. */
  readonly url?: string;
  /**
   * `true` is `sslMode: "require"`, `false` is `"disable"`; an object is handed to the
   * driver as its own TLS options (pg/mysql2 `ssl`), for what the settings below do not cover.
   */
  readonly ssl?: unknown;
  /**
   * TLS, with libpq's meanings: `disable`; `prefer` (TLS when the server offers it, else
   * plaintext); `require` (TLS, certificate not checked unless `sslRootCert` is given,
   * then as `verify-ca`); `verify-ca` (the chain); `verify-full` (the chain and the host
   * name). Only `prefer` ever falls back to plaintext. MySQL's `ssl-mode` names map onto these.
   */
  readonly sslMode?: SslMode;
  /** Files (PEM): the CA that signed the server's certificate, the client certificate and its key. */
  readonly sslRootCert?: string;
  readonly sslCert?: string;
  readonly sslKey?: string;
  /** A Unix socket: PostgreSQL's socket folder, MySQL's socket file. */
  readonly socketPath?: string;
  /** PostgreSQL `application_name`, shown in pg_stat_activity. */
  readonly applicationName?: string;
  /** Seconds to wait for the server to answer when connecting. */
  readonly connectTimeout?: number;
  /** MySQL connection character set (default utf8mb4). */
  readonly charset?: string;
}

export type SslMode = "disable" | "prefer" | "require" | "verify-ca" | "verify-full";

/** What a driver returns for one statement. */
export interface DriverResult {
  readonly rows: Record<string, unknown>[];
  readonly affectedRows: number;
  readonly insertId?: number | bigint | string;
}

/** One physical database connection. Everything a Database does goes through one of these. */
export interface Driver {
  run(sql: string, parameters: readonly unknown[]): Promise<DriverResult>;
  close(): Promise<void>;
}

/** Anything that can run a read query; what introspectors need. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<T[]>;
}

/** A read that always runs, and a write that is recorded instead while pretending. */
export interface Session {
  read<T = Record<string, unknown>>(sql: string, parameters?: readonly unknown[]): Promise<T[]>;
  execute(sql: string, parameters?: readonly unknown[]): Promise<unknown>;
}

/** A column as the database reports it (Laravel 11's `Schema::getColumns` shape). */
export interface ColumnInfo {
  readonly name: string;
  /** Base type name, lower case: `varchar`, `integer`, `timestamptz`, `enum` … */
  readonly typeName: string;
  /** Full type, lower case: `varchar(255)`, `int unsigned`, `enum('a','b')` … */
  readonly type: string;
  readonly nullable: boolean;
  /** The default as an SQL expression the database reports, or null when there is none. */
  readonly default: string | null;
  readonly autoIncrement: boolean;
  readonly comment: string | null;
}

export interface IndexInfo {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
  readonly primary: boolean;
  /** `btree`, `fulltext`, `gin` … lower case where the database tells it. */
  readonly type: string;
}

export interface ForeignKeyInfo {
  readonly name: string;
  readonly columns: readonly string[];
  readonly foreignTable: string;
  readonly foreignColumns: readonly string[];
  /** Lower case: `cascade`, `restrict`, `set null`, `set default`, `no action`. */
  readonly onDelete: string;
  readonly onUpdate: string;
}

/**
 * A table as SQLite stores it, read before a table rebuild so the rebuild can be
 * planned as a pure function: everything it must restore is here.
 */
export interface TableSnapshot {
  readonly table: string;
  /** The CREATE TABLE statement as the database keeps it. */
  readonly createSql: string;
  /** Every index on the table; `sql` is null for those a constraint created (autoindexes). */
  readonly indexes: readonly { readonly name: string; readonly sql: string | null; readonly columns: readonly (string | null)[] }[];
  readonly triggers: readonly { readonly name: string; readonly sql: string }[];
  /** The AUTOINCREMENT counter, or null when the table has none. */
  readonly sequence: number | null;
}

/** A CHECK constraint as the database keeps it. */
export interface CheckInfo {
  readonly name: string;
  /**
   * The columns the check reads, where the database tells (PostgreSQL; MariaDB's
   * column-level checks); empty where it does not (MySQL 8, MariaDB table-level checks).
   */
  readonly columns: readonly string[];
  /** The condition as the database prints it, without the CHECK keyword. */
  readonly expression: string;
  /** MariaDB: written inside a column definition, so a MODIFY COLUMN without it drops it. */
  readonly columnLevel?: boolean;
}

/**
 * A PostgreSQL or MySQL table read just before a command that must keep what it does
 * not restate (checks, the index a foreign key needs, identity), so the grammar can
 * plan that command as a pure function.
 */
export interface LiveTable {
  readonly table: string;
  readonly columns: readonly ColumnInfo[];
  readonly indexes: readonly IndexInfo[];
  readonly foreignKeys: readonly ForeignKeyInfo[];
  readonly checks: readonly CheckInfo[];
}

/** Reads the live schema back as plain data. One per dialect. */
export interface Introspector {
  /** Base tables of the current database/schema, sorted by name. */
  getTables(): Promise<string[]>;
  /** Whether a base table of exactly this name exists (one lookup, not a listing). */
  hasTable(table: string): Promise<boolean>;
  getViews(): Promise<string[]>;
  getColumns(table: string): Promise<ColumnInfo[]>;
  getIndexes(table: string): Promise<IndexInfo[]>;
  getForeignKeys(table: string): Promise<ForeignKeyInfo[]>;
  /** The table's CHECK constraints, sorted by name (PostgreSQL, MySQL/MariaDB). */
  getChecks?(table: string): Promise<CheckInfo[]>;
  /** SQLite only: the raw definition a table rebuild needs. */
  getTableSnapshot?(table: string): Promise<TableSnapshot>;
}

/** What differs between dialects beyond SQL text. */
export interface Capabilities {
  /** DDL runs inside a transaction and rolls back with it (PostgreSQL, SQLite). */
  readonly transactionalDdl: boolean;
  /**
   * Some alterations rebuild the table, which needs foreign-key enforcement off, and the
   * switch only works outside a transaction (SQLite): the migrator turns it off before
   * each migration's transaction and checks every key before commit.
   */
  readonly rebuildsTables?: boolean;
  /** The connection runs several statements sent as one text (MySQL with multipleStatements). */
  readonly multipleStatements?: boolean;
  /**
   * A transaction's BEGIN can travel with its first statement and its COMMIT with the
   * last bookkeeping write, in one text each (PostgreSQL's simple query protocol): two
   * round trips fewer per migration.
   */
  readonly sendsTransactionControlWithStatements?: boolean;
}

/**
 * A dialect is a small factory: it opens a driver connection and supplies the grammar,
 * the introspector and the statements that differ in how a session is managed.
 */
export interface Dialect {
  readonly name: DialectName;
  readonly grammar: Grammar;
  readonly capabilities: Capabilities;
  connect(config: ConnectionConfig): Promise<Driver>;
  createIntrospector(db: Queryable): Introspector;
  /** Statement that opens a transaction. */
  readonly beginStatement: string;
  /**
   * Switch foreign-key enforcement off for the session and return what restores the
   * previous state. Reads go through `session.read` (real even while pretending).
   */
  disableForeignKeys(session: Session, inTransaction: boolean): Promise<() => Promise<void>>;
  /**
   * Take the migration lock named `name` for this session, waiting at most `timeoutMs`.
   * Resolves to the function that releases it, or undefined when the wait timed out.
   * The lock must vanish with the session, so a killed run never leaves it behind.
   */
  acquireLock(session: Session & { readonly config: ConnectionConfig }, name: string, timeoutMs: number): Promise<(() => Promise<void>) | undefined>;
  /** Dialects that rebuild tables: whether foreign keys are enforced right now in this session. */
  foreignKeysEnforced?(session: Session): Promise<boolean>;
  /**
   * Dialects that rebuild tables: throw when a row violates a foreign key (before
   * commit). With `tables`, only the keys of those tables and of the tables whose keys
   * reference them (their children) are checked; without, every key of the database.
   */
  checkForeignKeys?(session: Session, tables?: readonly string[]): Promise<void>;
}
