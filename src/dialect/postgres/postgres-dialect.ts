import { PostgresGrammar } from "../../grammar/postgres-grammar.js";
import type { Dialect, Session } from "../dialect.js";
import { connectPostgres } from "./postgres-driver.js";
import { acquirePostgresLock } from "./postgres-lock.js";
import { isPooled, postgresPoolerReason } from "./postgres-pooler.js";
import { UnsupportedOperationError } from "../../errors.js";
import { PostgresIntrospector } from "./postgres-introspector.js";
import { postgresRunStrategy } from "./postgres-run-strategy.js";
import { postgresSafeExecution } from "./postgres-safe.js";

const grammar = new PostgresGrammar();

/** The values `session_replication_role` can take; anything else is not written back. */
const REPLICATION_ROLES = new Set(["origin", "replica", "local"]);

/**
 * PostgreSQL: DDL is transactional, so a migration and its tracking row commit together.
 *
 * @example
 * const driver = await postgresDialect.connect({ driver: "postgres", host: "127.0.0.1", database: "app" });
 */
export const postgresDialect: Dialect = {
  name: "postgres",
  grammar,
  capabilities: { transactionalDdl: true, sendsTransactionControlWithStatements: true },
  runStrategy: postgresRunStrategy,
  safeExecution: postgresSafeExecution,
  connect: connectPostgres,
  createIntrospector: (db) => new PostgresIntrospector(db),
  beginStatement: "BEGIN",
  disableForeignKeys,
  acquireLock: acquirePostgresLock,
  sessionLockUnsafe: postgresPoolerReason,
};

/**
 * Foreign keys are enforced by system triggers, which the `replica` role skips. Needs a
 * superuser (or, from PostgreSQL 15, a role granted the setting).
 *
 * In a transaction the setting is `SET LOCAL`: it ends with the transaction whatever
 * happens, so it can never outlive the migration on a server session a pooler hands to
 * someone else. Outside a transaction behind a pooler the setting and the statements
 * after it may reach different server sessions: refused.
 */
async function disableForeignKeys(db: Session, inTransaction: boolean): Promise<() => Promise<void>> {
  if (!inTransaction && isPooled(db)) {
    throw new UnsupportedOperationError(
      "postgres",
      "disable foreign keys outside a transaction behind a connection pooler",
      "session_replication_role would be set on one pooled server session and the statements run on others; run the migration in a transaction (the default) or connect to PostgreSQL directly",
    );
  }
  const scope = inTransaction ? "set local" : "set";
  const [row] = await db.read<{ session_replication_role: string }>("show session_replication_role");
  const previous = row && REPLICATION_ROLES.has(row.session_replication_role) ? row.session_replication_role : "origin";
  await db.execute(`${scope} session_replication_role = replica`);
  return async () => {
    await db.execute(`${scope} session_replication_role = ${grammar.quoteString(previous)}`);
  };
}
