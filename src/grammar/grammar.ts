import { InvalidSchemaError, UnsupportedOperationError } from "../errors.js";
import type {
  ColumnOf,
  ColumnSpec,
  ColumnType,
  CommandOf,
  DefaultValue,
  ForeignKeySpec,
  IndexSpec,
  SchemaCommand,
  SchemaCommandKind,
} from "../schema/commands.js";
import { RawExpression } from "../schema/commands.js";
import type { DialectName, LiveTable, TableSnapshot } from "../schema/live-schema.js";
import type { SafePlan } from "./safe-plan.js";


/** One statement ready for a driver: SQL text with its bound parameters. */
export interface CompiledQuery {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/**
 * One handler per command kind. Declared as a mapped type so that adding a kind to
 * SchemaCommand without a handler in every dialect is a compile error.
 */
export type CommandHandlers = {
  readonly [K in SchemaCommandKind]: (command: CommandOf<K>) => CompiledQuery[];
};

/**
 * A dialect's SQL type for every column type. A mapped type over ColumnType, so a type
 * added to the ColumnSpec union fails to compile until every dialect maps it; a type a
 * dialect cannot store is an entry that refuses with UnsupportedOperationError.
 */
export type ColumnTypeMap = {
  readonly [T in ColumnType]: (column: ColumnOf<T>) => string;
};

/** The SQL type `types` gives `column`. */
export function mapColumnType(types: ColumnTypeMap, column: ColumnSpec): string {
  // TypeScript cannot pair `types[column.type]` with the narrowed `column`; the mapped type does.
  return (types[column.type] as (column: ColumnSpec) => string)(column);
}

export function query(sql: string, parameters: readonly unknown[] = []): CompiledQuery {
  return { sql, parameters };
}

/**
 * The base of every dialect grammar: pure functions from SchemaCommands to SQL. It
 * never touches a database, so every statement can be unit-tested as an exact string.
 * Identifiers are always quoted and literal values always escaped here: nothing a
 * migration passes as a name or default can change the shape of the SQL.
 */
export abstract class Grammar {
  abstract readonly dialect: DialectName;
  /** Longest identifier the dialect accepts (bytes). */
  abstract readonly maxIdentifierLength: number;
  protected abstract readonly handlers: CommandHandlers;

  /** Compile commands, in order, into the statements that carry them out. */
  compile(commands: readonly SchemaCommand[]): CompiledQuery[] {
    return commands.flatMap((command) => this.compileOne(command));
  }

  compileOne(command: SchemaCommand): CompiledQuery[] {
    const handler = this.handlers[command.kind] as (c: SchemaCommand) => CompiledQuery[];
    return handler(command);
  }

  /**
   * The table whose live definition `command` needs before it can be compiled, or
   * undefined for a command compiled from itself alone (every command but SQLite's
   * table rebuilds).
   */
  snapshotTable(_command: SchemaCommand): string | undefined {
    return undefined;
  }

  /** Compile commands that need the live table (see `snapshotTable`) against its snapshot. */
  compileWithSnapshot(
    commands: readonly SchemaCommand[],
    _snapshot: TableSnapshot,
  ): { readonly statements: CompiledQuery[]; readonly copiesTable: boolean } {
    throw new UnsupportedOperationError(this.dialect, `plan ${commands.map((c) => c.kind).join(", ")} against a table snapshot`);
  }

  /**
   * The table whose live columns, indexes, foreign keys and checks `command` must be
   * compiled against (see `compileAgainstLive`), or undefined for a command that needs
   * nothing beyond itself.
   */
  liveTable(_command: SchemaCommand): string | undefined {
    return undefined;
  }

  /**
   * Compile one command against its table as read just before it runs, so it keeps
   * what it does not restate. `live` is undefined when the table is not there to read
   * (a table created earlier in a pretended run): the command is then compiled alone.
   */
  compileAgainstLive(command: SchemaCommand, _live: LiveTable | undefined): CompiledQuery[] {
    return this.compileOne(command);
  }

  /**
   * Safe execution (`--safe`) of one command on a table that existed before the
   * migration, given its ordinary statements (`compiled`) and the table as it is now:
   * what runs in the migration and what runs as steps after it commits. Undefined runs
   * `compiled` as it is (the default: nothing to make safer on this dialect).
   */
  compileSafe(_command: SchemaCommand, _compiled: readonly CompiledQuery[], _live: LiveTable | undefined): SafePlan | undefined {
    return undefined;
  }

  /**
   * What compiling `command` leaves out on purpose, worded for the person running the
   * migration. Only what Laravel itself ignores is ever ignored (a column's `after()` /
   * `first()` where the dialect cannot place columns); the schema builder reports these
   * as warnings, which reach the run's `warnings`.
   */
  warningsFor(_command: SchemaCommand): string[] {
    return [];
  }

