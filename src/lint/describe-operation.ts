import type { SchemaCommand } from "../schema/commands.js";
import type { LintOperation } from "./lint-rule.js";
import { excerpt } from "./rules/raw-statements.js";

/**
 * An operation in words for a finding, named by the schema builder's call where one
 * matches: `addIndex "users_email_index" on "users"`, `dropColumn "users.age"`,
 * `raw SQL "update users set …"`.
 */
export function describeOperation(operation: LintOperation): string {
  // String literals masked, as in the rules' messages: raw SQL may carry a password.
  return operation.kind === "raw" ? `raw SQL "${excerpt(operation.sql)}"` : describeCommand(operation.command);
}

function describeCommand(command: SchemaCommand): string {
  switch (command.kind) {
    case "createTable":
      return `${command.ifNotExists ? "createIfNotExists" : "create"} "${command.table}"`;
    case "dropTable":
      return `${command.ifExists ? "dropIfExists" : "drop"} "${command.table}"`;
    case "renameTable":
      return `rename "${command.from}" to "${command.to}"`;
    case "truncateTable":
      return `truncate "${command.table}"`;
    case "addColumn":
      return `addColumn "${command.table}.${command.column.name}" (${command.column.type})`;
    case "changeColumn":
      return `change() of column "${command.table}.${command.column.name}" (${command.column.type})`;
    case "renameColumn":
      return `renameColumn "${command.table}.${command.from}" to "${command.to}"`;
    case "dropColumns":
      return `dropColumn ${command.columns.map((c) => `"${command.table}.${c}"`).join(", ")}`;
    case "addIndex":
      return `${addIndexMethod(command.index.type)} "${command.index.name}" on "${command.table}" (${command.index.columns.join(", ")})`;
    case "dropIndex":
      return `${dropIndexMethod(command.type)} "${command.name}" on "${command.table}"`;
    case "renameIndex":
      return `renameIndex "${command.from}" to "${command.to}" on "${command.table}"`;
    case "addForeignKey":
      return `foreign "${command.foreignKey.name}" on "${command.table}" references "${command.foreignKey.referencedTable}"`;
    case "dropForeignKey":
      return `dropForeign "${command.name}" on "${command.table}"`;
    default:
      return (command as { kind: string }).kind;
  }
}

function addIndexMethod(type: string): string {
  return type === "primary" ? "primary" : type === "unique" ? "unique" : type === "fulltext" ? "fullText" : "index";
}

function dropIndexMethod(type: string): string {
  return type === "primary" ? "dropPrimary" : type === "unique" ? "dropUnique" : type === "fulltext" ? "dropFullText" : "dropIndex";
}

/** Every table an operation names (its own, a rename's both names, a key's parent). */
export function tablesOf(operation: LintOperation): string[] {
  if (operation.kind === "raw") return [];
  const command = operation.command;
  switch (command.kind) {
    case "renameTable":
      return [command.from, command.to];
    case "createTable":
      return [command.table, ...command.foreignKeys.map((fk) => fk.referencedTable)];
    case "addForeignKey":
      return [command.table, command.foreignKey.referencedTable];
    default:
      return [command.table];
  }
}
