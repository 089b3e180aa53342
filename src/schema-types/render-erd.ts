import type { ForeignKeyInfo } from "../schema/live-schema.js";
import { byCodeUnits, type ModelColumn, type ModelTable, type SchemaModel } from "./schema-model.js";

/**
 * `mortar schema:erd`: the schema as a Mermaid `erDiagram` — each table with its
 * columns (`type name PK|FK|UK "comment"`), and a line per foreign key from the
 * referenced table to the referencing one, with its cardinality:
 *
 * - parent side `||` (exactly one), or `|o` (zero or one) when a key column is nullable;
 * - child side `o{` (zero or more), or `o|` (zero or one) when the key's columns are the
 *   child's primary key or one of its unique keys (a one-to-one relation).
 *
 * Mermaid's grammar is narrow, so names and types are written to fit it (checked with
 * Mermaid's own parser in the tests): entity names are always quoted (a table called
 * `class` or `end` is a keyword bare); a type's spaces become `_` and anything but
 * letters, digits, `_ - ( ) [ ] ,` is dropped (`decimal(8, 2)` → `decimal(8,2)`,
 * `int unsigned` → `int_unsigned`); an enum is typed `enum` with its values in the
 * comment; a column name Mermaid cannot take is written fitted, with the real name in
 * the comment. Views are left out: they have no keys to draw. Deterministic: tables and
 * relations sorted by name, columns in table order.
 */
export function renderErd(model: SchemaModel): string {
  const tables = model.tables.filter((t) => t.kind === "table");
  const lines = ["erDiagram"];
  for (const table of tables) lines.push(...entity(table, model));
  const relations = tables
    .flatMap((table) => table.foreignKeys.map((key) => ({ table, key })))
    .sort((a, b) => byCodeUnits(a.table.name, b.table.name) || byCodeUnits(a.key.name, b.key.name));
  for (const { table, key } of relations) lines.push(`    ${relation(table, key)}`);
  return `${lines.join("\n")}\n`;
}

function entity(table: ModelTable, model: SchemaModel): string[] {
  const foreign = new Set(table.foreignKeys.flatMap((k) => k.columns));
  const primary = new Set(table.primaryKey);
  const unique = new Set(table.uniqueKeys.filter((k) => k.length === 1).map((k) => k[0]!));
  const attributes = table.columns.map((column) => {
    const keys = [primary.has(column.name) ? "PK" : "", foreign.has(column.name) ? "FK" : "", unique.has(column.name) && !primary.has(column.name) ? "UK" : ""]
      .filter(Boolean)
      .join(", ");
    const name = attributeName(column.name);
    const comment = [
      name !== column.name ? `column ${column.name}` : "",
      column.comment ?? "",
      column.enumValues ? `one of: ${column.enumValues.join(", ")}` : "",
    ]
      .filter(Boolean)
      .join("; ");
    return `        ${attributeType(column, model)} ${name}${keys ? ` ${keys}` : ""}${comment ? ` ${quoted(comment)}` : ""}`;
  });
  return attributes.length === 0 ? [`    ${quoted(table.name)} {`, "    }"] : [`    ${quoted(table.name)} {`, ...attributes, "    }"];
}

function relation(child: ModelTable, key: ForeignKeyInfo): string {
  const byName = new Map(child.columns.map((c) => [c.name, c]));
  const optional = key.columns.some((name) => byName.get(name)?.nullable ?? false);
  const oneToOne = [child.primaryKey, ...child.uniqueKeys].some((k) => sameSet(k, key.columns));
  const parentSide = optional ? "|o" : "||";
  const childSide = oneToOne ? "o|" : "o{";
  return `${quoted(key.foreignTable)} ${parentSide}--${childSide} ${quoted(child.name)} : ${quoted(key.name)}`;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name) => b.includes(name));
}

/**
 * PostgreSQL's long spellings shortened to the names people write; the rest as the
 * database reports it.
 */
const POSTGRES_SPELLINGS: readonly [RegExp, string][] = [
  [/^character varying/, "varchar"],
  [/^character\b/, "char"],
  [/^timestamp(\(\d+\))? without time zone/, "timestamp$1"],
  [/^timestamp(\(\d+\))? with time zone/, "timestamptz$1"],
  [/^time(\(\d+\))? without time zone/, "time$1"],
  [/^time(\(\d+\))? with time zone/, "timetz$1"],
  [/^double precision/, "double"],
];

function attributeType(column: ModelColumn, model: SchemaModel): string {
  if (column.enumValues) return "enum";
  let type = column.type;
  if (model.dialect === "postgres") for (const [pattern, short] of POSTGRES_SPELLINGS) type = type.replace(pattern, short);
  type = type
    .trim()
    .replace(/\s*,\s*/g, ",")
    .replace(/\s+/g, "_")
    .replace(/[^\p{L}\p{N}_\-()[\],]/gu, "");
  if (type === "") return "unknown";
  return /^[\p{L}_*]/u.test(type) ? type : `_${type}`;
}

/** Words Mermaid reads as key markers wherever a name stands. */
const KEY_WORDS = new Set(["pk", "fk", "uk"]);

function attributeName(name: string): string {
  let fitted = name.replace(/[^\p{L}\p{N}_-]/gu, "_");
  if (!/^[\p{L}_]/u.test(fitted)) fitted = `_${fitted}`;
  return KEY_WORDS.has(fitted.toLowerCase()) ? `${fitted}_` : fitted;
}

/** A Mermaid quoted string: it has no escape for `"`, so one becomes `'`; one line. */
function quoted(text: string): string {
  return `"${text.replaceAll('"', "'").replace(/\s*\n\s*/g, " ")}"`;
}
