/**
 * The live schema as plain data: what introspectors return and grammars plan against.
 * A leaf module (it imports nothing), so the schema, grammar and dialect layers can all
 * use these shapes without importing each other.
 */

export type DialectName = "sqlite" | "postgres" | "mysql";

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
