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

/** What one change() asked for while it was recorded. */
export class CommandRecording {
  readonly commands: SchemaCommand[] = [];
  /** The first irreversible operation met, kept even if change() caught what was thrown. */
  #irreversible: string | undefined;
  /** change() ran (some of) its work inside withoutForeignKeyConstraints: so does its inverse. */
  withoutForeignKeys = false;

  get irreversible(): string | undefined {
    return this.#irreversible;
  }

  record(commands: readonly SchemaCommand[]): void {
    this.commands.push(...commands);
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
