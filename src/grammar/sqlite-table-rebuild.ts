import type { TableSnapshot } from "../schema/live-schema.js";
import {
  columnChecks,
  declaredType,
  foldIdentifier,
  hasKeyword,
  inlineForeignKeyName,
  parseCreateTable,
  sameIdentifier,
  tokenizeSql,
  type ConstraintKind,
  type SqlToken,
} from "./sqlite-create-table-parser.js";
import { InvalidSchemaError } from "../errors.js";
import { isIntegerColumn, type ColumnSpec, type CommandOf, type ForeignKeySpec, type IndexSpec } from "../schema/commands.js";
import { defaultIndexName } from "../schema/naming.js";
import { query, type CompiledQuery } from "./grammar.js";

/** The commands SQLite's ALTER TABLE cannot do in place, planned here against the live table. */
export type RebuildCommand = CommandOf<
  "addColumn" | "changeColumn" | "dropColumns" | "addIndex" | "dropIndex" | "renameIndex" | "addForeignKey" | "dropForeignKey"
>;

/** What the plan needs from the SQLite grammar (kept narrow so the module stays pure). */
export interface RebuildGrammar {
  quoteIdentifier(name: string): string;
  /** `strict`: the column goes into a STRICT table, which takes only its own type names. */
  compileColumn(column: ColumnSpec, options?: { readonly strict?: boolean }): string;
  commentClause(comment: string): string;
  foreignKeyClause(foreignKey: ForeignKeySpec): string;
  primaryKeyClause(index: IndexSpec): string;
}

export interface RebuildPlan {
  readonly statements: CompiledQuery[];
  /**
   * True when the plan copies the table (create, copy, drop, rename): foreign-key
   * enforcement must be off, or dropping a parent would cascade to its children.
   */
  readonly copiesTable: boolean;
}

interface ColumnModel {
  readonly name: string;
  definition: string;
  /** The column of the old table whose values it takes, or null for a new column. */
  readonly copyFrom: string | null;
}

interface ConstraintModel {
  readonly kind: ConstraintKind;
  readonly name: string | null;
  readonly columns: readonly string[];
  readonly text: string;
}

interface IndexModel {
  readonly name: string;
  readonly sql: string | null;
  readonly columns: readonly (string | null)[];
}

/** The name of the table a rebuild builds before swapping it in. */
export function rebuildTableName(table: string): string {
  return `__mortar_new_${table}`;
}

/**
 * Plan SQLite's "other kinds of table schema changes" (the 12-step procedure of the
 * SQLite manual) for `commands` against the live `snapshot`: create the new table,
 * copy every row, drop the old one, rename the new one into place, then restore the
 * AUTOINCREMENT counter, every index and every trigger the commands did not remove.
 * Views are not touched: they are resolved by name when queried, and
 * `legacy_alter_table` keeps the rename from validating them against a missing table.
 * Foreign-key enforcement must be off while this runs (the caller arranges it).
 *
 * Pure: the same snapshot and commands always give the same statements.
 */
