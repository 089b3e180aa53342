import type { Database } from "../dialect/database.js";
import type { RanMigration } from "./plan.js";

/**
 * The tracking table (`migrations` by default): one row per applied migration.
 * Every statement binds its values; only the table name is an identifier, quoted.
 */
export class MigrationRepository {
  readonly #db: Database;
  readonly #table: string;

  constructor(db: Database, table = "migrations") {
    this.#db = db;
    this.#table = table;
  }

  get table(): string {
    return this.#table;
  }

  async exists(): Promise<boolean> {
    return this.#db.schema.hasTable(this.#table);
  }

  /** Create the tracking table if it is not there yet. */
  async ensureTable(): Promise<void> {
    if (await this.exists()) return;
    await this.#db.schema.create(this.#table, (t) => {
      t.increments("id");
      t.string("migration").unique();
      t.integer("batch");
      t.string("checksum", 64).nullable();
      t.timestamp("executed_at").nullable().useCurrent();
      t.integer("duration_ms").nullable();
    });
  }

  /** Every applied migration, in the order it was applied. Empty when the table does not exist yet. */
  async getRan(): Promise<RanMigration[]> {
    if (!(await this.exists())) return [];
    const g = this.#db.grammar;
    const rows = await this.#db.read(
      `select ${g.columnList(["id", "migration", "batch", "checksum"])} from ${g.quoteIdentifier(this.#table)} order by ${g.quoteIdentifier("batch")}, ${g.quoteIdentifier("id")}`,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      migration: String(r.migration),
      batch: Number(r.batch),
      checksum: r.checksum == null ? null : String(r.checksum),
    }));
  }

  async nextBatch(): Promise<number> {
    const ran = await this.getRan();
    return ran.reduce((max, r) => Math.max(max, r.batch), 0) + 1;
  }

  async log(migration: string, batch: number, checksum: string | null, durationMs: number): Promise<void> {
    const g = this.#db.grammar;
    await this.#db.execute(
      `insert into ${g.quoteIdentifier(this.#table)} (${g.columnList(["migration", "batch", "checksum", "duration_ms"])}) values (${[1, 2, 3, 4].map((i) => g.parameter(i)).join(", ")})`,
      [migration, batch, checksum, Math.round(durationMs)],
    );
  }

  async delete(migration: string): Promise<void> {
    const g = this.#db.grammar;
    await this.#db.execute(
      `delete from ${g.quoteIdentifier(this.#table)} where ${g.quoteIdentifier("migration")} = ${g.parameter(1)}`,
      [migration],
    );
  }
}
