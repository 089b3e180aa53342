import type { ResolvedConfig } from "../config/load-config.js";
import type { Database } from "../dialect/database.js";
import type { ConnectionConfig } from "../dialect/dialect.js";
import type { MigrateOptions, Migrator, RollbackOptions, RunError } from "../migration/migrator.js";

/** One database (or PostgreSQL schema) of a fleet. */
export interface Tenant {
  /** How reports, `--tenant ID` and the last-run file name it. */
  readonly id: string;
  readonly connection: ConnectionConfig;
  /** A schema of `connection`'s database that unqualified names resolve to (`search_path`). */
  readonly schema?: string;
}

export type TenantStatus = "ok" | "failed" | "skipped";

/** What a command did on one tenant: the `tenants[]` entry of the `--json` report. */
export interface TenantResult {
  readonly id: string;
  readonly status: TenantStatus;
  /** The batch a run recorded or rolled back; null when nothing ran (and for status, seeding). */
  readonly batch: number | null;
  /** The command's own rows: migrations run or rolled back, status rows, seeders run. */
  readonly migrations: readonly unknown[];
  readonly durationMs: number;
  readonly error?: { readonly code: string; readonly message: string; readonly migration?: string };
}

/** One fleet run: `{"tenants":[…],"warnings":[…]}`. */
export interface TenantReport {
  readonly tenants: TenantResult[];
  readonly warnings: string[];
}

/** What a command reports of one tenant; `error` is a run's error or anything thrown. */
export interface TenantWork {
  readonly batch: number | null;
  readonly migrations: readonly unknown[];
  readonly error?: RunError | unknown;
  readonly warnings?: readonly string[];
}

export interface TenantContext {
  readonly tenant: Tenant;
  readonly db: Database;
  /** A Migrator on the tenant's connection and tracking table, sharing loaded migrations with the fleet. */
  readonly migrator: Migrator;
  readonly config: ResolvedConfig;
}

/**
 * The built-in commands as plain data, so a fleet of SQLite tenants can hand them to
 * worker threads (a function cannot cross to a thread).
 */
export type TaskSpec =
  | { readonly kind: "migrate"; readonly options: MigrateOptions }
  | { readonly kind: "rollback"; readonly options: RollbackOptions }
  | { readonly kind: "fresh"; readonly options: { readonly pretend?: boolean } }
  | { readonly kind: "status"; readonly pending?: boolean }
  | { readonly kind: "seed"; readonly seeder?: string }
  | { readonly kind: "lint"; readonly all: boolean };

/** A command run on each tenant (migrate, rollback, status, fresh, db:seed, lint …). */
export type TenantTask = ((context: TenantContext) => Promise<TenantWork>) & { readonly spec?: TaskSpec };