export function planTableRebuild(snapshot: TableSnapshot, commands: readonly RebuildCommand[], grammar: RebuildGrammar): RebuildPlan {
  const table = snapshot.table;
  const parsed = parseCreateTable(snapshot.createSql);
  const model = new TableModel(table, grammar, hasKeyword(parsed.options, "strict"), {
    columns: parsed.columns.map((c) => ({
      name: c.name,
      definition: c.comment === null ? c.definition : `${c.definition} ${grammar.commentClause(c.comment)}`,
      copyFrom: c.name,
    })),
    constraints: parsed.constraints.map((c) => ({ kind: c.kind, name: c.name, columns: c.columns, text: c.text })),
    indexes: snapshot.indexes.map((i) => ({ name: i.name, sql: i.sql, columns: i.columns })),
  });
  for (const command of commands) model.apply(command);

  const q = (name: string) => grammar.quoteIdentifier(name);
  const renames = model.renamedIndexes.flatMap(({ from, index }) => [query(`drop index ${q(from)}`), query(index.sql!)]);
  if (!model.needsCopy) {
    return { statements: [...model.nativeStatements, ...renames], copiesTable: false };
  }

  const temp = rebuildTableName(table);
  const parts = [...model.columns.map((c) => c.definition), ...model.constraints.map((c) => c.text)];
  const statements: CompiledQuery[] = [
    query(`create table ${q(temp)} (${parts.join(", ")})${parsed.options ? ` ${parsed.options}` : ""}`),
  ];
  const copied = model.columns.filter((c) => c.copyFrom !== null && !isGenerated(c.definition));
  // Without an INTEGER PRIMARY KEY the rowid is hidden, and a plain copy renumbers it:
  // an external-content FTS5 index (or anything else keyed on rowid) would then point
  // at the wrong rows. Copied explicitly, it stays what it was.
  const rowid = hasKeyword(parsed.options, "without") ? undefined : model.rowidCopy(parsed.columns.map((c) => c.name));
  const targets = [...(rowid ? [rowid.target] : []), ...copied.map((c) => q(c.name))];
  const sources = [...(rowid ? [rowid.source] : []), ...copied.map((c) => q(c.copyFrom!))];
  if (targets.length > 0) {
    statements.push(query(`insert into ${q(temp)} (${targets.join(", ")}) select ${sources.join(", ")} from ${q(table)}`));
  }
  statements.push(
    query(`drop table ${q(table)}`),
    // Without this the rename re-checks every view and trigger, and one that reads the
    // table (dropped a statement ago) would fail it.
    query("pragma legacy_alter_table = on"),
    query(`alter table ${q(temp)} rename to ${q(table)}`),
    query("pragma legacy_alter_table = off"),
  );
  if (snapshot.sequence !== null && model.columns.some((c) => hasKeyword(c.definition, "autoincrement"))) {
    // Keep the counter where it was, so ids of deleted rows are not handed out again.
    // A JavaScript number is bound as a REAL; SQLite's own counter is an integer.
    statements.push(
      query(`delete from "sqlite_sequence" where "name" = ?`, [table]),
      query(`insert into "sqlite_sequence" ("name", "seq") values (?, cast(? as integer))`, [table, snapshot.sequence]),
    );
  }
  for (const index of model.indexes) if (index.sql) statements.push(query(index.sql));
  for (const trigger of snapshot.triggers) statements.push(query(trigger.sql));
  return { statements, copiesTable: true };
}

/** The table as the commands reshape it, plus what must happen to carry it out. */
class TableModel {
  readonly columns: ColumnModel[];
  constraints: ConstraintModel[];
  indexes: IndexModel[];
  readonly renamedIndexes: { from: string; index: IndexModel }[] = [];
  /** Statements for changes SQLite can make in place (drop column), used when nothing else needs a copy. */
  readonly nativeStatements: CompiledQuery[] = [];
  needsCopy = false;
  readonly #table: string;
  readonly #grammar: RebuildGrammar;
  readonly #strict: boolean;

  constructor(
    table: string,
    grammar: RebuildGrammar,
    strict: boolean,
    start: { columns: ColumnModel[]; constraints: ConstraintModel[]; indexes: IndexModel[] },
  ) {
    this.#table = table;
    this.#grammar = grammar;
    this.#strict = strict;
    this.columns = start.columns;
    this.constraints = start.constraints;
    this.indexes = start.indexes;
  }

