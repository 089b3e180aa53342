import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import { relative } from "node:path";
import type { Database, StatementEvent } from "../dialect/database.js";
import { ConfigError, MigrationFailedError, MigrationFileError, MortarError, QueryError, messageOf } from "../errors.js";
import { discoverMigrations } from "./file-source.js";
import { loadMigrationClass, readNormalizedSource } from "./loader.js";
import { bindMigration, type Migration, type MigrationClass } from "./migration.js";
import type { MigrationFile } from "./migration-file.js";
import { planMigrate, planRollback, planStatus, type Step, type StatusRow } from "./plan.js";
import { MigrationRepository } from "./repository.js";

export interface MigratorOptions {
  /** Folder holding the migration files (sub-folders included). */
  readonly path: string;
  /** Tracking table name. Default `migrations`. */
  readonly table?: string;
  /** Opens the connection named by a migration's `static connection`. */
  readonly resolveConnection?: (name: string) => Promise<Database>;
}

export type OutcomeStatus = "ran" | "rolled back" | "failed" | "pretend";

export interface MigrationOutcome {
  readonly name: string;
  readonly status: OutcomeStatus;
  readonly durationMs: number;
  /** With `pretend`: every statement the migration would run. */
  readonly statements?: readonly string[];
}

export interface RunError {
  readonly code: string;
  readonly message: string;
  readonly migration?: string;
  readonly file?: string;
  readonly sql?: string;
  /** The underlying error, for `--verbose` stack traces (not serialized). */
  readonly cause?: unknown;
}

export interface RunResult {
  /** The batch the run recorded (or rolled back); null when nothing ran. */
  readonly batch: number | null;
  readonly migrations: MigrationOutcome[];
  readonly error?: RunError;
  /** Files ignored because their names do not match the pattern. */
  readonly warnings: string[];
}

export interface MigrateOptions {
  readonly step?: boolean;
  readonly migration?: string;
  readonly pretend?: boolean;
}

export interface RollbackOptions {
  readonly step?: number;
  readonly batch?: number;
  readonly migration?: string;
  readonly pretend?: boolean;
}

export interface MigrationEvent {
  readonly name: string;
  readonly direction: "up" | "down";
}

interface MigratorEvents {
  "migration:start": [MigrationEvent];
  "migration:end": [MigrationEvent & { readonly durationMs: number }];
  "migration:error": [MigrationEvent & { readonly error: MortarError }];
}

/**
 * Plans and runs migrations. It returns results and emits events; it never prints.
 *
 * @example
 * const migrator = new Migrator(db, { path: "databases/migrations" });
 * const result = await migrator.migrate();
 * if (result.error) console.error(result.error.message);
 */
export class Migrator extends EventEmitter<MigratorEvents> {
  readonly #db: Database;
  readonly #options: MigratorOptions;
  readonly #repository: MigrationRepository;

  constructor(db: Database, options: MigratorOptions) {
    super();
    this.#db = db;
    this.#options = options;
    this.#repository = new MigrationRepository(db, options.table ?? "migrations");
  }

  get repository(): MigrationRepository {
    return this.#repository;
  }

  /** Create the tracking table if needed. */
  async install(): Promise<void> {
    await this.#repository.ensureTable();
  }

