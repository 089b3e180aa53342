import {
  MigrationFailedError,
  MortarError,
  QueryError,
  messageOf,
  type MortarErrorCode,
} from "../errors.js";
import { displayPath } from "../util/display-path.js";
import type { Step } from "./plan.js";
import type { RunError, RunStage } from "./run-result.js";

/** A failure as a run reports it (`RunResult.error`): the file, the statement and the database's words. */
/** `stage` defaults to `migration` with a step, else `load`. */
export function toRunError(error: unknown, step?: Step, stage: RunStage = step ? "migration" : "load"): RunError {
  const root = error instanceof MigrationFailedError ? error.cause : error;
  const sql = root instanceof QueryError ? root.sql : undefined;
  const code: MortarErrorCode = error instanceof MortarError ? error.code : "MIGRATION_FAILED";
  const where = step ? displayPath(step.file.path) : undefined;
  let message: string;
  if (error instanceof MigrationFailedError && step) {
    const detail = root instanceof QueryError ? root.databaseMessage : messageOf(root);
    message = `${where}: ${step.direction}() failed: ${detail}`;
  } else {
    message = messageOf(error);
    if (where && !message.includes(where)) message = `${where}: ${message}`;
  }
  return { code, stage, message, migration: step?.name, file: where, sql, cause: error };
}
