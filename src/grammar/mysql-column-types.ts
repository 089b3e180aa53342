import type { ColumnSpec } from "../schema/commands.js";
import type { ColumnTypeMap } from "./grammar.js";

/**
 * A MySQL string literal. MySQL reads `\` inside a string literal as an escape (the driver
 * also switches NO_BACKSLASH_ESCAPES off, so this is the only mode we meet), hence it is
 * doubled along with `'`. A NUL byte is written as `\0` so the statement text stays clean.
 */
export function mysqlStringLiteral(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "''").replaceAll("\0", "\\0")}'`;
}

/** MySQL's SQL type for every column type; the grammar writes these, lint compares live types with them. */
export const MYSQL_TYPES: ColumnTypeMap = {
  integer: numeric("int"),
  bigInteger: numeric("bigint"),
  smallInteger: numeric("smallint"),
  tinyInteger: numeric("tinyint"),
  mediumInteger: numeric("mediumint"),
  decimal: (c) => numeric(`decimal(${c.precision}, ${c.scale})`)(c),
  // Laravel 11+: float(53), the default, is double precision; 24 binary digits or fewer is single.
  float: (c) => numeric(c.precision <= 24 ? "float" : "double")(c),
  double: numeric("double"),
  boolean: () => "tinyint(1)",
  string: (c) => `varchar(${c.length})`,
  char: (c) => `char(${c.length})`,
  text: () => "text",
  tinyText: () => "tinytext",
  mediumText: () => "mediumtext",
  longText: () => "longtext",
  json: () => "json",
  jsonb: () => "json",
  uuid: () => "char(36)",
  binary: () => "blob",
  date: () => "date",
  time: () => "time",
  datetime: () => "datetime",
  timestamp: () => "timestamp",
  // MySQL keeps no time zone with a value: timestampTz is Laravel's `timestamp(p)`.
  timestampTz: (c) => (c.precision > 0 ? `timestamp(${c.precision})` : "timestamp"),
  year: () => "year",
  enum: (c) => `enum(${c.values.map((v) => mysqlStringLiteral(v)).join(", ")})`,
  inet: () => "varchar(45)",
  cidr: () => "varchar(43)",
  macAddress: () => "varchar(17)",
  point: () => "point",
  geometry: () => "geometry",
};

/** A numeric type, which takes `unsigned`. */
function numeric(sqlType: string): (column: ColumnSpec) => string {
  return (column) => (column.unsigned ? `${sqlType} unsigned` : sqlType);
}
