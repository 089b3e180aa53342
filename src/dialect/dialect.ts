import type { DialectName, Grammar } from "../grammar/grammar.js";
import type { SchemaChange } from "../schema/schema-change.js";

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
   * switch only works outside a transaction (SQLite). How a migration run copes is the
   * run strategy's business; this flag is for Mortar's own one-off table changes.
   */
  readonly rebuildsTables?: boolean;
  /**
   * A transaction's BEGIN can travel with its first statement and its COMMIT with the
   * last bookkeeping write, in one text each (PostgreSQL's simple query protocol): two
   * round trips fewer per migration.
   */
  readonly sendsTransactionControlWithStatements?: boolean;
}

/** What a run strategy needs of a migration class: its `static transaction` and `static connection`. */
export interface MigrationTraits {
  readonly transaction?: boolean;
  readonly connection?: string | undefined;
}

/** The connection as a run strategy drives it. */
export interface RunSession extends Session {
  /** Run `fn` in a transaction (a savepoint when one is open); rolled back when it throws. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Bookkeeping SQL (no parameters) sent in the COMMIT's own round trip (`sendsTransactionControlWithStatements` only). */
  writeOnCommit(sql: string): void;
  /** Hear every schema change until the returned function is called. */
  observeChanges(listener: (change: SchemaChange) => void): () => void;
}

/** One migration's `up()` or `down()` and its tracking write, as a run strategy sees them. */
export interface StepWork {
  /** The migration's own work. */
  run(): Promise<void>;
  /** Write (or delete) the tracking row on the run's connection. */
  record(): Promise<void>;
  /** The same write as one SQL text without parameters, for sending with another statement. */
  recordStatement(): string;
  /** The migration runs on the run's connection, so its transaction can carry the tracking row. */
  readonly onRunConnection: boolean;
}

/**
 * What a run does around each migration on one dialect: transactions and savepoints,
 * foreign-key switches and checks, bookkeeping sent in the same round trip as other
 * work. The Migrator and the step runner ask the strategy; they never test the dialect.
 */
export interface RunStrategy {
  /**
   * Run a batch through `run`, told whether the strategy holds the whole batch in one
   * transaction it opened (each migration then runs in a savepoint). Not called while pretending.
   */
  runBatch<T>(session: RunSession, migrations: readonly MigrationTraits[], run: (sharedTransaction: boolean) => Promise<T>): Promise<T>;
  /**
   * Whether the migration runs in a transaction that commits its tracking row with it;
   * otherwise it is tracked statement by statement (a failure says what ran).
   */
  runsInTransaction(migration: MigrationTraits): boolean;
  /** Run a migration that `runsInTransaction` and record it, all or nothing. */
  runInTransaction(session: RunSession, work: StepWork, sharedTransaction: boolean): Promise<void>;
  /**
   * Bookkeeping (no parameters) that must run just before `sql`, joined with it into one
   * text where the connection takes several statements at once; undefined sends them apart.
   */
  joinBookkeeping(bookkeeping: string, sql: string): string | undefined;
  /**
   * A migration's own transaction rolled back: how many of the statements in `ran`
   * remain done, given `from` had run when it began.
   */
  keptAfterRollback(ran: readonly string[], from: number): number;
}

/**
 * Bookkeeping a tracked run does around each statement of its migration, installed for
 * the length of that migration only (`Database.withStatementHooks`).
 */
export interface StatementHooks {
  /** Bookkeeping SQL (no parameters) to run just before `sql`, or undefined. */
  readonly before?: (sql: string) => string | undefined;
  /** Awaited after `sql` succeeded (never while pretending). */
  readonly after?: (sql: string) => Promise<void>;
}

/**
 * A dialect is a small factory: it opens a driver connection and supplies the grammar,
 * the introspector and the statements that differ in how a session is managed.
 */
export interface Dialect {
  readonly name: DialectName;
  readonly grammar: Grammar;
  readonly capabilities: Capabilities;
  /** What a migration run does around each migration on this dialect. */
  readonly runStrategy: RunStrategy;
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
