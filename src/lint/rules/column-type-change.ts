import { mapColumnType } from "../../grammar/grammar.js";
import { MYSQL_TYPES } from "../../grammar/mysql-column-types.js";
import { POSTGRES_TYPES } from "../../grammar/postgres-column-types.js";
import type { ColumnSpec } from "../../schema/commands.js";
import type { ColumnInfo } from "../../schema/live-schema.js";

/**
 * Which column type changes the server does without touching every row. Measured on
 * PostgreSQL 15 (a table's relfilenode changes when it is rewritten) and MariaDB 10.11
 * (`ALGORITHM=INPLACE`/`INSTANT` refused means the server would copy the table):
 * see the README, "Lint rules".
 */

/** PostgreSQL's spelling of a type reduced to one form: `character varying(50)` → `varchar(50)`. */
export function canonicalPostgresType(type: string): string {
  return type
    .toLowerCase()
    .trim()
    .replace(/\s+/g, " ")
    .replace(/\s*,\s*/g, ",")
    .replace(/^character varying/, "varchar")
    .replace(/^character\b/, "char")
    .replace(/^timestamp(\(\d+\))? without time zone$/, "timestamp$1")
    .replace(/^timestamp(\(\d+\))? with time zone$/, "timestamptz$1")
    .replace(/^time(\(\d+\))? without time zone$/, "time$1");
}

/** The PostgreSQL type Mortar gives a column spec, canonical. */
export function postgresTypeOf(column: ColumnSpec): string {
  return canonicalPostgresType(mapColumnType(POSTGRES_TYPES, column));
}

interface Sized {
  readonly base: string;
  readonly args: readonly number[];
}

/** `varchar(50)` → { base: "varchar", args: [50] }; `text` → { base: "text", args: [] }. */
function sized(type: string): Sized {
  const match = /^([a-z ]+?)\s*(?:\(([\d,\s]+)\))?$/.exec(type);
  if (!match) return { base: type, args: [] };
  const args = match[2] === undefined ? [] : match[2].split(",").map((n) => Number(n.trim()));
  return { base: match[1]!, args };
}

/**
 * Whether changing a PostgreSQL column from `from` to `to` (both canonical) rewrites the
 * table. The exceptions are the binary-coercible changes that keep or widen the limit:
 * varchar(n) → varchar(m ≥ n), varchar → text, numeric(p,s) → numeric(q ≥ p, s), cidr → inet.
 */
export function postgresChangeRewrites(from: string, to: string): boolean {
  if (from === to) return false;
  const a = sized(from);
  const b = sized(to);
  if (a.base === "varchar" && b.base === "varchar") return b.args.length > 0 && (a.args.length === 0 || b.args[0]! < a.args[0]!);
  if (a.base === "varchar" && b.base === "text") return false;
  if (a.base === "numeric" && b.base === "numeric") {
    if (b.args.length === 0) return false;
    if (a.args.length === 0) return true;
    const [p, s = 0] = a.args;
    const [q, t = 0] = b.args;
    return !(t === s && q! >= p!);
  }
  if (from === "cidr" && to === "inet") return false;
  return true;
}

/** MySQL's column_type reduced to one form (display widths and spaces after commas gone). */
export function canonicalMysqlType(type: string): string {
  const lower = type.toLowerCase().trim().replace(/\s+/g, " ").replace(/\s*,\s*/g, ",");
  if (lower.startsWith("tinyint(1)")) return lower;
  return lower.replace(/^(tinyint|smallint|mediumint|int|bigint|year)\(\d+\)/, "$1");
}

/** The MySQL type Mortar gives a column spec (the grammar's own map), canonical. */
export function mysqlTypeOf(column: ColumnSpec): string {
  return canonicalMysqlType(mapColumnType(MYSQL_TYPES, column));
}

/** Bytes per character at most, for the character sets a migration names (utf8mb4 when none). */
function bytesPerCharacter(charset: string | undefined): number {
  const name = (charset ?? "utf8mb4").toLowerCase();
  if (name === "utf8mb4") return 4;
  if (name === "utf8" || name === "utf8mb3") return 3;
  if (name === "ucs2" || name === "utf16") return 4;
  if (name === "utf32") return 4;
  return 1;
}

function enumValues(type: string): string[] | undefined {
  const match = /^enum\((.*)\)$/.exec(type);
  if (!match) return undefined;
  return [...match[1]!.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replaceAll("''", "'"));
}

/**
 * Whether changing a MySQL/MariaDB column from the live `from` type to `column` needs
 * ALGORITHM=COPY. In place: the same type; a varchar widened within the same length-byte
 * class (at most 255 bytes on both sides, or more on both); enum values appended at the end.
 */
export function mysqlChangeCopies(from: ColumnInfo, column: ColumnSpec): boolean {
  const before = canonicalMysqlType(from.type);
  const after = mysqlTypeOf(column);
  if (before === after) return false;
  const a = sized(before);
  const b = sized(after);
  if (a.base === "varchar" && b.base === "varchar" && a.args.length === 1 && b.args.length === 1) {
    const perCharacter = bytesPerCharacter(column.charset);
    const [n, m] = [a.args[0]! * perCharacter, b.args[0]! * perCharacter];
    return !(m >= n && (n <= 255) === (m <= 255));
  }
  const oldValues = enumValues(before);
  const newValues = enumValues(after);
  if (oldValues && newValues) return !(newValues.length >= oldValues.length && oldValues.every((v, i) => newValues[i] === v));
  return true;
}
