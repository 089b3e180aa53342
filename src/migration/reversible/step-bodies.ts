import type { Database } from "../../dialect/database.js";
import { IrreversibleMigrationError, MigrationFailedError, MigrationFileError } from "../../errors.js";
import type { SchemaCommand } from "../../schema/commands.js";
import { displayPath } from "../../util/display-path.js";
import { bindMigration, type Migration, type MigrationClass } from "../migration.js";
import type { Step } from "../plan.js";
import { recordingDatabase } from "./recording-database.js";
import { CommandRecording } from "./recording.js";
import { reverseCommands } from "./reverse-commands.js";

/** What a step runs, given its migration (bound to its connection) and that connection. */
export type StepBody = (migration: Migration, db: Database) => Promise<void>;

/**
 * What each step runs: up(), down(), change(), or the inverse of change() derived now.
 * Every rollback of a change() migration is recorded and reversed here, before the run
 * starts, so an irreversible one stops the whole run before its first statement (even
 * when it comes after others in the batch). Throws MigrationFileError (a class with no
 * usable method, or with change() beside up()/down()), IrreversibleMigrationError, or
 * MigrationFailedError (change() itself threw while recorded).
 *
 * Recording reads the live database (hasTable, getColumns …) as it is before the
 * rollback starts: the state the migrations left it in.
 */
export async function planStepBodies(
  steps: readonly Step[],
  classes: readonly MigrationClass[],
  connectionFor: (migrationClass: MigrationClass) => Promise<Database>,
): Promise<StepBody[]> {
  const bodies: StepBody[] = [];
  for (const [i, step] of steps.entries()) {
    const migrationClass = classes[i]!;
    const shown = displayPath(step.file.path);
    const has = (method: "up" | "down" | "change") => typeof migrationClass.prototype[method] === "function";
    if (has("change") && (has("up") || has("down"))) {
      throw new MigrationFileError(shown, "defines change() and also up() or down(): write either change() alone or up() with down()");
    }
    if (has(step.direction)) {
      const direction = step.direction;
      bodies.push((migration) => migration[direction]!());
    } else if (!has("change")) {
      throw new MigrationFileError(shown, `has no ${step.direction}() method (nor change()), so it cannot be ${step.direction === "up" ? "run" : "rolled back"}`);
    } else if (step.direction === "up") {
      bodies.push((migration) => migration.change!());
    } else {
      const inverse = await deriveInverse(step, shown, migrationClass, await connectionFor(migrationClass));
      bodies.push((_migration, db) => runInverse(db, inverse));
    }
  }
  return bodies;
}

interface Inverse {
  readonly commands: readonly SchemaCommand[];
  readonly withoutForeignKeys: boolean;
}

/** Run change() against a recording connection and reverse what it asked for. */
async function deriveInverse(step: Step, shown: string, migrationClass: MigrationClass, db: Database): Promise<Inverse> {
  const recording = new CommandRecording();
  const migration = bindMigration(new migrationClass(), recordingDatabase(db, recording));
  let failed = false;
  let failure: unknown;
  try {
    await migration.change!();
  } catch (error) {
    failed = true;
    failure = error;
  }
  // Checked first: change() may have caught the refusal itself, or rethrown it wrapped.
  if (recording.irreversible !== undefined) throw new IrreversibleMigrationError(shown, recording.irreversible, step.name);
  if (failed) throw new MigrationFailedError(step.name, "down", failure);
  const reversal = reverseCommands(recording.commands);
  if (!reversal.reversible) throw new IrreversibleMigrationError(shown, reversal.operation, step.name);
  return { commands: reversal.commands, withoutForeignKeys: recording.withoutForeignKeys };
}

async function runInverse(db: Database, inverse: Inverse): Promise<void> {
  if (inverse.withoutForeignKeys) await db.schema.withoutForeignKeyConstraints(() => db.schema.run(inverse.commands));
  else await db.schema.run(inverse.commands);
}
