import { InvalidSchemaError } from "../errors.js";
import type { ColumnSpec, ColumnType, ForeignKeySpec, IndexSpec, IndexType, SchemaCommand } from "./commands.js";
import { ColumnDefinition, type ColumnOwner } from "./column-definition.js";
import { ForeignKeyDefinition, guessReferencedTable } from "./foreign-key-definition.js";
import { assertIdentifier, defaultIndexName, defaultPrimaryKeyName } from "./naming.js";

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

/** Every explicit (non-column) operation, kept in call order. */
type PendingCommand =
  | { readonly kind: "index"; readonly index: PendingIndex }
  | { readonly kind: "foreign"; readonly definition: ForeignKeyDefinition }
  | { readonly kind: "command"; readonly command: SchemaCommand };

/**
 * Collects what a `schema.create()` / `schema.table()` callback asks for and turns it
 * into SchemaCommands. It knows no connection: the schema builder compiles and runs
 * the commands. Method names follow Laravel's Blueprint (camelCase of Masonite's).
 */
export class Blueprint implements ColumnOwner {
  readonly #table: string;
  readonly #mode: Mode;
  readonly #options: BlueprintOptions;
  readonly #columns: ColumnDefinition[] = [];
  readonly #pending: PendingCommand[] = [];
  readonly #fluentIndexes: PendingIndex[] = [];

  constructor(table: string, mode: Mode, options: BlueprintOptions) {
    assertIdentifier(table, "table name");
    this.#table = table;
    this.#mode = mode;
    this.#options = options;
  }

  get tableName(): string {
    return this.#table;
  }

  // ── column types ────────────────────────────────────────────────────────────

