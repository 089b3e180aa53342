import type { RunStrategy } from "../dialect.js";
import { defaultRunStrategy } from "../run-strategy.js";

/** MySQL statements that commit the open transaction before they run (DDL and friends). */
const IMPLICIT_COMMIT = /^\s*(create|alter|drop|rename|truncate|grant|revoke|lock\s+tables|unlock\s+tables)\b/i;

/**
 * MySQL and MariaDB commit at each DDL statement, so no migration runs in a transaction
 * with its tracking row: the row is written before each statement instead, in the
 * statement's own round trip (the connection takes several statements as one text).
 */
export const mysqlRunStrategy: RunStrategy = {
  ...defaultRunStrategy,
  runsInTransaction: () => false,
  joinBookkeeping: (bookkeeping, sql) => `${bookkeeping};\n${sql}`,
  // Only what ran after the last implicit commit is undone.
  keptAfterRollback: (ran, from) => lastImplicitCommit(ran, from) + 1,
};

/** The index of the last statement from `from` on that committed implicitly, or `from - 1`. */
function lastImplicitCommit(statements: readonly string[], from: number): number {
  for (let i = statements.length - 1; i >= from; i--) if (IMPLICIT_COMMIT.test(statements[i]!)) return i;
  return from - 1;
}
