import type { Database } from "../../dialect/database.js";
import type { SafeExecutionSupport } from "../../dialect/dialect.js";
import { briefMessage } from "../../errors.js";
import { query } from "../../grammar/grammar.js";
import type { SafeStep } from "../../grammar/safe-plan.js";
import type { MigrationRepository } from "../repository.js";
import { withLockRetries, type SafeRunContext } from "./lock-retries.js";

/** Where a migration's steps after its commit stand (the tracking row's `statements`). */
export interface StepsProgress {
  readonly token: string;
  readonly steps: readonly SafeStep[];
  readonly done: number;
  /** The steps finish a rollback. */
  readonly rollback?: boolean;
}

/**
 * Run the steps a safe migration left for after its commit, from `progress.done` on,
 * recording each one as done before the next starts: a run killed between steps is
 * continued by the next `migrate --safe`, not restarted. A failed step is recorded
 * (the row is then Failed, "Partial (step k/n)") and its error thrown.
 */
export async function runDeferredSteps(
  safe: SafeRunContext,
  repository: MigrationRepository,
  migration: string,
  progress: StepsProgress,
): Promise<void> {
  const { db } = safe;
  const { token, steps } = progress;
  const rollback = progress.rollback ? { rollback: true } : {};
  for (let i = progress.done; i < steps.length; i++) {
    const step = steps[i]!;
    if (db.pretending) {
      // Shown exactly as sent: the lock timeout, then the step.
      const reset = step.transactional ? [] : safe.support.resetLockTimeout;
      await db.executeAll([...safe.support.lockTimeout(safe.settings.ddlLockTimeout, step.transactional), ...step.statements, ...reset].map((sql) => query(sql)));
      continue;
    }
    try {
      await withLockRetries(safe, () => runStep(db, safe.support, safe.settings.ddlLockTimeout, step));
    } catch (error) {
      await repository.recordSteps(migration, { token, ran: [], steps, done: i, ...rollback }, `${step.description}: ${briefMessage(error, 2)}`).catch(() => undefined);
      throw error;
    }
    await repository.recordSteps(migration, { token, ran: [], steps, done: i + 1, ...rollback });
  }
}

/**
 * One step: in a transaction of its own with SET LOCAL lock_timeout, or (CONCURRENTLY)
 * outside any with the session's lock_timeout set and reset around it. A failed
 * concurrent build leaves an INVALID index behind: it is dropped before the error
 * (or the next attempt) goes on.
 */
async function runStep(db: Database, support: SafeExecutionSupport, seconds: number, step: SafeStep): Promise<void> {
  if (step.transactional) {
    await db.transaction(async () => {
      for (const sql of support.lockTimeout(seconds, true)) await db.executeInternal(sql);
      await db.executeAll(step.statements.map((sql) => query(sql)));
    });
    return;
  }
  for (const sql of support.lockTimeout(seconds, false)) await db.executeInternal(sql);
  let failure: unknown;
  try {
    await db.executeAll(step.statements.map((sql) => query(sql)));
  } catch (error) {
    failure = error;
  }
  for (const sql of support.resetLockTimeout) await db.executeInternal(sql).catch(() => undefined);
  if (failure === undefined) return;
  for (const sql of step.onFailure ?? []) await db.executeAll([query(sql)]).catch(() => undefined);
  throw failure;
}
