import { InvalidSchemaError } from "../errors.js";
import type { DialectName, IndexInfo } from "./live-schema.js";

/**
 * What `schema.hasIndex(table, index, type)` may ask for: Laravel's `primary` and
 * `unique` (a primary key is unique too), Mortar's `index` (a plain index, what
 * `table.index()` makes) and `fulltext`, or an access method as the database names it
 * (`btree`, `hash`, `gin` …).
 */
export type IndexKind = "primary" | "unique" | "index" | "fulltext" | (string & {});

/**
 * Whether `index` is the one asked for: by name, or by its columns in key order, and of
 * `kind` when given. MySQL and SQLite treat index and column names without regard to
 * case, so they are compared that way there (MySQL's key is `PRIMARY`); PostgreSQL's
 * names are exact.
 */
export function indexMatches(
  dialect: DialectName,
  index: IndexInfo,
  nameOrColumns: string | readonly string[],
  kind?: IndexKind,
): boolean {
  const fold = dialect === "postgres" ? (s: string) => s : (s: string) => s.toLowerCase();
  const named =
    typeof nameOrColumns === "string"
      ? fold(index.name) === fold(nameOrColumns)
      : index.columns.length === nameOrColumns.length && index.columns.every((c, i) => fold(c) === fold(nameOrColumns[i]!));
  return named && (kind === undefined || isKind(index, kind));
}

function isKind(index: IndexInfo, kind: IndexKind): boolean {
  switch (kind.toLowerCase()) {
    case "primary":
      return index.primary;
    case "unique":
      return index.unique;
    case "index":
      return !index.unique && !index.primary && !isFulltext(index);
    case "fulltext":
      return isFulltext(index);
    default:
      return index.type === kind.toLowerCase();
  }
}

/** MySQL reports `fulltext`; PostgreSQL's is a GIN index over `to_tsvector(…)` (what `fullText()` makes). */
function isFulltext(index: IndexInfo): boolean {
  return index.type === "fulltext" || (index.type === "gin" && index.columns.some((c) => c.startsWith("to_tsvector(")));
}

/** The arguments of `hasIndex`, checked before any query. */
export function assertIndexQuery(table: string, nameOrColumns: unknown, kind: unknown): void {
  const isName = typeof nameOrColumns === "string" && nameOrColumns.length > 0;
  const isColumns =
    Array.isArray(nameOrColumns) && nameOrColumns.length > 0 && nameOrColumns.every((c) => typeof c === "string" && c.length > 0);
  if (!isName && !isColumns) {
    throw new InvalidSchemaError(
      `hasIndex("${table}", …) needs an index name or a non-empty list of column names, got ${JSON.stringify(nameOrColumns)}`,
    );
  }
  if (kind !== undefined && (typeof kind !== "string" || kind.length === 0)) {
    throw new InvalidSchemaError(`hasIndex("${table}", …) type must be "primary", "unique", "index", "fulltext" or an index method, got ${JSON.stringify(kind)}`);
  }
}