  /** Run every pending migration (or the one named) in a new batch. */
  async migrate(options: MigrateOptions = {}): Promise<RunResult> {
    const { files, ignored } = await discoverMigrations(this.#options.path);
    if (!options.pretend) await this.#repository.ensureTable();
    const ran = await this.#repository.getRan();
    const nextBatch = ran.reduce((max, r) => Math.max(max, r.batch), 0) + 1;
    const steps = planMigrate(files, ran, nextBatch, options);
    return this.#execute(steps, ignored, options.pretend ?? false);
  }

  /** Undo the last batch, the last `step` migrations, batch `batch`, or one named migration. */
  async rollback(options: RollbackOptions = {}): Promise<RunResult> {
    const { files, ignored } = await discoverMigrations(this.#options.path);
    const steps = planRollback(files, await this.#repository.getRan(), options);
    return this.#execute(steps, ignored, options.pretend ?? false);
  }

  /** Undo every applied migration. */
  async reset(options: { pretend?: boolean } = {}): Promise<RunResult> {
    const { files, ignored } = await discoverMigrations(this.#options.path);
    const steps = planRollback(files, await this.#repository.getRan(), { all: true });
    return this.#execute(steps, ignored, options.pretend ?? false);
  }

  /** Reset (or roll back `step` migrations) and migrate again. */
  async refresh(options: { step?: number; pretend?: boolean } = {}): Promise<RunResult> {
    const down = options.step !== undefined
      ? await this.rollback({ step: options.step, pretend: options.pretend })
      : await this.reset({ pretend: options.pretend });
    if (down.error) return down;
    const up = await this.migrate({ pretend: options.pretend });
    return { ...up, migrations: [...down.migrations, ...up.migrations], warnings: up.warnings };
  }

  /** Drop every table and view, then migrate from scratch. */
  async fresh(options: { pretend?: boolean } = {}): Promise<RunResult> {
    await discoverMigrations(this.#options.path); // fail on a bad folder before dropping anything
    if (options.pretend) {
      const { statements } = await this.#db.pretend(() => this.#db.schema.dropAllTablesAndViews());
      const up = await this.migrate({ pretend: true });
      const dropped: MigrationOutcome = { name: "(drop all tables)", status: "pretend", durationMs: 0, statements: statements.map((s) => s.sql) };
      return { ...up, migrations: [dropped, ...up.migrations] };
    }
    await this.#db.schema.dropAllTablesAndViews();
    return this.migrate();
  }

  /** Every migration from files and the tracking table, with its state. Imports no migration file. */
  async status(): Promise<{ migrations: StatusRow[]; warnings: string[] }> {
    const { files, ignored } = await discoverMigrations(this.#options.path);
    const ran = await this.#repository.getRan();
    const ranNames = new Set(ran.map((r) => r.migration));
    const checksums = new Map<string, string>();
    await Promise.all(
      files.filter((f) => ranNames.has(f.name)).map(async (f) => checksums.set(f.name, await checksumOf(f))),
    );
    return { migrations: planStatus(files, ran, checksums), warnings: ignored };
  }

  async #execute(steps: readonly Step[], warnings: string[], pretend: boolean): Promise<RunResult> {
    const migrations: MigrationOutcome[] = [];
    const batch = steps[0]?.batch ?? null;
    let classes: MigrationClass[];
    try {
      // Load every file first: a file that cannot be imported stops the run before anything changes.
      classes = await Promise.all(steps.map((s) => loadMigrationClass(s.file)));
    } catch (error) {
      return { batch: null, migrations, error: toRunError(error), warnings };
    }
    for (const [i, step] of steps.entries()) {
      const event = { name: step.name, direction: step.direction } as const;
      this.emit("migration:start", event);
      const started = performance.now();
      try {
        const statements = await this.#runStep(step, classes[i]!, pretend);
        const durationMs = Math.round(performance.now() - started);
        this.emit("migration:end", { ...event, durationMs });
        migrations.push({
          name: step.name,
          status: pretend ? "pretend" : step.direction === "up" ? "ran" : "rolled back",
          durationMs,
          ...(pretend ? { statements } : {}),
        });
      } catch (cause) {
        const durationMs = Math.round(performance.now() - started);
        const error = cause instanceof MortarError && !(cause instanceof QueryError) && cause.code !== "INVALID_SCHEMA" && cause.code !== "UNSUPPORTED_OPERATION"
          ? cause
          : new MigrationFailedError(step.name, step.direction, cause);
        this.emit("migration:error", { ...event, error });
        migrations.push({ name: step.name, status: "failed", durationMs });
        return { batch, migrations, error: toRunError(error, step), warnings };
      }
    }
    return { batch, migrations, warnings };
  }

  /** Run one migration and record it; returns the statements it ran (or would run). */
  async #runStep(step: Step, migrationClass: MigrationClass, pretend: boolean): Promise<string[]> {
    const db = migrationClass.connection ? await this.#connectionFor(migrationClass.connection, step) : this.#db;
    const migration = bindMigration(new migrationClass(), db);
    const action = this.#action(migration, step);
    const statements: string[] = [];
    const collect = (event: StatementEvent) => statements.push(event.sql);
    db.on("statement", collect);
    try {
      if (pretend) {
        await db.pretend(action);
        return statements;
      }
      const checksum = step.direction === "up" ? await checksumOf(step.file) : null;
      const started = performance.now();
      const record = () =>
        step.direction === "up"
          ? this.#repository.log(step.name, step.batch, checksum, performance.now() - started)
          : this.#repository.delete(step.name);
      const dialect = db.dialectFactory;
      const transactional = dialect.capabilities.transactionalDdl && migrationClass.transaction !== false;
      if (!transactional) {
        await action();
        await record();
        return statements;
      }
      // SQLite can only switch foreign keys off outside a transaction, and a table rebuild
      // inside the migration needs them off; every key is checked before commit instead.
      const restoreForeignKeys = dialect.capabilities.rebuildsTables ? await dialect.disableForeignKeys(db, false) : undefined;
      const body = async () => {
        await action();
        await dialect.checkForeignKeys?.(db);
      };
      try {
        if (db === this.#db) {
          // The migration and its tracking row commit together or not at all.
          await db.transaction(async () => {
            await body();
            await record();
          });
        } else {
          await db.transaction(body);
          await record();
        }
      } finally {
        await restoreForeignKeys?.();
      }
      return statements;
    } finally {
      db.off("statement", collect);
    }
  }

  #action(migration: Migration, step: Step): () => Promise<void> {
    const method = (migration as unknown as Record<string, unknown>)[step.direction];
    if (typeof method !== "function") {
      throw new MigrationFileError(shownPath(step.file), `has no ${step.direction}() method, so it cannot be ${step.direction === "up" ? "run" : "rolled back"}`);
    }
    return async () => {
      await (method as () => Promise<void>).call(migration);
    };
  }

  async #connectionFor(name: string, step: Step): Promise<Database> {
    if (!this.#options.resolveConnection) {
      throw new ConfigError(`${shownPath(step.file)} asks for connection "${name}" but no other connections are configured`);
    }
    return this.#options.resolveConnection(name);
  }
}

async function checksumOf(file: MigrationFile): Promise<string> {
  return createHash("sha256").update(await readNormalizedSource(file.path)).digest("hex");
}

function shownPath(file: MigrationFile): string {
  return relative(process.cwd(), file.path) || file.path;
}

function toRunError(error: unknown, step?: Step): RunError {
  const root = error instanceof MigrationFailedError ? error.cause : error;
  const sql = root instanceof QueryError ? root.sql : undefined;
  const code = error instanceof MortarError ? error.code : "MIGRATION_FAILED";
  const where = step ? shownPath(step.file) : undefined;
  let message: string;
  if (error instanceof MigrationFailedError && step) {
    const detail = root instanceof QueryError ? root.databaseMessage : messageOf(root);
    message = `${where}: ${step.direction}() failed: ${detail}`;
  } else {
    message = messageOf(error);
  }
  return { code, message, migration: step?.name, file: where, sql, cause: error };
}
