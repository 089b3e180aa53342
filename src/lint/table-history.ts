import type { ColumnSpec, SchemaCommand } from "../schema/commands.js";
import type { ColumnInfo } from "../schema/live-schema.js";

/** Where a table, under its current name, comes from. */
export type TableOrigin =
  /** It was in the database before the migrations being linted (under `liveName`). */
  | { readonly kind: "live"; readonly liveName: string }
  /** A migration file created it; `ran` when the tracking table says that file ran. */
  | { readonly kind: "created"; readonly migration: string; readonly ran: boolean };

/**
 * The tables as the migration files leave them, operation by operation: where each name
 * comes from (created by which file, or there before, perhaps under another name) and,
 * for tables the files created, the columns they declared. Lint asks it for the facts
 * of a table at a point of a migration, then applies the operation, so later operations
 * see earlier ones. Names fold as the database folds them is not modelled: names are
 * compared exactly, as the migration files spell them.
 */
export class TableHistory {
  readonly #origins = new Map<string, TableOrigin>();
  /** Names dropped or renamed away: no longer the live table of that name. */
  readonly #gone = new Set<string>();
  readonly #columns = new Map<string, ColumnInfo[]>();

  /** Undefined when no file touched the name: then it is whatever the database has. */
  origin(table: string): TableOrigin | undefined {
    const origin = this.#origins.get(table);
    if (origin) return origin;
    return this.#gone.has(table) ? undefined : { kind: "live", liveName: table };
  }

  /** Whether a name was dropped or renamed away by a file (and not created again). */
  isGone(table: string): boolean {
    return !this.#origins.has(table) && this.#gone.has(table);
  }

  /** The name to read live facts under: undefined for a table no database has yet (or any more). */
  liveName(table: string): string | undefined {
    const origin = this.origin(table);
    if (!origin) return undefined;
    if (origin.kind === "live") return origin.liveName;
    return origin.ran ? table : undefined;
  }

  /** Whether a migration file created (or renamed into) this name. */
  createdByFiles(table: string): boolean {
    return this.#origins.get(table)?.kind === "created";
  }

  /** The columns the files declared for a table they created; undefined for any other. */
  declaredColumns(table: string): readonly ColumnInfo[] | undefined {
    return this.#columns.get(table);
  }

  /** Every table the files created and did not drop, sorted (the offline `getTables`). */
  createdTables(): string[] {
    return [...this.#origins].filter(([, o]) => o.kind === "created").map(([name]) => name).sort();
  }

  apply(command: SchemaCommand, migration: string, ran: boolean): void {
    switch (command.kind) {
      case "createTable":
        if (command.ifNotExists && this.#origins.has(command.table)) return;
        this.#origins.set(command.table, { kind: "created", migration, ran });
        this.#gone.delete(command.table);
        this.#columns.set(command.table, command.columns.map(columnInfo));
        return;
      case "dropTable":
        this.#forget(command.table);
        return;
      case "renameTable": {
        const origin = this.origin(command.from);
        const columns = this.#columns.get(command.from);
        this.#forget(command.from);
        // A rename that ran is in the database already: the live table has the new name.
        if (origin) this.#origins.set(command.to, ran && origin.kind === "live" ? { kind: "live", liveName: command.to } : origin);
        if (columns) this.#columns.set(command.to, columns);
        this.#gone.delete(command.to);
        return;
      }
      case "addColumn":
        this.#columns.get(command.table)?.push(columnInfo(command.column));
        return;
      case "changeColumn": {
        const columns = this.#columns.get(command.table);
        const at = columns?.findIndex((c) => c.name === command.column.name) ?? -1;
        if (columns && at >= 0) columns[at] = columnInfo(command.column);
        return;
      }
      case "renameColumn": {
        const columns = this.#columns.get(command.table);
        const at = columns?.findIndex((c) => c.name === command.from) ?? -1;
        if (columns && at >= 0) columns[at] = { ...columns[at]!, name: command.to };
        return;
      }
      case "dropColumns": {
        const columns = this.#columns.get(command.table);
        if (columns) this.#columns.set(command.table, columns.filter((c) => !command.columns.includes(c.name)));
        return;
      }
      default:
        return;
    }
  }

  #forget(table: string): void {
    this.#origins.delete(table);
    this.#columns.delete(table);
    this.#gone.add(table);
  }
}

/**
 * A declared column in the introspector's shape. Offline there is no database to name
 * the type, so `typeName` and `type` are Mortar's own column type names (`string`,
 * `bigInteger` …), and `default` is only set for plain values.
 */
function columnInfo(column: ColumnSpec): ColumnInfo {
  const value = column.default;
  const simple = typeof value === "string" || typeof value === "number" || typeof value === "boolean" || typeof value === "bigint";
  return {
    name: column.name,
    typeName: column.type,
    type: column.type,
    nullable: column.nullable,
    default: value === null ? "null" : simple ? String(value) : null,
    autoIncrement: column.autoIncrement,
    comment: column.comment ?? null,
  };
}
