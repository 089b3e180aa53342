import type { SchemaCommand } from "../../schema/commands.js";

/**
 * The inverse of a recorded change(): every command undone, last first. Pure data in,
 * pure data out; the result runs through the schema builder like any other commands, so
 * a dialect that must rebuild a table to undo something (SQLite) simply does.
 */
export type Reversal =
  | { readonly reversible: true; readonly commands: readonly SchemaCommand[] }
  /** `operation` names the first command that cannot be undone, e.g. `dropColumn "users.age"`. */
  | { readonly reversible: false; readonly operation: string };

export function reverseCommands(commands: readonly SchemaCommand[]): Reversal {
  const inverse: SchemaCommand[] = [];
  for (const command of commands) {
    const undo = inverseOf(command);
    if (typeof undo === "string") return { reversible: false, operation: undo };
    inverse.push(undo);
  }
  return { reversible: true, commands: inverse.reverse() };
}

/** The command that undoes `command` right after it ran, or (a string) why none can. */
export function inverseOf(command: SchemaCommand): SchemaCommand | string {
  switch (command.kind) {
    case "createTable":
      // Whether the table existed before cannot be told afterwards: dropping it could drop someone else's table.
      if (command.ifNotExists) return `createIfNotExists "${command.table}"`;
      return { kind: "dropTable", table: command.table, ifExists: false };
    case "addColumn":
      return { kind: "dropColumns", table: command.table, columns: [command.column.name] };
    case "renameColumn":
      return { kind: "renameColumn", table: command.table, from: command.to, to: command.from };
    case "renameTable":
      return { kind: "renameTable", from: command.to, to: command.from };
    case "addIndex":
      // By the name the blueprint resolved (defaults and shortened long names included).
      return { kind: "dropIndex", table: command.table, type: command.index.type, name: command.index.name };
    case "renameIndex":
      return { kind: "renameIndex", table: command.table, from: command.to, to: command.from };
    case "addForeignKey":
      return { kind: "dropForeignKey", table: command.table, name: command.foreignKey.name };
    // What these removed or replaced is not in the command: there is nothing to put back.
    case "dropTable":
      return `${command.ifExists ? "dropIfExists" : "drop"} "${command.table}"`;
    case "dropColumns":
      return command.columns.map((c) => `dropColumn "${command.table}.${c}"`).join(", ");
    case "changeColumn":
      return `change() of column "${command.table}.${command.column.name}"`;
    case "truncateTable":
      return `truncate "${command.table}"`;
    case "dropIndex":
      return `${dropIndexMethod(command.type)} "${command.table}.${command.name}"`;
    case "dropForeignKey":
      return `dropForeign "${command.table}.${command.name}"`;
    default:
      // A command kind added later is irreversible until someone writes its inverse here.
      return `${(command as { kind: string }).kind} (no known inverse)`;
  }
}

function dropIndexMethod(type: CommandType): string {
  switch (type) {
    case "primary":
      return "dropPrimary";
    case "unique":
      return "dropUnique";
    case "fulltext":
      return "dropFullText";
    default:
      return "dropIndex";
  }
}

type CommandType = Extract<SchemaCommand, { kind: "dropIndex" }>["type"];