  /** Warnings for every placed column of `command`, which this dialect does not place. */
  protected ignoredPlacements(command: SchemaCommand, reason: string): string[] {
    if (command.kind !== "createTable" && command.kind !== "addColumn" && command.kind !== "changeColumn") return [];
    const columns = command.kind === "createTable" ? command.columns : [command.column];
    return columns.flatMap((column) => {
      const placement = [column.first ? "first()" : undefined, column.after !== undefined ? `after("${column.after}")` : undefined].filter(
        (p): p is string => p !== undefined,
      );
      if (placement.length === 0) return [];
      return [`${this.dialect} ignores ${placement.join(" and ")} on column "${column.name}" of table "${command.table}": ${reason}`];
    });
  }

  /** ` generated always as (expr) stored|virtual`, or "" for a plain column. */
  protected generatedClause(column: ColumnSpec): string {
    if (column.generated === undefined) return "";
    return ` generated always as (${column.generated.expression.sql}) ${column.generated.kind}`;
  }

  /** ` check (expr)` for each of the column's `check()` expressions. */
  protected checkClauses(column: ColumnSpec): string {
    return (column.checks ?? []).map((check) => ` check (${check.sql})`).join("");
  }

  /** Quote one identifier (a table, column, index or constraint name). */
  abstract quoteIdentifier(name: string): string;

  /**
   * PostgreSQL silently truncates an identifier over its limit (two long names can then
   * collide) and MySQL rejects it: both are refused here, naming the identifier.
   */
  protected checkedIdentifier(name: string): string {
    const bytes = Buffer.byteLength(name);
    if (bytes > this.maxIdentifierLength) {
      throw new InvalidSchemaError(
        `identifier "${name}" is ${bytes} bytes long; ${this.dialect} allows at most ${this.maxIdentifierLength}`,
      );
    }
    return name;
  }

  /** Bound-parameter placeholder for the n-th (1-based) parameter. */
  abstract parameter(index: number): string;

  /** Escape a string as an SQL literal (for DDL, where parameters cannot be bound). */
  quoteString(value: string): string {
    return `'${value.replaceAll("'", "''")}'`;
  }

  columnList(columns: readonly string[]): string {
    return columns.map((c) => this.quoteIdentifier(c)).join(", ");
  }

  /** A literal for DDL defaults: strings escaped, booleans in the dialect's spelling. */
  literal(value: DefaultValue): string {
    if (value === null) return "null";
    if (value instanceof RawExpression) return value.sql;
    switch (typeof value) {
      case "string":
        return this.quoteString(value);
      case "boolean":
        return this.booleanLiteral(value);
      case "number":
      case "bigint":
        return String(value);
      default:
        throw new InvalidSchemaError(`cannot use ${typeof value} as an SQL literal`);
    }
  }

  protected booleanLiteral(value: boolean): string {
    return value ? "1" : "0";
  }

  /** The `default …` clause of a column, or "" when it has none. */
  protected defaultClause(column: ColumnSpec): string {
    if (column.useCurrent) return ` default ${this.currentTimestamp(column)}`;
    if (column.default === undefined) return "";
    return ` default ${this.literal(column.default)}`;
  }

  protected currentTimestamp(_column: ColumnSpec): string {
    return "CURRENT_TIMESTAMP";
  }

  protected referentialClause(foreignKey: ForeignKeySpec): string {
    let sql = "";
    if (foreignKey.onDelete) sql += ` on delete ${foreignKey.onDelete}`;
    if (foreignKey.onUpdate) sql += ` on update ${foreignKey.onUpdate}`;
    return sql;
  }

  /** `constraint "name" foreign key ("a") references "t" ("id") on delete cascade` */
  foreignKeyClause(foreignKey: ForeignKeySpec): string {
    return (
      `constraint ${this.quoteIdentifier(foreignKey.name)} foreign key (${this.columnList(foreignKey.columns)}) ` +
      `references ${this.quoteIdentifier(foreignKey.referencedTable)} (${this.columnList(foreignKey.referencedColumns)})` +
      this.referentialClause(foreignKey)
    );
  }

  protected unsupported(operation: string, hint?: string): never {
    throw new UnsupportedOperationError(this.dialect, operation, hint);
  }

  // ── statements the schema builder and migrator need beyond SchemaCommands ────

  /** Statements that drop every given table and view (used by `migrate:fresh`). */
  abstract compileDropAll(tables: readonly string[], views: readonly string[]): CompiledQuery[];

  /** Primary key index spec helper shared by grammars that emit it separately. */
  protected indexColumns(index: IndexSpec): string {
    return this.columnList(index.columns);
  }
}
