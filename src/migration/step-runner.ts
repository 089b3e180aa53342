import { randomBytes } from "node:crypto";
import type { Database, StatementEvent, TransactionEvent } from "../dialect/database.js";
import { briefMessage, InvalidSchemaError } from "../errors.js";
import { bindMigration, type MigrationClass } from "./migration.js";
import type { Step } from "./plan.js";
import type { MigrationRepository, RunProgress } from "./repository.js";
import { mayHavePartlyRun } from "./statement-shape.js";

/** Everything one step needs besides the step itself. */
export interface StepContext {
  /** The run's connection, which holds the lock and the tracking table. */
  readonly db: Database;
  readonly repository: MigrationRepository;
  /** The connection a migration's `static connection` names. */
  readonly connectionFor: (name: string) => Promise<Database>;
}

/**
 * Run one migration (`up`) or its rollback (`down`) and record it. Returns the
 * statements it ran (or, pretending, would run).
 *
 * Where DDL is transactional and the migration allows it, the migration and its
 * tracking row commit together or not at all. Elsewhere (MySQL, or
 * `static transaction = false`) the tracking row is written BEFORE the first statement
 * and updated after each one, so a failure or a killed process leaves a row that says
 * what ran, and the next run refuses to go on until it is settled.
 */
export interface StepOptions {
  readonly pretend: boolean;
  /** The Migrator already switched foreign keys off around a whole batch (SQLite). */
  readonly foreignKeysOff?: boolean;
}

export async function runStep(
  context: StepContext,
  step: Step,
  migrationClass: MigrationClass,
  checksum: string | null,
  { pretend, foreignKeysOff = false }: StepOptions,
): Promise<string[]> {
  const db = migrationClass.connection ? await context.connectionFor(migrationClass.connection) : context.db;
  const migration = bindMigration(new migrationClass(), db);
  const method = (migration as unknown as Record<string, unknown>)[step.direction];
  const action = async () => {
    await (method as () => Promise<void>).call(migration);
  };
  const statements: string[] = [];
  const collect = (event: StatementEvent) => statements.push(event.sql);
  db.on("statement", collect);
  try {
    if (pretend) {
      await db.pretend(action);
      return statements;
    }
    const dialect = db.dialectFactory;
    if (dialect.capabilities.transactionalDdl && migrationClass.transaction !== false) {
      await runInTransaction(context, step, db, action, checksum, foreignKeysOff);
    } else {
      await runTracked(context, step, db, action, checksum);
    }
    return statements;
  } finally {
    db.off("statement", collect);
  }
}

