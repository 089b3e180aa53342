import type { Database } from "../../dialect/database.js";
import type { SafeExecutionSupport } from "../../dialect/dialect.js";
import { driverErrorField, quotedNames } from "../../dialect/lock-conflict.js";
import { briefMessage, QueryError } from "../../errors.js";
import { sleep } from "../../util/sleep.js";
import { LockConflictError, TableCopyRefusedError } from "./safe-errors.js";
import { retryDelayMs, type SafeSettings } from "./safe-options.js";

/** One more attempt is coming: what failed and how long the run waits first. */
export interface RetryEvent {
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: string;
}

/** What every part of a safe run needs: the connection, the dialect's support, the settings. */
export interface SafeRunContext {
  readonly db: Database;
  readonly support: SafeExecutionSupport;
  readonly settings: SafeSettings;
  readonly onRetry?: (event: RetryEvent) => void;
}

/**
 * Run `fn` again after a lock timeout or deadlock, up to `retries` more times, waiting a
 * jittered, growing delay between attempts; then give up with the sessions that held the
 * lock named. `fn` must be safe to repeat (a transaction rolled back, or a statement that
 * timed out before changing anything).
 */
export async function withLockRetries<T>(safe: SafeRunContext, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!(await shouldRetry(safe, error, attempt))) throw await explained(safe, error, attempt);
    }
  }
}

/** For a statement outside a transaction (`Database.withStatementRetry`): wait and say yes, or say no. */
export function statementRetry(safe: SafeRunContext): (error: unknown, attempt: number) => Promise<boolean> {
  return (error, attempt) => shouldRetry(safe, error, attempt);
}

async function shouldRetry(safe: SafeRunContext, error: unknown, attempt: number): Promise<boolean> {
  if (!safe.support.isLockConflict(error) || attempt > safe.settings.retries) return false;
  const delayMs = retryDelayMs(attempt);
  safe.onRetry?.({ attempt, delayMs, error: briefMessage(error, 1) });
  await sleep(delayMs);
  return true;
}

/**
 * The error a safe run reports: a lock conflict it gave up on names the blocking
 * sessions (read now, on the run's own connection, which no longer waits), and MySQL's
 * refusal to alter in place says why the run refused. Anything else is left as it is.
 */
export async function explained(safe: SafeRunContext, error: unknown, attempts: number): Promise<unknown> {
  if (!(error instanceof QueryError)) return error;
  if (driverErrorField(error, "errno").some((errno) => errno === 1845 || errno === 1846)) return new TableCopyRefusedError(error);
  if (!safe.support.isLockConflict(error) || error instanceof LockConflictError) return error;
  const quote = safe.db.dialect === "mysql" ? "`" : '"';
  const blockers = await safe.support.describeBlockers(safe.db, quotedNames(error.sql, quote)).catch(() => []);
  return new LockConflictError(error, attempts, blockers);
}
