import type { Database } from "../dialect/database.js";
import type { SchemaBuilder } from "../schema/schema-builder.js";

/**
 * Shared by every copy of this module (an ESM and a CJS load of Mortar in one process
 * must recognise each other's seeders), hence `Symbol.for` rather than `Symbol()`, as
 * for migrations (src/migration/migration.ts).
 */
const BIND = Symbol.for("mortar.seeder.bind");
const BRAND = Symbol.for("mortar.seeder");

/** What a seeder is bound to while it runs: the connection, and how `call()` runs others. */
export interface SeederBinding {
  readonly db: Database;
  /** Run `classes` one after another, each with the same connection, as called by the bound seeder. */
  call(classes: readonly SeederClass[]): Promise<void>;
}

/**
 * The base class of every seeder file (`databases/seeders/UserSeeder.ts`).
 *
 * @example
 * export default class DatabaseSeeder extends Seeder {
 *   async run() {
 *     await this.db.execute("insert into roles (name) values (?)", ["admin"]);
 *     await this.call([UserSeeder, PostSeeder]);
 *   }
 * }
 */
export abstract class Seeder {
  #binding: SeederBinding | undefined;

  /** The seeding connection: `await this.db.execute(sql, params)`, `await this.db.query(sql, params)`, `this.db.dialect`. */
  get db(): Database {
    return this.#bound().db;
  }

  /** The schema builder of the seeding connection. */
  get schema(): SchemaBuilder {
    return this.db.schema;
  }

  abstract run(): Promise<void>;

  /**
   * Run other seeders, in order, on the same connection and inside the same transaction.
   * A seeder called twice in one run runs twice (Laravel does the same).
   */
  async call(seeders: SeederClass | readonly SeederClass[]): Promise<void> {
    const list = Array.isArray(seeders) ? (seeders as readonly SeederClass[]) : [seeders as SeederClass];
    await this.#bound().call(list);
  }

  #bound(): SeederBinding {
    if (!this.#binding) throw new Error("this seeder is not bound to a connection: run it with `mortar db:seed` or seed()");
    return this.#binding;
  }

  /** @internal */
  [BIND](binding: SeederBinding): this {
    this.#binding = binding;
    return this;
  }

  static get [BRAND](): true {
    return true;
  }
}

export interface SeederClass {
  new (): Seeder;
  readonly prototype: Seeder;
  readonly name: string;
}

/** True for a class that extends Seeder (from any copy of this module). */
export function isSeederClass(value: unknown): value is SeederClass {
  return typeof value === "function" && (value as unknown as Record<symbol, unknown>)[BRAND] === true;
}

/** Attach a seeder instance to the run it takes part in. */
export function bindSeeder(seeder: Seeder, binding: SeederBinding): Seeder {
  return (seeder as unknown as Record<symbol, (binding: SeederBinding) => Seeder>)[BIND]!(binding);
}
