import { randomBytes } from "node:crypto";
import type { Database } from "../../dialect/database.js";
import { query } from "../../grammar/grammar.js";
import type { SafeStep } from "../../grammar/safe-plan.js";
import type { Step } from "../plan.js";
import type { MigrationRepository } from "../repository.js";
import { runDeferredSteps } from "./deferred-steps.js";
import { explained, statementRetry, withLockRetries, type RetryEvent, type SafeRunContext } from "./lock-retries.js";
import type { SafeSettings } from "./safe-options.js";
import { SafeMigrationState } from "./safe-state.js";

/** Safe execution as the Migrator hands it to each step. */
export interface SafeStepOptions {
  readonly settings: SafeSettings;
  /** Told before each further attempt (a lock timeout or deadlock). */
  readonly onRetry?: (migration: string, event: RetryEvent) => void;
}

/** What one attempt of a migration gets from the safe run (see step-runner's runAttempt). */
export interface SafeAttempt {
  /** Names this run in the tracking row, like a tracked run's token. */
  readonly token: string;
  /** The steps the migration's commands deferred until after its commit. */
  readonly steps: readonly SafeStep[];
  /** At the start of the migration (inside its transaction): bound lock waits, switch safe compiling on. */
  begin(): Promise<void>;
  /** When the migration's own code is done, whichever way. */
  end(): void;
  /** Outside a transaction (MySQL): whether to send a statement that hit a lock timeout again. */
  readonly retryStatement: (error: unknown, attempt: number) => Promise<boolean>;
}

interface SafeRunArguments {
  readonly context: { readonly repository: MigrationRepository };
  readonly step: Step;
  readonly db: Database;
  readonly pretend: boolean;
  /** The migration runs in a transaction (PostgreSQL): retried whole. Otherwise statement by statement. */
  readonly transactional: boolean;
  readonly options: SafeStepOptions;
  /** Forget what a failed attempt recorded as run. */
  readonly restart: () => void;
}

/**
 * One migration under safe execution (spec §9). Where it runs in a transaction the
 * whole migration is attempted again after a lock timeout or deadlock; elsewhere
 * (MySQL) only the statement that timed out, since those before it have committed.
 * After the commit come the steps its commands deferred (CONCURRENTLY, VALIDATE), each
 * recorded as done in the tracking row. A dialect without safe execution (SQLite) runs
 * the migration as it always does.
 */
export async function runSafely(args: SafeRunArguments, attempt: (safe?: SafeAttempt) => Promise<void>): Promise<void> {
  const { db, step, pretend, transactional, options } = args;
  const support = db.dialectFactory.safeExecution;
  if (!support) return attempt();
  const started = performance.now();
  const safe: SafeRunContext = { db, support, settings: options.settings, onRetry: (event) => options.onRetry?.(step.name, event) };
  const token = randomBytes(12).toString("hex");
  const seconds = options.settings.ddlLockTimeout;
  let state: SafeMigrationState | undefined;
  const once = async () => {
    args.restart();
    // Only tables that were there before the migration are busy.
    const existing = await db.introspector.getTables();
    const current = new SafeMigrationState(existing, !transactional);
    state = current;
    await attempt({
      token,
      get steps() {
        return current.steps;
      },
      begin: async () => {
        const statements = support.lockTimeout(seconds, pretend ? transactional : db.inTransaction);
        if (db.pretending) await db.executeAll(statements.map((sql) => query(sql)));
        else for (const sql of statements) await db.executeInternal(sql);
        db.safeExecution = current;
      },
      end: () => {
        db.safeExecution = undefined;
      },
      retryStatement: statementRetry(safe),
    });
  };
  try {
    if (transactional && !pretend) await withLockRetries(safe, once);
    else await once();
  } catch (error) {
    throw await explained(safe, error, options.settings.retries + 1);
  } finally {
    // The session-wide timeout (no transaction to end it) is reset; pretending shows that too.
    if (!transactional && pretend) await db.pretend(() => db.executeAll(support.resetLockTimeout.map((sql) => query(sql))));
    else if (!transactional) for (const sql of support.resetLockTimeout) await db.executeInternal(sql).catch(() => undefined);
  }
  const steps = state?.steps ?? [];
  if (steps.length === 0) return;
  const progress = { token, steps, done: 0, ...(step.direction === "down" ? { rollback: true } : {}) };
  if (pretend) {
    await db.pretend(() => runDeferredSteps(safe, args.context.repository, step.name, progress));
    return;
  }
  await runDeferredSteps(safe, args.context.repository, step.name, progress);
  if (step.direction === "down") await args.context.repository.delete(step.name);
  else await args.context.repository.finish(step.name, performance.now() - started);
}
