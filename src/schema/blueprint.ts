import { InvalidSchemaError } from "../errors.js";
import type {
  ColumnSpec,
  ForeignKeySpec,
  IndexSpec,
  IndexType,
  SchemaCommand,
} from "./commands.js";
import { BlueprintColumns } from "./blueprint-columns.js";
import type { ColumnDefinition } from "./column-definition.js";
import { ForeignKeyDefinition } from "./foreign-key-definition.js";
import { IndexDefinition } from "./index-definition.js";
import { assertIdentifier, defaultIndexName, defaultPrimaryKeyName } from "./naming.js";
import { uniqueIndexes, withoutRepeatedIndexes } from "./repeated-indexes.js";

export { ForeignIdColumnDefinition } from "./foreign-id-column-definition.js";
export type { ForeignIdTarget, ForeignKeyType } from "./blueprint-columns.js";

export interface BlueprintOptions {
  /** The dialect's identifier limit, used to shorten default index names (plain data, no connection). */
  readonly maxIdentifierLength: number;
}

type Mode = "create" | "alter";

/** An index asked for explicitly or through a column modifier, before names are settled. */
interface PendingIndex {
  readonly type: IndexType;
  readonly columns: readonly string[];
  readonly name?: string;
}

/**
 * Every operation, columns included, kept in the order the callback wrote it: a
 * `renameColumn()` followed by a `change()` of the new name must run in that order.
 * A column's fluent index lands right after the column, since `.unique()` is called on it.
 */
type PendingStep =
  | { readonly kind: "column"; readonly column: ColumnDefinition }
  | { readonly kind: "index"; readonly index: PendingIndex | IndexDefinition }
  | { readonly kind: "foreign"; readonly definition: ForeignKeyDefinition }
  | { readonly kind: "command"; readonly command: SchemaCommand };

/**
 * Collects what a `schema.create()` / `schema.table()` callback asks for and turns it
 * into SchemaCommands. It knows no connection: the schema builder compiles and runs
 * the commands. Method names follow Laravel's Blueprint (camelCase of Masonite's).
 */
export class Blueprint extends BlueprintColumns {
  readonly #table: string;
  readonly #mode: Mode;
  readonly #options: BlueprintOptions;
  readonly #steps: PendingStep[] = [];

  constructor(table: string, mode: Mode, options: BlueprintOptions) {
    super();
    assertIdentifier(table, "table name");
    this.#table = table;
    this.#mode = mode;
    this.#options = options;
  }

  override get tableName(): string {
    return this.#table;
  }

  // ── indexes and keys ────────────────────────────────────────────────────────

