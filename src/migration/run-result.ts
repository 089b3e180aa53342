import type { Database } from "../dialect/database.js";
import type { MortarError, MortarErrorCode } from "../errors.js";
import type { LoadedSchema, InitialSchema } from "./initial-schema.js";
import type { LoadedMigrationCache } from "./loaded-migration-cache.js";
import type { RetryEvent } from "./safe/lock-retries.js";
import type { SafeExecutionOptions } from "./safe/safe-options.js";

/**
 * The Migrator's public shapes: its options, what a run returns, and its events. Kept
 * apart from the Migrator so the class file holds only how runs happen.
 */

/**
 * What `resolve()` did: `settled` (a failed run recorded as ran), `forgotten` (a failed run
 * removed), `accepted` (a modified file's checksum recorded), `unchanged` (the file already
 * matched; its checksum is now recorded in the current format).
 */
export type ResolveResult = "settled" | "forgotten" | "accepted" | "unchanged";

export interface MigratorOptions {
  /** Folder holding the migration files (sub-folders included). */
  readonly path: string;
  /** Tracking table name. Default `migrations`. */
  readonly table?: string;
  /** Opens the connection named by a migration's `static connection`. */
  readonly resolveConnection?: (name: string) => Promise<Database>;
  /** How long a run waits for another run's lock, in milliseconds. Default 60 000. */
  readonly lockTimeoutMs?: number;
  /**
   * Safe execution (spec §9): lock timeouts with retries on every migration, and on
   * PostgreSQL indexes built CONCURRENTLY and constraints validated after the commit.
   * `true` takes the defaults (`ddlLockTimeout` 5 seconds, `retries` 5).
   */
  readonly safe?: boolean | SafeExecutionOptions;
  /** A schema dump `migrate` loads first when the database is empty (no table, no view). */
  readonly initialSchema?: InitialSchema;
  /**
   * Reuse migrations already loaded by other Migrators of this process (a tenant fleet):
   * each file is imported once, not once per database.
   */
  readonly migrationCache?: LoadedMigrationCache;
  /**
   * Tells apart the migration locks of tracking tables that share a database and a name
   * (one per PostgreSQL schema of a tenant fleet).
   */
  readonly lockScope?: string;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

export type OutcomeStatus = "ran" | "rolled back" | "failed" | "pretend";

export interface MigrationOutcome {
  readonly name: string;
  readonly status: OutcomeStatus;
  readonly durationMs: number;
  /** With `pretend`: every statement the migration would run. */
  readonly statements?: readonly string[];
}

/**
 * Where a run stopped. `start`: before any migration ran (the lock, an unsettled run, an
 * option that selects nothing, a file missing for a rollback, the folder, the tracking
 * table), so nothing changed. `load`: importing the migration files, nothing changed.
 * `migration`: in the up() or down() of `RunError.migration`. `finish`: after migrations
 * ran, outside any one of them (committing a batch, restoring foreign keys).
 */
export type RunStage = "start" | "load" | "migration" | "finish";

export interface RunError {
  readonly code: MortarErrorCode;
  readonly stage: RunStage;
  readonly message: string;
  readonly migration?: string;
  readonly file?: string;
  readonly sql?: string;
  /**
   * The error that stopped the run, usually a `MortarError` subclass with structured
   * fields (`LockTimeoutError.timeoutMs`, `NothingSelectedError.option` …); not serialized.
   */
  readonly cause?: unknown;
}

export interface RunResult {
  /** The batch the run recorded (or rolled back); null when nothing ran. */
  readonly batch: number | null;
  readonly migrations: MigrationOutcome[];
  readonly error?: RunError;
  /** Ignored files, modified or missing migrations: worth telling, not worth stopping for. */
  readonly warnings: string[];
  /** The schema dump `migrate` loaded into the empty database before migrating (`initialSchema`). */
  readonly loadedSchema?: LoadedSchema;
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

export interface MigratorEvents {
  "migration:start": [MigrationEvent];
  /** Safe execution: the migration (or its statement) hit a lock timeout or deadlock and runs again after `delayMs`. */
  "migration:retry": [MigrationEvent & RetryEvent];
  "migration:end": [MigrationEvent & { readonly durationMs: number }];
  "migration:error": [MigrationEvent & { readonly error: MortarError; readonly durationMs: number }];
  /** An empty database was given the schema dump before migrating (`initialSchema`). */
  "schema:loaded": [{ readonly path: string }];
}
