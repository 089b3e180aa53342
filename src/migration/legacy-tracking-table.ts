import type { Database } from "../dialect/database.js";
import { MigrationStateError } from "../errors.js";

/** Every column of Mortar's tracking table. */
export const MORTAR_COLUMNS = ["id", "migration", "batch", "checksum", "executed_at", "duration_ms", "status", "statements", "error"] as const;

/**
 * A tracking table Laravel (`id`, `migration`, `batch`) or Masonite (`migration_id`,
 * `migration`, `batch`) created, possibly half-upgraded by an earlier run on MySQL.
 */
export interface LegacyShape {
  readonly idColumn: "id" | "migration_id";
  /** Its column names, lower case. */
  readonly columns: ReadonlySet<string>;
}

/**
 * Upgrade a Laravel or Masonite tracking table in place so a team can switch to Mortar
 * on a live database: every row is kept and reads as Ran (no checksum, so never
 * Modified). Called under the migration lock. Masonite's `migration_id` becomes `id`
 * (Mortar orders rollbacks by it). Where DDL is transactional the upgrade is all or
 * nothing; on MySQL each step is idempotent, so an interrupted upgrade resumes.
 */
export async function takeOverLegacyTable(db: Database, table: string, shape: LegacyShape): Promise<void> {
  // Mortar needs `migration` unique (two runs must not record one migration twice);
  // Laravel never enforced it. Refused before anything changes, naming the rows.
  const duplicates = await duplicateMigrations(db, table);
  if (duplicates.length > 0) {
    throw new MigrationStateError(
      `cannot take over the tracking table "${table}": it records ${duplicates.map((d) => `${d.migration} (${d.count} times)`).join(", ")}; ` +
        `Mortar needs each migration once. Delete the extra rows, then run again`,
    );
  }
  const has = (column: string) => shape.columns.has(column);
  const upgrade = async () => {
    if (shape.idColumn === "migration_id") await db.schema.table(table, (t) => {
        t.renameColumn("migration_id", "id");
      });
    const missing = MORTAR_COLUMNS.filter((c) => !has(c));
    if (missing.length > 0) {
      await db.schema.table(table, (t) => {
        // The same definitions as a table Mortar creates; old rows get the defaults.
        if (!has("checksum")) t.string("checksum", 64).nullable();
        if (!has("executed_at")) t.timestamp("executed_at").nullable().useCurrent();
        if (!has("duration_ms")) t.integer("duration_ms").nullable();
        if (!has("status")) t.string("status", 16).default("ran");
        if (!has("statements")) t.text("statements").nullable();
        if (!has("error")) t.text("error").nullable();
      });
    }
    const indexes = await db.schema.getIndexes(table);
    if (!indexes.some((i) => i.unique && i.columns.length === 1 && i.columns[0]!.toLowerCase() === "migration")) {
      await db.schema.table(table, (t) => {
        t.unique(["migration"]);
      });
    }
  };
  const dialect = db.dialectFactory;
  if (!dialect.capabilities.transactionalDdl) return upgrade();
  // SQLite adds a CURRENT_TIMESTAMP column by rebuilding the table, which needs foreign
  // keys off, and they can only be switched off outside a transaction.
  const restore = dialect.capabilities.rebuildsTables ? await dialect.disableForeignKeys(db, false) : undefined;
  try {
    await db.transaction(upgrade);
  } finally {
    await restore?.();
  }
}

async function duplicateMigrations(db: Database, table: string): Promise<{ migration: string; count: number }[]> {
  const g = db.grammar;
  const migration = g.quoteIdentifier("migration");
  const rows = await db.read(
    `select ${migration}, count(*) as ${g.quoteIdentifier("times")} from ${g.quoteIdentifier(table)} group by ${migration} having count(*) > 1 order by ${migration}`,
  );
  return rows.map((r) => ({ migration: String(r.migration), count: Number(r.times) }));
}
