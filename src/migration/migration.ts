import type { Database } from "../dialect/database.js";
import type { SchemaBuilder } from "../schema/schema-builder.js";

/**
 * Shared by every copy of this module (an ESM and a CJS load of Mortar in one process
 * must recognise each other's migrations), hence `Symbol.for` rather than `Symbol()`.
 */
const BIND = Symbol.for("mortar.migration.bind");
const BRAND = Symbol.for("mortar.migration");

/**
 * The base class of every migration file.
 *
 * @example
 * export default class CreateUsersTable extends Migration {
 *   async up() { await this.schema.create("users", (t) => { t.increments("id"); }); }
 *   async down() { await this.schema.drop("users"); }
 * }
 */
export abstract class Migration {
  /** Set to `false` to run this migration outside a transaction. */
  static transaction = true;
  /** Name of a configured connection to run this migration on instead of the default one. */
  static connection: string | undefined = undefined;

  #db: Database | undefined;

  /** The schema builder of the migration's connection. */
  get schema(): SchemaBuilder {
    return this.db.schema;
  }

  /** The migration's connection: `await this.db.execute(sql, params)`, `await this.db.query(sql, params)`. */
  get db(): Database {
    if (!this.#db) throw new Error("this migration is not bound to a connection: run it through the Migrator");
    return this.#db;
  }

  /** Apply the migration. Required unless the migration defines change() instead. */
  up?(): Promise<void>;

  /**
   * Undo what up() did. Optional: a migration without it cannot be rolled back, and a
   * rollback that would need it is refused before anything runs.
   */
  down?(): Promise<void>;

  /**
   * Instead of up() and down() (Rails' `change`): migrating runs it; rolling back records
   * the schema operations it asks for without running them and runs their inverses in
   * reverse order. Only reversible operations may appear (create a table, add a column,
   * an index or a foreign key, rename a table, column or index); anything else (a drop,
   * change(), raw SQL) makes the rollback refuse before it runs anything.
   */
  change?(): Promise<void>;

  /** @internal */
  [BIND](db: Database): this {
    this.#db = db;
    return this;
  }

  static get [BRAND](): true {
    return true;
  }
}

export interface MigrationClass {
  new (): Migration;
  readonly prototype: Migration;
  readonly transaction?: boolean;
  readonly connection?: string;
}

/** True for a class that extends Migration (from any copy of this module). */
export function isMigrationClass(value: unknown): value is MigrationClass {
  return typeof value === "function" && (value as unknown as Record<symbol, unknown>)[BRAND] === true;
}

/** Attach a migration instance to the connection it runs on. */
export function bindMigration(migration: Migration, db: Database): Migration {
  return (migration as unknown as Record<symbol, (db: Database) => Migration>)[BIND]!(db);
}
