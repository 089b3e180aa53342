import type { MigrationTraits, RunSession, RunStrategy, StepWork } from "./dialect.js";

/**
 * The pieces most run strategies share. A dialect's strategy spreads these and
 * overrides what it does differently (see the sqlite, postgres and mysql strategies).
 */
export const defaultRunStrategy: RunStrategy = {
  runBatch: (_session, _migrations, run) => run(false),
  runsInTransaction: (migration) => migration.transaction !== false,
  runInTransaction: (session, work) => runInOwnTransaction(session, work, () => work.run()),
  joinBookkeeping: () => undefined,
  // Transactional DDL: whatever the rolled-back transaction ran is undone.
  keptAfterRollback: (_ran, from) => from,
};

/**
 * Run `body` (the migration and whatever the strategy checks after it) in a transaction
 * with the tracking row. On another connection the migration's work commits on its own
 * and the row follows on the run's connection.
 */
export async function runInOwnTransaction(session: RunSession, work: StepWork, body: () => Promise<void>): Promise<void> {
  if (work.onRunConnection) {
    await session.transaction(async () => {
      await body();
      await work.record();
    });
  } else {
    await session.transaction(body);
    await work.record();
  }
}

/** Whether every migration of a batch can share one transaction on the run's connection. */
export function canShareTransaction(migrations: readonly MigrationTraits[]): boolean {
  return migrations.length > 1 && migrations.every((m) => m.transaction !== false && !m.connection);
}
