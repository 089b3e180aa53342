import type { DialectName } from "../schema/live-schema.js";
import type { ModelColumn } from "./schema-model.js";

/**
 * Which TypeScript type a column gets: what the dialect's usual Node driver hands back
 * with its default settings (node-postgres, mysql2, better-sqlite3), and what it accepts
 * on the way in where that differs (then a `ColumnType<Select, Insert, Update>` alias).
 * The table of this file is the one the README documents; change both together.
 */

/** Helper types a column's type may name; the generated module defines the ones used. */
export type HelperType = "Timestamp" | "Int8" | "Numeric" | "Json" | "Flag" | "JsonValue";

export interface TsType {
  /** The type expression, without `| null` and without `Generated<…>`. */
  readonly expression: string;
  readonly helpers: readonly HelperType[];
}

export interface TypeOptions {
  /**
   * What a JSON column is selected as. Default `unknown`; `JsonValue` makes the module
   * define a JSON value type; anything else is used verbatim (e.g. `import("./json").Json`).
   */
  readonly json?: string;
}

const plain = (expression: string): TsType => ({ expression, helpers: [] });
const helper = (name: HelperType): TsType => ({ expression: name, helpers: [name] });

const NUMBER = plain("number");
const STRING = plain("string");
const BOOLEAN = plain("boolean");
const BUFFER = plain("Buffer");
const UNKNOWN = plain("unknown");

/** A string literal type, escaped as JSON escapes it (a TypeScript string literal too). */
export function literalType(value: string): string {
  return JSON.stringify(value);
}

export function columnTsType(column: ModelColumn, dialect: DialectName, options: TypeOptions = {}): TsType {
  if (column.enumValues && column.enumValues.length > 0) return plain(column.enumValues.map(literalType).join(" | "));
  switch (dialect) {
    case "postgres":
      return postgresType(column.typeName, options);
    case "mysql":
      return mysqlType(column, options);
    case "sqlite":
      return sqliteType(column.type);
  }
}

/** node-postgres: int8 and numeric come back as strings (no precision lost), dates as Date. */
const POSTGRES: Record<string, TsType> = {
  int2: NUMBER,
  int4: NUMBER,
  oid: NUMBER,
  float4: NUMBER,
  float8: NUMBER,
  int8: helper("Int8"),
  numeric: helper("Numeric"),
  money: STRING,
  bool: BOOLEAN,
  date: helper("Timestamp"),
  timestamp: helper("Timestamp"),
  timestamptz: helper("Timestamp"),
  time: STRING,
  timetz: STRING,
  bytea: BUFFER,
  point: plain("{ x: number; y: number }"),
  // interval comes back as an object of node-postgres's own (postgres-interval).
  interval: UNKNOWN,
};

function postgresType(typeName: string, options: TypeOptions): TsType {
  if (typeName === "json" || typeName === "jsonb") return jsonType(options);
  // An array type is pg_type's element name with a leading underscore; node-postgres parses it.
  if (typeName.startsWith("_")) {
    const element = selectTypeOf(postgresType(typeName.slice(1), options), options);
    return { expression: `${parenthesize(element.expression)}[]`, helpers: element.helpers };
  }
  // Text types, uuid, inet, cidr, macaddr, citext, xml … and any type node-postgres
  // has no parser for: it hands those back as the server's text.
  return POSTGRES[typeName] ?? STRING;
}

/** An array holds selected values: the element's select type, not a ColumnType. */
function selectTypeOf(type: TsType, options: TypeOptions): TsType {
  switch (type.expression) {
    case "Int8":
    case "Numeric":
      return STRING;
    case "Timestamp":
      return plain("Date");
    case "Json":
      return jsonSelect(options);
    default:
      return type;
  }
}

function parenthesize(expression: string): string {
  return /[|&\s]/.test(expression) && !expression.startsWith("{") ? `(${expression})` : expression;
}

/**
 * mysql2 with its defaults: integers (bigint too) as numbers, decimal as a string,
 * date/datetime/timestamp as Date, JSON parsed (MariaDB's JSON too: mysql2 reads the
 * column's json format from MariaDB's extended metadata).
 */
const MYSQL: Record<string, TsType> = {
  tinyint: NUMBER,
  smallint: NUMBER,
  mediumint: NUMBER,
  int: NUMBER,
  integer: NUMBER,
  bigint: NUMBER,
  year: NUMBER,
  float: NUMBER,
  double: NUMBER,
  decimal: helper("Numeric"),
  date: helper("Timestamp"),
  datetime: helper("Timestamp"),
  timestamp: helper("Timestamp"),
  time: STRING,
  bit: BUFFER,
  binary: BUFFER,
  varbinary: BUFFER,
  tinyblob: BUFFER,
  blob: BUFFER,
  mediumblob: BUFFER,
  longblob: BUFFER,
  geometry: UNKNOWN,
  point: UNKNOWN,
};

function mysqlType(column: ModelColumn, options: TypeOptions): TsType {
  // tinyint(1) is how MySQL spells a boolean: selected as 0/1, inserted as a number or boolean.
  if (column.type.startsWith("tinyint(1)")) return helper("Flag");
  if (column.typeName === "json") return jsonType(options);
  return MYSQL[column.typeName] ?? STRING;
}

/**
 * better-sqlite3 returns what SQLite stored: integers and reals as numbers, text as
 * strings (dates included: SQLite has no date type), blobs as Buffers. The declared type
 * is read by SQLite's own affinity rules (section 3.1 of its datatype documentation),
 * so any spelling maps as SQLite itself would store it.
 */
function sqliteType(declared: string): TsType {
  const type = declared.toLowerCase();
  if (type.includes("int")) return NUMBER;
  if (type.includes("char") || type.includes("clob") || type.includes("text")) return STRING;
  if (type === "" || type.includes("blob")) return type === "" ? UNKNOWN : BUFFER;
  if (type.includes("real") || type.includes("floa") || type.includes("doub")) return NUMBER;
  // NUMERIC affinity: decimal, boolean, date, datetime … SQLite converts text that looks
  // like a number and keeps anything else as text; Mortar's date columns hold text.
  if (/^(date|datetime|timestamp|time)\b/.test(type)) return STRING;
  return NUMBER;
}

function jsonType(options: TypeOptions): TsType {
  const select = jsonSelect(options);
  return { expression: "Json", helpers: ["Json", ...select.helpers] };
}

export function jsonSelect(options: TypeOptions): TsType {
  const json = options.json ?? "unknown";
  return json === "JsonValue" ? helper("JsonValue") : plain(json);
}
