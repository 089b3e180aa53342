import { MortarError } from "../../errors.js";
import { foldIdentifier } from "../../grammar/sqlite-create-table-parser.js";
import { SqliteGrammar } from "../../grammar/sqlite-grammar.js";
import type { Dialect, Session } from "../dialect.js";
import { connectSqlite } from "./sqlite-driver.js";
import { acquireSqliteLock } from "./sqlite-lock.js";
import { sqliteRunStrategy } from "./sqlite-run-strategy.js";
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
  runStrategy: sqliteRunStrategy({ disable: disableForeignKeys, check: checkForeignKeys }),
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

/** The existing tables among `tables`, plus every table with a key referencing one of them. */
async function withChildren(db: Session, tables: readonly string[]): Promise<string[]> {
  const found = new Map<string, string>();
  const add = (name: string) => found.set(foldIdentifier(name), name);
  for (const table of tables) {
    // `collate nocase` (and LIKE) fold ASCII letters only, as SQLite matches names. A child
    // names its parent in its CREATE TABLE text, so only tables whose text contains the
    // name are asked for their keys: listing every table's keys for every check made a
    // run over n tables cost n² key lists.
    const children = await db.read<{ name: string }>(
      `select distinct m.name as name from sqlite_master m join pragma_foreign_key_list(m.name) f ` +
        `where m.type = 'table' and m.sql like ? escape '\\' and f."table" = ? collate nocase`,
      [mentionPattern(table), table],
    );
    children.forEach((c) => add(c.name));
    const exists = await db.read<{ name: string }>("select name from pragma_table_list(?) where type = 'table'", [table]);
    exists.forEach((t) => add(t.name));
  }
  return [...found.values()];
}

/**
 * A LIKE pattern matching a CREATE TABLE text that mentions `table`. A name with a quote
 * or bracket can be written escaped in that text (`"we""ird"`), so it matches every table.
 */
function mentionPattern(table: string): string {
  if (/["'`[\]]/.test(table)) return "%";
  return `%${table.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

interface ForeignKeyViolation {
  table: string;
  rowid: number | null;
  parent: string;
  fkid: number;
}

/**
 * `pragma foreign_key_check` lists every row whose key has no parent; any row fails the
 * run. Given tables, it checks those that still exist and every table whose keys
 * reference one of them (even a dropped one): deleting or dropping a parent's rows
 * orphans rows of its children, which live in other tables.
 */
async function checkForeignKeys(db: Session, tables?: readonly string[]): Promise<void> {
  const violations: ForeignKeyViolation[] = [];
  if (tables === undefined) violations.push(...(await db.read<ForeignKeyViolation>("pragma foreign_key_check")));
  else {
    for (const table of await withChildren(db, tables)) {
      violations.push(...(await db.read<ForeignKeyViolation>("select * from pragma_foreign_key_check(?)", [table])));
    }
  }
  if (violations.length === 0) return;
  const shown = violations
    .slice(0, 3)
    .map((v) => `"${v.table}" row ${v.rowid ?? "?"} has no matching row in "${v.parent}"`)
    .join("; ");
  const more = violations.length > 3 ? ` (and ${violations.length - 3} more)` : "";
  throw new MortarError("QUERY_FAILED", `FOREIGN KEY constraint failed: ${shown}${more}`);
}
