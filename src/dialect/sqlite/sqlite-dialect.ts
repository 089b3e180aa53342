import { MortarError } from "../../errors.js";
import { SqliteGrammar } from "../../grammar/sqlite-grammar.js";
import type { Dialect, Session } from "../dialect.js";
import { connectSqlite } from "./sqlite-driver.js";
import { acquireSqliteLock } from "./sqlite-lock.js";
import { SqliteIntrospector } from "./sqlite-introspector.js";

/**
 * SQLite: one file, one writer. `BEGIN IMMEDIATE` takes the write lock when the
 * transaction starts, so a second writer waits on the busy timeout instead of failing
 * half-way when its first write finds the lock taken.
 *
 * @example
 * const driver = await sqliteDialect.connect({ driver: "sqlite", database: ":memory:" });
 * const db = new Database(sqliteDialect, driver);
 */
export const sqliteDialect: Dialect = {
  name: "sqlite",
  grammar: new SqliteGrammar(),
  capabilities: { transactionalDdl: true, rebuildsTables: true },
  beginStatement: "BEGIN IMMEDIATE",
  connect: connectSqlite,
  createIntrospector: (db) => new SqliteIntrospector(db),
  disableForeignKeys,
  foreignKeysEnforced: async (db) => Number((await db.read<{ foreign_keys: number }>("pragma foreign_keys"))[0]?.foreign_keys) === 1,
  checkForeignKeys,
  acquireLock: (session, _name, timeoutMs) => acquireSqliteLock(session.config.database ?? session.config.filename ?? "", timeoutMs),
};

/**
 * SQLite ignores `pragma foreign_keys` inside a transaction, so there the checks are
 * deferred to commit instead. Either way the setting read first is what is restored.
 */
async function disableForeignKeys(db: Session, inTransaction: boolean): Promise<() => Promise<void>> {
  const pragma = inTransaction ? "defer_foreign_keys" : "foreign_keys";
  const [row] = await db.read<Record<string, unknown>>(`pragma ${pragma}`);
  const previous = Number(row?.[pragma]) === 1;
  await db.execute(`pragma ${pragma} = ${inTransaction ? "on" : "off"}`);
  return async () => {
    await db.execute(`pragma ${pragma} = ${previous ? "on" : "off"}`);
  };
}

interface ForeignKeyViolation {
  table: string;
  rowid: number | null;
  parent: string;
  fkid: number;
}

/** `pragma foreign_key_check` lists every row whose key has no parent; any row fails the run. */
async function checkForeignKeys(db: Session): Promise<void> {
  const violations = await db.read<ForeignKeyViolation>("pragma foreign_key_check");
  if (violations.length === 0) return;
  const shown = violations
    .slice(0, 3)
    .map((v) => `"${v.table}" row ${v.rowid ?? "?"} has no matching row in "${v.parent}"`)
    .join("; ");
  const more = violations.length > 3 ? ` (and ${violations.length - 3} more)` : "";
  throw new MortarError("QUERY_FAILED", `FOREIGN KEY constraint failed: ${shown}${more}`);
}