async function runInTransaction(
  context: StepContext,
  step: Step,
  db: Database,
  action: () => Promise<void>,
  checksum: string | null,
  foreignKeysOff: boolean,
): Promise<void> {
  const dialect = db.dialectFactory;
  const started = performance.now();
  const record = () =>
    step.direction === "up"
      ? context.repository.log(step.name, step.batch, checksum, performance.now() - started)
      : context.repository.delete(step.name);
  // SQLite can only switch foreign keys off outside a transaction, and a table rebuild
  // inside the migration needs them off; every key is checked before commit instead.
  const restoreForeignKeys =
    dialect.capabilities.rebuildsTables && !foreignKeysOff ? await dialect.disableForeignKeys(db, false) : undefined;
  const body = async () => {
    db.foreignKeysUnverified = false;
    db.foreignKeyTables.clear();
    db.declaredReferences = [];
    await action();
    // Creating tables and indexes cannot orphan a row; the check runs only after
    // something that can: over every key after raw SQL (it may have touched any table),
    // else over the tables the schema changes touched and their children, so orphans
    // an unrelated table already held do not fail this migration.
    if (db.foreignKeysUnverified) await dialect.checkForeignKeys?.(db);
    else if (db.foreignKeyTables.size > 0) await dialect.checkForeignKeys?.(db, [...db.foreignKeyTables]);
    if (dialect.capabilities.rebuildsTables) await assertParentsExist(db);
  };
  // Where it can, the tracking row travels in the COMMIT's round trip.
  const recordOnCommit = dialect.capabilities.sendsTransactionControlWithStatements === true;
  const recordStatement = () =>
    step.direction === "up"
      ? context.repository.logStatement(step.name, step.batch, checksum, performance.now() - started)
      : context.repository.deleteStatement(step.name);
  try {
    if (db === context.db) {
      await db.transaction(async () => {
        await body();
        if (recordOnCommit) db.writeOnCommit(recordStatement());
        else await record();
      });
    } else {
      // Another connection: its work commits on its own, then the row on ours.
      await db.transaction(body);
      await record();
    }
  } finally {
    await restoreForeignKeys?.();
  }
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
  const transactionalDdl = db.dialectFactory.capabilities.transactionalDdl;
  const onTransaction = ({ phase }: TransactionEvent) => {
    if (phase === "begin") marks.push({ ran: ran.length, recordSent });
    const mark = phase === "begin" ? undefined : marks.pop();
    if (phase !== "rollback" || !mark) return;
    // Where DDL is transactional all of it is undone; MySQL commits implicitly at each
    // DDL statement, so only what came after the last one is.
    const kept = transactionalDdl ? mark.ran : lastImplicitCommit(ran, mark.ran) + 1;
    ran.splice(kept);
    inFlight = undefined;
    // The tracking row's own writes were rolled back with them (on the same connection).
    if (db === context.db && kept === mark.ran) recordSent = mark.recordSent;
  };
  db.on("statement", onStatement);
  db.on("transaction", onTransaction);
  if (db === context.db) {
    // Recorded BEFORE each statement, in the statement's own round trip where the
    // connection allows it: a killed run's row lists what it started.
    db.statementPrefix = (sql) => record({ token, ran: [...ran], partial: sql });
    db.afterStatement = async (sql) => {
      ran.push(sql);
      inFlight = undefined;
    };
  } else {
    // The tracking table lives on the run's connection, not this one: recorded after.
    db.afterStatement = async (sql) => {
      ran.push(sql);
      inFlight = undefined;
      await context.db.executeInternal(record({ token, ran }));
    };
  }
  const started = performance.now();
  try {
    await action();
  } catch (error) {
    clearHooks(db, onStatement, onTransaction);
    // A single statement the database rejected changed nothing; only some shapes can fail half-way.
    const partial = inFlight !== undefined && mayHavePartlyRun(inFlight) ? { partial: inFlight } : {};
    await recordFailure(context, step, checksum, briefMessage(error, 2), { token, ran, ...partial }, recordSent).catch(() => undefined);
    throw error;
  } finally {
    clearHooks(db, onStatement, onTransaction);
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

function clearHooks(db: Database, onStatement: (event: StatementEvent) => void, onTransaction: (event: TransactionEvent) => void): void {
  db.statementPrefix = undefined;
  db.afterStatement = undefined;
  db.off("statement", onStatement);
  db.off("transaction", onTransaction);
}

/** MySQL statements that commit the open transaction before they run (DDL and friends). */
const IMPLICIT_COMMIT = /^\s*(create|alter|drop|rename|truncate|grant|revoke|lock\s+tables|unlock\s+tables)\b/i;

/** The index of the last statement from `from` on that committed implicitly, or `from - 1`. */
function lastImplicitCommit(statements: readonly string[], from: number): number {
  for (let i = statements.length - 1; i >= from; i--) if (IMPLICIT_COMMIT.test(statements[i]!)) return i;
  return from - 1;
}

/** SQLite takes `references "ghosts"` without a table "ghosts"; every later insert would fail. */
async function assertParentsExist(db: Database): Promise<void> {
  if (db.declaredReferences.length === 0) return;
  const checked = new Set<string>();
  for (const reference of db.declaredReferences) {
    const parent = reference.parent.toLowerCase();
    if (checked.has(parent)) continue;
    checked.add(parent);
    // A lookup by name in SQLite's own schema map (names match case-insensitively), not a
    // scan of sqlite_master; the same text every time, so it is prepared once a run.
    const found = await db.read("select 1 as found from pragma_table_list(?) where type = 'table'", [parent]);
    if (found.length === 0) {
      throw new InvalidSchemaError(`a foreign key on table "${reference.table}" references table "${reference.parent}", which does not exist`);
    }
  }
}
