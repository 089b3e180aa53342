/**
 * The plain data a Blueprint produces and a Grammar consumes. Nothing here knows a
 * connection or a dialect; every field is readonly so a compiled plan cannot drift from
 * what the migration asked for.
 */

/**
 * The column types a dialect grammar must map (helpers like `increments` normalize onto
 * these). A type added here must be given its parameters in TypeParameters (if it takes
 * any), a Blueprint method, and an entry in every grammar's ColumnTypeMap, which the
 * compiler demands.
 */
export const COLUMN_TYPES = [
  "integer",
  "bigInteger",
  "smallInteger",
  "tinyInteger",
  "mediumInteger",
  "decimal",
  "float",
  "double",
  "boolean",
  "string",
  "char",
  "text",
  "tinyText",
  "mediumText",
  "longText",
  "json",
  "jsonb",
  "uuid",
  "binary",
  "date",
  "time",
  "datetime",
  "timestamp",
  "timestampTz",
  "year",
  "enum",
  "inet",
  "cidr",
  "macAddress",
  "point",
  "geometry",
] as const;

export type ColumnType = (typeof COLUMN_TYPES)[number];

const RAW = Symbol.for("mortar.raw");

/**
 * A SQL expression used verbatim, e.g. `raw("CURRENT_TIMESTAMP")`. Never built from user
 * data. Recognised by a shared symbol, so a `raw()` from another copy of Mortar (a global
 * and a local install) is still one.
 */
export class RawExpression {
  readonly [RAW] = true;
  constructor(readonly sql: string) {}

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[RAW] === true;
  }
}

/** Wrap trusted SQL so it is emitted as-is (for defaults such as `raw("now()")`). */
export function raw(sql: string): RawExpression {
  return new RawExpression(sql);
}

export type DefaultValue = string | number | bigint | boolean | null | RawExpression;

/**
 * The attributes every column has, whatever its type: the modifiers of ColumnDefinition.
 * The type and what only that type takes (a length, a precision, values) are in ColumnOf.
 */
export interface ColumnModifiers {
  readonly name: string;
  /** Meaningful on numeric types (MySQL); the grammars ignore it elsewhere. */
  readonly unsigned: boolean;
  readonly nullable: boolean;
  readonly autoIncrement: boolean;
  /** Set with autoIncrement: the column is the table's primary key, declared inline. */
  readonly primary: boolean;
  /** `undefined` means "no default clause"; `null` means `default null`. */
  readonly default?: DefaultValue;
  readonly useCurrent: boolean;
  readonly useCurrentOnUpdate: boolean;
  readonly comment?: string;
  /** MySQL placement when adding a column (PostgreSQL ignores it with a warning, as Laravel does). */
  readonly after?: string;
  readonly first: boolean;
  /** `storedAs(expr)` / `virtualAs(expr)`: the column is computed by the database. */
  readonly generated?: GeneratedColumn;
  /** MySQL's `character set` (refused by the other dialects). */
  readonly charset?: string;
  /** The collation, a name the dialect knows (`utf8mb4_bin`, `C`, `NOCASE`). */
  readonly collation?: string;
  /** `check(expr)`: column CHECK constraints, raw SQL the migration wrote. */
  readonly checks?: readonly RawExpression[];
}

/** A generated column's expression: raw SQL, as in Laravel, and where the value lives. */
export interface GeneratedColumn {
  readonly kind: "stored" | "virtual";
  readonly expression: RawExpression;
}

/**
 * What a column type takes beyond the common modifiers, always filled in by the
 * Blueprint (`string("a")` is `length: 255`), so no grammar needs a fallback. A type
 * not listed here takes nothing.
 */
interface TypeParameters {
  readonly string: { readonly length: number };
  readonly char: { readonly length: number };
  readonly decimal: { readonly precision: number; readonly scale: number };
  /** Binary digits, as Laravel 11+: 53 (the default) is double precision, 24 or less single. */
  readonly float: { readonly precision: number };
  /** Fractional-second digits; Laravel's default is 0. */
  readonly timestampTz: { readonly precision: number };
  readonly enum: { readonly values: readonly string[] };
}

