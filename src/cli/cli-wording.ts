import { LockTimeoutError, messageOf, NothingSelectedError, ResolveRefusedError, UnsettledMigrationError } from "../errors.js";
import type { RunError } from "../migration/migrator.js";

/**
 * The library words its errors in its own terms (`{ migration }`, `resolve()`); the
 * command line says the same with the flags and commands a user types.
 */
export function cliMessage(error: RunError | unknown): string {
  if (isRunError(error)) {
    // A run error adds a file name in front of a migration's failure; only an error the
    // run passed on as it is gets the command line's wording.
    const { cause } = error;
    return cause !== undefined && error.message === messageOf(cause) ? inCliWords(cause) : error.message;
  }
  return inCliWords(error);
}

function inCliWords(error: unknown): string {
  if (error instanceof NothingSelectedError) return `--${error.option} ${error.value}: ${error.reason}`;
  if (error instanceof LockTimeoutError) return `${error.message} (raise it with --lock-timeout SECONDS)`;
  if (error instanceof UnsettledMigrationError) {
    return error.settleWith(
      `settle it: mortar migrate:resolve ${error.migration} --applied (its changes are in place) or --rolled-back (they are undone)`,
    );
  }
  if (error instanceof ResolveRefusedError) return resolveRefusal(error);
  return messageOf(error);
}

function resolveRefusal({ migration, outcome, reason, batch }: ResolveRefusedError): string {
  switch (reason) {
    case "untracked":
      return `migrate:resolve ${migration}: no such migration in the tracking table`;
    case "ran-normally":
      return (
        `migrate:resolve ${migration} --${outcome}: it ran normally (batch ${batch}); --rolled-back only settles a failed or interrupted run.\n` +
        `  To undo it, run its down(): mortar migrate:rollback --migration ${migration}`
      );
    case "file-missing":
      return `migrate:resolve ${migration} --${outcome}: its file is missing, so there is no file to accept`;
  }
}

export function isRunError(value: unknown): value is RunError {
  return typeof value === "object" && value !== null && !(value instanceof Error) && "code" in value && "message" in value;
}
