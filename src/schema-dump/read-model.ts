import type { Database } from "../dialect/database.js";
import type { SchemaModel } from "./model.js";
import { readMysqlModel } from "./mysql-reader.js";
import { readPostgresModel } from "./postgres-reader.js";
import { readSqliteModel } from "./sqlite-reader.js";

/**
 * The whole schema of `db` (its current schema on PostgreSQL, its database on MySQL) as
 * plain sorted data, read through Mortar's own introspection: no `pg_dump`, `mysqldump`
 * or `sqlite3` binary is involved.
 *
 * @example
 * const model = await readSchemaModel(db);
 * model.tables.map((t) => t.name); // ["migrations", "posts", "users"]
 */
export function readSchemaModel(db: Database): Promise<SchemaModel> {
  switch (db.dialect) {
    case "sqlite":
      return readSqliteModel(db);
    case "postgres":
      return readPostgresModel(db);
    case "mysql":
      return readMysqlModel(db);
  }
}