  primary(columns: string | readonly string[], name?: string): this {
    return this.#index("primary", columns, name);
  }
  unique(columns: string | readonly string[], name?: string): this {
    return this.#index("unique", columns, name);
  }
  override index(columns: string | readonly string[], name?: string): this {
    return this.#index("index", columns, name);
  }
  /** A fulltext index; chain `.language("german")` for PostgreSQL's text-search configuration. */
  fulltext(columns: string | readonly string[], name?: string): IndexDefinition {
    if (name !== undefined) assertIdentifier(name, "fulltext name");
    const definition = new IndexDefinition("fulltext", toList(columns, "fulltext column"), name, this.#table);
    this.#steps.push({ kind: "index", index: definition });
    return definition;
  }
  /** Laravel's spelling. */
  fullText(columns: string | readonly string[], name?: string): IndexDefinition {
    return this.fulltext(columns, name);
  }

  foreign(columns: string | readonly string[], name?: string): ForeignKeyDefinition {
    const definition = new ForeignKeyDefinition(toList(columns, "foreign key column"), name);
    this.#steps.push({ kind: "foreign", definition });
    return definition;
  }

  // ── alterations (schema.table only) ─────────────────────────────────────────

  dropColumn(...names: (string | readonly string[])[]): this {
    const columns = names.flat();
    if (columns.length === 0) throw new InvalidSchemaError(`dropColumn on "${this.#table}" needs at least one column`);
    columns.forEach((c) => assertIdentifier(c, "column name"));
    return this.#command({ kind: "dropColumns", table: this.#table, columns });
  }
  renameColumn(from: string, to: string): this {
    assertIdentifier(from, "column name");
    assertIdentifier(to, "new column name");
    return this.#command({ kind: "renameColumn", table: this.#table, from, to });
  }
  dropTimestamps(): this {
    return this.dropColumn("created_at", "updated_at");
  }
  dropSoftDeletes(name = "deleted_at"): this {
    return this.dropColumn(name);
  }
  dropPrimary(name?: string): this {
    const resolved = name ?? defaultPrimaryKeyName(this.#table, this.#options.maxIdentifierLength);
    return this.#command({ kind: "dropIndex", table: this.#table, type: "primary", name: resolved });
  }
  dropUnique(nameOrColumns: string | readonly string[]): this {
    return this.#dropIndex("unique", nameOrColumns);
  }
  dropIndex(nameOrColumns: string | readonly string[]): this {
    return this.#dropIndex("index", nameOrColumns);
  }
  dropFulltext(nameOrColumns: string | readonly string[]): this {
    return this.#dropIndex("fulltext", nameOrColumns);
  }
  /** Laravel's spelling. */
  dropFullText(nameOrColumns: string | readonly string[]): this {
    return this.dropFulltext(nameOrColumns);
  }
  /**
   * Undo `morphs(name)`: the index over (`{name}_type`, `{name}_id`) first, then both
   * columns, as Laravel does (SQLite could not drop an indexed column in place).
   */
  dropMorphs(name: string, indexName?: string): this {
    assertIdentifier(name, "morph name");
    this.dropIndex(indexName ?? [`${name}_type`, `${name}_id`]);
    return this.dropColumn(`${name}_type`, `${name}_id`);
  }
  /** Undo `foreignId(column).constrained()`: the key `{table}_{column}_foreign`, then the column. */
  dropConstrainedForeignId(column: string): this {
    assertIdentifier(column, "column name");
    this.dropForeign([column]);
    return this.dropColumn(column);
  }
  /**
   * Rename the table (`schema.table("old", (t) => t.rename("new"))`). It runs in its place
   * among the calls; calls after it would still name the old table, so they are refused:
   * alter the new name in its own `schema.table()`.
   */
  rename(to: string): this {
    assertIdentifier(to, "new table name");
    return this.#command({ kind: "renameTable", from: this.#table, to });
  }
  renameIndex(from: string, to: string): this {
    assertIdentifier(from, "index name");
    assertIdentifier(to, "new index name");
    return this.#command({ kind: "renameIndex", table: this.#table, from, to });
  }
  /** Drop a foreign key by its name, or by its columns (`["user_id"]` → `{table}_user_id_foreign`). */
  dropForeign(nameOrColumns: string | readonly string[]): this {
    const name =
      typeof nameOrColumns === "string"
        ? nameOrColumns
        : defaultIndexName(this.#table, toList(nameOrColumns, "column"), "foreign", this.#options.maxIdentifierLength);
    assertIdentifier(name, "foreign key name");
    return this.#command({ kind: "dropForeignKey", table: this.#table, name });
  }

  // ── compilation to commands ─────────────────────────────────────────────────

  /** @internal called by column modifiers `unique()`, `index()`, `primary()`. */
  override addFluentIndex(type: "unique" | "index" | "primary", column: string, name?: string): void {
    if (name !== undefined) assertIdentifier(name, `${type} name`);
    this.#steps.push({ kind: "index", index: { type, columns: [column], name } });
  }

  /** @internal */
  override registerForeign(definition: ForeignKeyDefinition): void {
    this.#steps.push({ kind: "foreign", definition });
  }

  /** @internal The commands this blueprint stands for, in the order they must run. */
  toCommands(): SchemaCommand[] {
    return this.#mode === "create" ? this.#createCommands() : this.#alterCommands();
  }

  #createCommands(): SchemaCommand[] {
    const columns: ColumnSpec[] = [];
    let primaryKey: IndexSpec | undefined;
    const indexes: IndexSpec[] = [];
    const foreignKeys: ForeignKeySpec[] = [];
    for (const step of this.#steps) {
      if (step.kind === "column") {
        const { column } = step;
        if (column.isChange) throw new InvalidSchemaError(`change() on "${column.name}" is only allowed in schema.table(), not create()`);
        if (columns.some((c) => c.name === column.name)) {
          throw new InvalidSchemaError(`table "${this.#table}" defines column "${column.name}" twice`);
        }
        columns.push(column.toSpec());
      } else if (step.kind === "index") {
        const spec = this.#resolveIndex(step.index);
        if (spec.type !== "primary") indexes.push(spec);
        else if (primaryKey) throw new InvalidSchemaError(`table "${this.#table}" declares its primary key more than once`);
        else primaryKey = spec;
      } else if (step.kind === "foreign") foreignKeys.push(this.#resolveForeign(step.definition));
      else {
        throw new InvalidSchemaError(
          `${describe(step.command)} is not allowed in schema.create("${this.#table}"): use schema.table()`,
        );
      }
    }
    const inlinePrimary = columns.filter((c) => c.primary);
    if (inlinePrimary.length > 1) {
      throw new InvalidSchemaError(`table "${this.#table}" has more than one auto-increment primary key column`);
    }
    if (primaryKey && inlinePrimary.length) {
      throw new InvalidSchemaError(`table "${this.#table}" declares its primary key more than once`);
    }
    return [
      {
        kind: "createTable",
        table: this.#table,
        ifNotExists: false,
        columns,
        primaryKey,
        indexes: uniqueIndexes(this.#table, indexes),
        foreignKeys,
      },
    ];
  }

  #alterCommands(): SchemaCommand[] {
    this.#assertRenameLast();
    const commands = this.#steps.map((step): SchemaCommand => {
      switch (step.kind) {
        case "column": {
          const column = step.column.toSpec();
          return step.column.isChange
            ? { kind: "changeColumn", table: this.#table, column }
            : { kind: "addColumn", table: this.#table, column };
        }
        case "index":
          return { kind: "addIndex", table: this.#table, index: this.#resolveIndex(step.index) };
        case "foreign":
          return { kind: "addForeignKey", table: this.#table, foreignKey: this.#resolveForeign(step.definition) };
        case "command":
          return step.command;
      }
    });
    return withoutRepeatedIndexes(this.#table, commands);
  }

  /** `rename()` must come last: what follows it would be compiled against the old name. */
  #assertRenameLast(): void {
    const at = this.#steps.findIndex((step) => step.kind === "command" && step.command.kind === "renameTable");
    if (at === -1 || at === this.#steps.length - 1) return;
    const step = this.#steps[at]!;
    const to = step.kind === "command" && step.command.kind === "renameTable" ? step.command.to : "";
    throw new InvalidSchemaError(
      `rename("${to}") must be the last call in schema.table("${this.#table}"): ` +
        `alter the renamed table in its own schema.table("${to}", …)`,
    );
  }

  #resolveIndex(index: PendingIndex | IndexDefinition): IndexSpec {
    const max = this.#options.maxIdentifierLength;
    const name =
      index.name ??
      (index.type === "primary"
        ? defaultPrimaryKeyName(this.#table, max)
        : defaultIndexName(this.#table, index.columns, index.type, max));
    const language = index instanceof IndexDefinition ? index.languageName : undefined;
    return { type: index.type, name, columns: index.columns, ...(language === undefined ? {} : { language }) };
  }

  #resolveForeign(definition: ForeignKeyDefinition): ForeignKeySpec {
    const name = defaultIndexName(this.#table, definition.columns, "foreign", this.#options.maxIdentifierLength);
    return definition.toSpec(this.#table, name);
  }

  #index(type: IndexType, columns: string | readonly string[], name?: string): this {
    const list = toList(columns, `${type} column`);
    if (name !== undefined) assertIdentifier(name, `${type} name`);
    this.#steps.push({ kind: "index", index: { type, columns: list, name } });
    return this;
  }

  #dropIndex(type: IndexType, nameOrColumns: string | readonly string[]): this {
    const name =
      typeof nameOrColumns === "string"
        ? nameOrColumns
        : defaultIndexName(this.#table, toList(nameOrColumns, "column"), type as "unique" | "index" | "fulltext", this.#options.maxIdentifierLength);
    assertIdentifier(name, `${type} name`);
    return this.#command({ kind: "dropIndex", table: this.#table, type, name });
  }

  #command(command: SchemaCommand): this {
    this.#steps.push({ kind: "command", command });
    return this;
  }

  /** Where the column-type methods (BlueprintColumns) record a column. */
  protected override pushColumn<T extends ColumnDefinition>(column: T): T {
    this.#steps.push({ kind: "column", column });
    return column;
  }
}

function toList(columns: string | readonly string[], what: string): readonly string[] {
  const list = typeof columns === "string" ? [columns] : [...columns];
  if (list.length === 0) throw new InvalidSchemaError(`${what} list is empty`);
  list.forEach((c) => assertIdentifier(c, what));
  return list;
}

function describe(command: SchemaCommand): string {
  return command.kind.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
}
