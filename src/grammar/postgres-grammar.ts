import type { ColumnInfo, LiveTable } from "../schema/live-schema.js";
import {
  isIntegerColumn,
  type ColumnOf,
  type ColumnSpec,
  type CommandOf,
  type IndexSpec,
  type SchemaCommand,
} from "../schema/commands.js";
import { Grammar, mapColumnType, query, type CommandHandlers, type CompiledQuery } from "./grammar.js";
import { IDENTITY_TYPES, POSTGRES_TYPES } from "./postgres-column-types.js";
import { postgresSafePlan } from "./postgres-safe-plan.js";
import type { SafePlan } from "./safe-plan.js";
import { enumCheckName, isEnumCheck } from "./postgres-enum-check.js";

export { enumCheckName };

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
    renameTable: (c) => this.#renameTable(c),
    truncateTable: (c) => [query(`truncate table ${this.quoteIdentifier(c.table)} restart identity`)],
    addColumn: (c) => this.#addColumn(c),
    changeColumn: (c) => this.#changeColumn(c),
    renameColumn: (c) => this.#renameColumn(c),
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

  /** change() must know the live column's identity and the checks on it. */
  override liveTable(command: SchemaCommand): string | undefined {
    return command.kind === "changeColumn" ? command.table : undefined;
  }

  override compileSafe(command: SchemaCommand, compiled: readonly CompiledQuery[], live: LiveTable | undefined): SafePlan | undefined {
    return postgresSafePlan(this, command, compiled, live);
  }

  override compileAgainstLive(command: SchemaCommand, live: LiveTable | undefined): CompiledQuery[] {
    if (command.kind !== "changeColumn" || live === undefined) return this.compileOne(command);
    return this.#changeColumn(command, live);
  }

  quoteIdentifier(name: string): string {
    return `"${this.checkedIdentifier(name).replaceAll('"', '""')}"`;
  }

  parameter(index: number): string {
    return `$${index}`;
  }

  /**
   * A plain '…' literal reads a backslash as an escape when `standard_conforming_strings`
   * is off (a database or role setting Mortar cannot rule out), which would let `\'` end
   * the literal early. A value with a backslash is therefore written as an E'…' literal,
   * whose escapes mean the same under either setting; the rest stay plain '…', which no
   * setting reads differently once quotes are doubled.
   */
  override quoteString(value: string): string {
    if (!value.includes("\\")) return super.quoteString(value);
    return `E'${value.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
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
    const parts = command.columns.map((column) => this.#columnDefinition(command.table, column));
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
      query(`alter table ${this.quoteIdentifier(command.table)} add column ${this.#columnDefinition(command.table, command.column)}`),
    ];
    if (command.column.comment !== undefined) {
      statements.push(this.#comment(command.table, command.column.name, command.column.comment));
    }
    return statements;
  }

  /**
   * The column is restated whole (Laravel 11): nullability, default, comment and the
   * enum check not restated are removed. Both happen in the one ALTER TABLE, after the
   * rows are converted. The default is dropped before the type changes so an old default
   * that does not cast to the new type cannot block the change. The `using` cast
   * converts existing rows.
   *
   * Against the live table (`live`), only Mortar's own enum check is dropped: any other
   * check on the column (raw SQL, even one under PostgreSQL's default name, which is the
   * enum check's name too) is kept, and PostgreSQL re-checks it against the converted
   * rows. An identity column restated with `increments` keeps its identity, sequence
   * position and primary key; restated as a plain integer it loses the identity. Without
   * the live table (compiled alone, or pretending past a create) the enum check's name
   * is dropped `if exists` and the column is taken as what the migration says.
   */
  #changeColumn(command: CommandOf<"changeColumn">, live?: LiveTable): CompiledQuery[] {
    const column = command.column;
    this.#refuseOnUpdate(column);
    this.#refuseCharset(column);
    if (column.generated !== undefined) {
      this.unsupported(`change column "${column.name}" into a generated column`, "PostgreSQL cannot make an existing column generated; drop and add it");
    }
    const liveColumn = live?.columns.find((c) => c.name === column.name);
    const name = this.quoteIdentifier(column.name);
    const alters = this.#dropEnumCheck(command.table, column, live);
    if (column.autoIncrement) {
      const type = this.#identityType(column);
      alters.push(`alter column ${name} type ${type} using ${name}::${type}`);
      for (const check of column.checks ?? []) alters.push(`add check (${check.sql})`);
      const statements = [query(`alter table ${this.quoteIdentifier(command.table)} ${alters.join(", ")}`)];
      statements.push(...this.#keepIdentity(command.table, column, liveColumn, live));
      statements.push(this.#comment(command.table, column.name, column.comment ?? null));
      return statements;
    }
    const type = this.#type(column);
    const defaultClause = this.defaultClause(column);
    if (liveColumn?.autoIncrement) alters.push(`alter column ${name} drop identity if exists`);
    alters.push(
      `alter column ${name} drop default`,
      `alter column ${name} type ${type}${this.#collate(column)} using ${name}::${type}`,
      `alter column ${name} ${column.nullable ? "drop not null" : "set not null"}`,
    );
    if (defaultClause) alters.push(`alter column ${name} set${defaultClause}`);
    if (column.type === "enum") alters.push(`add ${this.#enumCheck(command.table, column)}`);
    for (const check of column.checks ?? []) alters.push(`add check (${check.sql})`);
    return [
      query(`alter table ${this.quoteIdentifier(command.table)} ${alters.join(", ")}`),
      this.#comment(command.table, column.name, column.comment ?? null),
    ];
  }

  /**
   * The `drop constraint` of the column's enum check, if any. A check of that name that
   * is not an enum's (a user's raw check under PostgreSQL's default name) is kept; when
   * the column is to become an enum its check cannot take that name, so the change is
   * refused naming the check rather than replacing it.
   */
  #dropEnumCheck(table: string, column: ColumnSpec, live: LiveTable | undefined): string[] {
    const checkName = enumCheckName(table, column.name);
    if (live === undefined) return [`drop constraint if exists ${this.quoteIdentifier(checkName)}`];
    const existing = live.checks.find((check) => check.name === checkName);
    if (existing === undefined) return [];
    if (isEnumCheck(existing, column.name)) return [`drop constraint ${this.quoteIdentifier(checkName)}`];
    if (column.type === "enum") {
      this.unsupported(
        `change column "${column.name}" into an enum: check "${checkName}" ${existing.expression} is not an enum's and holds the name the enum's check needs`,
        "rename or drop that check first",
      );
    }
    return [];
  }

  /**
   * An `increments` column restated: an identity or serial column keeps its sequence
   * (PostgreSQL converts an identity's sequence with the column's type); a plain column
   * becomes an identity whose next value follows the largest id, so new rows cannot
   * collide with old ones. A missing primary key is added back under the default name.
   */
  #keepIdentity(table: string, column: ColumnSpec, liveColumn: ColumnInfo | undefined, live: LiveTable | undefined): CompiledQuery[] {
    const statements: CompiledQuery[] = [];
    const quotedTable = this.quoteIdentifier(table);
    const name = this.quoteIdentifier(column.name);
    if (liveColumn !== undefined && !liveColumn.autoIncrement) {
      statements.push(
        query(`alter table ${quotedTable} alter column ${name} set not null, alter column ${name} drop default, alter column ${name} add generated by default as identity`),
        query(
          `select pg_catalog.setval(pg_catalog.pg_get_serial_sequence(${this.quoteString(quotedTable)}, ${this.quoteString(column.name)}), ` +
            `coalesce(max(${name}), 0) + 1, false) from ${quotedTable}`,
        ),
      );
    }
    if (column.primary && live !== undefined && !live.indexes.some((index) => index.primary)) {
      statements.push(query(`alter table ${quotedTable} add constraint ${this.quoteIdentifier(`${table}_pkey`)} primary key (${name})`));
    }
    return statements;
  }

  /**
   * An enum's check is named `{table}_{column}_check`, the name PostgreSQL itself gives
   * an unnamed column check (so tables made before it was named explicitly match too).
   * Renaming the column or the table renames the check with it, when it exists, so a
   * later change() still finds it; PL/pgSQL is the only way to say "if it exists" here.
   */
  #renameColumn(command: CommandOf<"renameColumn">): CompiledQuery[] {
    const table = this.quoteIdentifier(command.table);
    const from = enumCheckName(command.table, command.from);
    const to = enumCheckName(command.table, command.to);
    const body =
      `begin if exists (select 1 from pg_catalog.pg_constraint where conrelid = ${this.quoteString(table)}::regclass ` +
      `and conname = ${this.quoteString(from)}) then alter table ${table} rename constraint ${this.quoteIdentifier(from)} ` +
      `to ${this.quoteIdentifier(to)}; end if; end`;
    return [
      query(`alter table ${table} rename column ${this.quoteIdentifier(command.from)} to ${this.quoteIdentifier(command.to)}`),
      query(`do ${dollarQuote(body)}`),
    ];
  }

  /**
   * The checks of a renamed table are found through the catalog (the grammar does not
   * know its columns): every single-column check called `{from}_{column}_check` becomes
   * `{to}_{column}_check`. Names too long to be written whole are left as they are.
   */
  #renameTable(command: CommandOf<"renameTable">): CompiledQuery[] {
    const to = this.quoteIdentifier(command.to);
    const from = this.quoteString(command.from);
    const target = this.quoteString(command.to);
    const body =
      `declare r record; begin for r in select c.conname::text as old_name, ${target} || '_' || a.attname || '_check' as new_name ` +
      `from pg_catalog.pg_constraint c join pg_catalog.pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1] ` +
      `where c.conrelid = ${this.quoteString(to)}::regclass and c.contype = 'c' and cardinality(c.conkey) = 1 ` +
      `and c.conname::text = ${from} || '_' || a.attname || '_check' ` +
      `and octet_length(${target} || '_' || a.attname || '_check') <= ${this.maxIdentifierLength} loop ` +
      `execute format('alter table %I rename constraint %I to %I', ${target}, r.old_name, r.new_name); end loop; end`;
    return [query(`alter table ${this.quoteIdentifier(command.from)} rename to ${to}`), query(`do ${dollarQuote(body)}`)];
  }

  #enumCheck(table: string, column: ColumnOf<"enum">): string {
    const values = column.values.map((v) => this.quoteString(v)).join(", ");
    const name = this.quoteIdentifier(enumCheckName(table, column.name));
    return `constraint ${name} check (${this.quoteIdentifier(column.name)} in (${values}))`;
  }

  #columnDefinition(table: string, column: ColumnSpec): string {
    this.#refuseOnUpdate(column);
    this.#refuseCharset(column);
    this.#refuseVirtual(column);
    const name = this.quoteIdentifier(column.name);
    if (column.autoIncrement) return `${name} ${this.#identity(column)}${this.checkClauses(column)}`;
    const nullability = column.nullable ? " null" : " not null";
    const check = column.type === "enum" ? ` ${this.#enumCheck(table, column)}` : "";
    return (
      `${name} ${this.#type(column)}${this.#collate(column)}${nullability}${this.defaultClause(column)}` +
      `${this.generatedClause(column)}${check}${this.checkClauses(column)}`
    );
  }

  /** Laravel ignores after()/first() here, and so does Mortar, with a warning. */
  override warningsFor(command: SchemaCommand): string[] {
    return this.ignoredPlacements(command, "PostgreSQL always appends columns");
  }

  /** ` collate "C"`: a collation is an identifier, quoted like one. */
  #collate(column: ColumnSpec): string {
    return column.collation === undefined ? "" : ` collate ${this.quoteIdentifier(column.collation)}`;
  }

  #refuseCharset(column: ColumnSpec): void {
    if (column.charset !== undefined) {
      this.unsupported(`set charset "${column.charset}" on column "${column.name}"`, "PostgreSQL has one encoding per database; use collation()");
    }
  }

  /** PostgreSQL before 18 computes generated columns only when rows are written. */
  #refuseVirtual(column: ColumnSpec): void {
    if (column.generated?.kind === "virtual") {
      this.unsupported(`create virtual generated column "${column.name}"`, "PostgreSQL before 18 has only stored generated columns; use storedAs()");
    }
  }

  /** An identity column is implicitly not null and owns its default, so nothing else is emitted. */
  #identity(column: ColumnSpec): string {
    return `${this.#identityType(column)} generated by default as identity${column.primary ? " primary key" : ""}`;
  }

  /** The integer type of an identity column, refusing what an identity cannot be. */
  #identityType(column: ColumnSpec): string {
    if (!isIntegerColumn(column)) this.unsupported(`make a ${column.type} column auto-increment`, "use an integer type");
    const type = IDENTITY_TYPES[column.type];
    if (column.nullable) this.unsupported(`make identity column "${column.name}" nullable`);
    if (column.default !== undefined || column.useCurrent) {
      this.unsupported(`give identity column "${column.name}" a default`);
    }
    return type;
  }

  #type(column: ColumnSpec): string {
    return mapColumnType(POSTGRES_TYPES, column);
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
    if (index.type === "fulltext") return query(`${prefix} using gin (${this.#tsvector(index)})`);
    return query(`${prefix} (${this.indexColumns(index)})`);
  }

  /**
   * An index expression must be parenthesized unless it is a single function call. The
   * language (a text-search configuration, Laravel's default `english`) is a value: an
   * escaped literal, so `.language()` cannot add SQL.
   */
  #tsvector(index: IndexSpec): string {
    const language = this.quoteString(index.language ?? "english");
    const vectors = index.columns.map((c) => `to_tsvector(${language}, ${this.quoteIdentifier(c)})`);
    return vectors.length === 1 ? vectors[0]! : `(${vectors.join(" || ")})`;
  }

  #dropIndex(command: CommandOf<"dropIndex">): CompiledQuery {
    if (command.type === "primary" || command.type === "unique") {
      return query(`alter table ${this.quoteIdentifier(command.table)} drop constraint ${this.quoteIdentifier(command.name)}`);
    }
    return query(`drop index ${this.quoteIdentifier(command.name)}`);
  }
}

/** A dollar-quoted string whose tag cannot occur inside it (identifiers may hold `$`). */
function dollarQuote(body: string): string {
  let tag = "$mortar$";
  for (let n = 1; body.includes(tag); n++) tag = `$mortar${n}$`;
  return `${tag}${body}${tag}`;
}
