import type { ColumnModel, ForeignKeyModel, IndexModel, SchemaModel, TableModel } from "./model.js";

/** What differs, on what: the shape of `schema:diff --json`'s `differences`. */
export type DifferenceKind =
  | "table"
  | "column"
  | "columnType"
  | "columnNullable"
  | "columnDefault"
  | "columnComment"
  | "index"
  | "foreignKey"
  | "check"
  | "view"
  | "trigger"
  | "sequence"
  | "enumType";

export interface SchemaDifference {
  readonly kind: DifferenceKind;
  /** The table it is on (for views, sequences and types: null). */
  readonly table: string | null;
  /** The column, index, key, check, view … name (for `table`: the table's). */
  readonly name: string;
  /** What the migrations produce, null when they do not have it. */
  readonly expected: string | null;
  /** What the live database has, null when it does not have it. */
  readonly actual: string | null;
}

export interface DiffOptions {
  /** Tables left out (the tracking table: its rows are the history, not the schema). */
  readonly ignoreTables?: readonly string[];
}

/**
 * Every difference between the schema the migrations produce (`expected`) and the live
 * one (`actual`), in a stable order: tables by name, then what is on each.
 */
export function diffSchemas(expected: SchemaModel, actual: SchemaModel, options: DiffOptions = {}): SchemaDifference[] {
  const ignored = new Set(options.ignoreTables ?? []);
  const out: SchemaDifference[] = [];
  const tables = pair(expected.tables.filter((t) => !ignored.has(t.name)), actual.tables.filter((t) => !ignored.has(t.name)));
  for (const [name, want, have] of tables) {
    if (!want || !have) {
      out.push({ kind: "table", table: name, name, expected: want ? "present" : null, actual: have ? "present" : null });
      continue;
    }
    diffTable(want, have, out);
  }
  for (const [name, want, have] of pair(expected.views, actual.views)) {
    if (want?.definition !== have?.definition) out.push({ kind: "view", table: null, name, expected: want?.definition ?? null, actual: have?.definition ?? null });
  }
  for (const [name, want, have] of pair(expected.sequences, actual.sequences)) {
    const describe = (s: typeof want) => (s ? `${s.type} start ${s.start} increment ${s.increment} min ${s.min} max ${s.max}${s.cycle ? " cycle" : ""}` : null);
    if (describe(want) !== describe(have)) out.push({ kind: "sequence", table: null, name, expected: describe(want), actual: describe(have) });
  }
  for (const [name, want, have] of pair(expected.enumTypes, actual.enumTypes)) {
    const describe = (e: typeof want) => (e ? e.values.join(", ") : null);
    if (describe(want) !== describe(have)) out.push({ kind: "enumType", table: null, name, expected: describe(want), actual: describe(have) });
  }
  return out;
}

function diffTable(want: TableModel, have: TableModel, out: SchemaDifference[]): void {
  const table = want.name;
  for (const [name, a, b] of pair(want.columns, have.columns)) {
    if (!a || !b) {
      out.push({ kind: "column", table, name, expected: a ? describeColumn(a) : null, actual: b ? describeColumn(b) : null });
      continue;
    }
    const typeOf = (c: ColumnModel) => [c.type, c.collation && `collate ${c.collation}`, c.generated && `as (${c.generated}) ${c.generatedKind}`, c.identity && `identity ${c.identity}`].filter(Boolean).join(" ");
    if (typeOf(a) !== typeOf(b)) out.push({ kind: "columnType", table, name, expected: typeOf(a), actual: typeOf(b) });
    if (a.nullable !== b.nullable) out.push({ kind: "columnNullable", table, name, expected: nullability(a), actual: nullability(b) });
    if (a.default !== b.default) out.push({ kind: "columnDefault", table, name, expected: a.default, actual: b.default });
    if (a.comment !== b.comment) out.push({ kind: "columnComment", table, name, expected: a.comment, actual: b.comment });
  }
  for (const [name, a, b] of pair(want.indexes, have.indexes)) {
    if (describeIndex(a) !== describeIndex(b)) out.push({ kind: "index", table, name, expected: describeIndex(a), actual: describeIndex(b) });
  }
  for (const [name, a, b] of pair(want.foreignKeys, have.foreignKeys)) {
    if (describeForeignKey(a) !== describeForeignKey(b)) out.push({ kind: "foreignKey", table, name, expected: describeForeignKey(a), actual: describeForeignKey(b) });
  }
  for (const [name, a, b] of pair(want.checks, have.checks)) {
    if (a?.expression !== b?.expression) out.push({ kind: "check", table, name, expected: a?.expression ?? null, actual: b?.expression ?? null });
  }
  for (const [name, a, b] of pair(want.triggers, have.triggers)) {
    if (a?.definition !== b?.definition) out.push({ kind: "trigger", table, name, expected: a?.definition ?? null, actual: b?.definition ?? null });
  }
}

function nullability(c: ColumnModel): string {
  return c.nullable ? "null" : "not null";
}

function describeColumn(c: ColumnModel): string {
  return `${c.type} ${nullability(c)}${c.default !== null ? ` default ${c.default}` : ""}`;
}

function describeIndex(i: IndexModel | undefined): string | null {
  if (!i) return null;
  return i.definition ?? `${i.primary ? "primary" : i.unique ? "unique" : "index"} (${i.columns.join(", ")})`;
}

function describeForeignKey(fk: ForeignKeyModel | undefined): string | null {
  if (!fk) return null;
  return `(${fk.columns.join(", ")}) references ${fk.foreignTable} (${fk.foreignColumns.join(", ")}) on delete ${fk.onDelete} on update ${fk.onUpdate}`;
}

/** Both lists joined by name, sorted by name: [name, in expected, in actual]. */
function pair<T extends { readonly name: string }>(expected: readonly T[], actual: readonly T[]): [string, T | undefined, T | undefined][] {
  const names = [...new Set([...expected.map((e) => e.name), ...actual.map((a) => a.name)])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((name) => [name, expected.find((e) => e.name === name), actual.find((a) => a.name === name)]);
}
