import { connect, MortarError, type ConnectionConfig, type Database } from "../index.js";
import type { TemplateSpec, TestDatabaseBackend } from "./backend.js";
import { BackgroundRemovals } from "./background-removals.js";
import { COPY_PREFIX, isStaleCopy, projectTemplatePrefix } from "./copy-names.js";
import { applyCopyRecipe, readCopyRecipe, type MysqlCopyRecipe } from "./mysql-copy-recipe.js";
import { ServerAdmin } from "./server-admin.js";
import { migrateTemplate, templateIsComplete } from "./template-migration.js";

/** Connections a copy's tables are created over (see applyCopyRecipe). */
const COPY_SESSIONS = 4;

/** How long a worker waits for another to finish building the template, in seconds. */
const BUILD_LOCK_TIMEOUT_S = 600;

/**
 * MySQL/MariaDB: the template is a database migrated once (under `GET_LOCK`, checked
 * complete before reuse since a crashed build cannot be told apart by its name); a copy
 * replays the template's recipe (mysql-copy-recipe.ts) on the admin connection.
 */
export class MysqlBackend implements TestDatabaseBackend {
  readonly #spec: TemplateSpec;
  readonly #admin: ServerAdmin;
  /** Drops go through their own connection, never queued behind a pool refill's copy. */
  readonly #dropper: ServerAdmin;
  readonly #removals = new BackgroundRemovals();
  #recipe: MysqlCopyRecipe | undefined;

  constructor(spec: TemplateSpec) {
    this.#spec = spec;
    this.#admin = new ServerAdmin(spec.base);
    this.#dropper = new ServerAdmin(spec.base);
  }

  async prepareTemplate(): Promise<void> {
    const { template, migrationsPath, migrationsTable } = this.#spec;
    await this.#admin.use(async (db) => {
      const q = db.grammar.quoteIdentifier(template);
      const [got] = await db.query<{ locked: number | null }>("select get_lock(?, ?) as locked", [template, BUILD_LOCK_TIMEOUT_S]);
      if (Number(got?.locked) !== 1) throw new MortarError("MIGRATION_LOCK", `test database template ${template}: another process held its lock for ${BUILD_LOCK_TIMEOUT_S} s`);
      try {
        await this.#dropLeftovers(db);
        const found = await db.query("select 1 from information_schema.schemata where schema_name = ?", [template]);
        if (found.length > 0 && !(await templateIsComplete(this.configFor(template), migrationsPath, migrationsTable))) {
          await db.execute(`drop database ${q}`);
          found.length = 0;
        }
        if (found.length === 0) {
          await db.execute(`create database ${q}`);
          try {
            await migrateTemplate(this.configFor(template), migrationsPath, migrationsTable);
          } catch (error) {
            // A half-migrated template is never left for anyone to copy.
            await db.execute(`drop database if exists ${q}`).catch(() => undefined);
            throw error;
          }
        }
        this.#recipe = await readCopyRecipe(db, template);
      } finally {
        await db.query("select release_lock(?)", [template]);
      }
    });
  }

  async createCopy(name: string): Promise<void> {
    const recipe = this.#recipe;
    if (!recipe) throw new MortarError("USAGE", "test database template not prepared");
    await this.#admin.use(async (db) => {
      const q = db.grammar.quoteIdentifier(name);
      await db.execute(`create database ${q}`);
      const sessions: Database[] = [];
      try {
        const count = Math.max(1, Math.min(COPY_SESSIONS, recipe.createTables.length));
        sessions.push(...(await Promise.all(Array.from({ length: count }, () => connect(this.configFor(name))))));
        await applyCopyRecipe(sessions, recipe, this.#spec.template);
      } catch (error) {
        await Promise.all(sessions.map((s) => s.close()));
        sessions.length = 0;
        await db.execute(`drop database if exists ${q}`).catch(() => undefined);
        throw error;
      } finally {
        await Promise.all(sessions.map((s) => s.close()));
      }
    });
  }

  /**
   * Dropped in the background: DROP DATABASE of two hundred InnoDB tables deletes two
   * hundred files, measured at 1–2 s, which no test needs to wait for. MySQL cannot rename
   * a database, so the name stays listed until the drop finishes; close() waits for it.
   */
  async dropCopy(name: string): Promise<void> {
    this.#removals.add(() => this.#dropper.use((db) => db.execute(`drop database if exists ${db.grammar.quoteIdentifier(name)}`)));
  }

  configFor(name: string): ConnectionConfig {
    return { ...this.#spec.base, database: name };
  }

  async close(): Promise<void> {
    await this.#removals.settled();
    await Promise.all([this.#admin.close(), this.#dropper.close()]);
  }

  /** Other templates of this project (older migration files) and copies abandoned over an hour ago. */
  async #dropLeftovers(db: Database): Promise<void> {
    const rows = await db.query<{ name: string }>(
      "select schema_name as name from information_schema.schemata where schema_name like 'mortar\\_%'",
    );
    const older = projectTemplatePrefix(this.#spec.projectKey);
    for (const { name } of rows) {
      const oldTemplate = name.startsWith(older) && name !== this.#spec.template;
      if (!oldTemplate && !(name.startsWith(COPY_PREFIX) && isStaleCopy(name))) continue;
      await db.execute(`drop database if exists ${db.grammar.quoteIdentifier(name)}`).catch(() => undefined);
    }
  }
}
