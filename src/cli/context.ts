import { statSync } from "node:fs";
import { Command, Option } from "commander";
import { loadConfig, type ResolvedConfig } from "../config/load-config.js";
import { connectionResolver } from "../dialect/connection-resolver.js";
import { connect } from "../dialect/connect.js";
import type { Database } from "../dialect/database.js";
import { ConfigError, UsageError } from "../errors.js";
import { Migrator } from "../migration/migrator.js";
import { watchInterrupts } from "./interrupt.js";
import { createOutput, type Output } from "./output.js";
import { confirmProduction } from "./production-guard.js";
import { LiveProgress } from "./live-progress.js";
import { renderFailure } from "./render.js";
import { initialSchemaFile } from "./schema-dump-file.js";

/** Options every command accepts (spec §4). */
export interface CommonOptions {
  readonly connection?: string;
  readonly path?: string;
  readonly config?: string;
  readonly verbose?: boolean;
  readonly json?: boolean;
}

export function addCommonOptions(command: Command): Command {
  return command
    .option("--connection <name>", "the configured connection to use")
    .option("--database <name>", "alias of --connection (Laravel's name)")
    .hook("preAction", databaseIsConnection)
    .option("--path <dir>", "folder of migration files")
    .option("--config <file>", "configuration file (default: mortar.config.{ts,mts,js,mjs})")
    .option("--verbose", "print stack traces with errors");
}

/** `--database NAME` means `--connection NAME`; both with different names is a usage error. */
function databaseIsConnection(command: Command): void {
  const { connection, database } = command.opts<{ connection?: string; database?: string }>();
  if (database === undefined) return;
  if (connection !== undefined && connection !== database) {
    throw new UsageError(`--database is an alias of --connection: give one, not both ("${database}" and "${connection}")`);
  }
  command.setOptionValue("connection", database);
}

/** The fleet flags of spec §11, on the commands that run per tenant. */
export interface TenantFlags {
  readonly tenants?: boolean;
  readonly tenant?: string;
  readonly parallel?: number;
  readonly failFast?: boolean;
  readonly onlyFailed?: boolean;
}

export function addTenantOptions(command: Command): Command {
  return command
    .option("--tenants", "run on every tenant of config `tenants`")
    .option("--tenant <id>", "run on this tenant only")
    .option("--parallel <n>", "with --tenants: how many tenants run at once (default 1)", positiveInteger("--parallel"))
    .option("--fail-fast", "with --tenants: start no other tenant after one fails")
    .option("--only-failed", "with --tenants: run on the tenants that failed in the last run");
}

/** A fleet run: `--tenants` or `--tenant ID`. The other fleet flags alone are a usage error. */
export function wantsFleet(flags: TenantFlags): boolean {
  if (flags.tenants || flags.tenant !== undefined) return true;
  const stray = [flags.parallel !== undefined && "--parallel", flags.failFast && "--fail-fast", flags.onlyFailed && "--only-failed"].find(Boolean);
  if (stray) throw new UsageError(`${stray} works on a fleet: add --tenants (or --tenant ID)`);
  return false;
}

export function forceOption(): Option {
  return new Option("--force", "run in production without asking");
}

/** `--lock-timeout SECONDS`: how long to wait for another run's migration lock. */
export function lockTimeoutOption(): Option {
  return new Option("--lock-timeout <seconds>", "how long to wait for another run's migration lock (default 60)").argParser((value: string) => {
    if (!/^\d+(\.\d+)?$/.test(value)) throw new UsageError(`--lock-timeout must be a number of seconds, got "${value}"`);
    return Number(value);
  });
}

/**
 * `--safe` and `--ddl-lock-timeout SECONDS` (safe execution, spec §9). Not `--lock-timeout`,
 * which is the wait for Mortar's own migration lock.
 */
export function addSafeOptions(command: Command): Command {
  return command
    .option("--safe", "safe execution: lock timeouts with retries; on PostgreSQL CONCURRENTLY indexes and NOT VALID constraints validated after the commit")
    .addOption(
      new Option("--ddl-lock-timeout <seconds>", "with --safe: how long a statement may wait for a table's lock per attempt (default 5)").argParser((value: string) => {
        if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) throw new UsageError(`--ddl-lock-timeout must be a positive number of seconds, got "${value}"`);
        return Number(value);
      }),
    );
}

