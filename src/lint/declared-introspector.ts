import type { CheckInfo, ColumnInfo, ForeignKeyInfo, IndexInfo, Introspector, TableSnapshot } from "../schema/live-schema.js";
import type { TableHistory } from "./table-history.js";

/**
 * What `this.schema.hasTable`, `getColumns` … answer while a migration is linted: the
 * database as the migrations recorded so far would leave it. A table a migration file
 * created (pending, or earlier in the same migration) is there with the columns it
 * declared; one a file dropped is gone; any other name is read from the live database
 * under the name it has there, or (offline, `live` absent) is not there. Indexes, foreign
 * keys and checks of a table the files created are not modelled: they read as none.
 */
export class DeclaredIntrospector implements Introspector {
  readonly getTableSnapshot?: (table: string) => Promise<TableSnapshot>;

  constructor(
    private readonly declared: TableHistory,
    private readonly live?: Introspector,
  ) {
    const snapshot = live?.getTableSnapshot?.bind(live);
    if (snapshot) this.getTableSnapshot = (table) => snapshot(this.#liveName(table) ?? table);
  }

  async getTables(): Promise<string[]> {
    const live = this.live ? await this.live.getTables() : [];
    const names = new Set<string>(this.declared.createdTables());
    for (const name of live) if (!this.declared.isGone(name)) names.add(name);
    return [...names].sort();
  }

  async hasTable(table: string): Promise<boolean> {
    if (this.declared.createdByFiles(table)) return true;
    const liveName = this.#liveName(table);
    return liveName !== undefined && this.live !== undefined && this.live.hasTable(liveName);
  }

  async getViews(): Promise<string[]> {
    return this.live ? this.live.getViews() : [];
  }

  async getColumns(table: string): Promise<ColumnInfo[]> {
    const declared = this.declared.declaredColumns(table);
    if (declared) return [...declared];
    return this.#fromLive(table, (live, name) => live.getColumns(name));
  }

  async getIndexes(table: string): Promise<IndexInfo[]> {
    return this.#fromLive(table, (live, name) => live.getIndexes(name));
  }

  async getForeignKeys(table: string): Promise<ForeignKeyInfo[]> {
    return this.#fromLive(table, (live, name) => live.getForeignKeys(name));
  }

  async getChecks(table: string): Promise<CheckInfo[]> {
    return this.#fromLive(table, (live, name) => (live.getChecks ? live.getChecks(name) : Promise.resolve([])));
  }

  /** The live name of a table the files did not create (renames followed); undefined otherwise. */
  #liveName(table: string): string | undefined {
    const origin = this.declared.origin(table);
    return origin?.kind === "live" ? origin.liveName : undefined;
  }

  async #fromLive<T>(table: string, read: (live: Introspector, name: string) => Promise<T[]>): Promise<T[]> {
    const name = this.#liveName(table);
    return name !== undefined && this.live && !this.declared.createdByFiles(table) ? read(this.live, name) : [];
  }
}
