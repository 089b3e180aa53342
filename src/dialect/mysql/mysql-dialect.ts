import { MysqlGrammar } from "../../grammar/mysql-grammar.js";
import type { Dialect, Queryable, Session } from "../dialect.js";
import { createMysqlDriver } from "./mysql-driver.js";
import { acquireMysqlLock } from "./mysql-lock.js";
import { galeraReason } from "./galera.js";
import { MysqlIntrospector } from "./mysql-introspector.js";
import { mysqlRunStrategy } from "./mysql-run-strategy.js";
import { mysqlSafeExecution } from "./mysql-safe.js";

/**
 * MySQL and MariaDB. DDL commits implicitly, so `transactionalDdl` is false: the
 * migrator reports a migration that failed part-way instead of pretending to roll it back.
 */
export const mysqlDialect: Dialect = {
  name: "mysql",
  grammar: new MysqlGrammar(),
  capabilities: { transactionalDdl: false },
  runStrategy: mysqlRunStrategy,
  safeExecution: mysqlSafeExecution,
  connect: createMysqlDriver,
  createIntrospector: (db: Queryable) => new MysqlIntrospector(db),
  beginStatement: "START TRANSACTION",
  acquireLock: acquireMysqlLock,
  sessionLockUnsafe: galeraReason,
  async disableForeignKeys(db: Session, _inTransaction: boolean) {
    // foreign_key_checks is a plain session variable, valid inside a transaction too.
    const rows = await db.read<{ checks: unknown }>("select @@session.foreign_key_checks as `checks`");
    const previous = Number(rows[0]?.checks) === 0 ? 0 : 1;
    await db.execute("set foreign_key_checks = 0");
    return async () => {
      await db.execute(`set foreign_key_checks = ${previous}`);
    };
  },
};