/** Fails to compile if TypeParameters names a type that is not in COLUMN_TYPES. */
type KnownTypes<T extends ColumnType> = T;
export type ParameterizedColumnType = KnownTypes<keyof TypeParameters>;

/** The type-specific part of a column: `{ type: "decimal", precision: 8, scale: 2 }`. */
export type TypedColumn<T extends ColumnType = ColumnType> = {
  readonly [K in T]: { readonly type: K } & (K extends keyof TypeParameters ? TypeParameters[K] : unknown);
}[T];

/** One column type's spec, e.g. `ColumnOf<"enum">` has `values`. */
export type ColumnOf<T extends ColumnType> = ColumnModifiers & TypedColumn<T>;

/** A column as a grammar receives it: a union discriminated by `type`. */
export type ColumnSpec = ColumnOf<ColumnType>;

/** The integer types, the only ones that can auto-increment. */
export const INTEGER_TYPES = ["integer", "bigInteger", "smallInteger", "tinyInteger", "mediumInteger"] as const satisfies readonly ColumnType[];

export type IntegerType = (typeof INTEGER_TYPES)[number];

export function isIntegerColumn(column: ColumnSpec): column is ColumnOf<IntegerType> {
  return (INTEGER_TYPES as readonly ColumnType[]).includes(column.type);
}

export type IndexType = "primary" | "unique" | "index" | "fulltext";

export interface IndexSpec {
  readonly type: IndexType;
  readonly name: string;
  readonly columns: readonly string[];
  /**
   * Fulltext only: the text-search configuration (`fullText("body").language("german")`).
   * PostgreSQL writes it into `to_tsvector`; a dialect without one refuses it rather than
   * drop it. Absent means the dialect's default (`english` on PostgreSQL, as Laravel).
   */
  readonly language?: string;
}

export type ReferentialAction = "cascade" | "restrict" | "set null" | "set default" | "no action";

export interface ForeignKeySpec {
  readonly name: string;
  readonly columns: readonly string[];
  readonly referencedTable: string;
  readonly referencedColumns: readonly string[];
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
}

export type SchemaCommand =
  | {
      readonly kind: "createTable";
      readonly table: string;
      readonly ifNotExists: boolean;
      readonly columns: readonly ColumnSpec[];
      /** Table-level primary key (absent when a column carries an inline auto-increment key). */
      readonly primaryKey?: IndexSpec;
      readonly indexes: readonly IndexSpec[];
      readonly foreignKeys: readonly ForeignKeySpec[];
    }
  | { readonly kind: "dropTable"; readonly table: string; readonly ifExists: boolean }
  | { readonly kind: "renameTable"; readonly from: string; readonly to: string }
  | {
      readonly kind: "truncateTable";
      readonly table: string;
      /** Read from the live table: SQLite keeps a counter to reset only for AUTOINCREMENT tables. */
      readonly autoIncrement: boolean;
    }
  | { readonly kind: "addColumn"; readonly table: string; readonly column: ColumnSpec }
  | { readonly kind: "changeColumn"; readonly table: string; readonly column: ColumnSpec }
  | { readonly kind: "renameColumn"; readonly table: string; readonly from: string; readonly to: string }
  | { readonly kind: "dropColumns"; readonly table: string; readonly columns: readonly string[] }
  | { readonly kind: "addIndex"; readonly table: string; readonly index: IndexSpec }
  | { readonly kind: "dropIndex"; readonly table: string; readonly type: IndexType; readonly name: string }
  | { readonly kind: "renameIndex"; readonly table: string; readonly from: string; readonly to: string }
  | { readonly kind: "addForeignKey"; readonly table: string; readonly foreignKey: ForeignKeySpec }
  | { readonly kind: "dropForeignKey"; readonly table: string; readonly name: string };

export type SchemaCommandKind = SchemaCommand["kind"];
export type CommandOf<K extends SchemaCommandKind> = Extract<SchemaCommand, { kind: K }>;
