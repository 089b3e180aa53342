import { existsSync, readFileSync } from "node:fs";
import type { ResolvedConfig } from "../config/load-config.js";
import { dialectFor } from "../dialect/connect.js";
import type { DialectName } from "../schema/live-schema.js";
import type { InitialSchema } from "../migration/initial-schema.js";
import { dumpPath, dumpStatements, loadSchemaDump } from "../schema-dump/dump.js";
import { migrationsInDump } from "../schema-dump/tracking-rows.js";
import { displayPath } from "../util/display-path.js";

/**
 * The connection's schema dump (`databases/schema/<connection>-schema.sql`) as the
 * Migrator's `initialSchema`, or undefined when there is no such file. Read only when
 * `migrate` finds the database empty.
 */
export function initialSchemaFile(config: ResolvedConfig, dialect: DialectName, path: string = dumpPath(config)): InitialSchema | undefined {
  if (!existsSync(path)) return undefined;
  let text: string | undefined;
  const read = () => (text ??= readFileSync(path, "utf8"));
  const statements = () => dumpStatements(read(), dialect);
  return {
    path: displayPath(path),
    load: (db) => loadSchemaDump(db, read()),
    statements,
    covered: () => migrationsInDump(statements(), config.migrationsTable, (name) => dialectFor(dialect).grammar.quoteIdentifier(name)),
  };
}
