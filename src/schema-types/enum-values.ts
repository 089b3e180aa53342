import type { Database } from "../dialect/database.js";
import { isEnumCheck } from "../grammar/postgres-enum-check.js";
import { columnChecks, parseCreateTable, sameIdentifier, tokenizeSql, type SqlToken } from "../grammar/sqlite-create-table-parser.js";
import type { ColumnInfo } from "../schema/live-schema.js";

/**
 * The values of enum columns, read the way each dialect keeps them: MySQL's `enum(…)`
 * type; on PostgreSQL and SQLite the `check ("col" in (…))` Mortar writes for
 * `table.enum()` (and PostgreSQL's own `create type … as enum`). A column limited by
 * any other check is not taken for an enum: its type stays the base type.
 */
export interface EnumReader {
  /** Column name → its values, for the enum columns of `table`. */
  forTable(table: string, columns: readonly ColumnInfo[]): Promise<Map<string, string[]>>;
}

export async function enumValuesOf(db: Database): Promise<EnumReader> {
  switch (db.dialect) {
    case "mysql":
      return mysqlEnums();
    case "postgres":
      return postgresEnums(db);
    case "sqlite":
      return sqliteEnums(db);
  }
}

/** The quoted strings of an SQL fragment, unescaped, in order. */
function stringsOf(tokens: readonly SqlToken[]): string[] {
  return tokens.filter((t) => t.kind === "string").map((t) => t.value);
}

function mysqlEnums(): EnumReader {
  return {
    forTable: async (_table, columns) => {
      const values = new Map<string, string[]>();
      for (const column of columns) {
        if (column.typeName === "enum") values.set(column.name, stringsOf(tokenizeSql(column.type.replace(/^enum/, ""))));
      }
      return values;
    },
  };
}

const PG_ENUM_TYPES_SQL = `select t.typname::text as type, e.enumlabel::text as label
from pg_catalog.pg_enum e
join pg_catalog.pg_type t on t.oid = e.enumtypid
where pg_catalog.pg_type_is_visible(t.oid)
order by t.typname, e.enumsortorder`;

async function postgresEnums(db: Database): Promise<EnumReader> {
  const types = new Map<string, string[]>();
  for (const row of await db.read<{ type: string; label: string }>(PG_ENUM_TYPES_SQL)) {
    types.set(row.type, [...(types.get(row.type) ?? []), row.label]);
  }
  return {
    forTable: async (table, columns) => {
      const values = new Map<string, string[]>();
      const checks = (await db.introspector.getChecks?.(table)) ?? [];
      for (const column of columns) {
        const native = types.get(column.typeName);
        if (native) {
          values.set(column.name, native);
          continue;
        }
        const check = checks.find((c) => isEnumCheck(c, column.name));
        if (check) values.set(column.name, postgresCheckValues(check.expression));
      }
      return values;
    },
  };
}

/**
 * The check reads `(col)::text = ANY ((ARRAY['a'::character varying, …])::text[])`: its
 * string literals are the values. (Not through the SQLite tokenizer: it would read
 * `[…]` as a quoted identifier.)
 */
function postgresCheckValues(expression: string): string[] {
  return [...expression.matchAll(/'((?:[^']|'')*)'::/g)].map((m) => m[1]!.replaceAll("''", "'"));
}

async function sqliteEnums(db: Database): Promise<EnumReader> {
  return {
    forTable: async (table) => {
      const values = new Map<string, string[]>();
      const [row] = await db.read<{ sql: string | null }>("select sql from sqlite_master where type = 'table' and name = ?", [table]);
      if (!row?.sql) return values;
      for (const column of parseCreateTable(row.sql).columns) {
        for (const check of columnChecks(column.definition)) {
          const listed = inListValues(check.expression, column.name);
          if (listed) {
            values.set(column.name, listed);
            break;
          }
        }
      }
      return values;
    },
  };
}

/**
 * `("col" in ('a', 'b'))` → `["a", "b"]`; null for any other expression (a check that
 * tests something else, or a list holding anything but string literals).
 */
export function inListValues(expression: string, column: string): string[] | null {
  const tokens = tokenizeSql(expression).filter((t) => t.kind !== "comment");
  const punct = (t: SqlToken | undefined, text: string) => t?.kind === "punct" && t.text === text;
  if (tokens.length < 7 || !punct(tokens[0], "(") || !punct(tokens.at(-1), ")") || !punct(tokens.at(-2), ")")) return null;
  const name = tokens[1]!;
  if ((name.kind !== "identifier" && name.kind !== "word") || !sameIdentifier(name.value, column)) return null;
  if (tokens[2]!.kind !== "word" || tokens[2]!.value.toLowerCase() !== "in" || !punct(tokens[3], "(")) return null;
  const list = tokens.slice(4, -2);
  const values: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const token = list[i]!;
    if (i % 2 === 0 ? token.kind !== "string" : !punct(token, ",")) return null;
    if (i % 2 === 0) values.push(token.value);
  }
  return list.length % 2 === 1 ? values : null;
}
