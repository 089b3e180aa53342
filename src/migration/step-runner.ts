import { randomBytes } from "node:crypto";
import type { Database, StatementEvent, TransactionEvent } from "../dialect/database.js";
import type { StatementHooks, StepWork } from "../dialect/dialect.js";
import { briefMessage } from "../errors.js";
import { bindMigration, type Migration, type MigrationClass } from "./migration.js";
import type { Step } from "./plan.js";
import type { MigrationRepository, RunProgress } from "./repository.js";
import { mayHavePartlyRun } from "./statement-shape.js";
import { runSafely, type SafeAttempt, type SafeStepOptions } from "./safe/safe-run.js";

/** Everything one step needs besides the step itself. */
export interface StepContext {
  /** The run's connection, which holds the lock and the tracking table. */
  readonly db: Database;
  readonly repository: MigrationRepository;
  /** The connection a migration's `static connection` names. */
  readonly connectionFor: (name: string) => Promise<Database>;
}

/** How the Migrator runs a step. */
export interface StepOptions {
  readonly pretend: boolean;
  /** The run strategy holds the whole batch in one transaction (this step gets a savepoint). */
  readonly sharedTransaction?: boolean;
  /** Safe execution (`--safe`, spec §9): lock timeouts, retries, steps after the commit. */
  readonly safe?: SafeStepOptions;
  /** Hears what the migration's schema changes left out with a warning (`after()` on PostgreSQL). */
  readonly onWarning?: (message: string) => void;
}

/**
 * Run one migration (`up`) or its rollback (`down`) and record it. Returns the
 * statements it ran (or, pretending, would run).
 *
 * Where the dialect's run strategy says it `runsInTransaction`, the migration and its
 * tracking row commit together or not at all. Elsewhere (MySQL, or
 * `static transaction = false`) the tracking row is written BEFORE the first statement
 * and updated after each one, so a failure or a killed process leaves a row that says
 * what ran, and the next run refuses to go on until it is settled.
 */
export async function runStep(
  context: StepContext,
  step: Step,
  migrationClass: MigrationClass,
  checksum: string | null,
  options: StepOptions,
  /** What the step runs (change(), or its derived inverse); default its up() or down(). */
  body?: (migration: Migration, db: Database) => Promise<void>,
): Promise<string[]> {
  const db = migrationClass.connection ? await context.connectionFor(migrationClass.connection) : context.db;
  const { onWarning } = options;
  const statements: string[] = [];
  const collect = (event: StatementEvent) => statements.push(event.sql);
  db.on("statement", collect);
  const stopWarnings = db.observeChanges((change) => {
    if (change.kind === "warning") onWarning?.(change.message);
  });
  try {
    const attempt = (safe?: SafeAttempt) => runAttempt(context, step, db, migrationClass, checksum, options, body, safe);
    const transactional = db.dialectFactory.runStrategy.runsInTransaction(migrationClass);
    if (!options.safe) await attempt();
    // A retried attempt starts the list again: the rolled-back one ran nothing.
    else await runSafely({ context, step, db, pretend: options.pretend, transactional, options: options.safe, restart: () => statements.splice(0) }, attempt);
    return statements;
  } finally {
    db.off("statement", collect);
    stopWarnings();
  }
}

/** One attempt at the migration: the whole of it, or (safe) its part inside the transaction. */
async function runAttempt(
  context: StepContext,
  step: Step,
  db: Database,
  migrationClass: MigrationClass,
  checksum: string | null,
  { pretend, sharedTransaction = false }: StepOptions,
  body: ((migration: Migration, db: Database) => Promise<void>) | undefined,
  safe: SafeAttempt | undefined,
): Promise<void> {
  const migration = bindMigration(new migrationClass(), db);
  const action = async () => {
    await safe?.begin();
    try {
      // The Migrator checked before the run that the class has this method (or a derived body).
      await (body ? body(migration, db) : migration[step.direction]!());
    } catch (error) {
      await db.schema.releaseForeignKeyConstraints(true);
      throw error;
    } finally {
      safe?.end();
    }
    // disableForeignKeyConstraints() without its enable must not outlive the migration.
    await db.schema.releaseForeignKeyConstraints(false);
  };
  if (pretend) {
    await db.pretend(action);
    return;
  }
  const strategy = db.dialectFactory.runStrategy;
  if (strategy.runsInTransaction(migrationClass)) {
    await strategy.runInTransaction(db, stepWork(context, step, db, action, checksum, safe), sharedTransaction);
  } else if (safe) {
    await db.withStatementRetry(safe.retryStatement, () => runTracked(context, step, db, action, checksum));
  } else {
    await runTracked(context, step, db, action, checksum);
  }
}

