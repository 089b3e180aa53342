import type { ConnectionConfig, Database } from "../index.js";
import type { TemplateSpec, TestDatabaseBackend } from "./backend.js";
import { COPY_PREFIX, isStaleCopy, projectTemplatePrefix } from "./copy-names.js";
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
  #strategy: string | undefined;

  constructor(spec: TemplateSpec) {
    this.#spec = spec;
    this.#admin = new ServerAdmin(spec.base);
    this.#dropper = new ServerAdmin(spec.base);
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
        await migrateTemplate(this.configFor(template), migrationsPath, migrationsTable);
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

  async dropCopy(name: string): Promise<void> {
    await this.#dropper.use((db) => db.execute(`drop database if exists ${quote(name)} with (force)`));
  }

  configFor(name: string): ConnectionConfig {
    return { ...this.#spec.base, database: name };
  }

  async close(): Promise<void> {
    await Promise.all([this.#admin.close(), this.#dropper.close()]);
  }

  /** Other templates of this project (older migration files) and copies abandoned over an hour ago. */
  async #dropLeftovers(db: Database): Promise<void> {
    const rows = await db.query<{ datname: string }>(
      "select datname from pg_database where datname like 'mortar\\_%' and not datistemplate",
    );
    const older = projectTemplatePrefix(this.#spec.projectKey);
    for (const { datname } of rows) {
      const oldTemplate = datname.startsWith(older) && datname !== this.#spec.template;
      if (!oldTemplate && !(datname.startsWith(COPY_PREFIX) && isStaleCopy(datname))) continue;
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
