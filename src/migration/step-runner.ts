import type { Database, StatementEvent } from "../dialect/database.js";
import { briefMessage, InvalidSchemaError } from "../errors.js";
import { bindMigration, type MigrationClass } from "./migration.js";
import type { Step } from "./plan.js";
import type { MigrationRepository } from "./repository.js";

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
  const ran: string[] = [];
  let rowWritten = false;
  const record = (statements: readonly string[]) => {
    const first = rowWritten ? undefined : step.direction === "up" ? { batch: step.batch, checksum } : ("rollback" as const);
    rowWritten = true;
    return repository.statementRecord(step.name, statements, first);
  };
  if (db === context.db) {
    // Recorded BEFORE each statement, in the statement's own round trip where the
    // connection allows it: a killed run's row lists what it started.
    db.statementPrefix = (sql) => record([...ran, sql]);
    db.afterStatement = async (sql) => {
      ran.push(sql);
    };
  } else {
    // The tracking table lives on the run's connection, not this one: recorded after.
    db.afterStatement = async (sql) => {
      ran.push(sql);
      await context.db.executeInternal(record(ran));
    };
  }
  const started = performance.now();
  try {
    await action();
  } catch (error) {
    clearHooks(db);
    if (ran.length > 0) await repository.fail(step.name, briefMessage(error, 2), ran).catch(() => undefined);
    else if (rowWritten) {
      // Not one statement ran: the database is as it was, so there is nothing to settle.
      if (step.direction === "up") await repository.delete(step.name).catch(() => undefined);
      else await repository.markApplied(step.name).catch(() => undefined);
    }
    throw error;
  } finally {
    clearHooks(db);
  }
  const durationMs = performance.now() - started;
  if (step.direction === "down") await repository.delete(step.name);
  else if (rowWritten) await repository.finish(step.name, durationMs);
  else await repository.log(step.name, step.batch, checksum, durationMs);
}

function clearHooks(db: Database): void {
  db.statementPrefix = undefined;
  db.afterStatement = undefined;
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
