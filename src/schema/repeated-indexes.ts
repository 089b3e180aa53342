import { InvalidSchemaError } from "../errors.js";
import type { IndexSpec, SchemaCommand } from "./commands.js";

/**
 * One blueprint may ask for the same index twice: `string("email").unique().unique()`,
 * or `string("email").unique()` followed by `unique("email")`. Laravel sends both and
 * the second fails with "relation already exists"; here an index identical to one this
 * blueprint already added (same name, type and columns) is asked for once. The same
 * name with a different definition is a mistake, refused before any SQL runs.
 * Primary keys are never merged: `create` refuses a second one, and in `alter` the
 * database does (the table may already have one, which only the database knows).
 */
export function withoutRepeatedIndexes(table: string, commands: readonly SchemaCommand[]): SchemaCommand[] {
  const added = new Map<string, IndexSpec>();
  const kept: SchemaCommand[] = [];
  for (const command of commands) {
    switch (command.kind) {
      case "addIndex": {
        if (command.index.type !== "primary" && isRepeat(table, added, command.index)) continue;
        added.set(command.index.name, command.index);
        break;
      }
      case "dropIndex":
        added.delete(command.name);
        break;
      case "renameIndex": {
        const renamed = added.get(command.from);
        added.delete(command.from);
        if (renamed) added.set(command.to, { ...renamed, name: command.to });
        break;
      }
      case "dropColumns":
        // The database drops (or shrinks) an index with its column: asking again afterwards is a new index.
        for (const [name, index] of added) if (index.columns.some((c) => command.columns.includes(c))) added.delete(name);
        break;
      default:
        break;
    }
    kept.push(command);
  }
  return kept;
}

/** The indexes of a `create`, each asked for once (see `withoutRepeatedIndexes`). */
export function uniqueIndexes(table: string, indexes: readonly IndexSpec[]): IndexSpec[] {
  const added = new Map<string, IndexSpec>();
  return indexes.filter((index) => {
    if (isRepeat(table, added, index)) return false;
    added.set(index.name, index);
    return true;
  });
}

function isRepeat(table: string, added: ReadonlyMap<string, IndexSpec>, index: IndexSpec): boolean {
  const earlier = added.get(index.name);
  if (!earlier) return false;
  if (earlier.type === index.type && sameColumns(earlier.columns, index.columns) && earlier.language === index.language) return true;
  throw new InvalidSchemaError(
    `index "${index.name}" on table "${table}" is declared twice with different definitions: ` +
      `${describeIndex(earlier)} and ${describeIndex(index)}`,
  );
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

function describeIndex(index: IndexSpec): string {
  return `${index.type} (${index.columns.join(", ")})${index.language === undefined ? "" : ` language ${index.language}`}`;
}