  /** Auto-incrementing unsigned integer primary key. */
  increments(name: string): ColumnDefinition {
    return this.#add(name, "integer", { autoIncrement: true, primary: true, unsigned: true });
  }
  bigIncrements(name: string): ColumnDefinition {
    return this.#add(name, "bigInteger", { autoIncrement: true, primary: true, unsigned: true });
  }
  smallIncrements(name: string): ColumnDefinition {
    return this.#add(name, "smallInteger", { autoIncrement: true, primary: true, unsigned: true });
  }
  tinyIncrements(name: string): ColumnDefinition {
    return this.#add(name, "tinyInteger", { autoIncrement: true, primary: true, unsigned: true });
  }
  /** Laravel's `id()`: a big auto-incrementing primary key named `id`. */
  id(name = "id"): ColumnDefinition {
    return this.bigIncrements(name);
  }
  integer(name: string): ColumnDefinition {
    return this.#add(name, "integer");
  }
  bigInteger(name: string): ColumnDefinition {
    return this.#add(name, "bigInteger");
  }
  smallInteger(name: string): ColumnDefinition {
    return this.#add(name, "smallInteger");
  }
  tinyInteger(name: string): ColumnDefinition {
    return this.#add(name, "tinyInteger");
  }
  mediumInteger(name: string): ColumnDefinition {
    return this.#add(name, "mediumInteger");
  }
  unsignedInteger(name: string): ColumnDefinition {
    return this.#add(name, "integer", { unsigned: true });
  }
  unsignedBigInteger(name: string): ColumnDefinition {
    return this.#add(name, "bigInteger", { unsigned: true });
  }
  decimal(name: string, precision = 8, scale = 2): ColumnDefinition {
    assertPrecision(name, precision, scale);
    return this.#add(name, "decimal", { precision, scale });
  }
  unsignedDecimal(name: string, precision = 8, scale = 2): ColumnDefinition {
    return this.decimal(name, precision, scale).unsigned();
  }
  float(name: string): ColumnDefinition {
    return this.#add(name, "float");
  }
  double(name: string): ColumnDefinition {
    return this.#add(name, "double");
  }
  boolean(name: string): ColumnDefinition {
    return this.#add(name, "boolean");
  }
  string(name: string, length = 255): ColumnDefinition {
    assertLength(name, length);
    return this.#add(name, "string", { length });
  }
  char(name: string, length = 255): ColumnDefinition {
    assertLength(name, length);
    return this.#add(name, "char", { length });
  }
  text(name: string): ColumnDefinition {
    return this.#add(name, "text");
  }
  tinyText(name: string): ColumnDefinition {
    return this.#add(name, "tinyText");
  }
  mediumText(name: string): ColumnDefinition {
    return this.#add(name, "mediumText");
  }
  longText(name: string): ColumnDefinition {
    return this.#add(name, "longText");
  }
  json(name: string): ColumnDefinition {
    return this.#add(name, "json");
  }
  jsonb(name: string): ColumnDefinition {
    return this.#add(name, "jsonb");
  }
  uuid(name: string): ColumnDefinition {
    return this.#add(name, "uuid");
  }
  binary(name: string): ColumnDefinition {
    return this.#add(name, "binary");
  }
  date(name: string): ColumnDefinition {
    return this.#add(name, "date");
  }
  time(name: string): ColumnDefinition {
    return this.#add(name, "time");
  }
  datetime(name: string): ColumnDefinition {
    return this.#add(name, "datetime");
  }
  /** Laravel's spelling of `datetime`. */
  dateTime(name: string): ColumnDefinition {
    return this.datetime(name);
  }
  timestamp(name: string): ColumnDefinition {
    return this.#add(name, "timestamp");
  }
  /**
   * `created_at` and `updated_at`: nullable timestamps without a default, as Laravel
   * makes them (so they can be added to a table with rows on every dialect).
   */
  timestamps(): void {
    this.timestamp("created_at").nullable();
    this.timestamp("updated_at").nullable();
  }
  /** A nullable `deleted_at` timestamp. */
  softDeletes(name = "deleted_at"): ColumnDefinition {
    return this.timestamp(name).nullable();
  }
  year(name: string): ColumnDefinition {
    return this.#add(name, "year");
  }
  enum(name: string, values: readonly string[]): ColumnDefinition {
    if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== "string")) {
      throw new InvalidSchemaError(`enum column "${name}" needs a non-empty list of string values`);
    }
    return this.#add(name, "enum", { values: [...values] });
  }
  inet(name: string): ColumnDefinition {
    return this.#add(name, "inet");
  }
  cidr(name: string): ColumnDefinition {
    return this.#add(name, "cidr");
  }
  macAddress(name: string): ColumnDefinition {
    return this.#add(name, "macAddress");
  }
  point(name: string): ColumnDefinition {
    return this.#add(name, "point");
  }
  geometry(name: string): ColumnDefinition {
    return this.#add(name, "geometry");
  }
  /** An unsigned big integer meant for a foreign key; chain `.constrained()` to add it. */
  foreignId(name: string): ForeignIdColumnDefinition {
    return this.#push(new ForeignIdColumnDefinition(this, name, "bigInteger", { unsigned: true }));
  }
  foreignUuid(name: string): ForeignIdColumnDefinition {
    return this.#push(new ForeignIdColumnDefinition(this, name, "uuid"));
  }
  /** `{name}_type` and `{name}_id` with an index over both (polymorphic relations). */
  morphs(name: string, indexName?: string): void {
    this.string(`${name}_type`);
    this.unsignedBigInteger(`${name}_id`);
    this.index([`${name}_type`, `${name}_id`], indexName);
  }

  // ── indexes and keys ────────────────────────────────────────────────────────

  primary(columns: string | readonly string[], name?: string): this {
    return this.#index("primary", columns, name);
  }
  unique(columns: string | readonly string[], name?: string): this {
    return this.#index("unique", columns, name);
  }
  index(columns: string | readonly string[], name?: string): this {
    return this.#index("index", columns, name);
  }
  fulltext(columns: string | readonly string[], name?: string): this {
    return this.#index("fulltext", columns, name);
  }
  /** Laravel's spelling. */
  fullText(columns: string | readonly string[], name?: string): this {
    return this.fulltext(columns, name);
  }

  foreign(columns: string | readonly string[], name?: string): ForeignKeyDefinition {
    const definition = new ForeignKeyDefinition(toList(columns, "foreign key column"), name);
    this.#pending.push({ kind: "foreign", definition });
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
  addFluentIndex(type: "unique" | "index" | "primary", column: string, name?: string): void {
    this.#fluentIndexes.push({ type, columns: [column], name });
  }

  /** @internal */
  registerForeign(definition: ForeignKeyDefinition): void {
    this.#pending.push({ kind: "foreign", definition });
  }

  /** The commands this blueprint stands for, in the order they must run. */
  toCommands(): SchemaCommand[] {
    return this.#mode === "create" ? this.#createCommands() : this.#alterCommands();
  }

  #createCommands(): SchemaCommand[] {
    const columns = this.#columns.map((c) => {
      if (c.isChange) throw new InvalidSchemaError(`change() on "${c.name}" is only allowed in schema.table(), not create()`);
      return c.toSpec();
    });
    const seen = new Set<string>();
    for (const column of columns) {
      if (seen.has(column.name)) throw new InvalidSchemaError(`table "${this.#table}" defines column "${column.name}" twice`);
      seen.add(column.name);
    }
    let primaryKey: IndexSpec | undefined;
    const indexes: IndexSpec[] = [];
    const foreignKeys: ForeignKeySpec[] = [];
    const inlinePrimary = columns.filter((c) => c.primary);
    if (inlinePrimary.length > 1) {
      throw new InvalidSchemaError(`table "${this.#table}" has more than one auto-increment primary key column`);
    }
    for (const index of [...this.#fluentIndexes, ...this.#explicitIndexes()]) {
      const spec = this.#resolveIndex(index);
      if (spec.type === "primary") {
        if (primaryKey || inlinePrimary.length) {
          throw new InvalidSchemaError(`table "${this.#table}" declares its primary key more than once`);
        }
        primaryKey = spec;
      } else indexes.push(spec);
    }
    for (const item of this.#pending) {
      if (item.kind === "foreign") foreignKeys.push(this.#resolveForeign(item.definition));
      else if (item.kind === "command") {
        throw new InvalidSchemaError(
          `${describe(item.command)} is not allowed in schema.create("${this.#table}"): use schema.table()`,
        );
      }
    }
    return [{ kind: "createTable", table: this.#table, ifNotExists: false, columns, primaryKey, indexes, foreignKeys }];
  }

  #alterCommands(): SchemaCommand[] {
    const commands: SchemaCommand[] = [];
    for (const column of this.#columns) {
      const spec = column.toSpec();
      commands.push(
        column.isChange
          ? { kind: "changeColumn", table: this.#table, column: spec }
          : { kind: "addColumn", table: this.#table, column: spec },
      );
    }
    for (const index of this.#fluentIndexes) {
      commands.push({ kind: "addIndex", table: this.#table, index: this.#resolveIndex(index) });
    }
    for (const item of this.#pending) {
      if (item.kind === "index") commands.push({ kind: "addIndex", table: this.#table, index: this.#resolveIndex(item.index) });
      else if (item.kind === "foreign") {
        commands.push({ kind: "addForeignKey", table: this.#table, foreignKey: this.#resolveForeign(item.definition) });
      } else commands.push(item.command);
    }
    return commands;
  }

  #explicitIndexes(): PendingIndex[] {
    return this.#pending.flatMap((p) => (p.kind === "index" ? [p.index] : []));
  }

  #resolveIndex(index: PendingIndex): IndexSpec {
    const max = this.#options.maxIdentifierLength;
    const name =
      index.name ??
      (index.type === "primary"
        ? defaultPrimaryKeyName(this.#table, max)
        : defaultIndexName(this.#table, index.columns, index.type, max));
    return { type: index.type, name, columns: index.columns };
  }

  #resolveForeign(definition: ForeignKeyDefinition): ForeignKeySpec {
    const name = defaultIndexName(this.#table, definition.columns, "foreign", this.#options.maxIdentifierLength);
    return definition.toSpec(this.#table, name);
  }

  #index(type: IndexType, columns: string | readonly string[], name?: string): this {
    const list = toList(columns, `${type} column`);
    if (name !== undefined) assertIdentifier(name, `${type} name`);
    this.#pending.push({ kind: "index", index: { type, columns: list, name } });
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
    this.#pending.push({ kind: "command", command });
    return this;
  }

  #add(name: string, type: ColumnType, attributes: Partial<ColumnSpec> = {}): ColumnDefinition {
    return this.#push(new ColumnDefinition(this, name, type, attributes));
  }

  #push<T extends ColumnDefinition>(column: T): T {
    this.#columns.push(column);
    return column;
  }
}

/** `foreignId("user_id").constrained()` guesses `users.id`, as Laravel does. */
export class ForeignIdColumnDefinition extends ColumnDefinition {
  readonly #blueprint: Blueprint;
  constructor(blueprint: Blueprint, name: string, type: ColumnType, attributes: Partial<ColumnSpec> = {}) {
    super(blueprint, name, type, attributes);
    this.#blueprint = blueprint;
  }

  /** Add the foreign key: `constrained()` → `users.id`, `constrained("authors")`, `constrained("authors", "uuid")`. */
  constrained(table?: string, column = "id"): ForeignKeyDefinition {
    const definition = new ForeignKeyDefinition([this.name]).references(column).on(table ?? guessReferencedTable(this.name));
    this.#blueprint.registerForeign(definition);
    return definition;
  }

  /** `foreignId("author_id").references("id").on("users")` without `constrained()`. */
  references(column: string): ForeignKeyDefinition {
    const definition = new ForeignKeyDefinition([this.name]).references(column);
    this.#blueprint.registerForeign(definition);
    return definition;
  }
}

function toList(columns: string | readonly string[], what: string): readonly string[] {
  const list = typeof columns === "string" ? [columns] : [...columns];
  if (list.length === 0) throw new InvalidSchemaError(`${what} list is empty`);
  list.forEach((c) => assertIdentifier(c, what));
  return list;
}

function assertLength(name: string, length: number): void {
  if (!Number.isInteger(length) || length < 1) {
    throw new InvalidSchemaError(`length of column "${name}" must be a positive integer, got ${length}`);
  }
}

function assertPrecision(name: string, precision: number, scale: number): void {
  if (!Number.isInteger(precision) || precision < 1 || !Number.isInteger(scale) || scale < 0 || scale > precision) {
    throw new InvalidSchemaError(`decimal column "${name}" needs 1 <= precision and 0 <= scale <= precision, got (${precision}, ${scale})`);
  }
}

function describe(command: SchemaCommand): string {
  return command.kind.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
}
