import { resolve } from "node:path";
import { ConfigError, connect, loadConfig, type ConnectionConfig } from "../index.js";
import { migrationFingerprint, shortHash } from "./migration-fingerprint.js";
import { templateName } from "./copy-names.js";
import { TemplateManager, type TestDatabase } from "./template-manager.js";

export interface TestDatabaseOptions {
  /** A connection named in the config file (or a driver name), or the settings themselves. Default: the project's default connection. */
  readonly connection?: string | ConnectionConfig;
  /** The migrations folder. Default: the project's (`migrations.path`, else databases/migrations). */
  readonly path?: string;
  /** The config file. Default: mortar.config.* in the working folder. */
  readonly config?: string;
}

const managers = new Map<string, TemplateManager>();

/**
 * A fresh, fully migrated database of its own: a copy of a template that ran every
 * migration once (per process, or reused across processes and runs while the migration
 * files are unchanged). Configuration is read as the command line reads it (flags as
 * these options, then the environment, `.env`, `mortar.config.*`).
 *
 * @example
 * const { db, drop } = await createTestDatabase();
 * await db.execute("insert into users (name) values (?)", ["Ada"]);
 * await drop();
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const setup = await resolveSetup(options);
  const fingerprint = migrationFingerprint(setup.migrationsPath, setup.migrationsTable);
  const key = `${setup.projectKey}_${fingerprint}`;
  let manager = managers.get(key);
  if (!manager) {
    manager = new TemplateManager({ ...setup, template: templateName(setup.projectKey, fingerprint) });
    managers.set(key, manager);
    // A template that could not be prepared (server down, a failing migration) is tried again by the next call.
    const failed = manager;
    failed.prepared.catch(() => managers.get(key) === failed && managers.delete(key));
    cleanUpAtExit();
  }
  return manager.take();
}

/**
 * Drop every copy this process made and has not dropped yet (ready ones in the pools
 * included). Runs by itself when the process runs out of work; call it from a global
 * tear-down where the runner keeps workers alive (Jest).
 */
export async function closeTestDatabases(): Promise<void> {
  const all = [...managers.values()];
  managers.clear();
  await Promise.all(all.map((m) => m.close()));
}

let exitHooksInstalled = false;

/**
 * Best-effort clean-up when the process ends: when it runs out of work (`beforeExit`, which
 * may still wait for the servers), every copy left is dropped; at `exit` (no waiting
 * possible) SQLite copies are deleted. A process killed outright leaves its copies to the
 * next run's clean-up (by name prefix and age, copy-names.ts).
 */
function cleanUpAtExit(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on("beforeExit", () => {
    if (managers.size > 0) void closeTestDatabases();
  });
  process.once("exit", () => {
    for (const manager of managers.values()) manager.closeSync();
  });
}

/** @internal the manager of a template (the bench waits on its pool). */
export function templateManagers(): readonly TemplateManager[] {
  return [...managers.values()];
}

interface Setup {
  readonly base: ConnectionConfig;
  readonly migrationsPath: string;
  readonly migrationsTable: string;
  readonly projectKey: string;
}

/** Resolved options, kept per distinct options object shape: config files are read once. */
const setups = new Map<string, Promise<Setup>>();

function resolveSetup(options: TestDatabaseOptions): Promise<Setup> {
  const key = JSON.stringify([options.connection ?? null, options.path ?? null, options.config ?? null, process.cwd()]);
  let setup = setups.get(key);
  if (!setup) {
    setup = readSetup(options);
    setups.set(key, setup);
    setup.catch(() => setups.delete(key));
  }
  return setup;
}

async function readSetup(options: TestDatabaseOptions): Promise<Setup> {
  const given = typeof options.connection === "object" ? options.connection : undefined;
  if (given !== undefined && (!given || typeof given.driver !== "string")) {
    throw new ConfigError("createTestDatabase: connection must be a connection name or settings with a driver");
  }
  const flags = { connection: typeof options.connection === "string" ? options.connection : undefined, path: options.path, config: options.config };
  // With settings given, the project's configuration only supplies the folder and table.
  const loaded = given ? await loadConfig({ flags: { path: options.path, config: options.config } }).catch(() => undefined) : await loadConfig({ flags });
  const base = given ? await withUrlFolded(given) : loaded!.connection;
  const migrationsPath = loaded?.migrationsPath ?? resolve(options.path ?? "databases/migrations");
  const migrationsTable = loaded?.migrationsTable ?? "migrations";
  const identity = base.driver === "sqlite" ? [] : [base.host ?? "", base.port ?? "", base.socketPath ?? "", base.database ?? ""];
  return { base, migrationsPath, migrationsTable, projectKey: shortHash([base.driver, ...identity, migrationsPath, migrationsTable].join("\0")) };
}

/** Settings with a `url` opened once, to read them back with the URL's parts as separate fields. */
async function withUrlFolded(config: ConnectionConfig): Promise<ConnectionConfig> {
  if (!config.url) return config;
  const db = await connect(config);
  await db.close();
  return db.config;
}