  apply(command: RebuildCommand): void {
    switch (command.kind) {
      case "addColumn":
        return this.#addColumn(command.column);
      case "changeColumn":
        return this.#changeColumn(command.column);
      case "dropColumns":
        return command.columns.forEach((name) => this.#dropColumn(name));
      case "addIndex":
        return this.#addPrimaryKey(command.index);
      case "dropIndex":
        return this.#dropPrimaryKey(command.name);
      case "renameIndex":
        return this.#renameIndex(command.from, command.to);
      case "addForeignKey":
        return this.#addForeignKey(command.foreignKey);
      case "dropForeignKey":
        return this.#dropForeignKey(command.name);
    }
  }

  #addColumn(column: ColumnSpec): void {
    if (this.#find(column.name)) throw this.#error(`already has a column "${column.name}"`);
    if (column.primary) this.#assertNoPrimaryKey();
    const added: ColumnModel = { name: column.name, definition: this.#compile(column), copyFrom: null };
    this.#place(added, column, "add");
    this.needsCopy = true;
  }

  /** Put a column where first()/after() say (the end when neither is given), as MySQL does. */
  #place(model: ColumnModel, column: ColumnSpec, verb: "add" | "move"): void {
    if (column.first && column.after !== undefined) {
      throw this.#error(`cannot place column "${column.name}" both first() and after("${column.after}")`);
    }
    if (column.first) this.columns.unshift(model);
    else if (column.after !== undefined) {
      const at = this.columns.findIndex((c) => same(c.name, column.after!));
      if (at === -1) throw this.#error(`has no column "${column.after}" to ${verb} "${column.name}" after`);
      this.columns.splice(at + 1, 0, model);
    } else this.columns.push(model);
  }

  #changeColumn(column: ColumnSpec): void {
    const existing = this.#find(column.name);
    if (!existing) throw this.#error(`has no column "${column.name}" to change`);
    if (column.primary && !hasKeyword(existing.definition, "primary")) this.#assertNoPrimaryKey();
    // The column keeps its name as written: `a` finds `"A"`, but change() renames nothing.
    const restated = { ...this.#keepingPrimaryKey(existing, column), name: existing.name };
    existing.definition = this.#compile(restated, columnChecksToKeep(existing));
    // change() with first()/after() moves the column, as MySQL's MODIFY does; rows are copied by name.
    if (column.first || column.after !== undefined) {
      this.columns.splice(this.columns.indexOf(existing), 1);
      this.#place(existing, column, "move");
    }
    this.needsCopy = true;
  }

  /**
   * change() restates a column, but its PRIMARY KEY is the table's key, not one of the
   * column's attributes (Laravel keeps it too, as an index): a column that held the key
   * keeps it. An integer one stays `integer primary key`, the rowid alias, so its values
   * stay the rows' rowids; AUTOINCREMENT, an attribute, goes unless restated.
   */
  #keepingPrimaryKey(existing: ColumnModel, column: ColumnSpec): ColumnSpec {
    if (column.primary || column.autoIncrement || !hasKeyword(existing.definition, "primary")) return column;
    if (this.#isRowidAlias(existing) && isIntegerColumn(column)) return { ...column, primary: true, type: "integer" };
    return { ...column, primary: true };
  }

  /** Compile a column for this table, its kept CHECKs before its comment. */
  #compile(column: ColumnSpec, checks: readonly string[] = []): string {
    const strict = this.#strict;
    if (checks.length === 0) return this.#grammar.compileColumn(column, { strict });
    const bare = this.#grammar.compileColumn({ ...column, comment: undefined }, { strict });
    const comment = column.comment === undefined ? "" : ` ${this.#grammar.commentClause(column.comment)}`;
    return `${bare} ${checks.join(" ")}${comment}`;
  }

