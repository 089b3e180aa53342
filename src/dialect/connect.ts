import { resolveConnection } from "../config/resolve-connection.js";
import { ConfigError } from "../errors.js";
import { Database } from "./database.js";
import type { ConnectionConfig, Dialect, DialectName } from "./dialect.js";
import { mysqlDialect } from "./mysql/mysql-dialect.js";
import { postgresDialect } from "./postgres/postgres-dialect.js";
import { sqliteDialect } from "./sqlite/sqlite-dialect.js";

const DIALECTS: Record<DialectName, Dialect> = {
  sqlite: sqliteDialect,
  postgres: postgresDialect,
  mysql: mysqlDialect,
};

export function dialectFor(name: DialectName): Dialect {
  const dialect = DIALECTS[name];
  if (!dialect) {
    throw new ConfigError(`unknown driver "${String(name)}": use one of ${Object.keys(DIALECTS).join(", ")}`);
  }
  return dialect;
}

/**
 * Open one physical connection to a database.
 *
 * @example
 * const db = await connect({ driver: "postgres", host: "127.0.0.1", database: "app" });
 * console.log(await db.schema.getTables());
 * await db.close();
 */
export async function connect(config: ConnectionConfig): Promise<Database> {
  const dialect = dialectFor(config.driver);
  const settings = resolveConnection(config);
  const driver = await dialect.connect(settings);
  return new Database(dialect, driver, settings);
}
