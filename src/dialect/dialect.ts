import type { Grammar } from "../grammar/grammar.js";
import type { DialectName, Queryable, Session, ColumnInfo, IndexInfo, ForeignKeyInfo, TableSnapshot, CheckInfo, LiveTable, Introspector } from "../schema/live-schema.js";
import type { SchemaChange } from "../schema/schema-change.js";
import type { ForeignKeySwitch } from "../schema/schema-session.js";

export type { DialectName, Queryable, Session, ColumnInfo, IndexInfo, ForeignKeyInfo, TableSnapshot, CheckInfo, LiveTable, Introspector };

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
  /**
   * The migration lock: `session` (the dialect's session lock: PostgreSQL advisory lock,
   * MySQL `GET_LOCK`, SQLite file lock), `table` (a lease row in `<tracking table>_lock`,
   * renewed while the run lives: for clusters and poolers), or `auto` (default: `table`
   * on a Galera node or behind a pooler, else `session`). Environment: `DB_LOCK`.
   */
  readonly lock?: LockMode;
  /** Seconds a `table` lock lasts without renewal (default 30; renewed every third of it). Environment: `DB_LOCK_LEASE`. */
  readonly lockLease?: number;
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

export type LockMode = "auto" | "table" | "session";

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
  /**
   * The server session the connection was told it has at connect (PostgreSQL's
   * BackendKeyData process id): a pooler announces one of its own, which is how it is told apart.
   */
  readonly announcedSessionId?: number | undefined;
  close(): Promise<void>;
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
  /** @internal Bookkeeping SQL (no parameters) sent in the COMMIT's own round trip (`sendsTransactionControlWithStatements` only). */
  writeOnCommit(sql: string): void;
  /** @internal Hear every schema change until the returned function is called. */
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
 * What safe execution (`--safe`, spec §9) needs of a dialect that has it (PostgreSQL,
 * MySQL/MariaDB; SQLite takes the flag and changes nothing).
 */
export interface SafeExecutionSupport {
  /**
   * Bound every lock wait of the migration to `seconds`. `inTransaction`: for the
   * transaction only (PostgreSQL SET LOCAL); otherwise for the session until `reset`.
   */
  lockTimeout(seconds: number, inTransaction: boolean): string[];
  /** Undo a session-wide `lockTimeout`. */
  readonly resetLockTimeout: string[];
  /** The error is a lock timeout or a deadlock: worth another attempt. */
  isLockConflict(error: unknown): boolean;
  /**
   * The other sessions holding locks on (or open transactions over) these tables, one
   * line each with their id and query: read on the run's connection after its own
   * attempt rolled back, so it waits on nothing.
   */
  describeBlockers(session: Session, tables: readonly string[]): Promise<string[]>;
}

/**
 * A dialect is a small factory: it opens a driver connection and supplies the grammar,
 * the introspector and the statements that differ in how a session is managed.
 */
export interface Dialect extends ForeignKeySwitch {
  readonly name: DialectName;
  readonly grammar: Grammar;
  readonly capabilities: Capabilities;
  /** What a migration run does around each migration on this dialect. */
  readonly runStrategy: RunStrategy;
  /** Safe execution (`--safe`); absent where it changes nothing (SQLite). */
  readonly safeExecution?: SafeExecutionSupport;
  connect(config: ConnectionConfig): Promise<Driver>;
  createIntrospector(db: Queryable): Introspector;
  /** Statement that opens a transaction. */
  readonly beginStatement: string;
  /**
   * Take the migration lock named `name` for this session, waiting at most `timeoutMs`.
   * Resolves to the function that releases it, or undefined when the wait timed out.
   * The lock must vanish with the session, so a killed run never leaves it behind.
   */
  acquireLock(session: Session & { readonly config: ConnectionConfig }, name: string, timeoutMs: number): Promise<(() => Promise<void>) | undefined>;
  /**
   * Why `acquireLock` cannot exclude other runs through this connection (a Galera node,
   * where `GET_LOCK` is per node; a pooler, where statements reach different server
   * sessions), or undefined when it can. Asked once per run, before the lock is taken; it
   * may ready the session for the cluster it found (Galera: causal reads).
   */
  sessionLockUnsafe?(session: Session, announcedSessionId: number | undefined): Promise<string | undefined>;
}
