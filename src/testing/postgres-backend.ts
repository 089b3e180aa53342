import type { ConnectionConfig, Database } from "../index.js";
import type { TemplateSpec, TestDatabaseBackend } from "./backend.js";
import { BackgroundRemovals } from "./background-removals.js";
import { COPY_PREFIX, isStaleCopy, projectTemplatePrefix, TRASH_PREFIX } from "./copy-names.js";
import { ServerAdmin } from "./server-admin.js";
import { migrateTemplate, templateIsComplete } from "./template-migration.js";

/**
 * PostgreSQL: the template is a database migrated once; a copy is
 * `CREATE DATABASE copy TEMPLATE tpl`, which PostgreSQL refuses while anyone is connected
 * to the template — so Mortar never keeps a connection to it, and retries when a parallel
 * worker is briefly connected (checking that the template is complete).
 * The copy strategy is PostgreSQL's default (15+: `WAL_LOG`); `FILE_COPY` forces two
 * checkpoints per copy, which measured slower here on a server with other writers
 * (bench/test-databases.ts). MORTAR_TEST_PG_STRATEGY=file_copy chooses it (PostgreSQL 15+).
 */
export class PostgresBackend implements TestDatabaseBackend {
  readonly #spec: TemplateSpec;
  readonly #admin: ServerAdmin;
  /** Drops go through their own connection, never queued behind a pool refill's copy. */
  readonly #dropper: ServerAdmin;
  /** Background DROPs of renamed copies (see dropCopy). */
  readonly #reaper: ServerAdmin;
  readonly #removals = new BackgroundRemovals();
  #strategy: string | undefined;

  constructor(spec: TemplateSpec) {
    this.#spec = spec;
    this.#admin = new ServerAdmin(spec.base);
    this.#dropper = new ServerAdmin(spec.base);
    this.#reaper = new ServerAdmin(spec.base);
  }

  async prepareTemplate(): Promise<void> {
    const { template, migrationsPath, migrationsTable } = this.#spec;
    await this.#admin.use(async (db) => {
      this.#strategy = await copyStrategy(db);
      // Serializes template builds of every process on this server (the lock ends with the session).
      await db.query("select pg_advisory_lock(hashtext($1))", [template]);
      try {
        await this.#dropLeftovers(db);
        if (await exists(db, template)) {
          if (await templateIsComplete(this.configFor(template), migrationsPath, migrationsTable)) return;
          await db.execute(`drop database ${quote(template)} with (force)`);
        }
        await db.execute(`create database ${quote(template)}`);
        try {
          await migrateTemplate(this.configFor(template), migrationsPath, migrationsTable);
        } catch (error) {
          // A half-migrated template is never left for anyone to copy.
          await db.execute(`drop database if exists ${quote(template)} with (force)`).catch(() => undefined);
          throw error;
        }
      } finally {
        await db.query("select pg_advisory_unlock(hashtext($1))", [template]);
      }
    });
  }

  async createCopy(name: string): Promise<void> {
    const sql = `create database ${quote(name)} template ${quote(this.#spec.template)}${this.#strategy ?? ""}`;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#admin.use((db) => db.execute(sql));
        return;
      } catch (error) {
        // 55006: another session is connected to the template (a worker checking it).
        if (attempt >= 50 || !/being accessed by other users/.test(String((error as Error).message))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      }
    }
  }

  /**
   * The copy is renamed out of the way at once (a catalog update, well under a millisecond)
   * and dropped in the background: DROP DATABASE deletes files and makes PostgreSQL
   * checkpoint, measured at seconds on a busy server, and no test needs to wait for that.
   * Removals still under way are awaited by close() (and so at process exit).
   */
  async dropCopy(name: string): Promise<void> {
    const trash = TRASH_PREFIX + name.slice(COPY_PREFIX.length);
    try {
      await this.#dropper.use(async (db) => {
        await db.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [name]);
        await db.execute(`alter database ${quote(name)} rename to ${quote(trash)}`);
      });
    } catch {
      // Someone connected again in between: drop it here and now.
      await this.#dropper.use((db) => db.execute(`drop database if exists ${quote(name)} with (force)`));
      return;
    }
    // A failure leaves it for the next run's clean-up (mortar_trash_*).
    this.#removals.add(() => this.#reaper.use((db) => db.execute(`drop database if exists ${quote(trash)} with (force)`)));
  }

  configFor(name: string): ConnectionConfig {
    return { ...this.#spec.base, database: name };
  }

  async close(): Promise<void> {
    await this.#removals.settled();
    await Promise.all([this.#admin.close(), this.#dropper.close(), this.#reaper.close()]);
  }

  /** Other templates of this project (older migration files), copies abandoned over an hour ago, dropped copies left in the trash. */
  async #dropLeftovers(db: Database): Promise<void> {
    const rows = await db.query<{ datname: string }>(
      "select datname from pg_database where datname like 'mortar\\_%' and not datistemplate",
    );
    const older = projectTemplatePrefix(this.#spec.projectKey);
    for (const { datname } of rows) {
      const oldTemplate = datname.startsWith(older) && datname !== this.#spec.template;
      const leftover = (datname.startsWith(COPY_PREFIX) && isStaleCopy(datname)) || datname.startsWith(TRASH_PREFIX);
      if (!oldTemplate && !leftover) continue;
      // Without FORCE: a template another worker is still copying is left for next time.
      await db.execute(`drop database if exists ${quote(datname)}`).catch(() => undefined);
    }
  }
}

async function copyStrategy(db: Database): Promise<string> {
  const wanted = process.env.MORTAR_TEST_PG_STRATEGY?.toLowerCase();
  if (wanted !== "file_copy" && wanted !== "wal_log") return "";
  const [version] = await db.query<{ server_version_num: string }>("show server_version_num");
  return Number(version?.server_version_num ?? 0) >= 150000 ? ` strategy ${wanted}` : "";
}

async function exists(db: Database, name: string): Promise<boolean> {
  return (await db.query("select 1 from pg_database where datname = $1", [name])).length > 0;
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
