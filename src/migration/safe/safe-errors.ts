import { QueryError } from "../../errors.js";

/**
 * Safe execution gave up on a statement that kept waiting for a lock: the database's
 * message, how many attempts were made, and who held the lock, so the person reading
 * it knows which session to look at (spec §9). A QueryError, so the run reports the
 * statement with it like any other failed statement.
 */
export class LockConflictError extends QueryError {
  readonly attempts: number;
  readonly blockers: readonly string[];

  constructor(failure: QueryError, attempts: number, blockers: readonly string[]) {
    super(failure.sql, failure.parameters, failure.cause);
    this.attempts = attempts;
    this.blockers = blockers;
    this.message = `${this.databaseMessage}\n  while running: ${failure.sql}`;
  }

  override get databaseMessage(): string {
    const who = this.blockers.length > 0 ? `blocked by ${this.blockers.join("; ")}` : "no session holding a lock on the table was found (it may have ended meanwhile)";
    return `${super.databaseMessage} (gave up after ${this.attempts} attempt${this.attempts === 1 ? "" : "s"}; ${who})`;
  }
}

/**
 * MySQL/MariaDB refused `ALGORITHM=INPLACE, LOCK=NONE` for an ALTER (errors 1845/1846):
 * the server would have had to copy or lock the table, and a safe run will not. It
 * refused before doing anything.
 */
export class TableCopyRefusedError extends QueryError {
  constructor(failure: QueryError) {
    super(failure.sql, failure.parameters, failure.cause);
    this.message = `${this.databaseMessage}\n  while running: ${failure.sql}`;
  }

  override get databaseMessage(): string {
    return (
      `safe execution refuses this ALTER: the server cannot do it in place without locking the table (${super.databaseMessage}); ` +
      `nothing was changed. Run it without --safe in a quiet moment, or with an online schema change tool`
    );
  }
}