/** The step as its run strategy sees it: the migration, and its tracking write both ways. */
function stepWork(context: StepContext, step: Step, db: Database, action: () => Promise<void>, checksum: string | null, safe?: SafeAttempt): StepWork {
  const started = performance.now();
  const { repository } = context;
  // Steps left for after the commit (safe execution): the row says so, and lists them.
  const pending = () =>
    safe && safe.steps.length > 0 ? { token: safe.token, ran: [], steps: safe.steps, done: 0, ...(step.direction === "down" ? { rollback: true } : {}) } : undefined;
  return {
    run: action,
    record: () => {
      const steps = pending();
      if (step.direction === "down") return steps ? repository.markSteps(step.name, steps) : repository.delete(step.name);
      const ms = performance.now() - started;
      return steps ? repository.logWithSteps(step.name, step.batch, checksum, ms, steps) : repository.log(step.name, step.batch, checksum, ms);
    },
    recordStatement: () => {
      const steps = pending();
      if (step.direction === "down") return steps ? repository.markStepsStatement(step.name, steps) : repository.deleteStatement(step.name);
      const ms = performance.now() - started;
      return steps ? repository.logWithStepsStatement(step.name, step.batch, checksum, ms, steps) : repository.logStatement(step.name, step.batch, checksum, ms);
    },
    onRunConnection: db === context.db,
  };
}

async function runTracked(
  context: StepContext,
  step: Step,
  db: Database,
  action: () => Promise<void>,
  checksum: string | null,
): Promise<void> {
  const { repository } = context;
  const token = randomBytes(12).toString("hex");
  const ran: string[] = [];
  // The statement sent but not (yet) known to have succeeded: if it fails it may still
  // have changed the database (`drop table a, missing` drops `a`).
  let inFlight: string | undefined;
  // A record was sent; it may not have landed (another run's row wins a unique-key race).
  let recordSent = false;
  const record = (progress: RunProgress) => {
    const first = recordSent ? undefined : step.direction === "up" ? { batch: step.batch, checksum } : ("rollback" as const);
    recordSent = true;
    return repository.statementRecord(step.name, progress, first);
  };
  const onStatement = (event: StatementEvent) => {
    if (!event.pretend) inFlight = event.sql;
  };
  // The migration's own transactions (`this.db.transaction(...)`): what one rolls back
  // did not run, and must never be listed as if it had.
  const marks: { ran: number; recordSent: boolean }[] = [];
  const strategy = db.dialectFactory.runStrategy;
  const onTransaction = ({ phase }: TransactionEvent) => {
    if (phase === "begin") marks.push({ ran: ran.length, recordSent });
    const mark = phase === "begin" ? undefined : marks.pop();
    if (phase !== "rollback" || !mark) return;
    // Where DDL is transactional all of it is undone; MySQL commits implicitly at each
    // DDL statement, so only what came after the last one is.
    const kept = strategy.keptAfterRollback(ran, mark.ran);
    ran.splice(kept);
    inFlight = undefined;
    // The tracking row's own writes were rolled back with them (on the same connection).
    if (db === context.db && kept === mark.ran) recordSent = mark.recordSent;
  };
  const hooks: StatementHooks =
    db === context.db
      ? {
          // Recorded BEFORE each statement, in the statement's own round trip where the
          // connection allows it: a killed run's row lists what it started.
          before: (sql) => record({ token, ran: [...ran], partial: sql }),
          after: async (sql) => {
            ran.push(sql);
            inFlight = undefined;
          },
        }
      : {
          // The tracking table lives on the run's connection, not this one: recorded after.
          after: async (sql) => {
            ran.push(sql);
            inFlight = undefined;
            await context.db.executeInternal(record({ token, ran }));
          },
        };
  db.on("statement", onStatement);
  db.on("transaction", onTransaction);
  const started = performance.now();
  try {
    await db.withStatementHooks(hooks, action);
  } catch (error) {
    stopListening(db, onStatement, onTransaction);
    // A single statement the database rejected changed nothing; only some shapes can fail half-way.
    const partial = inFlight !== undefined && mayHavePartlyRun(inFlight) ? { partial: inFlight } : {};
    await recordFailure(context, step, checksum, briefMessage(error, 2), { token, ran, ...partial }, recordSent).catch(() => undefined);
    throw error;
  } finally {
    stopListening(db, onStatement, onTransaction);
  }
  const durationMs = performance.now() - started;
  if (step.direction === "down") await repository.delete(step.name);
  else if (recordSent) await repository.finish(step.name, durationMs);
  else await repository.log(step.name, step.batch, checksum, durationMs);
}

/**
 * A non-transactional run failed. Whatever started stays recorded as failed (with the
 * statement that may have partly run) until `migrate:resolve`; only when not one
 * statement started is this run's own row undone. Rows are matched by the run's token,
 * so the losing side of a race never settles or deletes the winner's row.
 */
async function recordFailure(
  { repository }: StepContext,
  step: Step,
  checksum: string | null,
  message: string,
  progress: RunProgress,
  recordSent: boolean,
): Promise<void> {
  const started = progress.ran.length > 0 || progress.partial !== undefined;
  if (!started) {
    if (recordSent) await repository.forgetOwn(step.name, progress.token, step.direction);
    return;
  }
  if (await repository.fail(step.name, message, progress)) return;
  // No row of ours: either none was written yet (the tracking table is on another
  // connection), or our first write lost to another run's row, in which case the
  // statement never ran and that row is not ours to touch.
  if (recordSent) return;
  if (step.direction === "up") await repository.insertFailed(step.name, step.batch, checksum, message, progress);
  else await repository.failRollback(step.name, message, progress);
}

function stopListening(db: Database, onStatement: (event: StatementEvent) => void, onTransaction: (event: TransactionEvent) => void): void {
  db.off("statement", onStatement);
  db.off("transaction", onTransaction);
}
