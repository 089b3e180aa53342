import type { RunStrategy } from "../dialect.js";
import { defaultRunStrategy, runInOwnTransaction } from "../run-strategy.js";

/**
 * PostgreSQL: each migration in its own transaction, whose BEGIN travels with the first
 * statement (the Database does that) and whose tracking row travels with the COMMIT:
 * one round trip for the bookkeeping, none extra for the transaction.
 */
export const postgresRunStrategy: RunStrategy = {
  ...defaultRunStrategy,
  async runInTransaction(session, work) {
    if (!work.onRunConnection) return runInOwnTransaction(session, work, () => work.run());
    await session.transaction(async () => {
      await work.run();
      session.writeOnCommit(work.recordStatement());
    });
  },
};
