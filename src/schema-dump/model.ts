/**
 * A database schema as plain, sorted data: what `schema:dump` writes from, what
 * `schema:diff` compares and what tests check for equality. Nothing here is
 * server-specific noise (no OIDs, no auto-increment counters, no server version), so
 * two reads of one schema are deep-equal, and two databases built the same way are too.
 */
import type { CheckInfo, ColumnInfo, DialectName, ForeignKeyInfo, IndexInfo } from "../schema/live-schema.js";

export interface ColumnModel extends ColumnInfo {
  /** The column's collation where it differs from its table's default (MySQL) or its type's (PostgreSQL); else null. */
  readonly collation: string | null;
  /** A generated column's expression (`stored`/`virtual` noted in `generatedKind`), else null. */
  readonly generated: string | null;
  readonly generatedKind: "stored" | "virtual" | null;
  /** PostgreSQL identity: `always` or `by default` (with non-default sequence options), else null. */
  readonly identity: string | null;
}

export interface IndexModel extends IndexInfo {
  /**
   * The index as the database prints it: PostgreSQL `pg_get_indexdef`, SQLite's stored
   * CREATE INDEX (null for the indexes a constraint created), MySQL the key line of
   * SHOW CREATE TABLE. Partial (WHERE) and expression indexes are told apart by it.
   */
  readonly definition: string | null;
  /** Backs a PRIMARY KEY or UNIQUE constraint (PostgreSQL): created with the constraint, not alone. */
  readonly constraint: boolean;
}

export interface ForeignKeyModel extends ForeignKeyInfo {
  /** PostgreSQL: `pg_get_constraintdef` (MATCH, DEFERRABLE …); null elsewhere, where the table definition holds it. */
  readonly definition: string | null;
}
export type CheckModel = Pick<CheckInfo, "name" | "expression">;

export interface TriggerModel {
  readonly name: string;
  readonly definition: string;
}

export interface TableModel {
  readonly name: string;
  /** In the table's own column order (it is part of the schema: `select *`, inserts). */
  readonly columns: readonly ColumnModel[];
  /** Sorted by name. */
  readonly indexes: readonly IndexModel[];
  readonly foreignKeys: readonly ForeignKeyModel[];
  readonly checks: readonly CheckModel[];
  readonly comment: string | null;
  /** MySQL: engine, collation (and so charset), row format when set; SQLite: `without rowid`/`strict`. Sorted keys. */
  readonly options: Readonly<Record<string, string>>;
  /** SQLite's kept CREATE TABLE text and MySQL's SHOW CREATE TABLE (counter removed); null on PostgreSQL. */
  readonly definition: string | null;
  /** SQLite triggers on this table, sorted by name. */
  readonly triggers: readonly TriggerModel[];
}

export interface ViewModel {
  readonly name: string;
  /** The view's query as the database prints it (MySQL: without DEFINER and database qualifiers). */
  readonly definition: string;
}

/** PostgreSQL sequences not owned by an identity column (serial ones and free-standing ones). */
export interface SequenceModel {
  readonly name: string;
  readonly type: string;
  readonly start: string;
  readonly increment: string;
  readonly min: string;
  readonly max: string;
  readonly cache: string;
  readonly cycle: boolean;
  /** `table.column` the sequence is OWNED BY, or null. */
  readonly ownedBy: string | null;
}

/** A PostgreSQL enum type (`create type … as enum`). */
export interface EnumTypeModel {
  readonly name: string;
  readonly values: readonly string[];
}

export interface SchemaModel {
  readonly dialect: DialectName;
  /** Sorted by name. */
  readonly tables: readonly TableModel[];
  readonly views: readonly ViewModel[];
  readonly sequences: readonly SequenceModel[];
  readonly enumTypes: readonly EnumTypeModel[];
}

/** Byte order, not locale order: the same on every machine. */
export function byName<T extends { readonly name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