  /**
   * SQLite makes a column the rowid's alias when it is declared exactly `integer` and is
   * the whole primary key (inline, not DESC, or a one-column table-level key).
   */
  #isRowidAlias(column: ColumnModel): boolean {
    if (declaredType(column.definition) !== "integer") return false;
    if (hasKeyword(column.definition, "primary")) return !hasKeyword(column.definition, "desc");
    const key = this.constraints.find((c) => c.kind === "primary key");
    return key !== undefined && key.columns.length === 1 && sameIdentifier(key.columns[0]!, column.name);
  }

  /**
   * How the old rowids reach the new table: into its hidden rowid, or into a new
   * `integer primary key` column (which becomes the rowid). Undefined when an old alias
   * column carries them already, or when every name for the rowid is a column's.
   */
  rowidCopy(oldColumns: readonly string[]): { target: string; source: string } | undefined {
    const alias = this.columns.find((c) => this.#isRowidAlias(c));
    if (alias?.copyFrom != null) return undefined;
    const free = (columns: readonly string[]) => ["rowid", "_rowid_", "oid"].find((name) => !columns.some((c) => same(c, name)));
    const source = free(oldColumns);
    const target = alias ? this.#grammar.quoteIdentifier(alias.name) : free(this.columns.map((c) => c.name));
    return source && target ? { target, source } : undefined;
  }

  #dropColumn(name: string): void {
    const at = this.columns.findIndex((c) => same(c.name, name));
    if (at === -1) throw this.#error(`has no column "${name}" to drop`);
    const [dropped] = this.columns.splice(at, 1);
    if (this.columns.length === 0) throw this.#error(`would have no columns left after dropping "${name}"`);
    // As PostgreSQL does: keys and indexes over the column go with it.
    const keptConstraints = this.constraints.filter((c) => !mentions(c, name));
    const keptIndexes = this.indexes.filter((i) => !i.columns.some((c) => c !== null && same(c, name)) && !(i.sql && indexMentions(i.sql, name)));
    const inPlace =
      keptConstraints.length === this.constraints.length &&
      keptIndexes.length === this.indexes.length &&
      !["primary", "unique", "references", "check", "generated"].some((k) => hasKeyword(dropped!.definition, k));
    this.constraints = keptConstraints;
    this.indexes = keptIndexes;
    if (inPlace) {
      const q = (n: string) => this.#grammar.quoteIdentifier(n);
      this.nativeStatements.push(query(`alter table ${q(this.#table)} drop column ${q(dropped!.name)}`));
    } else this.needsCopy = true;
  }

  #addPrimaryKey(index: IndexSpec): void {
    if (index.type !== "primary") throw this.#error(`cannot plan a ${index.type} index as a rebuild`);
    this.#assertNoPrimaryKey();
    for (const column of index.columns) if (!this.#find(column)) throw this.#error(`has no column "${column}" for the primary key`);
    this.constraints.push({ kind: "primary key", name: index.name, columns: index.columns, text: this.#grammar.primaryKeyClause(index) });
    this.needsCopy = true;
  }

  #dropPrimaryKey(name: string): void {
    const constraint = this.constraints.find((c) => c.kind === "primary key");
    if (constraint) {
      if (constraint.name !== null && !same(constraint.name, name) && name !== `${this.#table}_pkey`) {
        throw this.#error(`has no primary key named "${name}" (it is "${constraint.name}")`);
      }
      this.constraints = this.constraints.filter((c) => c !== constraint);
      this.needsCopy = true;
      return;
    }
    const column = this.columns.find((c) => hasKeyword(c.definition, "primary"));
    if (!column) throw this.#error("has no primary key to drop");
    column.definition = withoutInlinePrimaryKey(column.definition);
    this.needsCopy = true;
  }

  #renameIndex(from: string, to: string): void {
    const at = this.indexes.findIndex((i) => same(i.name, from));
    if (at === -1) throw this.#error(`has no index "${from}" to rename`);
    if (this.indexes.some((i) => same(i.name, to))) throw this.#error(`already has an index "${to}"`);
    const index = this.indexes[at]!;
    if (index.sql === null) {
      throw this.#error(`cannot rename index "${from}": SQLite made it for a constraint in the table definition`);
    }
    const renamed = { ...index, name: to, sql: withIndexName(index.sql, this.#grammar.quoteIdentifier(to)) };
    this.indexes[at] = renamed;
    this.renamedIndexes.push({ from: index.name, index: renamed });
  }

  #addForeignKey(foreignKey: ForeignKeySpec): void {
    if (this.#foreignKeyNamed(foreignKey.name)) throw this.#error(`already has a foreign key "${foreignKey.name}"`);
    for (const column of foreignKey.columns) {
      if (!this.#find(column)) throw this.#error(`has no column "${column}" for foreign key "${foreignKey.name}"`);
    }
    this.constraints.push({
      kind: "foreign key",
      name: foreignKey.name,
      columns: foreignKey.columns,
      text: this.#grammar.foreignKeyClause(foreignKey),
    });
    this.needsCopy = true;
  }

  #dropForeignKey(name: string): void {
    const constraint = this.#foreignKeyNamed(name);
    if (constraint) {
      this.constraints = this.constraints.filter((c) => c !== constraint);
      this.needsCopy = true;
      return;
    }
    const inline = this.columns.find(
      (c) =>
        hasKeyword(c.definition, "references") &&
        (same(inlineForeignKeyName(c.definition) ?? "", name) || same(defaultIndexName(this.#table, [c.name], "foreign", 1024), name)),
    );
    if (inline) {
      throw this.#error(
        `declares foreign key "${name}" inside column "${inline.name}"; restate the column with change() to drop it`,
      );
    }
    throw this.#error(`has no foreign key named "${name}"`);
  }

  #foreignKeyNamed(name: string): ConstraintModel | undefined {
    return this.constraints.find(
      (c) =>
        c.kind === "foreign key" &&
        (c.name !== null ? same(c.name, name) : same(defaultIndexName(this.#table, c.columns, "foreign", 1024), name)),
    );
  }

  #assertNoPrimaryKey(): void {
    if (this.constraints.some((c) => c.kind === "primary key") || this.columns.some((c) => hasKeyword(c.definition, "primary"))) {
      throw this.#error("already has a primary key");
    }
  }

  #find(name: string): ColumnModel | undefined {
    return this.columns.find((c) => same(c.name, name));
  }

  #error(message: string): InvalidSchemaError {
    return new InvalidSchemaError(`table "${this.#table}" ${message}`);
  }
}

/** SQLite folds only ASCII letters when it compares identifiers. */
const same = sameIdentifier;

/**
 * The CHECKs written inside the column that change() must carry over: a restated
 * column would otherwise lose them without a word. The exception is the check Mortar
 * writes for an enum (`varchar(255) check ("col" in (…))`): it is part of the enum type,
 * so a restated column replaces it, with the new values or with another type (as on
 * MySQL, where the enum is the type itself).
 */
function columnChecksToKeep(existing: ColumnModel): string[] {
  const mortarEnum = declaredType(existing.definition) === "varchar(255)";
  return columnChecks(existing.definition)
    .filter((check, i) => !(i === 0 && mortarEnum && check.name === null && isEnumCheck(check.expression, existing.name)))
    .map((check) => check.text);
}

/** `("col" in (…))`: the shape of the check Mortar writes for an enum column. */
function isEnumCheck(expression: string, column: string): boolean {
  const code = tokenizeSql(expression).filter((t) => t.kind !== "comment");
  return (
    code.length >= 5 &&
    code[0]!.value === "(" &&
    (code[1]!.kind === "identifier" || code[1]!.kind === "word") &&
    same(code[1]!.value, column) &&
    isWord(code[2], "in") &&
    code[3]!.value === "(" &&
    code[code.length - 1]!.value === ")"
  );
}

function mentions(constraint: ConstraintModel, column: string): boolean {
  if (constraint.columns.some((c) => same(c, column))) return true;
  return constraint.kind === "check" && mentionsName(constraint.text, column);
}

/** Whether SQL text names `column` as an identifier or bare word (not inside a string). */
function mentionsName(sql: string, column: string): boolean {
  return tokenizeSql(sql).some((t) => (t.kind === "identifier" || t.kind === "word") && same(t.value, column));
}

/** Words of an index's key list and WHERE clause that are SQL, not column names. */
const INDEX_KEYWORDS = new Set(["asc", "desc", "collate", "where", "and", "or", "not", "null", "is", "in", "like", "glob", "between", "case", "when", "then", "else", "end", "nocase", "binary", "rtrim"]);

/**
 * Whether an index's key expressions or WHERE clause use `column`. Only what follows
 * `on table (` counts, and SQL keywords do not, so a column named `unique`, `index` or
 * `on` is not mistaken for the words of `create unique index … on`.
 */
function indexMentions(sql: string, column: string): boolean {
  const code = tokenizeSql(sql).filter((t) => t.kind !== "comment");
  const on = code.findIndex((t) => isWord(t, "on"));
  const open = code.findIndex((t, i) => i > on && t.kind === "punct" && t.value === "(");
  if (on === -1 || open === -1) return mentionsName(sql, column);
  return code
    .slice(open)
    .some((t) => (t.kind === "identifier" || (t.kind === "word" && !INDEX_KEYWORDS.has(foldIdentifier(t.value)))) && same(t.value, column));
}

function isGenerated(definition: string): boolean {
  const code = tokenizeSql(definition).filter((t) => t.kind !== "comment");
  return code.some((t, i) => t.kind === "word" && same(t.value, "as") && code[i + 1]?.kind === "punct" && code[i + 1]!.value === "(");
}

/** Remove `primary key [asc|desc] [on conflict …] [autoincrement]` from a column definition. */
function withoutInlinePrimaryKey(definition: string): string {
  const code = tokenizeSql(definition).filter((t) => t.kind !== "comment");
  const start = code.findIndex((t, i) => isWord(t, "primary") && isWord(code[i + 1], "key"));
  if (start === -1) return definition;
  let end = start + 2;
  if (isWord(code[end], "asc") || isWord(code[end], "desc")) end++;
  if (isWord(code[end], "on") && isWord(code[end + 1], "conflict")) end += 3;
  if (isWord(code[end], "autoincrement")) end++;
  const from = code[start]!.start;
  const to = code[end - 1]!.end;
  return `${definition.slice(0, from).trimEnd()} ${definition.slice(to).trimStart()}`.trim();
}

/** `create [unique] index [if not exists] <name> on …` with `<name>` replaced. */
function withIndexName(sql: string, quotedName: string): string {
  const code = tokenizeSql(sql).filter((t) => t.kind !== "comment");
  let at = code.findIndex((t) => isWord(t, "index"));
  if (isWord(code[at + 1], "if")) at += 3;
  const name = code[at + 1];
  if (!name) return sql;
  // A schema-qualified name (`main."x"`) keeps its qualifier.
  const target = code[at + 2]?.kind === "punct" && code[at + 2]!.value === "." ? code[at + 3]! : name;
  return `${sql.slice(0, target.start)}${quotedName}${sql.slice(target.end)}`;
}

function isWord(token: SqlToken | undefined, word: string): boolean {
  return token?.kind === "word" && same(token.value, word);
}
