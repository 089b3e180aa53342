import type { ForeignKeyInfo, IndexInfo, LiveTable } from "../schema/live-schema.js";
import type { ColumnSpec, CommandOf, IndexSpec, SchemaCommand } from "../schema/commands.js";
import { type CommandHandlers, type CompiledQuery, Grammar, mapColumnType, query } from "./grammar.js";
import { MYSQL_TYPES, mysqlStringLiteral } from "./mysql-column-types.js";
import { mysqlSafePlan } from "./mysql-safe-plan.js";
import type { SafePlan } from "./safe-plan.js";

const INDEX_KEYWORDS = { unique: "unique", index: "index", fulltext: "fulltext" } as const;

/**
 * MySQL / MariaDB. Everything a table owns (keys, indexes, foreign keys) is declared
 * inside `create table`, and every DDL statement commits on its own, so each command
 * compiles to one statement where possible.
 */
export class MysqlGrammar extends Grammar {
  readonly dialect = "mysql" as const;
  readonly maxIdentifierLength = 64;

  protected readonly handlers: CommandHandlers = {
    createTable: (c) => [this.#createTable(c)],
    dropTable: (c) => [query(`drop table ${c.ifExists ? "if exists " : ""}${this.quoteIdentifier(c.table)}`)],
    renameTable: (c) => [query(`rename table ${this.quoteIdentifier(c.from)} to ${this.quoteIdentifier(c.to)}`)],
    truncateTable: (c) => [query(`truncate table ${this.quoteIdentifier(c.table)}`)],
    addColumn: (c) => [this.#alter(c.table, `add ${this.#columnDefinition(c.column, "add")}`)],
    changeColumn: (c) => [this.#alter(c.table, `modify ${this.#columnDefinition(c.column, "modify")}`)],
    renameColumn: (c) =>
      [this.#alter(c.table, `rename column ${this.quoteIdentifier(c.from)} to ${this.quoteIdentifier(c.to)}`)],
    dropColumns: (c) => [this.#alter(c.table, c.columns.map((name) => `drop ${this.quoteIdentifier(name)}`).join(", "))],
    addIndex: (c) => [this.#alter(c.table, `add ${this.#indexClause(c.index)}`)],
    dropIndex: (c) =>
      [this.#alter(c.table, c.type === "primary" ? "drop primary key" : `drop index ${this.quoteIdentifier(c.name)}`)],
    renameIndex: (c) =>
      [this.#alter(c.table, `rename index ${this.quoteIdentifier(c.from)} to ${this.quoteIdentifier(c.to)}`)],
    addForeignKey: (c) => [this.#alter(c.table, `add ${this.foreignKeyClause(c.foreignKey)}`)],
    dropForeignKey: (c) => this.#dropForeignKey(c),
  };

  /**
   * change() must restate MariaDB's column-level checks, and dropping an index
   * must not take the last one a foreign key can use.
   */
  override liveTable(command: SchemaCommand): string | undefined {
    return command.kind === "changeColumn" || command.kind === "dropIndex" ? command.table : undefined;
  }

  override compileSafe(command: SchemaCommand, compiled: readonly CompiledQuery[], _live?: LiveTable): SafePlan | undefined {
    return mysqlSafePlan(command, compiled);
  }

  override compileAgainstLive(command: SchemaCommand, live: LiveTable | undefined): CompiledQuery[] {
    if (live === undefined) return this.compileOne(command);
    if (command.kind === "changeColumn") {
      // check() restated in the change replaces the column's checks rather than adding to them.
      const checks = command.column.checks?.length ? [] : this.#columnChecks(command.column, live);
      return [this.#alter(command.table, `modify ${this.#columnDefinition(command.column, "modify", checks)}`)];
    }
    if (command.kind === "dropIndex") {
      const drop = command.type === "primary" ? "drop primary key" : `drop index ${this.quoteIdentifier(command.name)}`;
      return [this.#alter(command.table, [drop, ...this.#foreignKeyIndexes(command, live)].join(", "))];
    }
    return this.compileOne(command);
  }

  quoteIdentifier(name: string): string {
    return `\`${this.checkedIdentifier(name).replaceAll("`", "``")}\``;
  }

  parameter(_index: number): string {
    return "?";
  }

  /** See mysqlStringLiteral: backslashes and quotes doubled, NUL as `\0`. */
  override quoteString(value: string): string {
    return mysqlStringLiteral(value);
  }

  compileDropAll(tables: readonly string[], views: readonly string[]): CompiledQuery[] {
    if (tables.length === 0 && views.length === 0) return [];
    const statements = [query("set foreign_key_checks = 0")];
    if (views.length) statements.push(query(`drop view if exists ${this.columnList(views)}`));
    if (tables.length) statements.push(query(`drop table if exists ${this.columnList(tables)}`));
    statements.push(query("set foreign_key_checks = 1"));
    return statements;
  }

  #alter(table: string, clause: string): CompiledQuery {
    return query(`alter table ${this.quoteIdentifier(table)} ${clause}`);
  }

  /**
   * MySQL and MariaDB give a foreign key without a usable index an index of their own,
   * named like the constraint, and `drop foreign key` leaves it behind, so a key added
   * and dropped again would leave the table with an index it never had. The index of
   * that name is dropped too when it exists (it is the implicit one unless a migration
   * named an index exactly like the key). Whether it exists is only known on the server,
   * and neither dialect has `drop index if exists` in common, hence the prepared
   * statement, which runs `do 0` when there is nothing to drop.
   */
  #dropForeignKey(command: CommandOf<"dropForeignKey">): CompiledQuery[] {
    const dropIndex = this.quoteString(`alter table ${this.quoteIdentifier(command.table)} drop index ${this.quoteIdentifier(command.name)}`);
    const statement = "mortar_drop_fk_index";
    return [
      this.#alter(command.table, `drop foreign key ${this.quoteIdentifier(command.name)}`),
      query(
        `set @${statement} = (select if(count(*) > 0, ${dropIndex}, 'do 0') from information_schema.statistics ` +
          `where table_schema = database() and table_name = ${this.quoteString(command.table)} ` +
          `and index_name = ${this.quoteString(command.name)})`,
      ),
      query(`prepare ${statement} from @${statement}`),
      query(`execute ${statement}`),
      query(`deallocate prepare ${statement}`),
    ];
  }

  /**
   * MariaDB drops a column-level check with a MODIFY COLUMN that does not restate it, so
   * the column's checks are written back as the server prints them. `json_valid(col)` is
   * not: it belongs to MariaDB's json type, which brings it back by itself (and a column
   * restated as another type should not keep it).
   */
  #columnChecks(column: ColumnSpec, live: LiveTable): string[] {
    const jsonCheck = `json_valid(${this.quoteIdentifier(column.name)})`;
    return live.checks
      .filter((check) => check.columnLevel === true && check.columns[0] === column.name && check.expression !== jsonCheck)
      .map((check) => check.expression);
  }

  /**
   * InnoDB drops the index it made for a foreign key once a later index (one starting
   * with the key's columns) can serve instead, and then refuses to drop that later
   * index ("needed in a foreign key constraint"). Dropping it here adds back, in the
   * same statement, the index InnoDB had made: the key's columns, named like the key.
   */
  #foreignKeyIndexes(command: CommandOf<"dropIndex">, live: LiveTable): string[] {
    const droppedName = command.type === "primary" ? "PRIMARY" : command.name;
    const dropped = live.indexes.find((index) => index.name === droppedName);
    if (dropped === undefined) return [];
    const usable = live.indexes.filter((index) => index !== dropped && index.type !== "fulltext");
    const added: string[] = [];
    for (const foreignKey of live.foreignKeys) {
      if (!serves(dropped, foreignKey) || usable.some((index) => serves(index, foreignKey))) continue;
      if (live.indexes.some((index) => index.name === foreignKey.name)) continue;
      added.push(`add index ${this.quoteIdentifier(foreignKey.name)} (${this.columnList(foreignKey.columns)})`);
      usable.push({ name: foreignKey.name, columns: foreignKey.columns, unique: false, primary: false, type: "btree" });
    }
    return added;
  }

  #createTable(command: CommandOf<"createTable">): CompiledQuery {
    const parts = command.columns.map((column) => this.#columnDefinition(column, "create"));
    if (command.primaryKey) parts.push(this.#indexClause(command.primaryKey));
    for (const index of command.indexes) parts.push(this.#indexClause(index));
    for (const foreignKey of command.foreignKeys) parts.push(this.foreignKeyClause(foreignKey));
    return query(
      `create table ${command.ifNotExists ? "if not exists " : ""}${this.quoteIdentifier(command.table)} (${parts.join(", ")})` +
        " default character set utf8mb4 collate utf8mb4_unicode_ci engine = InnoDB",
    );
  }

  /** MySQL always names the primary key PRIMARY, so the spec's name is not written. */
  #indexClause(index: IndexSpec): string {
    if (index.language !== undefined) {
      // Laravel drops it silently; Mortar never ignores what a migration asked for.
      this.unsupported(
        `give fulltext index "${index.name}" the language ${this.quoteString(index.language)}`,
        "MySQL fulltext indexes have no language (the column's collation and the server's stopword settings decide); remove .language() or choose per dialect with this.db.dialect",
      );
    }
    const columns = `(${this.indexColumns(index)})`;
    if (index.type === "primary") return `primary key ${columns}`;
    return `${INDEX_KEYWORDS[index.type]} ${this.quoteIdentifier(index.name)} ${columns}`;
  }

  #columnDefinition(column: ColumnSpec, context: "create" | "add" | "modify", checks: readonly string[] = []): string {
    let sql = `${this.quoteIdentifier(column.name)} ${this.#type(column)}`;
    if (column.charset !== undefined) sql += ` character set ${this.#characterSetName(column.charset, "charset")}`;
    if (column.collation !== undefined) sql += ` collate ${this.#characterSetName(column.collation, "collation")}`;
    sql += this.generatedClause(column);
    // MariaDB takes no NULL after a generated column (it is nullable already); NOT NULL
    // asked for with nullable(false) is left for the server to accept or refuse.
    if (column.generated === undefined || !column.nullable) sql += column.nullable && !column.autoIncrement ? " null" : " not null";
    sql += this.defaultClause(column);
    if (column.useCurrentOnUpdate) sql += ` on update ${this.currentTimestamp(column)}`;
    if (column.autoIncrement) {
      sql += " auto_increment";
      // Restating a key column with `modify` must not declare a second primary key.
      if (column.primary && context !== "modify") sql += " primary key";
    }
    if (column.comment !== undefined) sql += ` comment ${this.quoteString(column.comment)}`;
    for (const check of checks) sql += ` check (${check})`;
    sql += this.checkClauses(column);
    return sql + this.#placement(column, context);
  }

  /** `timestamp(3)` takes a default only of its own precision: `CURRENT_TIMESTAMP(3)`. */
  protected override currentTimestamp(column: ColumnSpec): string {
    return column.type === "timestampTz" && column.precision > 0 ? `CURRENT_TIMESTAMP(${column.precision})` : "CURRENT_TIMESTAMP";
  }

  /**
   * Character set and collation names are words MySQL knows (`utf8mb4_0900_ai_ci`); they
   * are written bare, so anything else is refused rather than quoted into a guess.
   */
  #characterSetName(name: string, method: "charset" | "collation"): string {
    if (!/^[A-Za-z0-9_]+$/.test(name)) {
      this.unsupported(`use ${method} "${name}"`, "MySQL character set and collation names are letters, digits and underscores");
    }
    return name;
  }

  #placement(column: ColumnSpec, context: "create" | "add" | "modify"): string {
    if (!column.first && column.after === undefined) return "";
    if (context === "create") {
      this.unsupported(
        `place column "${column.name}" with first()/after() in create table`,
        "columns are created in the order they are declared",
      );
    }
    if (column.first && column.after !== undefined) {
      this.unsupported(`place column "${column.name}" both first() and after("${column.after}")`);
    }
    return column.first ? " first" : ` after ${this.quoteIdentifier(column.after!)}`;
  }

  /** The column's type, with `unsigned` on the numeric ones (MySQL rejects it on any other). */
  #type(column: ColumnSpec): string {
    return mapColumnType(MYSQL_TYPES, column);
  }

}

/** MySQL can enforce a foreign key with an index whose leading columns are the key's, in order. */
function serves(index: IndexInfo, foreignKey: ForeignKeyInfo): boolean {
  return index.type !== "fulltext" && foreignKey.columns.every((column, i) => index.columns[i] === column);
}
