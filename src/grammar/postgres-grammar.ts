import type { ColumnSpec, CommandOf, IndexSpec } from "../schema/commands.js";
import { Grammar, query, type CommandHandlers, type CompiledQuery } from "./grammar.js";

/** Identity columns need an integer type; the helpers that create them only produce these. */
const IDENTITY_TYPES: Partial<Record<ColumnSpec["type"], string>> = {
  integer: "integer",
  bigInteger: "bigint",
  smallInteger: "smallint",
  tinyInteger: "smallint",
  mediumInteger: "integer",
};

/**
 * PostgreSQL DDL. PostgreSQL has no unsigned types (the modifier emits nothing), keeps
 * comments out of the column definition, and names unique and primary keys as table
 * constraints so they can be dropped by name.
 *
 * @example
 * new PostgresGrammar().compile([{ kind: "dropTable", table: "users", ifExists: true }]);
 * // [{ sql: 'drop table if exists "users"', parameters: [] }]
 */
export class PostgresGrammar extends Grammar {
  readonly dialect = "postgres" as const;
  readonly maxIdentifierLength = 63;

  protected readonly handlers: CommandHandlers = {
    createTable: (c) => this.#createTable(c),
    dropTable: (c) => [query(`drop table ${c.ifExists ? "if exists " : ""}${this.quoteIdentifier(c.table)}`)],
    renameTable: (c) => [query(`alter table ${this.quoteIdentifier(c.from)} rename to ${this.quoteIdentifier(c.to)}`)],
    truncateTable: (c) => [query(`truncate table ${this.quoteIdentifier(c.table)} restart identity`)],
    addColumn: (c) => this.#addColumn(c),
    changeColumn: (c) => this.#changeColumn(c),
    renameColumn: (c) => [
      query(
        `alter table ${this.quoteIdentifier(c.table)} rename column ${this.quoteIdentifier(c.from)} to ${this.quoteIdentifier(c.to)}`,
      ),
    ],
    dropColumns: (c) => [
      query(
        `alter table ${this.quoteIdentifier(c.table)} ` +
          c.columns.map((column) => `drop column ${this.quoteIdentifier(column)}`).join(", "),
      ),
    ],
    addIndex: (c) => [this.#addIndex(c.table, c.index)],
    dropIndex: (c) => [this.#dropIndex(c)],
    renameIndex: (c) => [query(`alter index ${this.quoteIdentifier(c.from)} rename to ${this.quoteIdentifier(c.to)}`)],
    addForeignKey: (c) => [query(`alter table ${this.quoteIdentifier(c.table)} add ${this.foreignKeyClause(c.foreignKey)}`)],
    dropForeignKey: (c) => [
      query(`alter table ${this.quoteIdentifier(c.table)} drop constraint ${this.quoteIdentifier(c.name)}`),
    ],
  };

  quoteIdentifier(name: string): string {
    return `"${name.replaceAll('"', '""')}"`;
  }

  parameter(index: number): string {
    return `$${index}`;
  }

  protected override booleanLiteral(value: boolean): string {
    return value ? "true" : "false";
  }

  /** `cascade` also removes views and foreign keys of tables outside the list that depend on them. */
  compileDropAll(tables: readonly string[], views: readonly string[]): CompiledQuery[] {
    const statements: CompiledQuery[] = [];
    if (views.length) statements.push(query(`drop view if exists ${this.columnList(views)} cascade`));
    if (tables.length) statements.push(query(`drop table if exists ${this.columnList(tables)} cascade`));
    return statements;
  }

  // ── tables ──────────────────────────────────────────────────────────────────

  #createTable(command: CommandOf<"createTable">): CompiledQuery[] {
    // A primary key among the indexes would be a Blueprint bug; refuse rather than drop it.
    if (command.indexes.some((index) => index.type === "primary")) {
      this.unsupported("declare a primary key among the secondary indexes of create table");
    }
    const table = this.quoteIdentifier(command.table);
    const parts = command.columns.map((column) => this.#columnDefinition(column));
    if (command.primaryKey) parts.push(this.#constraint(command.primaryKey));
    for (const index of command.indexes) if (index.type === "unique") parts.push(this.#constraint(index));
    for (const foreignKey of command.foreignKeys) parts.push(this.foreignKeyClause(foreignKey));
    const statements = [query(`create table ${command.ifNotExists ? "if not exists " : ""}${table} (${parts.join(", ")})`)];
    for (const index of command.indexes) {
      if (index.type === "index" || index.type === "fulltext") statements.push(this.#createIndex(command.table, index));
    }
    for (const column of command.columns) {
      if (column.comment !== undefined) statements.push(this.#comment(command.table, column.name, column.comment));
    }
    return statements;
  }

  // ── columns ─────────────────────────────────────────────────────────────────

  #addColumn(command: CommandOf<"addColumn">): CompiledQuery[] {
    const statements = [
      query(`alter table ${this.quoteIdentifier(command.table)} add column ${this.#columnDefinition(command.column)}`),
    ];
    if (command.column.comment !== undefined) {
      statements.push(this.#comment(command.table, command.column.name, command.column.comment));
    }
    return statements;
  }

  /**
   * The column is restated whole (Laravel 11): nullability, default and comment not
   * restated are removed. The `using` cast lets PostgreSQL convert existing rows.
   */
  #changeColumn(command: CommandOf<"changeColumn">): CompiledQuery[] {
    const column = command.column;
    this.#refusePlacement(column);
    this.#refuseOnUpdate(column);
    if (column.autoIncrement) {
      this.unsupported("change a column into an identity column", "add a new increments column instead");
    }
    if (column.type === "enum") {
      this.unsupported("change a column into an enum", "its check constraint cannot be altered in place");
    }
    const name = this.quoteIdentifier(column.name);
    const type = this.#type(column);
    const defaultClause = this.defaultClause(column);
    const alters = [
      `alter column ${name} type ${type} using ${name}::${type}`,
      `alter column ${name} ${column.nullable ? "drop not null" : "set not null"}`,
      `alter column ${name} ${defaultClause ? `set${defaultClause}` : "drop default"}`,
    ];
    return [
      query(`alter table ${this.quoteIdentifier(command.table)} ${alters.join(", ")}`),
      this.#comment(command.table, column.name, column.comment ?? null),
    ];
  }

  #columnDefinition(column: ColumnSpec): string {
    this.#refusePlacement(column);
    this.#refuseOnUpdate(column);
    const name = this.quoteIdentifier(column.name);
    if (column.autoIncrement) return `${name} ${this.#identity(column)}`;
    const nullability = column.nullable ? " null" : " not null";
    return `${name} ${this.#type(column)}${nullability}${this.defaultClause(column)}`;
  }

  /** An identity column is implicitly not null and owns its default, so nothing else is emitted. */
  #identity(column: ColumnSpec): string {
    const type = IDENTITY_TYPES[column.type];
    if (!type) this.unsupported(`make a ${column.type} column auto-increment`, "use an integer type");
    if (column.nullable) this.unsupported(`make identity column "${column.name}" nullable`);
    if (column.default !== undefined || column.useCurrent) {
      this.unsupported(`give identity column "${column.name}" a default`);
    }
    return `${type} generated by default as identity${column.primary ? " primary key" : ""}`;
  }

  #type(column: ColumnSpec): string {
    switch (column.type) {
      case "integer":
      case "mediumInteger":
      case "year":
        return "integer";
      case "bigInteger":
        return "bigint";
      case "smallInteger":
      case "tinyInteger":
        return "smallint";
      case "decimal":
        return `numeric(${column.precision ?? 8}, ${column.scale ?? 2})`;
      case "float":
        return "real";
      case "double":
        return "double precision";
      case "boolean":
        return "boolean";
      case "string":
        return `varchar(${column.length ?? 255})`;
      case "char":
        return `char(${column.length ?? 255})`;
      case "text":
      case "tinyText":
      case "mediumText":
      case "longText":
        return "text";
      case "json":
        return "json";
      case "jsonb":
        return "jsonb";
      case "uuid":
        return "uuid";
      case "binary":
        return "bytea";
      case "date":
        return "date";
      case "time":
        return "time";
      case "datetime":
        return "timestamp";
      case "timestamp":
        return "timestamptz";
      case "enum": {
        const values = (column.values ?? []).map((v) => this.quoteString(v)).join(", ");
        return `varchar(255) check (${this.quoteIdentifier(column.name)} in (${values}))`;
      }
      case "inet":
        return "inet";
      case "cidr":
        return "cidr";
      case "macAddress":
        return "macaddr";
      case "point":
        return "point";
      case "geometry":
        return "geometry";
    }
  }

  #refusePlacement(column: ColumnSpec): void {
    if (column.first) this.unsupported(`place column "${column.name}" first`, "PostgreSQL always appends columns");
    if (column.after !== undefined) {
      this.unsupported(`place column "${column.name}" after "${column.after}"`, "PostgreSQL always appends columns");
    }
  }

  #refuseOnUpdate(column: ColumnSpec): void {
    if (column.useCurrentOnUpdate) {
      this.unsupported("use on update CURRENT_TIMESTAMP", `use a trigger to set "${column.name}" on update`);
    }
  }

