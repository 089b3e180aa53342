import type { Database } from "../../src/dialect/database.js";
import type { ColumnInfo, ForeignKeyInfo, IndexInfo } from "../../src/dialect/dialect.js";

/** Shared by the integration tests that require an alter and its `down` to leave a table reading back exactly as before. */

/** Everything the introspector reports about one table. */
export interface TableShape {
  readonly columns: ColumnInfo[];
  readonly indexes: IndexInfo[];
  readonly foreignKeys: ForeignKeyInfo[];
}

export async function tableShape(db: Database, table: string): Promise<TableShape> {
  return {
    columns: await db.schema.getColumns(table),
    indexes: await db.schema.getIndexes(table),
    foreignKeys: await db.schema.getForeignKeys(table),
  };
}

/** The shapes of `tables`, by name, to compare before and after. */
export async function schemaSnapshot(db: Database, ...tables: string[]): Promise<Record<string, TableShape>> {
  const shapes: Record<string, TableShape> = {};
  for (const table of tables) shapes[table] = await tableShape(db, table);
  return shapes;
}