/** A positive whole number for flags like `--step 2`; anything else is a usage error naming the flag. */
export function positiveInteger(flag: string): (value: string) => number {
  return (value: string) => {
    if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${flag} must be a positive whole number, got "${value}"`);
    return Number(value);
  };
}

/**
 * Commands whose work starts from the migration files. Without the folder they fail
 * before connecting, so a mistyped --path or a wrong working folder leaves nothing
 * behind: no SQLite file, no lock file, no tracking table, no dropped tables.
 */
const READS_MIGRATION_FILES = new Set([
  "migrate",
  "migrate:status",
  "migrate:rollback",
  "migrate:reset",
  "migrate:refresh",
  "migrate:fresh",
  "migrate:validate",
  "migrate:resolve",
]);

/** Fail before connecting when a command that reads migrations has no folder to read. */
export function assertMigrationsFolderFor(commandName: string, path: string): void {
  if (READS_MIGRATION_FILES.has(commandName)) assertMigrationsFolder(path);
}

function assertMigrationsFolder(path: string): void {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) throw new ConfigError(`${path}: migrations folder does not exist (set migrations.path or --path)`);
  if (!stats.isDirectory()) throw new ConfigError(`${path}: migrations path is not a folder (set migrations.path or --path)`);
}

export interface MigratorContext {
  readonly migrator: Migrator;
  readonly db: Database;
  readonly config: ResolvedConfig;
  readonly out: Output;
  /** The live run output; `--pretend` asks it for the headers of the pretended SQL. */
  readonly progress: LiveProgress;
}

/**
 * The shared frame of every database command: resolve configuration, guard production,
 * connect, build the migrator with live per-migration output, run, always close.
 * Returns the exit code.
 */
export async function withMigrator(
  commandName: string,
  options: CommonOptions & { force?: boolean; pretend?: boolean; lockTimeout?: number; safe?: boolean; ddlLockTimeout?: number },
  changesDatabase: boolean,
  run: (context: MigratorContext) => Promise<number>,
): Promise<number> {
  const out = createOutput({ json: Boolean(options.json) });
  const opened: Database[] = [];
  try {
    const config = await loadConfig({ flags: options });
    if (READS_MIGRATION_FILES.has(commandName)) assertMigrationsFolder(config.migrationsPath);
    if (changesDatabase && !options.pretend) await confirmProduction(commandName, Boolean(options.force));
    const db = await connect(config.connection);
    opened.push(db);
    const migrator = new Migrator(db, {
      path: config.migrationsPath,
      table: config.migrationsTable,
      ...(options.lockTimeout !== undefined ? { lockTimeoutMs: options.lockTimeout * 1000 } : {}),
      ...(config.safe ? { safe: config.safe } : {}),
      initialSchema: initialSchemaFile(config, db.dialect),
      resolveConnection: connectionResolver(config, db, opened),
    });
    const progress = new LiveProgress(out);
    if (options.pretend) {
      migrator.on("migration:start", (e) => progress.pretended(e));
    } else {
      migrator.on("migration:start", (e) => progress.started(e));
      migrator.on("migration:end", (e) => progress.finished(e.name, e.durationMs, "DONE"));
      migrator.on("migration:error", (e) => progress.finished(e.name, e.durationMs, "FAIL"));
      if (options.verbose) migrator.on("migration:retry", (e) => out.error(`  retry ${e.attempt} of ${e.name} in ${e.delayMs}ms: ${e.error}`));
      migrator.on("schema:loaded", (e) => out.line(`  ${out.color.gray("INFO")}  Loaded schema dump ${e.path}`));
    }
    const interrupts =
      changesDatabase && !options.pretend
        ? watchInterrupts({ migrator, out, connections: opened, config: config.connection, table: config.migrationsTable })
        : undefined;
    try {
      return await run({ migrator, db, config, out, progress });
    } finally {
      progress.dispose();
      await interrupts?.dispose();
    }
  } catch (error) {
    return renderFailure(out, error, Boolean(options.verbose));
  } finally {
    await Promise.allSettled(opened.map((db) => db.close()));
  }
}
