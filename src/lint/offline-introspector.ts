import type { ColumnInfo, ForeignKeyInfo, IndexInfo, Introspector } from "../schema/live-schema.js";
import type { TableHistory } from "./table-history.js";

/**
 * What `this.schema.hasTable`, `getColumns` … answer under `mortar lint --offline`, where
 * there is no database to ask: the tables the migration files created so far (up to the
 * call, within the migration being recorded too) with the columns they declared. Indexes,
 * foreign keys and views are not modelled: those reads answer empty.
 */
export class OfflineIntrospector implements Introspector {
  constructor(private readonly history: TableHistory) {}

  async getTables(): Promise<string[]> {
    return this.history.createdTables();
  }

  async hasTable(table: string): Promise<boolean> {
    return this.history.createdByFiles(table);
  }

  async getViews(): Promise<string[]> {
    return [];
  }

  async getColumns(table: string): Promise<ColumnInfo[]> {
    return [...(this.history.declaredColumns(table) ?? [])];
  }

  async getIndexes(): Promise<IndexInfo[]> {
    return [];
  }

  async getForeignKeys(): Promise<ForeignKeyInfo[]> {
    return [];
  }

  async getChecks(): Promise<never[]> {
    return [];
  }
}
