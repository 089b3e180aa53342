import type { SchemaCommand } from "../../schema/commands.js";

/**
 * Thrown into a change() being recorded when it asks for something that cannot be
 * recorded as a schema command (raw SQL, a statement outside the schema builder).
 * Internal: the recording turns it into an IrreversibleMigrationError naming the file.
 */
export class IrreversibleOperation extends Error {
  constructor(readonly operation: string) {
    super(`${operation} is irreversible`);
    this.name = "IrreversibleOperation";
  }
}

/**
 * Where a recording connection (recording-database.ts) puts what a migration asks for
 * instead of running it. Two recordings exist: a change() recorded for its rollback
 * (CommandRecording, which refuses anything it could not undo) and `mortar lint`'s
 * (which keeps raw SQL in order beside the schema commands, and refuses nothing).
 */
export interface RecordingTarget {
  /** Schema commands the builder would have run. */
  record(commands: readonly SchemaCommand[]): void;
  /** `this.db.execute` / `query`: resolves to what the call returns, or throws to refuse. */
  raw(method: "execute" | "query", sql: string): unknown;
  /**
   * A statement the schema builder sends on its own (a foreign-key switch), or a Database
   * method that writes (`executeAll`, `close` …). Throws to refuse; returns to let the
   * migration go on as if it ran.
   */
  statement(operation: string): void;
  /** Whether `createIfNotExists` is refused (its effect depends on a table that may exist). */
  readonly refusesCreateIfNotExists: boolean;
  /** The migration ran (some of) its work inside withoutForeignKeyConstraints. */
  withoutForeignKeys: boolean;
  /**
   * Optional: `this.safetyAssured(fn)` of a migration being recorded. Runs `fn` with what it
   * records marked as assured; absent, `fn` simply runs.
   */
  assured?<T>(fn: () => Promise<T>): Promise<T>;
}

/** What one change() asked for while it was recorded. */
export class CommandRecording implements RecordingTarget {
  readonly commands: SchemaCommand[] = [];
  /** The first irreversible operation met, kept even if change() caught what was thrown. */
  #irreversible: string | undefined;
  /** change() ran (some of) its work inside withoutForeignKeyConstraints: so does its inverse. */
  withoutForeignKeys = false;
  readonly refusesCreateIfNotExists = true;

  get irreversible(): string | undefined {
    return this.#irreversible;
  }

  record(commands: readonly SchemaCommand[]): void {
    this.commands.push(...commands);
  }

  /** Raw SQL: what it did cannot be known, nor undone. */
  raw(method: "execute" | "query", sql: string): never {
    return this.refuse(`${method} "${shortSql(sql)}"`);
  }

  statement(operation: string): never {
    return this.refuse(operation);
  }

  refuse(operation: string): never {
    this.#irreversible ??= operation;
    throw new IrreversibleOperation(operation);
  }
}

/** A statement shortened for a message: one line, at most 80 characters. */
export function shortSql(sql: string): string {
  const flat = sql.replace(/\s+/g, " ").trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}
