import type { Database } from "../dialect/database.js";
import type { DialectName } from "../schema/live-schema.js";

/** When an applied migration ran and how long it took, from the tracking table. */
export interface RunTime {
  /** The moment its row was written; null when the row has none (a taken-over Laravel table). */
  readonly executedAt: Date | null;
  readonly durationMs: number | null;
}

/**
 * `executed_at` as whole seconds since 1970 UTC, asked of the database itself: each
 * driver hands a timestamp back in its own way (SQLite as UTC text, MySQL in the
 * session's time zone read as the client's local time), so only the number is
 * trustworthy on all three.
 */
const EPOCH_SECONDS: Readonly<Record<DialectName, (column: string) => string>> = {
  sqlite: (column) => `cast(strftime('%s', ${column}) as integer)`,
  postgres: (column) => `cast(extract(epoch from ${column}) as bigint)`,
  mysql: (column) => `unix_timestamp(${column})`,
};

/**
 * Every tracked migration's run time, for `migrate:status`. Read apart from the rows
 * planning uses (`MigrationRepository.getRan`), which every run reads and which need no
 * times. A table without these columns (not yet taken over) gives an empty map.
 */
export async function readRunTimes(db: Database, table: string): Promise<Map<string, RunTime>> {
  const g = db.grammar;
  const sql =
    `select ${g.quoteIdentifier("migration")}, ${EPOCH_SECONDS[db.dialect](g.quoteIdentifier("executed_at"))} as ${g.quoteIdentifier("executed_epoch")}, ` +
    `${g.quoteIdentifier("duration_ms")} from ${g.quoteIdentifier(table)}`;
  let rows: Record<string, unknown>[];
  try {
    rows = await db.read(sql);
  } catch {
    return new Map();
  }
  return new Map(
    rows.map((row) => [
      String(row.migration),
      {
        executedAt: row.executed_epoch == null ? null : new Date(Number(row.executed_epoch) * 1000),
        durationMs: row.duration_ms == null ? null : Number(row.duration_ms),
      },
    ]),
  );
}
