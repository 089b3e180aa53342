import { dirname, resolve } from "node:path";
import type { Database } from "../dialect/database.js";
import type { DialectName } from "../schema/live-schema.js";
import { readMysqlModel } from "./mysql-reader.js";
import { readSchemaModel } from "./read-model.js";
import { splitStatements } from "./split-statements.js";
import { trackingInserts } from "./tracking-rows.js";
import { schemaStatements } from "./write-dump.js";

export interface DumpOptions {
  /** Write the tracking table's rows as INSERTs (default true), so `migrate` knows what the dump covers. */
  readonly includeTrackingRows?: boolean;
  /** The tracking table (default `migrations`). */
  readonly trackingTable?: string;
}

/**
 * The schema of `db` as SQL in its own dialect that recreates it exactly, plus the
 * tracking rows. Deterministic: sorted, no timestamps, no server version, no OIDs, no
 * auto-increment counters; the same database always gives the same bytes.
 *
 * @example
 * await writeFile("databases/schema/default-schema.sql", await dumpSchema(db));
 */
export async function dumpSchema(db: Database, options: DumpOptions = {}): Promise<string> {
  // MySQL's dump replays SHOW CREATE text alone: the structured read is for diffs.
  const model = db.dialect === "mysql" ? await readMysqlModel(db, { definitionsOnly: true }) : await readSchemaModel(db);
  const statements = schemaStatements(model, db.grammar);
  const rows = options.includeTrackingRows === false ? [] : await trackingInserts(db, options.trackingTable ?? "migrations");
  return [header(db.dialect), ...statements.map(terminated), ...(rows.length ? ["-- Migrations this dump covers", ...rows.map(terminated)] : [])].join("\n");
}

function header(dialect: DialectName): string {
  return (
    `-- Mortar schema dump (${dialect}): the schema and the migrations it covers.\n` +
    "-- Written by `mortar schema:dump`; loaded by `mortar schema:load` and by `migrate` on an empty database.\n"
  );
}

function terminated(statement: string): string {
  return `${statement};\n`;
}

/** The statements of a dump, as `loadSchemaDump` runs them. */
export function dumpStatements(sql: string, dialect: DialectName): string[] {
  return splitStatements(sql, { backslashEscapes: dialect === "mysql" });
}

/**
 * Run a dump's statements on `db`: in one transaction where DDL is transactional
 * (PostgreSQL, SQLite), so a dump that fails half-way leaves nothing behind; one by one
 * on MySQL, where each DDL statement commits.
 * Resolves to the statements that ran.
 */
export async function loadSchemaDump(db: Database, sql: string): Promise<string[]> {
  const statements = dumpStatements(sql, db.dialect);
  const run = async () => {
    for (const statement of statements) await db.execute(statement);
  };
  if (db.dialectFactory.capabilities.transactionalDdl && !db.pretending) await db.transaction(run);
  else await run();
  return statements;
}

/**
 * Where `schema:dump` writes and `migrate`/`schema:load` read a connection's dump:
 * `schema/<connection>-schema.sql` beside the migrations folder — with the default
 * `databases/migrations`, `databases/schema/<connection>-schema.sql`.
 */
export function dumpPath(config: { readonly migrationsPath: string; readonly connectionName: string }, connectionName: string = config.connectionName): string {
  return resolve(dirname(config.migrationsPath), "schema", `${connectionName}-schema.sql`);
}
