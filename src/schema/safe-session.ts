import type { CompiledQuery } from "../grammar/grammar.js";
import type { SafeStep } from "../grammar/safe-plan.js";
import type { SchemaCommand } from "./commands.js";

/**
 * What the schema builder asks of a safe run (`--safe`) while a migration runs: which
 * tables were there before it began (only those are busy), and where to put the steps
 * that must wait until the migration's transaction has committed.
 */
export interface SafeSchemaContext {
  /** No transaction to wait for (`static transaction = false`): steps run in place, in order. */
  readonly immediate: boolean;
  /** The table existed before the migration began. */
  existed(table: string): boolean;
  /** Steps for after the migration commits, and what they become if taken back. */
  defer(steps: readonly SafeStep[], inline: readonly CompiledQuery[]): void;
  /**
   * A later command needs what was deferred on `table` (a foreign key onto a unique
   * index being built, a drop of its column): the deferred steps are removed and their
   * ordinary statements returned, to run now, in order.
   */
  takeBack(table: string): CompiledQuery[];
}

/**
 * The tables whose deferred steps a command may depend on or break: its own table when
 * it renames, drops or changes something there, and a foreign key's parent (it needs
 * the parent's unique index). Adding a column or another index needs nothing deferred.
 */
export function tablesDependedOn(command: SchemaCommand): string[] {
  switch (command.kind) {
    case "addColumn":
    case "addIndex":
    case "truncateTable":
      return [];
    case "addForeignKey":
      return [command.foreignKey.referencedTable];
    case "createTable":
      return command.foreignKeys.map((fk) => fk.referencedTable);
    case "renameTable":
      return [command.from];
    default:
      return [command.table];
  }
}