  #comment(table: string, column: string, comment: string | null): CompiledQuery {
    const text = comment === null ? "null" : this.quoteString(comment);
    return query(`comment on column ${this.quoteIdentifier(table)}.${this.quoteIdentifier(column)} is ${text}`);
  }

  // ── indexes ─────────────────────────────────────────────────────────────────

  /** Primary and unique keys are table constraints; the rest are standalone indexes. */
  #constraint(index: IndexSpec): string {
    const kind = index.type === "primary" ? "primary key" : "unique";
    return `constraint ${this.quoteIdentifier(index.name)} ${kind} (${this.indexColumns(index)})`;
  }

  #addIndex(table: string, index: IndexSpec): CompiledQuery {
    if (index.type === "primary" || index.type === "unique") {
      return query(`alter table ${this.quoteIdentifier(table)} add ${this.#constraint(index)}`);
    }
    return this.#createIndex(table, index);
  }

  #createIndex(table: string, index: IndexSpec): CompiledQuery {
    const prefix = `create index ${this.quoteIdentifier(index.name)} on ${this.quoteIdentifier(table)}`;
    if (index.type === "fulltext") return query(`${prefix} using gin (${this.#tsvector(index.columns)})`);
    return query(`${prefix} (${this.indexColumns(index)})`);
  }

  /** An index expression must be parenthesized unless it is a single function call. */
  #tsvector(columns: readonly string[]): string {
    const vectors = columns.map((c) => `to_tsvector('english', ${this.quoteIdentifier(c)})`);
    return vectors.length === 1 ? vectors[0]! : `(${vectors.join(" || ")})`;
  }

  #dropIndex(command: CommandOf<"dropIndex">): CompiledQuery {
    if (command.type === "primary" || command.type === "unique") {
      return query(`alter table ${this.quoteIdentifier(command.table)} drop constraint ${this.quoteIdentifier(command.name)}`);
    }
    return query(`drop index ${this.quoteIdentifier(command.name)}`);
  }
}
