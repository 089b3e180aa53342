import { existsSync } from "node:fs";
import type { Database } from "../database.js";
import { leaseSql } from "./lease-sql.js";
import { connectSqlite } from "../sqlite/sqlite-driver.js";
import { realDatabasePath } from "../sqlite/sqlite-lock.js";
import type { ConnectionConfig } from "../dialect.js";

/** `<database>.mortar-lease` beside the SQLite database's real file: where its lease row lives. */
export function leaseFileOf(config: ConnectionConfig): string {
  return `${realDatabasePath(config.database ?? config.filename ?? "")}.mortar-lease`;
}

/**
 * The holder of a live lease on `name` in `table`, read by a run that holds the session
 * lock, or undefined (no lock table, no row, or an expired one). One cheap look-up: the
 * lock table usually does not exist, and that is checked without an error.
 */
export async function liveLeaseHolder(db: Database, table: string, name: string): Promise<string | undefined> {
  const sql = leaseSql(db.dialect, db.grammar, table);
  if (db.dialect === "sqlite") {
    const file = leaseFileOf(db.config);
    if (!existsSync(file)) return undefined;
    const driver = await connectSqlite({ driver: "sqlite", database: file });
    try {
      const [present] = (await driver.run("select 1 as present from sqlite_master where type = 'table' and name = ?", [table])).rows;
      if (!present) return undefined;
      const [row] = (await driver.run(sql.liveHolder, [name])).rows;
      return row ? String(row.holder) : undefined;
    } finally {
      await driver.close().catch(() => undefined);
    }
  }
  const exists =
    db.dialect === "postgres"
      ? "select to_regclass($1) is not null as present"
      : "select count(*) > 0 as present from information_schema.tables where table_schema = database() and table_name = ?";
  const [row] = await db.read<{ present: unknown }>(exists, [db.dialect === "postgres" ? db.grammar.quoteIdentifier(table) : table]);
  if (!row || !(row.present === true || Number(row.present) === 1)) return undefined;
  const [holder] = await db.read<{ holder: string }>(sql.liveHolder, [name]);
  return holder?.holder;
}
