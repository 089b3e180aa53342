import type { IntegerType } from "../schema/commands.js";
import type { ColumnTypeMap } from "./grammar.js";

/** PostgreSQL's SQL type for every column type (PostgreSQL has no unsigned types). */
export const POSTGRES_TYPES: ColumnTypeMap = {
  integer: () => "integer",
  mediumInteger: () => "integer",
  year: () => "integer",
  bigInteger: () => "bigint",
  smallInteger: () => "smallint",
  tinyInteger: () => "smallint",
  decimal: (c) => `numeric(${c.precision}, ${c.scale})`,
  // Laravel 11+: float(53), the default, is double precision; 24 binary digits or fewer is real.
  float: (c) => (c.precision <= 24 ? "real" : "double precision"),
  double: () => "double precision",
  boolean: () => "boolean",
  string: (c) => `varchar(${c.length})`,
  char: (c) => `char(${c.length})`,
  text: () => "text",
  tinyText: () => "text",
  mediumText: () => "text",
  longText: () => "text",
  json: () => "json",
  jsonb: () => "jsonb",
  uuid: () => "uuid",
  binary: () => "bytea",
  date: () => "date",
  time: () => "time",
  datetime: () => "timestamp",
  timestamp: () => "timestamptz",
  timestampTz: (c) => `timestamp(${c.precision}) with time zone`,
  // The allowed values are a named check constraint, written by the callers.
  enum: () => "varchar(255)",
  inet: () => "inet",
  cidr: () => "cidr",
  macAddress: () => "macaddr",
  point: () => "point",
  geometry: () => "geometry",
};

/** The type of an identity column, for each integer type (the only ones that can be one). */
export const IDENTITY_TYPES: Readonly<Record<IntegerType, string>> = {
  integer: "integer",
  bigInteger: "bigint",
  smallInteger: "smallint",
  tinyInteger: "smallint",
  mediumInteger: "integer",
};
