import { InvalidSchemaError } from "../../errors.js";
import { foldIdentifier } from "../../grammar/sqlite-create-table-parser.js";
import type { SchemaChange } from "../../schema/schema-change.js";
import type { RunSession, RunStrategy, Session } from "../dialect.js";
import { canShareTransaction, defaultRunStrategy, runInOwnTransaction } from "../run-strategy.js";

/** The dialect's foreign-key switch and check, handed in so this module needs nothing else of it. */
export interface SqliteForeignKeys {
  disable(session: Session, inTransaction: boolean): Promise<() => Promise<void>>;
  check(session: Session, tables?: readonly string[]): Promise<void>;
}

/**
 * SQLite has one writer and a table rebuild needs foreign-key enforcement off, which it
 * only switches outside a transaction. So a batch is one transaction with a savepoint
 * per migration (one disk sync; a failed migration rolls back to its savepoint while the
 * ones before it still commit), enforcement is off around it, and each migration's keys
 * are checked before its savepoint is released. SQLite also accepts a key to a table that
 * does not exist, so the parents are checked too.
 */
export function sqliteRunStrategy(foreignKeys: SqliteForeignKeys): RunStrategy {
  return {
    ...defaultRunStrategy,
    async runBatch(session, migrations, run) {
      if (!canShareTransaction(migrations)) return run(false);
      const restore = await foreignKeys.disable(session, false);
      try {
        return await session.transaction(() => run(true));
      } finally {
        await restore();
      }
    },
    async runInTransaction(session, work, sharedTransaction) {
      // Alone, the migration gets enforcement switched off around its own transaction.
      const restore = sharedTransaction ? undefined : await foreignKeys.disable(session, false);
      try {
        await runInOwnTransaction(session, work, () => runVerified(session, foreignKeys, work.run));
      } finally {
        await restore?.();
      }
    },
  };
}

/** Run the migration, then check what its changes could have broken while enforcement was off. */
async function runVerified(session: RunSession, foreignKeys: SqliteForeignKeys, run: () => Promise<void>): Promise<void> {
  const changes = collectChanges();
  const stop = session.observeChanges(changes.add);
  try {
    await run();
  } finally {
    stop();
  }
  // Creating tables and indexes cannot orphan a row; the check runs only after
  // something that can: over every key after raw SQL (it may have touched any table),
  // else over the tables the schema changes touched and their children, so orphans
  // an unrelated table already held do not fail this migration.
  if (changes.rawSql) await foreignKeys.check(session);
  else if (changes.mayOrphan.size > 0) await foreignKeys.check(session, [...changes.mayOrphan]);
  await assertParentsExist(session, changes.references);
}

function collectChanges() {
  const collected = {
    rawSql: false,
    mayOrphan: new Set<string>(),
    references: [] as { table: string; parent: string }[],
    add: (change: SchemaChange) => {
      if (change.kind === "rawSql") collected.rawSql = true;
      else if (change.kind === "mayOrphanRows") collected.mayOrphan.add(change.table);
      else if (change.kind === "referencesTable") collected.references.push({ table: change.table, parent: change.parent });
      else if (change.kind === "tableRenamed") followRename(collected, change.from, change.to);
    },
  };
  return collected;
}

/**
 * SQLite's ALTER TABLE … RENAME rewrites the keys that point at the table, so a key declared
 * earlier in the migration now references the new name (and one declared on the table
 * lives on the new name): the later checks must look there, not for the old table.
 */
function followRename(collected: ReturnType<typeof collectChanges>, from: string, to: string): void {
  const old = foldIdentifier(from);
  for (const reference of collected.references) {
    if (foldIdentifier(reference.parent) === old) reference.parent = to;
    if (foldIdentifier(reference.table) === old) reference.table = to;
  }
  for (const table of [...collected.mayOrphan]) {
    if (foldIdentifier(table) === old) {
      collected.mayOrphan.delete(table);
      collected.mayOrphan.add(to);
    }
  }
}

/** SQLite takes `references "ghosts"` without a table "ghosts"; every later insert would fail. */
async function assertParentsExist(session: Session, references: readonly { readonly table: string; readonly parent: string }[]): Promise<void> {
  const checked = new Set<string>();
  for (const reference of references) {
    // SQLite folds ASCII letters only: "ö" and "Ö" are two tables.
    const parent = foldIdentifier(reference.parent);
    if (checked.has(parent)) continue;
    checked.add(parent);
    // A lookup by name in SQLite's own schema map (names match case-insensitively), not a
    // scan of sqlite_master; the same text every time, so it is prepared once a run.
    const found = await session.read("select 1 as found from pragma_table_list(?) where type = 'table'", [reference.parent]);
    if (found.length === 0) {
      throw new InvalidSchemaError(`a foreign key on table "${reference.table}" references table "${reference.parent}", which does not exist`);
    }
  }
}
